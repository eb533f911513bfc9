package interviewevents

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// Args are what every provider's events job carries. A provider's job type
// embeds them and names its own Kind.
type Args struct {
	AccountID  int64 `json:"account_id"`
	ScheduleID int64 `json:"schedule_id"`
	// Change is when the schedule changed: a change is never folded into
	// a job that is already running (it may have read the state before).
	Change int64 `json:"change"`
}

// ArgsFor names the schedule an account changed at the given time.
func ArgsFor(accountID, scheduleID int64, changed time.Time) Args {
	return Args{AccountID: accountID, ScheduleID: scheduleID, Change: changed.UnixNano()}
}

// InsertOpts: one job per schedule while queued; the provider's refusals
// and timeouts are retried by River with backoff.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: queue.UniqueWhileQueued}
}

// Schedule returns the args themselves, for the shared worker.
func (a Args) Schedule() Args { return a }

// Job is a provider's events job type.
type Job interface {
	river.JobArgs
	Schedule() Args
}

// Syncer brings a schedule's events in one provider in step with it.
type Syncer interface {
	SyncEvents(ctx context.Context, accountID, scheduleID int64) error
}

// Worker runs a provider's events jobs.
type Worker[T Job] struct {
	river.WorkerDefaults[T]
	Syncer Syncer
}

// Work syncs the schedule and turns the outcome into River's terms.
func (w *Worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	a := job.Args.Schedule()
	return JobResult(w.Syncer.SyncEvents(ctx, a.AccountID, a.ScheduleID), job.Attempt)
}
