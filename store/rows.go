package store

import (
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
