package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/store"
)

// statisticsEvery is how often the planner's statistics are refreshed:
// often enough that a company importing thousands of candidates gets good
// plans within minutes, cheap because unchanged tables are skipped.
const statisticsEvery = 10 * time.Minute

// StatisticsArgs is the periodic job that keeps the query planner's
// statistics current (see store.DB.Optimize).
type StatisticsArgs struct{}

// Kind names the job.
func (StatisticsArgs) Kind() string { return "database_statistics" }

type statisticsWorker struct {
	river.WorkerDefaults[StatisticsArgs]
	db *store.DB
}

func (w *statisticsWorker) Work(ctx context.Context, _ *river.Job[StatisticsArgs]) error {
	return w.db.Optimize(ctx)
}

// registerStatistics adds the worker and returns its periodic job, run
// once across instances by the queue's leader.
func registerStatistics(w *river.Workers, db *store.DB) *river.PeriodicJob {
	river.AddWorker(w, &statisticsWorker{db: db})
	return river.NewPeriodicJob(river.PeriodicInterval(statisticsEvery), func() (river.JobArgs, *river.InsertOpts) {
		return StatisticsArgs{}, &river.InsertOpts{UniqueOpts: queue.UniqueWhileQueued}
	}, nil)
}
