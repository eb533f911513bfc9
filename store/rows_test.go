package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

// InsertRows writes more rows than one statement holds, every value in its
// column, on either database (SQLite in batches of "?" parameters,
// PostgreSQL in a COPY), inside the transaction: rolled back, nothing stays.
func TestInsertRows(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	const n = 250 // then 2 more
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{int64(i), fmt.Sprintf("row %d", i), i%2 == 0}
	}
	cols := []string{"n", "label", "even"}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE insert_rows_probe (n BIGINT NOT NULL, label TEXT NOT NULL, even BOOLEAN NOT NULL)`); err != nil {
			return err
		}
		if err := store.InsertRows(ctx, tx, "insert_rows_probe", cols, rows); err != nil {
			return err
		}
		if err := store.InsertRows(ctx, tx, "insert_rows_probe", cols, nil); err != nil {
			return err
		}
		// A few rows (one INSERT on either database).
		return store.InsertRows(ctx, tx, "insert_rows_probe", cols, [][]any{{int64(n), "a few", n%2 == 0}, {int64(n + 1), "a few", (n+1)%2 == 0}})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Reader().QueryContext(ctx, `SELECT n, label, even FROM insert_rows_probe ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	i := 0
	for ; got.Next(); i++ {
		var k int64
		var label string
		var even bool
		if err := got.Scan(&k, &label, &even); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("row %d", i)
		if i >= n {
			want = "a few"
		}
		if k != int64(i) || label != want || even != (i%2 == 0) {
			t.Fatalf("row %d: %d %q %v", i, k, label, even)
		}
	}
	if i != n+2 {
		t.Fatalf("%d rows, want %d", i, n+2)
	}
	got.Close()

	// A transaction that fails after the COPY keeps none of its rows.
	err = db.WriteTx(ctx, func(tx *store.Tx) error {
		more := make([][]any, 30) // enough for COPY on PostgreSQL
		for i := range more {
			more[i] = []any{int64(n + 2 + i), "rolled back", true}
		}
		if err := store.InsertRows(ctx, tx, "insert_rows_probe", cols, more); err != nil {
			return err
		}
		return fmt.Errorf("stop")
	})
	if err == nil || err.Error() != "stop" {
		t.Fatalf("rolled back insert: %v", err)
	}
	var count int
	if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM insert_rows_probe`).Scan(&count); err != nil || count != n+2 {
		t.Fatalf("%d rows after the rollback (%v), want %d", count, err, n+2)
	}
}

// A transaction whose function panics is rolled back and gives its
// connection back: the next write does not wait for it (SQLite has one).
func TestWriteTxPanicReleasesTheConnection(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = db.WriteTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE panic_probe (n BIGINT NOT NULL)`); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := db.WriteTx(wctx, func(tx *store.Tx) error {
		var n int
		return tx.QueryRowContext(wctx, `SELECT COUNT(*) FROM panic_probe`).Scan(&n)
	})
	if err == nil {
		t.Fatal("the panicking transaction's table stayed")
	}
	if wctx.Err() != nil {
		t.Fatalf("the next write waited for the panicking one's connection: %v", err)
	}
}

// CollectMap keys every row by what scan returns; no rows is an empty map,
// a failed query its error.
func TestCollectMap(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	scan := func(rows *sql.Rows) (id int64, name string, err error) {
		err = rows.Scan(&id, &name)
		return id, name, err
	}
	rows, err := db.Reader().QueryContext(ctx, `SELECT 1, 'one' UNION ALL SELECT 2, 'two'`)
	got, err := store.CollectMap(rows, err, scan)
	if err != nil || len(got) != 2 || got[1] != "one" || got[2] != "two" {
		t.Fatalf("CollectMap = %v, %v; want 1: one, 2: two", got, err)
	}
	rows, err = db.Reader().QueryContext(ctx, `SELECT 1, 'one' WHERE 1 = 0`)
	got, err = store.CollectMap(rows, err, scan)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no rows: CollectMap = %#v, %v; want an empty map", got, err)
	}
	rows, err = db.Reader().QueryContext(ctx, `SELECT no_such_column FROM no_such_table`)
	if _, err = store.CollectMap(rows, err, scan); err == nil {
		t.Fatal("a failed query: CollectMap returned no error")
	}
}
