package zoomconnect

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// DirectoryRefreshArgs asks to re-read every connected account's Zoom
// users and rooms.
type DirectoryRefreshArgs struct{}

// Kind names the job.
func (DirectoryRefreshArgs) Kind() string { return "zoom_directory_refresh" }

type directoryRefreshWorker struct {
	river.WorkerDefaults[DirectoryRefreshArgs]
	s *Service
}

func (w *directoryRefreshWorker) Work(ctx context.Context, _ *river.Job[DirectoryRefreshArgs]) error {
	return w.s.RefreshDirectories(ctx)
}

// Register adds the directory refresh worker and returns its periodic
// job. River inserts periodic jobs on the elected leader only, so however
// many instances run, each refresh happens once.
func (s *Service) Register(w *river.Workers, every time.Duration) *river.PeriodicJob {
	river.AddWorker(w, &directoryRefreshWorker{s: s})
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return DirectoryRefreshArgs{}, &river.InsertOpts{UniqueOpts: queue.UniqueWhileQueued}
	}, nil)
}
