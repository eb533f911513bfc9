package queue_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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

// TestInsertSendsNoNotify: on PostgreSQL the workers poll, so queuing a job
// must not NOTIFY — a NOTIFY makes the commit take PostgreSQL's
// database-wide notification lock. A listener hears the notifications in
// commit order: the marker sent after the insert must come first.
func TestInsertSendsNoNotify(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("PostgreSQL only: SQLite has no NOTIFY")
	}
	u := storetest.URL(t)
	db, err := store.Open(t.Context(), u, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	if err := queue.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	q, err := queue.New(db, nil, nil, queue.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := db.Reader().QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, ch := range []string{schema + ".river_insert", schema + ".marker"} {
		if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{ch}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Insert(ctx, db, noopArgs{N: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().ExecContext(ctx, `SELECT pg_notify($1, '')`, schema+".marker"); err != nil {
		t.Fatal(err)
	}
	n, err := conn.WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Channel != schema+".marker" {
		t.Fatalf("queuing a job sent NOTIFY on %s", n.Channel)
	}
}

type bulkArgs struct {
	N int `json:"n"`
}

func (bulkArgs) Kind() string { return "bulk" }

func (bulkArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: queue.Background} }

// bulkWorker holds each job until release closes, counting how many run
// at once.
type bulkWorker struct {
	river.WorkerDefaults[bulkArgs]
	mu               sync.Mutex
	running, most    int
	started, release chan struct{}
	done             chan int
}

func (w *bulkWorker) Work(ctx context.Context, job *river.Job[bulkArgs]) error {
	w.mu.Lock()
	w.running++
	w.most = max(w.most, w.running)
	w.mu.Unlock()
	w.started <- struct{}{}
	<-w.release
	w.mu.Lock()
	w.running--
	w.mu.Unlock()
	w.done <- job.Args.N
	return nil
}

// TestBackgroundQueueIsBounded: jobs of the background queue run no more
// than BackgroundWorkers at once, and while they take all of theirs, a job
// of the default queue still runs.
func TestBackgroundQueueIsBounded(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	if err := queue.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	bulk := &bulkWorker{started: make(chan struct{}, 3), release: make(chan struct{}), done: make(chan int, 3)}
	other := &noopWorker{done: make(chan int, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, bulk)
	river.AddWorker(workers, other)
	q, err := queue.New(db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond, BackgroundWorkers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Insert(ctx, db, bulkArgs{N: 1}, bulkArgs{N: 2}, bulkArgs{N: 3}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	wait := func(what string, c <-chan struct{}) {
		select {
		case <-c:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: timed out", what)
		}
	}
	wait("first background job", bulk.started)
	if err := q.Insert(ctx, db, noopArgs{N: 7}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-other.done:
	case <-time.After(30 * time.Second):
		t.Fatal("a default job waited for the background queue")
	}
	close(bulk.release)
	for range 3 {
		select {
		case <-bulk.done:
		case <-time.After(30 * time.Second):
			t.Fatal("the background jobs did not all run")
		}
	}
	if bulk.most != 1 {
		t.Fatalf("%d background jobs ran at once, want at most 1", bulk.most)
	}
}
