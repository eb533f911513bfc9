package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
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

// insertBatch is how many rows one INSERT of InsertRows writes on SQLite:
// one statement per row was most of a calendar sync's cost.
const insertBatch = 100

// InsertRows writes rows (each the columns' values, in order) into table.
// PostgreSQL gets them in one COPY, which costs its server a fraction of
// multi-row INSERTs (no parameters to parse and bind per row) — a
// company's first calendar sync writes 600,000 rows. SQLite gets one
// multi-row INSERT per batch with anonymous "?" parameters: it looks "$N"
// names up one by one in a list, when parsing and again when binding, so
// a thousand of them cost more than the rows.
func InsertRows(ctx context.Context, tx *Tx, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.db.Dialect == Postgres {
		return tx.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("insert into %s: not a pgx connection (%T)", table, dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			return err
		})
	}
	insert := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	for len(rows) > 0 {
		n := min(len(rows), insertBatch)
		var q strings.Builder
		q.WriteString(insert)
		var args []any
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + strings.Repeat("?, ", len(r)-1) + "?)")
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
