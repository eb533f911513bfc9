package calendars

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// Sources sync as durable River jobs: a periodic sweep (run by the
// elected leader only, so once across instances) queues one job per
// source that is due, unique while queued, so a slow server never gets
// two syncs of the same source at once.

// SyncArgs asks to read one source.
type SyncArgs struct {
	AccountID int64 `json:"account_id"`
	SourceID  int64 `json:"source_id"`
}

// Kind names the job.
func (SyncArgs) Kind() string { return "calendar_sync" }

// InsertOpts: one job per source at a time, on the background queue (a
// company's first sync is thousands of them). A read that fails is
// recorded on the source and retried by the sweep; the job retries only
// database errors.
func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: queue.UniqueWhileQueued, Queue: queue.Background}
}

// syncNowArgs is a sync someone waits for (a pushed change, a click on
// "Sync now"): the same job on the default queue, so it does not wait
// behind a company's first reads.
type syncNowArgs struct{ SyncArgs }

// InsertOpts: SyncArgs' on the default queue.
func (syncNowArgs) InsertOpts() river.InsertOpts {
	o := SyncArgs{}.InsertOpts()
	o.Queue = river.QueueDefault
	return o
}

// SweepArgs asks to queue every source that is due.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "calendar_sweep" }

// sweepBatch bounds one sweep; the next picks up the rest.
const sweepBatch = 1000

// Register adds the workers and returns the periodic sweep to configure;
// set Queue once the queue exists.
func (s *Service) Register(w *river.Workers, every time.Duration) *river.PeriodicJob {
	river.AddWorker(w, &syncWorker{s: s})
	river.AddWorker(w, &sweepWorker{s: s})
	return queue.Periodic[SweepArgs](every, &river.PeriodicJobOpts{RunOnStart: true})
}

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	s *Service
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	return w.s.Sync(ctx, job.Args.AccountID, job.Args.SourceID)
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	due, err := w.s.Store.ListDue(ctx, w.s.now(), sweepBatch)
	if err != nil || len(due) == 0 {
		return err
	}
	args := make([]river.JobArgs, len(due))
	for i, d := range due {
		args[i] = SyncArgs{AccountID: d.AccountID, SourceID: d.SourceID}
	}
	return w.s.Queue.Insert(ctx, w.s.db, args...)
}
