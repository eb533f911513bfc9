package hiringstore

import (
	"context"
	"database/sql"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// APIToken is a personal API token (only its hash is stored).
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// CreateAPIToken stores the hash of a new token for a user.
func (s *Store) CreateAPIToken(ctx context.Context, accountID, userID int64, name, tokenHash string) (*APIToken, error) {
	name, err := domain.CleanName("Token name", name)
	if err != nil {
		return nil, domain.Invalid(map[string]string{"name": domain.ErrorMessage(err)})
	}
	t := &APIToken{Name: name}
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE account_id = $1 AND user_id = $2`, accountID, userID).Scan(&n); err != nil {
			return err
		}
		if n >= 20 {
			return domain.Errorf(domain.EINVALID, "You have 20 tokens already; delete one first.")
		}
		t.CreatedAt = tx.Now
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (account_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			accountID, userID, name, tokenHash, store.MS(tx.Now)).Scan(&t.ID); err != nil {
			return err
		}
		return tx.CreateAuditEvent(ctx, accountID, &userID, "api_token.created", name)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ListAPITokens lists a user's tokens.
func (s *Store) ListAPITokens(ctx context.Context, accountID, userID int64) ([]APIToken, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, name, created_at, last_used_at FROM api_tokens WHERE account_id = $1 AND user_id = $2 ORDER BY id`, accountID, userID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (t APIToken, err error) {
		var created int64
		var used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &created, &used); err != nil {
			return t, err
		}
		t.CreatedAt = store.FromMS(created)
		if used.Valid {
			u := store.FromMS(used.Int64)
			t.LastUsedAt = &u
		}
		return t, nil
	})
}

// DeleteAPIToken revokes one of the user's tokens.
func (s *Store) DeleteAPIToken(ctx context.Context, accountID, userID, id int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND account_id = $2 AND user_id = $3`, id, accountID, userID)
		if err := mustAffect(res, err, "Token"); err != nil {
			return err
		}
		return tx.CreateAuditEvent(ctx, accountID, &userID, "api_token.deleted", itoa(id))
	})
}

// DeleteAPITokens revokes all of the user's tokens and says how many.
func (s *Store) DeleteAPITokens(ctx context.Context, accountID, userID int64) (int64, error) {
	var n int64
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE account_id = $1 AND user_id = $2`, accountID, userID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.CreateAuditEvent(ctx, accountID, &userID, "api_token.deleted", "all ("+itoa(n)+")")
	})
	return n, err
}

// GetAPITokenUser returns the active user a token hash belongs to.
func (s *Store) GetAPITokenUser(ctx context.Context, tokenHash string) (*domain.User, error) {
	var accountID, userID int64
	if err := s.DB.Reader().QueryRowContext(ctx, `SELECT account_id, user_id FROM api_tokens WHERE token_hash = $1`, tokenHash).Scan(&accountID, &userID); err != nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "The API token is not valid.")
	}
	u, err := s.DB.GetUser(ctx, accountID, userID)
	if err != nil || !u.Active {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "The API token is not valid.")
	}
	return u, nil
}

// CreateAPITokenForEmail creates a token for the active user with email
// (addresses are unique across accounts, as at sign-in); the command line
// uses it.
func (s *Store) CreateAPITokenForEmail(ctx context.Context, email, name, tokenHash string) (*domain.User, error) {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	var accountID, userID int64
	if err := s.DB.Reader().QueryRowContext(ctx, `SELECT account_id, id FROM users WHERE email = $1 AND active = TRUE`, email).Scan(&accountID, &userID); err != nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "No active user has the email %s.", email)
	}
	if _, err := s.CreateAPIToken(ctx, accountID, userID, name, tokenHash); err != nil {
		return nil, err
	}
	return s.DB.GetUser(ctx, accountID, userID)
}
