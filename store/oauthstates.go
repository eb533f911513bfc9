package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// OAuthState is a provider connect in flight: who started it, in which
// session, with which PKCE verifier, until when.
type OAuthState struct {
	AccountID    int64
	UserID       int64
	SessionHash  string
	CodeVerifier string
	ExpiresAt    time.Time
}

// Why a state was refused.
var (
	ErrStateUnknown = errors.New("unknown state")
	ErrStateUsed    = errors.New("state already used")
	ErrStateExpired = errors.New("state expired")
	ErrStateForeign = errors.New("state of another session")
)

// OAuthStates is one provider's table of connects in flight (columns
// state_hash, account_id, user_id, session_hash, code_verifier,
// created_at, expires_at, used_at); only the hash of a state is stored.
type OAuthStates struct {
	DB    *DB
	Table string
}

// NewState returns a fresh state value to send to a provider and its
// hash, the form that is stored (a copy of the table finishes no one's
// connect).
func NewState() (state, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	state = base64.RawURLEncoding.EncodeToString(b)
	return state, HashState(state), nil
}

// HashState is the stored form of a state value.
func HashState(state string) string {
	h := sha256.Sum256([]byte(state))
	return hex.EncodeToString(h[:])
}

// Begin records a new connect in flight and returns the state value to
// send to the provider.
func (o OAuthStates) Begin(ctx context.Context, st OAuthState) (string, error) {
	state, hash, err := NewState()
	if err != nil {
		return "", err
	}
	return state, o.Create(ctx, hash, st)
}

// Finish consumes the state value the provider sent back (see Consume).
func (o OAuthStates) Finish(ctx context.Context, accountID int64, state, sessionHash string) (OAuthState, error) {
	return o.Consume(ctx, accountID, HashState(state), sessionHash)
}

// Create records the hash of a new state value, clearing the account's
// states that expired a day ago (useless after they expire).
func (o OAuthStates) Create(ctx context.Context, stateHash string, st OAuthState) error {
	return o.DB.WriteTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+o.Table+` WHERE account_id = $1 AND expires_at < $2`,
			st.AccountID, MS(tx.Now.Add(-24*time.Hour))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO `+o.Table+` (state_hash, account_id, user_id, session_hash, code_verifier, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, stateHash, st.AccountID, st.UserID, st.SessionHash, st.CodeVerifier,
			MS(tx.Now), MS(st.ExpiresAt))
		return err
	})
}

// Consume marks the state used, once, if it belongs to this account and
// session and has not expired. A refused state stays as it was, except
// that a used or expired one stays refused.
func (o OAuthStates) Consume(ctx context.Context, accountID int64, stateHash, sessionHash string) (OAuthState, error) {
	var st OAuthState
	err := o.DB.WriteTx(ctx, func(tx *Tx) error {
		var used sql.NullInt64
		var exp int64
		err := tx.QueryRowContext(ctx, `SELECT account_id, user_id, session_hash, code_verifier, expires_at, used_at
			FROM `+o.Table+` WHERE state_hash = $1 AND account_id = $2`+tx.DB().ForUpdate(), stateHash, accountID).
			Scan(&st.AccountID, &st.UserID, &st.SessionHash, &st.CodeVerifier, &exp, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrStateUnknown
		}
		if err != nil {
			return err
		}
		st.ExpiresAt = FromMS(exp)
		switch {
		case st.SessionHash != sessionHash:
			return ErrStateForeign
		case used.Valid:
			return ErrStateUsed
		case !tx.Now.Before(st.ExpiresAt):
			return ErrStateExpired
		}
		_, err = tx.ExecContext(ctx, `UPDATE `+o.Table+` SET used_at = $1 WHERE state_hash = $2 AND account_id = $3`,
			MS(tx.Now), stateHash, accountID)
		return err
	})
	return st, err
}
