// Package storetest opens a fresh, migrated database for a test: SQLite in
// a temporary directory, or — when TEST_DATABASE_URL is set — a database of
// its own on that PostgreSQL server, so parallel tests and packages never
// collide. Either starts as a copy of one migrated once per test binary
// (store and job queue): copying is a fraction of the cost of running every
// migration again, which was most of what a test database cost.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/queue"
	"interviewplanner/store"
)

// URL returns a database URL for a test that runs the migrations itself:
// an empty PostgreSQL schema of its own when TEST_DATABASE_URL is set
// (dropped at cleanup), else "" which means SQLite in a data directory.
func URL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return ""
	}
	schema := "t_" + randomHex(6)
	admin := mustAdmin(tb)
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MigratedURL returns the URL of a migrated database for one test: on
// PostgreSQL a database of its own, a copy of the migrated template
// (dropped at cleanup); "" on SQLite, where DataDir holds the copy.
func MigratedURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return ""
	}
	tpl, err := pgTemplate()
	if err != nil {
		tb.Fatalf("storetest: template database: %v", err)
	}
	name := databaseName()
	admin := mustAdmin(tb)
	if _, err := admin.ExecContext(context.Background(), `CREATE DATABASE `+name+` TEMPLATE `+tpl); err != nil {
		tb.Fatalf("storetest: create database: %v", err)
	}
	tb.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := withDatabase(base, name)
	if err != nil {
		tb.Fatalf("storetest: TEST_DATABASE_URL: %v", err)
	}
	return u
}

// MustOpen returns a migrated database closed at the end of the test.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, _, _ := MustOpenAt(tb)
	return db
}

// MustOpenAt is MustOpen that also says where the database is (its URL,
// "" for SQLite, and its data folder), for a second process to open it.
func MustOpenAt(tb testing.TB) (db *store.DB, url, dir string) {
	tb.Helper()
	url, dir = MigratedURL(tb), DataDir(tb)
	db, err := store.Open(context.Background(), url, dir, nil)
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	// The copy is migrated already: this finds nothing to do, and proves it.
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("storetest: migrate: %v", err)
	}
	return db, url, dir
}

// DataDir returns a data folder for the application under test: on
// SQLite it holds a migrated database already (the application's own
// migration at start then finds nothing to do).
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		copySQLiteTemplate(tb, dir)
	}
	return dir
}

// migrateAll applies the store's and the job queue's migrations, as the
// application does when it starts.
func migrateAll(ctx context.Context, databaseURL, dir string) error {
	db, err := store.Open(ctx, databaseURL, dir, nil)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	if err := queue.Migrate(ctx, db, nil); err != nil {
		db.Close()
		return err
	}
	if db.Dialect == store.SQLite {
		// Everything into the main file: a copy of it is the whole database.
		if _, err := db.Writer().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			db.Close()
			return err
		}
	}
	return db.Close()
}

// sqliteTemplate is a migrated SQLite database file, made once per test
// binary.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "storetest")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := migrateAll(context.Background(), "", dir); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, store.SQLiteFile))
})

func copySQLiteTemplate(tb testing.TB, dir string) {
	tb.Helper()
	b, err := sqliteTemplate()
	if err != nil {
		tb.Fatalf("storetest: template database: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.SQLiteFile), b, 0o600); err != nil {
		tb.Fatalf("storetest: %v", err)
	}
}

// Test databases on PostgreSQL are named ipt_<unix seconds>_<random>:
// CREATE DATABASE ... TEMPLATE copies the migrated template's files, a
// tenth of the time running the migrations takes. A database a killed
// test binary left behind is dropped by the next one once it is older
// than any test binary runs.
const (
	dbPrefix = "ipt_"
	staleAge = 2 * time.Hour
)

func databaseName() string {
	return fmt.Sprintf("%s%d_%s", dbPrefix, time.Now().Unix(), randomHex(6))
}

// pgTemplate is the name of a migrated PostgreSQL database made once per
// test binary, which no one connects to once made (PostgreSQL copies only
// a database without connections).
var pgTemplate = sync.OnceValues(func() (string, error) {
	ctx := context.Background()
	admin, err := adminDB()
	if err != nil {
		return "", err
	}
	dropStale(ctx, admin)
	name := databaseName()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	u, err := withDatabase(os.Getenv("TEST_DATABASE_URL"), name)
	if err != nil {
		return "", err
	}
	if err := migrateAll(ctx, u, ""); err != nil {
		return "", err
	}
	if _, err := admin.ExecContext(ctx, `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS false`); err != nil {
		return "", err
	}
	return name, nil
})

// dropStale drops the test databases older than staleAge.
func dropStale(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'ipt\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		sec, _, _ := strings.Cut(strings.TrimPrefix(name, dbPrefix), "_")
		if t, err := strconv.ParseInt(sec, 10, 64); err == nil && time.Since(time.Unix(t, 0)) > staleAge {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
}

// adminDB is one pool per test binary on TEST_DATABASE_URL, for creating
// and dropping the tests' schemas and databases.
var adminDB = sync.OnceValues(func() (*sql.DB, error) {
	db, err := sql.Open("pgx", os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(2)
	return db, nil
})

func mustAdmin(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := adminDB()
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	return db
}

// withDatabase returns base naming database name instead.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
