package zoomconnect

import (
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// DirectoryRefreshArgs asks to re-read every connected account's Zoom
// users and rooms.
type DirectoryRefreshArgs struct{}

// Kind names the job.
func (DirectoryRefreshArgs) Kind() string { return "zoom_directory_refresh" }

// Register adds the directory refresh worker and returns its periodic
// job. River inserts periodic jobs on the elected leader only, so however
// many instances run, each refresh happens once.
func (s *Service) Register(w *river.Workers, every time.Duration) *river.PeriodicJob {
	return queue.AddPeriodic[DirectoryRefreshArgs](w, every, s.RefreshDirectories)
}
