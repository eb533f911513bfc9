// Package store keeps InterviewPlanner's data in SQLite (the default, pure
// Go, no cgo) or PostgreSQL (production). Both run the same SQL: portable
// types, `$N` placeholders in ascending first use (SQLite reads `$1` as a
// named parameter), instants stored as Unix milliseconds.
//
// Every method takes the account id and every query filters by it, so one
// company can never read or change another's rows.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"               // registers "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"interviewplanner/domain"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the application's database: one writer and a pool of readers.
// On SQLite the writer is a single connection whose transactions begin
// IMMEDIATE, because a deferred read-then-write transaction fails at once
// with "database is locked" whatever the busy timeout.
type DB struct {
	Dialect Dialect
	w       *sql.DB
	r       *sql.DB
	log     *slog.Logger
	path    string // SQLite file

	// Now is the clock; tests replace it.
	Now func() time.Time
}

// SQLiteFile is the SQLite database's name in the data folder.
const SQLiteFile = "interviewplanner.db"

// Open connects to databaseURL: a postgres:// URL, or empty for SQLite at
// dataDir/interviewplanner.db (created if missing). A sqlite:PATH URL names
// another SQLite file.
func Open(ctx context.Context, databaseURL, dataDir string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{log: log, Now: time.Now}
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		db.Dialect = Postgres
		pool, err := sql.Open("pgx", databaseURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(10)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.w, db.r = pool, pool
	case databaseURL == "" || strings.HasPrefix(databaseURL, "sqlite:"):
		db.Dialect = SQLite
		path := strings.TrimPrefix(databaseURL, "sqlite:")
		if path == "" {
			if dataDir == "" {
				dataDir = "data"
			}
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			path = filepath.Join(dataDir, SQLiteFile)
		}
		db.path = path
		var err error
		if db.w, err = sql.Open("sqlite", sqliteDSN(path, false)); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(1) // one writer: SQLite serialises writes anyway
		db.w.SetConnMaxIdleTime(0)
		if db.r, err = sql.Open("sqlite", sqliteDSN(path, true)); err != nil {
			db.w.Close()
			return nil, err
		}
		db.r.SetMaxOpenConns(4)
		db.r.SetMaxIdleConns(readersIdle)
		// Each reader is renewed now and then, so it plans with the
		// statistics the periodic optimize keeps current.
		db.r.SetConnMaxLifetime(15 * time.Minute)
	default:
		return nil, fmt.Errorf("DATABASE_URL must start with postgres:// or sqlite: (got scheme %q)", scheme(databaseURL))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := db.w.PingContext(pctx)
	// Switching a new SQLite file to WAL can answer "busy" without waiting
	// when another process opens it at the same moment: try again briefly.
	for i := 0; err != nil && db.Dialect == SQLite && isSQLiteBusy(err) && i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		err = db.w.PingContext(pctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database does not answer: %s", redactURL(err.Error(), databaseURL))
	}
	return db, nil
}

// readersIdle is how many idle SQLite readers are kept open.
const readersIdle = 4

// sqliteDSN sets the pragmas in the DSN so that every pooled connection gets
// them, not just the first one.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// Checkpoints every 40 MB of log rather than 4 MB: a page rewritten
		// by many transactions (a job table's, a busy index's) is copied
		// into the file once rather than each time; a first calendar sync of
		// 2,000 people spent three times the CPU in checkpoints otherwise.
		q.Add("_pragma", "wal_autocheckpoint(10000)")
	}
	return "file:" + path + "?" + q.Encode()
}

func scheme(u string) string {
	if i := strings.Index(u, ":"); i > 0 {
		return u[:i]
	}
	return ""
}

// redactURL keeps a password in DATABASE_URL out of error messages.
func redactURL(msg, raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

// Close closes all connections.
func (db *DB) Close() error {
	var err error
	if db.w != nil {
		err = db.w.Close()
	}
	if db.r != nil && db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping reports whether the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Writer is the connection pool that takes writes; the job queue shares it
// so jobs are enqueued in the same transaction as the data they belong to.
func (db *DB) Writer() *sql.DB { return db.w }

// Reader is the pool for read-only queries.
func (db *DB) Reader() *sql.DB { return db.r }

// Tx is a write transaction with the instant it started, so every row it
// writes carries the same time.
type Tx struct {
	*sql.Tx
	db   *DB
	conn *sql.Conn // the connection the transaction runs on (for COPY)
	Now  time.Time
}

// DB returns the database the transaction belongs to.
func (tx *Tx) DB() *DB { return tx.db }

// WriteTx runs fn in a write transaction, committing when fn returns nil.
// Never call the network from fn: the SQLite writer is held meanwhile.
func (db *DB) WriteTx(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return db.wrap(err)
	}
	defer conn.Close()
	sqltx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.wrap(err)
	}
	// Rolled back on any way out but the commit (a panic too): the
	// connection goes back to the pool only once its transaction ended.
	defer func() { _ = sqltx.Rollback() }()
	tx := &Tx{Tx: sqltx, db: db, conn: conn, Now: db.Now().UTC()}
	if err := fn(tx); err != nil {
		return err
	}
	return db.wrap(sqltx.Commit())
}

// NoCommitWait lets the transaction's commit return before PostgreSQL has
// flushed it to disk (SQLite's WAL at synchronous NORMAL already does).
// Only for rows that are a copy of something read elsewhere and read again
// should they be lost — a calendar's busy time, written by a job: a crash
// can lose the last fraction of a second of such commits, but then also
// the job's completion, a later commit that waits for the flush, so the
// job runs again. A company's first calendar sync otherwise spent most of
// its database time waiting for flushes.
func (tx *Tx) NoCommitWait(ctx context.Context) error {
	if tx.db.Dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`)
	return err
}

// WriteCopyTx is WriteTx whose commit does not wait for the flush (see
// NoCommitWait): for rows whose loss in a crash costs only a read again,
// like a copy of something read elsewhere.
func (db *DB) WriteCopyTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		if err := tx.NoCommitWait(ctx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// ForUpdate is the row-lock clause for a SELECT inside WriteTx. SQLite
// needs none: BEGIN IMMEDIATE already holds the database's write lock.
func (db *DB) ForUpdate() string {
	if db.Dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// wrap turns driver errors callers can act on into domain errors.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Wrap(err, domain.ENOTFOUND, "Not found.")
	}
	if IsUniqueViolation(err) {
		return domain.Wrap(err, domain.ECONFLICT, "That already exists.")
	}
	return err
}

// isSQLiteBusy reports whether SQLite answered "busy" (any extended code).
func isSQLiteBusy(err error) bool {
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code()&0xff == sqlite3.SQLITE_BUSY
}

// pgUniqueViolation is PostgreSQL's SQLSTATE for a UNIQUE or primary key
// constraint failure.
const pgUniqueViolation = "23505"

// IsUniqueViolation reports whether err comes from a UNIQUE or primary key
// constraint, on either database, by the driver's error code.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == pgUniqueViolation
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// ms converts an instant to the stored form.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts the stored form back, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullMS stores an optional instant.
func nullMS(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(*t), Valid: true}
}

// fromNullMS reads an optional instant.
func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// MS and FromMS let adapters in other packages share the stored time form.
func MS(t time.Time) int64                  { return ms(t) }
func FromMS(v int64) time.Time              { return fromMS(v) }
func NullMS(t *time.Time) any               { return nullMS(t) }
func FromNullMS(v sql.NullInt64) *time.Time { return fromNullMS(v) }
