package app

import (
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

// registerStatistics adds the worker and returns its periodic job, run
// once across instances by the queue's leader.
func registerStatistics(w *river.Workers, db *store.DB) *river.PeriodicJob {
	return queue.AddPeriodic[StatisticsArgs](w, statisticsEvery, db.Optimize)
}
