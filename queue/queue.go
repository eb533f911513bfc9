// Package queue is the durable job queue: River over the application's
// database (SQLite or PostgreSQL). Jobs are inserted in the same
// transaction as the change they belong to, so a committed change always
// has its work queued and a rolled-back one never does.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"interviewplanner/store"
)

// Config tunes the queue; zero values take the defaults.
type Config struct {
	MaxWorkers int // concurrent jobs per process (default 10)
	// BackgroundWorkers bounds the jobs of the Background queue running at
	// once in this process (default 4), beside MaxWorkers.
	BackgroundWorkers int
	PollInterval      time.Duration // how often idle workers look for jobs (default 250ms)
	JobTimeout        time.Duration // a job running longer is cancelled (default 2m)
	// RescueAfter: a job still "running" this long after it started (its
	// process died) is retried by River's rescuer. Must exceed JobTimeout
	// (default JobTimeout+1m).
	RescueAfter time.Duration
	RetryBase   time.Duration // first retry delay, doubling (default 2s)
	RetryMax    time.Duration // longest retry delay (default 5m)
	// Periodic jobs run on the elected leader only.
	Periodic []*river.PeriodicJob
}

// Background is the queue of bulk work that may arrive by the thousand
// at once — a company connected a minute ago has every interviewer's
// calendar to read. Its jobs get their own few workers, so they never take
// every worker, database connection and core from the work someone is
// waiting for (a confirm's meetings, a pushed change, the pages).
const Background = "background"

// Queue is the job queue of one process.
type Queue struct {
	Client *river.Client[*sql.Tx]
}

func driver(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect == store.Postgres {
		return pollOnly{riverdatabasesql.New(db.Writer())}
	}
	return riversqlite.New(db.Writer())
}

// pollOnly is River's database/sql driver without NOTIFY. That driver has
// no listener, so workers find new jobs by polling; yet each insert still
// sent a NOTIFY, which nobody heard and which makes PostgreSQL take its
// database-wide notification lock at commit and hold it through the
// commit's WAL flush: every transaction that queued a job — a confirm, a
// meeting's progress — waited for any other such commit in the database.
type pollOnly struct {
	*riverdatabasesql.Driver
}

func (pollOnly) SupportsListenNotify() bool { return false }
func (pollOnly) SupportsListener() bool     { return false }

// Migrate applies River's own migrations (idempotent; safe at every start).
func Migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(driver(db), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// quiet keeps River's routine chatter out of the logs.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= l.min && l.Handler.Enabled(ctx, lv)
}
func (l levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(a), l.min}
}
func (l levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(n), l.min}
}

// New builds a queue whose workers are registered on workers. Insert-only
// callers pass nil workers.
func New(db *store.DB, log *slog.Logger, workers *river.Workers, cfg Config) (*Queue, error) {
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 10
	}
	if cfg.BackgroundWorkers <= 0 {
		cfg.BackgroundWorkers = 4
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 2 * time.Minute
	}
	if cfg.RescueAfter == 0 {
		cfg.RescueAfter = cfg.JobTimeout + time.Minute
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		// A job rescued while its first run is still going would run twice.
		return nil, fmt.Errorf("job queue: rescue delay %s must be longer than the job timeout %s", cfg.RescueAfter, cfg.JobTimeout)
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 2 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 5 * time.Minute
	}
	rc := &river.Config{
		Logger:               quiet(log),
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        cfg.PollInterval / 4,
		RetryPolicy:          &backoff{base: cfg.RetryBase, max: cfg.RetryMax},
		PeriodicJobs:         cfg.Periodic,
		// Finished jobs are only history; frequent sweeps would pile up.
		CompletedJobRetentionPeriod: time.Hour,
	}
	if workers != nil {
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}, Background: {MaxWorkers: cfg.BackgroundWorkers}}
	}
	client, err := river.NewClient(driver(db), rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{Client: client}, nil
}

// Start begins working jobs; Stop waits for running ones to finish. Jobs
// left "running" by a process that died are retried by River's rescuer
// once they have run longer than RescueAfter.
func (q *Queue) Start(ctx context.Context) error { return q.Client.Start(ctx) }

// Stop stops fetching and waits for running jobs (until ctx ends, then
// cancels them; an interrupted job is retried later).
func (q *Queue) Stop(ctx context.Context) error { return q.Client.Stop(ctx) }

// InsertTx queues jobs inside a store transaction.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, args ...river.JobArgs) error {
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	if len(params) == 0 {
		return nil
	}
	_, err := q.Client.InsertManyTx(ctx, tx.Tx, params)
	return err
}

// Insert queues jobs in their own transaction.
func (q *Queue) Insert(ctx context.Context, db *store.DB, args ...river.JobArgs) error {
	return db.WriteTx(ctx, func(tx *store.Tx) error { return q.InsertTx(ctx, tx, args...) })
}

// UniqueWhileQueued makes a job unique by its arguments while one is
// waiting or running, so re-queuing the same work is harmless and two
// workers never run it at once.
var UniqueWhileQueued = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}}

// backoff doubles the delay after each failure, with jitter, up to max.
type backoff struct{ base, max time.Duration }

func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.base
	for i := 1; i < job.Attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	d += time.Duration(rand.Int64N(int64(d)/4 + 1))
	return time.Now().Add(d)
}

// CompleteTx marks a running job completed inside tx, so the work it
// queued in tx and its completion commit together: a job that fans out
// into others never fans out twice.
func CompleteTx[A river.JobArgs](ctx context.Context, tx *store.Tx, job *river.Job[A]) error {
	_, err := river.JobCompleteTx[riverdriver.Driver[*sql.Tx]](ctx, tx.Tx, job)
	return err
}
