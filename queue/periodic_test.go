package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/store/storetest"
)

type sweepArgs struct{}

func (sweepArgs) Kind() string { return "test_sweep" }

// A periodic sweep queued at start runs its function on the queue.
func TestPeriodicSweepRuns(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	if err := queue.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{}, 1)
	workers := river.NewWorkers()
	river.AddWorker(workers, &queue.Sweep[sweepArgs]{Run: func(context.Context) error {
		select {
		case ran <- struct{}{}:
		default:
		}
		return nil
	}})
	periodic := queue.Periodic[sweepArgs](time.Hour, &river.PeriodicJobOpts{RunOnStart: true})
	q, err := queue.New(db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond, Periodic: []*river.PeriodicJob{periodic}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("the periodic sweep never ran")
	}
}
