// Package hiringstore keeps jobs, stages, interviewers' profiles,
// candidates, rooms, schedules and their video meetings. Every query is
// scoped by account id, so one company never sees another's rows.
package hiringstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Store is the hiring data on a database.
type Store struct {
	DB *store.DB
}

// New returns a store over db.
func New(db *store.DB) *Store { return &Store{DB: db} }

var errNotFound = domain.Errorf(domain.ENOTFOUND, "Not found.")

// notFound maps sql.ErrNoRows to the domain's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "%s not found.", what)
	}
	return err
}

// placeholders returns "$n, $n+1, ..." for count values starting at n.
func placeholders(n, count int) string {
	parts := make([]string, count)
	for i := range parts {
		parts[i] = fmt.Sprintf("$%d", n+i)
	}
	return strings.Join(parts, ", ")
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
