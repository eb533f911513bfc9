package store

import (
	"context"
	"errors"
	"time"
)

// Sign-in throttling. Every attempt is counted before its password is
// checked, in the same transaction that decides whether it may proceed, so
// a burst of concurrent guesses cannot slip past the count. Failures are
// counted per address and client (a browser that signed in as the address
// before, or else the network address), and per address over all unknown
// clients with a looser ceiling: guessing from elsewhere cannot lock the
// owner out of their own browser. Stored in the database so every instance
// behind a load balancer agrees.
const (
	// ClientFreeFailures is how many failures one client gets for one
	// address before each further attempt must wait, doubling up to a cap.
	ClientFreeFailures = 5
	// AddressFreeFailures is the ceiling over all unknown clients.
	AddressFreeFailures = 50
	failureWindow       = 15 * time.Minute
	maxSignInDelay      = 15 * time.Minute
	// DeviceTTL is how long a browser stays known after a sign-in.
	DeviceTTL = 365 * 24 * time.Hour
)

// SignInClient says who is attempting: a known device's token hash, or the
// network address an unknown client came from.
type SignInClient struct {
	DeviceHash string // set when the browser carries a device cookie for the address
	Addr       string // the client's IP address
}

func (c SignInClient) key() string {
	if c.DeviceHash != "" {
		return "device:" + c.DeviceHash
	}
	return "addr:" + c.Addr
}

// ReserveSignInAttempt counts an attempt for email by client, unless it
// must wait: then it returns how long and counts nothing. Call it before
// checking the password and ClearSignInFailures after a success.
func (db *DB) ReserveSignInAttempt(ctx context.Context, email string, client SignInClient) (time.Duration, error) {
	var wait time.Duration
	keys := []struct {
		client string
		free   int
	}{{client.key(), ClientFreeFailures}}
	// A known device is not held back by guesses from elsewhere.
	if client.DeviceHash == "" {
		keys = append(keys, struct {
			client string
			free   int
		}{"", AddressFreeFailures})
	}
	err := db.WriteTx(ctx, func(tx *Tx) error {
		type row struct {
			failures int
			last     int64
		}
		rows := make([]row, len(keys))
		for i, k := range keys {
			// The insert makes the row exist so that the SELECT can lock it
			// (PostgreSQL); concurrent attempts queue on that lock.
			if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_throttle (email, client, failures, last_failure_at) VALUES ($1, $2, 0, 0)
				ON CONFLICT (email, client) DO NOTHING`, email, k.client); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM sign_in_throttle WHERE email = $1 AND client = $2`+db.ForUpdate(),
				email, k.client).Scan(&rows[i].failures, &rows[i].last); err != nil {
				return err
			}
			wait = max(wait, signInDelay(rows[i].failures, k.free, fromMS(rows[i].last), tx.Now))
		}
		if wait > 0 {
			return errWait
		}
		for i, k := range keys {
			failures := rows[i].failures + 1
			// Failures older than the window start the count again.
			if tx.Now.Sub(fromMS(rows[i].last)) > failureWindow+maxSignInDelay {
				failures = 1
			}
			if _, err := tx.ExecContext(ctx, `UPDATE sign_in_throttle SET failures = $1, last_failure_at = $2 WHERE email = $3 AND client = $4`,
				failures, ms(tx.Now), email, k.client); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errWait) {
		return wait, nil
	}
	return wait, err
}

// errWait rolls back the reservation of an attempt that must wait.
var errWait = errors.New("sign-in must wait")

func signInDelay(failures, free int, last, now time.Time) time.Duration {
	if failures < free || now.Sub(last) > failureWindow+maxSignInDelay {
		return 0
	}
	delay := time.Second << min(failures-free, 10)
	delay = min(delay, maxSignInDelay)
	if wait := last.Add(delay).Sub(now); wait > 0 {
		return wait
	}
	return 0
}

// DeleteSignInFailures forgets the failures of email by client, and those
// over all clients, after a successful sign-in.
func (db *DB) DeleteSignInFailures(ctx context.Context, email string, client SignInClient) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sign_in_throttle WHERE email = $1 AND client IN ($2, '')`, email, client.key())
		return err
	})
}

// CreateSignInDevice remembers a browser that signed in as email.
func (db *DB) CreateSignInDevice(ctx context.Context, email, tokenHash string) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sign_in_devices (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			tokenHash, email, ms(tx.Now), ms(tx.Now.Add(DeviceTTL)))
		return err
	})
}

// IsSignInDevice reports whether tokenHash is a browser that signed in as
// email before.
func (db *DB) IsSignInDevice(ctx context.Context, email, tokenHash string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM sign_in_devices WHERE token_hash = $1 AND email = $2 AND expires_at > $3`,
		tokenHash, email, ms(db.Now())).Scan(&n)
	return n > 0, err
}
