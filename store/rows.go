package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// CollectRows reads every row of a query through scan and closes rows.
// err is the query's own error, so a caller passes QueryContext's two
// results straight in.
func CollectRows[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ScanIDs reads a query whose one column is an id.
func ScanIDs(rows *sql.Rows, err error) ([]int64, error) {
	return CollectRows(rows, err, func(rows *sql.Rows) (id int64, err error) {
		err = rows.Scan(&id)
		return id, err
	})
}

// Placeholders is "$n, $n+1, …" for count values (a multi-row VALUES or an
// IN list).
func Placeholders(n, count int) string {
	parts := make([]string, count)
	for i := range parts {
		parts[i] = fmt.Sprintf("$%d", n+i)
	}
	return strings.Join(parts, ", ")
}

// insertBatch is how many rows one INSERT of InsertRows writes: one
// statement per row was most of a calendar sync's cost.
const insertBatch = 100

// InsertRows writes rows (each its columns' values, in order) with one
// multi-row INSERT per batch; insert is "INSERT INTO t (a, b, …) VALUES ".
// SQLite gets anonymous "?" parameters: it looks "$N" names up one by one
// in a list, when parsing and again when binding, so a thousand of them
// cost more than the rows.
func InsertRows(ctx context.Context, tx *Tx, insert string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), insertBatch)
		var q strings.Builder
		q.WriteString(insert)
		var args []any
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			if tx.db.Dialect == SQLite {
				q.WriteString("(" + strings.Repeat("?, ", len(r)-1) + "?)")
			} else {
				q.WriteString("(" + Placeholders(len(args)+1, len(r)) + ")")
			}
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
