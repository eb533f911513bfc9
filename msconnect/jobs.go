package msconnect

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// DirectoryRefreshArgs asks to re-read every connected tenant's directory.
type DirectoryRefreshArgs struct{}

// Kind names the job.
func (DirectoryRefreshArgs) Kind() string { return "microsoft_directory_refresh" }

type directoryWorker struct {
	river.WorkerDefaults[DirectoryRefreshArgs]
	s *Service
}

func (w *directoryWorker) Work(ctx context.Context, _ *river.Job[DirectoryRefreshArgs]) error {
	return w.s.RefreshDirectories(ctx)
}

// Register adds the directory refresh worker and returns its periodic job
// (inserted by the elected leader only: once across instances).
func (s *Service) Register(w *river.Workers, every time.Duration) *river.PeriodicJob {
	river.AddWorker(w, &directoryWorker{s: s})
	river.AddWorker(w, &lifecycleWorker{s: s})
	river.AddWorker(w, &eventsWorker{s: s})
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return DirectoryRefreshArgs{}, &river.InsertOpts{UniqueOpts: queue.UniqueWhileQueued}
	}, nil)
}
