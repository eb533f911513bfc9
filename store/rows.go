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

// CollectMap reads every row of a query through scan into a map by the key
// scan returns, and closes rows; like CollectRows, err is the query's own
// error. The map is empty, not nil, when there are no rows.
func CollectMap[K comparable, V any](rows *sql.Rows, err error, scan func(*sql.Rows) (K, V, error)) (map[K]V, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[K]V{}
	for rows.Next() {
		k, v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out[k] = v
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

// copyRows is how many rows make InsertRows use COPY on PostgreSQL: below
// it, one INSERT is one round trip where COPY takes two (pgx first asks
// for the columns' types).
const copyRows = 20

// InsertRows writes rows (each the columns' values, in order) into table.
// PostgreSQL gets many rows in one COPY, which costs its server a fraction
// of multi-row INSERTs (no parameters to parse and bind per row) — a
// company's first calendar sync writes 600,000 rows — and a few in one
// INSERT. SQLite gets one multi-row INSERT per batch with anonymous "?"
// parameters: it looks "$N" names up one by one in a list, when parsing
// and again when binding, so a thousand of them cost more than the rows.
func InsertRows(ctx context.Context, tx *Tx, table string, columns []string, rows [][]any) error {
	if tx.db.Dialect == Postgres && len(rows) >= copyRows {
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

// OneRowChanged reads an Exec's two results: whether it changed exactly one
// row (a conditional UPDATE that won, an INSERT that was not a conflict).
func OneRowChanged(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
