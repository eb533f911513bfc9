package store_test

import (
	"fmt"
	"testing"

	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

// InsertRows writes more rows than one statement holds, every value in its
// column, on either database (SQLite gets "?" parameters, PostgreSQL "$N").
func TestInsertRows(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	const n = 250
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{int64(i), fmt.Sprintf("row %d", i), i%2 == 0}
	}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE insert_rows_probe (n BIGINT NOT NULL, label TEXT NOT NULL, even BOOLEAN NOT NULL)`); err != nil {
			return err
		}
		if err := store.InsertRows(ctx, tx, `INSERT INTO insert_rows_probe (n, label, even) VALUES `, rows); err != nil {
			return err
		}
		return store.InsertRows(ctx, tx, `INSERT INTO insert_rows_probe (n, label, even) VALUES `, nil)
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
		if k != int64(i) || label != fmt.Sprintf("row %d", i) || even != (i%2 == 0) {
			t.Fatalf("row %d: %d %q %v", i, k, label, even)
		}
	}
	if i != n {
		t.Fatalf("%d rows, want %d", i, n)
	}
}
