package store

import (
	"context"
	"strings"

	"interviewplanner/domain"
)

// CreateAccount creates a company. It is the one write that has no account
// yet: it makes the tenant.
func (db *DB) CreateAccount(ctx context.Context, name string) (*domain.Account, error) {
	name, err := domain.CleanName("Company name", name)
	if err != nil {
		return nil, err
	}
	a := &domain.Account{Name: name}
	err = db.WriteTx(ctx, func(tx *Tx) error {
		a.CreatedAt = tx.Now
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (name, created_at) VALUES ($1, $2) RETURNING id`,
			name, ms(tx.Now)).Scan(&a.ID)
	})
	return a, err
}

// GetAccount returns the account with the given id.
func (db *DB) GetAccount(ctx context.Context, id int64) (*domain.Account, error) {
	a := &domain.Account{}
	var created int64
	err := db.r.QueryRowContext(ctx, `SELECT id, name, created_at FROM accounts WHERE id = $1`, id).
		Scan(&a.ID, &a.Name, &created)
	if err != nil {
		return nil, db.wrap(err)
	}
	a.CreatedAt = fromMS(created)
	return a, nil
}

// GetAccountByName returns the account with that exact name; demo seeding
// uses it to run only once.
func (db *DB) GetAccountByName(ctx context.Context, name string) (*domain.Account, error) {
	a := &domain.Account{}
	var created int64
	err := db.r.QueryRowContext(ctx, `SELECT id, name, created_at FROM accounts WHERE name = $1 ORDER BY id LIMIT 1`,
		strings.TrimSpace(name)).Scan(&a.ID, &a.Name, &created)
	if err != nil {
		return nil, db.wrap(err)
	}
	a.CreatedAt = fromMS(created)
	return a, nil
}

// CreateAccountWithAdmin creates a company and its first admin in one
// transaction, so a refused admin leaves no empty company behind.
func (db *DB) CreateAccountWithAdmin(ctx context.Context, name string, admin NewUser) (*domain.Account, *domain.User, error) {
	name, err := domain.CleanName("Company name", name)
	if err != nil {
		return nil, nil, err
	}
	admin.Role = domain.RoleAdmin
	a := &domain.Account{Name: name}
	var u *domain.User
	err = db.WriteTx(ctx, func(tx *Tx) error {
		a.CreatedAt = tx.Now
		if err := tx.QueryRowContext(ctx, `INSERT INTO accounts (name, created_at) VALUES ($1, $2) RETURNING id`, name, ms(tx.Now)).Scan(&a.ID); err != nil {
			return err
		}
		u, err = tx.CreateUser(ctx, a.ID, admin)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return a, u, nil
}
