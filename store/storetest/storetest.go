// Package storetest opens a fresh, migrated database for a test: SQLite in
// a temporary directory (a copy of one migrated once per test binary), or — when TEST_DATABASE_URL is set — a schema of
// its own on that PostgreSQL server, so parallel packages never collide.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"interviewplanner/store"
)

// URL returns a database URL for one test, creating an isolated PostgreSQL
// schema when TEST_DATABASE_URL is set (dropped at cleanup), else "" which
// means SQLite in a data directory.
func URL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return ""
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
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
	url, dir = URL(tb), tb.TempDir()
	if url == "" {
		copySQLiteTemplate(tb, dir)
	}
	db, err := store.Open(context.Background(), url, dir, nil)
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
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

// sqliteTemplate is a migrated SQLite database file, made once per test
// binary: a test's database starts as a copy of it instead of running
// every migration again (most of what opening a test database cost).
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "storetest")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, "", dir, nil)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Everything into the main file: a copy of it is the whole database.
	if _, err := db.Writer().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
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
