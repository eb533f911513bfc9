package msconnect

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/scheduling/interviewevents"
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

// ResponsesEvery is how often scheduling mailboxes are read for
// attendees' answers.
const ResponsesEvery = 2 * time.Minute

// Register adds the workers and returns the periodic jobs — the directory
// refresh every directoryEvery and the attendees' answers every
// ResponsesEvery — inserted by the elected leader only: once across
// instances.
func (s *Service) Register(w *river.Workers, directoryEvery time.Duration) []*river.PeriodicJob {
	river.AddWorker(w, &directoryWorker{s: s})
	river.AddWorker(w, &lifecycleWorker{s: s})
	river.AddWorker(w, &interviewevents.Worker[EventsArgs]{Syncer: s})
	river.AddWorker(w, &responsesWorker{s: s})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(directoryEvery), func() (river.JobArgs, *river.InsertOpts) {
		return DirectoryRefreshArgs{}, &river.InsertOpts{UniqueOpts: queue.UniqueWhileQueued}
	}, nil), responsesJob(ResponsesEvery)}
}
