package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/store"
)

// sessionSweepEvery is how often expired sessions are deleted.
const sessionSweepEvery = time.Hour

// SessionSweepArgs is the periodic job that deletes expired sessions.
type SessionSweepArgs struct{}

// Kind names the job.
func (SessionSweepArgs) Kind() string { return "session_sweep" }

type sessionSweepWorker struct {
	river.WorkerDefaults[SessionSweepArgs]
	db  *store.DB
	log *slog.Logger
}

func (w *sessionSweepWorker) Work(ctx context.Context, _ *river.Job[SessionSweepArgs]) error {
	n, err := w.db.DeleteExpiredSessions(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.InfoContext(ctx, "expired sessions deleted", "count", n)
	}
	return nil
}

// registerSessionSweep adds the worker and returns its periodic job, run
// at start and then hourly, once across instances by the queue's leader.
func registerSessionSweep(w *river.Workers, db *store.DB, log *slog.Logger) *river.PeriodicJob {
	river.AddWorker(w, &sessionSweepWorker{db: db, log: log})
	return queue.Periodic[SessionSweepArgs](sessionSweepEvery, &river.PeriodicJobOpts{RunOnStart: true})
}
