package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Sign-in throttling: after a few failures for one address, each further
// attempt must wait, doubling up to a cap. Stored in the database so every
// instance behind the load balancer agrees.
const (
	freeFailures   = 5
	failureWindow  = 15 * time.Minute
	maxSignInDelay = 15 * time.Minute
)

// SignInWait returns how long the address must wait before its next attempt.
func (db *DB) SignInWait(ctx context.Context, email string) (time.Duration, error) {
	var failures int
	var last int64
	err := db.r.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM sign_in_failures WHERE email = $1`, email).Scan(&failures, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return signInDelay(failures, fromMS(last), db.Now()), nil
}

func signInDelay(failures int, last, now time.Time) time.Duration {
	if failures < freeFailures || now.Sub(last) > failureWindow+maxSignInDelay {
		return 0
	}
	delay := time.Second << min(failures-freeFailures, 10)
	delay = min(delay, maxSignInDelay)
	if wait := last.Add(delay).Sub(now); wait > 0 {
		return wait
	}
	return 0
}

// RecordSignInFailure counts a failed attempt for the address.
func (db *DB) RecordSignInFailure(ctx context.Context, email string) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		// Failures older than the window start the count again.
		_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_failures (email, failures, last_failure_at) VALUES ($1, 1, $2)
			ON CONFLICT (email) DO UPDATE SET
			failures = CASE WHEN sign_in_failures.last_failure_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
			last_failure_at = $2`, email, ms(tx.Now), ms(tx.Now.Add(-failureWindow-maxSignInDelay)))
		return err
	})
}

// ClearSignInFailures forgets the failures after a successful sign-in.
func (db *DB) ClearSignInFailures(ctx context.Context, email string) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE email = $1`, email)
		return err
	})
}
