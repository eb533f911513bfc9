package store

import (
	"context"
	"time"

	"interviewplanner/domain"
)

// Session is a signed-in browser. Only a hash of its token is stored, so a
// read of the database cannot be turned into a sign-in.
type Session struct {
	TokenHash string
	AccountID int64
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			s.TokenHash, s.AccountID, s.UserID, ms(tx.Now), ms(s.ExpiresAt))
		return err
	})
}

// GetSessionUser returns the active user behind an unexpired session. The
// lookup is by the token's hash: holding the token is the proof of identity.
func (db *DB) GetSessionUser(ctx context.Context, tokenHash string) (*Session, *domain.User, error) {
	row := db.r.QueryRowContext(ctx, `SELECT s.token_hash, s.account_id, s.user_id, s.created_at, s.expires_at,
		u.id, u.account_id, u.email, u.name, u.role, u.active, u.time_zone, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE`, tokenHash, ms(db.Now()))
	s := &Session{}
	u := &domain.User{}
	var sc, se, uc int64
	var role string
	if err := row.Scan(&s.TokenHash, &s.AccountID, &s.UserID, &sc, &se,
		&u.ID, &u.AccountID, &u.Email, &u.Name, &role, &u.Active, &u.TimeZone, &uc); err != nil {
		return nil, nil, db.wrap(err)
	}
	s.CreatedAt, s.ExpiresAt, u.CreatedAt, u.Role = fromMS(sc), fromMS(se), fromMS(uc), domain.Role(role)
	return s, u, nil
}

// DeleteSession signs a browser out.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return err
	})
}

// DeleteExpiredSessions removes sessions past their expiry, and the
// sign-in devices and failure counts that no longer matter.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := db.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ms(tx.Now))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_devices WHERE expires_at <= $1`, ms(tx.Now)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sign_in_throttle WHERE last_failure_at < $1`, ms(tx.Now.Add(-failureWindow-maxSignInDelay)))
		return err
	})
	return n, err
}
