package msstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"interviewplanner/store"
)

// TakeSlot gives holder one of a mailbox's n places until until, if one is
// free or its holder's time ran out; it reports whether it did.
func (s *Store) TakeSlot(ctx context.Context, accountID int64, mailbox string, n int, holder string, until time.Time) (bool, error) {
	var ok bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM microsoft_mailbox_slots WHERE account_id = $1 AND mailbox = $2`, accountID, mailbox).Scan(&have); err != nil {
			return err
		}
		for i := have; i < n; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO microsoft_mailbox_slots (account_id, mailbox, slot) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, accountID, mailbox, i); err != nil {
				return err
			}
		}
		// The free-or-expired test is repeated in the UPDATE: on PostgreSQL
		// a racing taker waits for the row and then finds it held.
		now := store.MS(tx.Now)
		var err error
		ok, err = store.OneRowChanged(tx.ExecContext(ctx, `UPDATE microsoft_mailbox_slots SET holder = $1, held_until = $2
			WHERE account_id = $3 AND mailbox = $4 AND (holder = '' OR held_until < $5) AND slot = (
				SELECT slot FROM microsoft_mailbox_slots WHERE account_id = $3 AND mailbox = $4 AND slot < $6 AND (holder = '' OR held_until < $5) ORDER BY slot LIMIT 1)`,
			holder, store.MS(until), accountID, mailbox, now, n))
		return err
	})
	return ok, err
}

// RenewSlot moves a held place's end; it reports whether holder still has it.
func (s *Store) RenewSlot(ctx context.Context, accountID int64, mailbox, holder string, until time.Time) (bool, error) {
	var ok bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		ok, err = store.OneRowChanged(tx.ExecContext(ctx, `UPDATE microsoft_mailbox_slots SET held_until = $1 WHERE account_id = $2 AND mailbox = $3 AND holder = $4`,
			store.MS(until), accountID, mailbox, holder))
		return err
	})
	return ok, err
}

// ReleaseSlot gives a place back.
func (s *Store) ReleaseSlot(ctx context.Context, accountID int64, mailbox, holder string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE microsoft_mailbox_slots SET holder = '', held_until = 0 WHERE account_id = $1 AND mailbox = $2 AND holder = $3`,
			accountID, mailbox, holder)
		return err
	})
}

// GetMailboxID returns the directory id of the user with address addr (mail
// or userPrincipalName), "" when the directory has none: one mailbox has
// one name for its shared places, however a request addresses it.
func (s *Store) GetMailboxID(ctx context.Context, accountID int64, addr string) (string, error) {
	var id string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT graph_id FROM microsoft_users WHERE account_id = $1 AND (LOWER(mail) = LOWER($2) OR LOWER(upn) = LOWER($2)) ORDER BY graph_id LIMIT 1`,
		accountID, addr).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return id, nil
}
