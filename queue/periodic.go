package queue

import (
	"context"
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
