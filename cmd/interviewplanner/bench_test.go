package main

import (
	"bytes"
	"database/sql"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"interviewplanner/store/storetest"
)

// TestBenchPagesRefusesASizeBeyondMemory: a seed that could not fit is
// refused up front, saying why, before any database is made.
func TestBenchPagesRefusesASizeBeyondMemory(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"bench", "pages", "--candidates", "2000000000"}, env(nil), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "of memory is available; choose a smaller size") {
		t.Fatalf("a 2,000,000,000-candidate seed: %v, want a refusal naming the memory", err)
	}
	if out.Len() != 0 {
		t.Errorf("the refused benchmark printed figures: %q", out.String())
	}
}

// TestBenchLeavesTheTargetDatabaseAlone runs the page benchmark against a
// PostgreSQL database that already holds the product's tables and one of
// its own: the benchmark works in a schema it creates and drops, so every
// table it finds is as it was and no schema of its own is left behind.
func TestBenchLeavesTheTargetDatabaseAlone(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("PostgreSQL only: on SQLite the benchmark uses a temporary directory of its own")
	}
	if testing.Short() {
		t.Skip("starts the server and seeds an account")
	}
	target := storetest.MigratedURL(t)
	db, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	if _, err := db.ExecContext(ctx, `CREATE TABLE candidates_kept (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO candidates_kept VALUES (1, 'Kept');
		INSERT INTO accounts (name, created_at) VALUES ('Existing customer', 0)`); err != nil {
		t.Fatal(err)
	}
	census := func() string {
		var s string
		if err := db.QueryRowContext(ctx, `SELECT (SELECT string_agg(name, ',' ORDER BY id) FROM accounts) || ' | ' ||
			(SELECT COUNT(*) FROM users) || ' users | ' || (SELECT COUNT(*) FROM candidates) || ' candidates | ' ||
			(SELECT string_agg(id || ' ' || name, ',') FROM candidates_kept) || ' | schemas ' ||
			(SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema')`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := census()
	var out, errOut bytes.Buffer
	args := []string{"bench", "pages", "--db", "postgres", "--n", "5", "--candidates", "300", "--interviewers", "10", "--schedules", "60",
		"--interviews", "140", "--meetings", "20", "--calendar-events", "5"}
	if err := run(ctx, args, env(map[string]string{"TEST_DATABASE_URL": target}), &out, &errOut); err != nil {
		t.Fatalf("bench pages: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "PostgreSQL — 300 candidates") || !strings.Contains(out.String(), "My interviews") {
		t.Fatalf("the benchmark printed no figures:\n%s", out.String())
	}
	if after := census(); after != before {
		t.Errorf("the target database changed:\nbefore %s\nafter  %s", before, after)
	}
}
