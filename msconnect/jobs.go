package msconnect

import (
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/scheduling/interviewevents"
)

// DirectoryRefreshArgs asks to re-read every connected tenant's directory.
type DirectoryRefreshArgs struct{}

// Kind names the job.
func (DirectoryRefreshArgs) Kind() string { return "microsoft_directory_refresh" }

// ResponsesEvery is how often scheduling mailboxes are read for
// attendees' answers: the fallback to the scheduling mailbox's change
// notifications, and when its subscription is renewed.
const ResponsesEvery = 2 * time.Minute

// Register adds the workers and returns the periodic jobs — the directory
// refresh every directoryEvery and the attendees' answers every
// ResponsesEvery — inserted by the elected leader only: once across
// instances.
func (s *Service) Register(w *river.Workers, directoryEvery time.Duration) []*river.PeriodicJob {
	river.AddWorker(w, &lifecycleWorker{s: s})
	river.AddWorker(w, &interviewevents.Worker[EventsArgs]{Syncer: s})
	river.AddWorker(w, &queue.Sweep[ResponsesArgs]{Run: s.ReadAllResponses})
	river.AddWorker(w, &answersChangedWorker{s: s})
	return []*river.PeriodicJob{
		queue.AddPeriodic[DirectoryRefreshArgs](w, directoryEvery, s.RefreshDirectories),
		queue.Periodic[ResponsesArgs](ResponsesEvery, nil),
	}
}
