// Package outboxstore keeps the emails that were not delivered because no
// SMTP server is configured, per company, so admins can read them (and
// download their invitations) on the Outbox page. Every query is scoped by
// account id.
package outboxstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Attachment is a file of an email, e.g. an invitation's invite.ics.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Email is one kept email.
type Email struct {
	ID, AccountID int64
	CreatedAt     time.Time
	To            []string
	Subject, Text string
	Attachments   []Attachment
}

// Store reads and writes kept emails.
type Store struct{ DB *store.DB }

// New returns a store over db.
func New(db *store.DB) *Store { return &Store{DB: db} }

// CreateEmail keeps an email for accountID.
func (s *Store) CreateEmail(ctx context.Context, accountID int64, e Email) (int64, error) {
	atts, err := json.Marshal(nonNil(e.Attachments))
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO outbox_emails (account_id, created_at, recipients, subject, body, attachments)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, accountID, store.MS(tx.Now), strings.Join(e.To, ", "), e.Subject, e.Text, string(atts)).Scan(&id)
	})
	return id, err
}

// ListEmails returns an account's kept emails, newest first, at most
// limit, with their attachments' names but not their data.
func (s *Store) ListEmails(ctx context.Context, accountID int64, limit int) ([]*Email, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, account_id, created_at, recipients, subject, '', attachments FROM outbox_emails
		WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, accountID, limit)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (*Email, error) {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		for i := range e.Attachments {
			e.Attachments[i].Data = nil
		}
		return e, nil
	})
}

// GetEmail returns one kept email of the account.
func (s *Store) GetEmail(ctx context.Context, accountID, id int64) (*Email, error) {
	e, err := scan(s.DB.Reader().QueryRowContext(ctx, `SELECT id, account_id, created_at, recipients, subject, body, attachments FROM outbox_emails
		WHERE account_id = $1 AND id = $2`, accountID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Email not found.")
	}
	return e, err
}

type scanner interface{ Scan(...any) error }

func scan(row scanner) (*Email, error) {
	var e Email
	var at int64
	var to, atts string
	if err := row.Scan(&e.ID, &e.AccountID, &at, &to, &e.Subject, &e.Text, &atts); err != nil {
		return nil, err
	}
	e.CreatedAt = store.FromMS(at)
	if to != "" {
		e.To = strings.Split(to, ", ")
	}
	if err := json.Unmarshal([]byte(atts), &e.Attachments); err != nil {
		return nil, err
	}
	return &e, nil
}

func nonNil(a []Attachment) []Attachment {
	if a == nil {
		return []Attachment{}
	}
	return a
}
