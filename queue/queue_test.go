package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
	done chan int
}

func (w *noopWorker) Work(ctx context.Context, job *river.Job[noopArgs]) error {
	w.done <- job.Args.N
	return nil
}

// TestInsertTxRunsOnlyWhenCommitted: a job inserted in a rolled-back
// transaction never runs; one in a committed transaction does.
func TestInsertTxRunsOnlyWhenCommitted(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	if err := queue.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	if err := queue.Migrate(ctx, db, nil); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	w := &noopWorker{done: make(chan int, 4)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	q, err := queue.New(db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rollback := db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := q.InsertTx(ctx, tx, noopArgs{N: 1}); err != nil {
			return err
		}
		return context.Canceled // roll back
	})
	if rollback != context.Canceled {
		t.Fatalf("rollback: %v", rollback)
	}
	if err := q.Insert(ctx, db, noopArgs{N: 2}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	select {
	case n := <-w.done:
		if n != 2 {
			t.Fatalf("ran job %d, want only the committed job 2", n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the committed job did not run")
	}
	var n int
	if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'noop'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("jobs stored = %d (%v), want only the committed one", n, err)
	}
}
