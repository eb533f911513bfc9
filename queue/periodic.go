package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Periodic returns the periodic job that queues an A every interval.
// River inserts periodic jobs on the elected leader only, so however many
// instances run, the work happens once; an A still waiting or running is
// not queued again. A is a job whose arguments say nothing (a sweep).
func Periodic[A river.JobArgs](every time.Duration, opts *river.PeriodicJobOpts) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		var args A
		return args, &river.InsertOpts{UniqueOpts: UniqueWhileQueued}
	}, opts)
}

// Sweep is the worker of a job whose arguments say nothing: it runs Run.
type Sweep[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	Run func(context.Context) error
}

// Work implements river.Worker.
func (w *Sweep[A]) Work(ctx context.Context, _ *river.Job[A]) error { return w.Run(ctx) }

// AddPeriodic adds run as the worker of A and returns A's periodic job,
// queued every interval (see Periodic).
func AddPeriodic[A river.JobArgs](w *river.Workers, every time.Duration, run func(context.Context) error) *river.PeriodicJob {
	river.AddWorker(w, &Sweep[A]{Run: run})
	return Periodic[A](every, nil)
}

// EachAccount runs run for every account in ids, in turn, as a sweep over
// the connected accounts does: one account's failure is logged as msg
// (when log is set) and does not stop the others; a cancelled ctx does,
// and is what it returns. Otherwise it returns the failures joined, each
// naming its account.
func EachAccount(ctx context.Context, log *slog.Logger, msg string, ids []int64, run func(ctx context.Context, accountID int64) error) error {
	var errs []error
	for _, id := range ids {
		err := run(ctx, id)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if log != nil {
				log.WarnContext(ctx, msg, "account_id", id, "err", err)
			}
			errs = append(errs, fmt.Errorf("account %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}
