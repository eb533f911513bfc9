package msstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// GetResponsesDelta is where the scheduling mailbox's delta stands: its
// mailbox, link and window (Calendar's fields; SourceID unused).
func (s *Store) GetResponsesDelta(ctx context.Context, accountID int64) (*Calendar, error) {
	c := &Calendar{AccountID: accountID}
	var from, to int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT responses_mailbox, responses_delta_link, responses_from, responses_to FROM microsoft_connections WHERE account_id = $1`,
		accountID).Scan(&c.Mailbox, &c.DeltaLink, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Microsoft 365 is not connected.")
	}
	c.From, c.To = store.FromMS(from), store.FromMS(to)
	return c, err
}

// UpdateResponsesDelta stores where the scheduling mailbox's delta stands.
func (s *Store) UpdateResponsesDelta(ctx context.Context, c Calendar) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET responses_mailbox = $1, responses_delta_link = $2, responses_from = $3, responses_to = $4
			WHERE account_id = $5`, c.Mailbox, c.DeltaLink, store.MS(c.From), store.MS(c.To), c.AccountID)
		return err
	})
}

// GetInterviewOfEvent returns the interview (schedule item id) whose event
// the scheduling mailbox holds as eventID, iCalUID or transactionID; 0
// when the event is not one of an interview's (the candidate's, or not
// ours). The transaction id is stored before the event is created, so an
// answer read before the creation's reply was recorded is still matched.
func (s *Store) GetInterviewOfEvent(ctx context.Context, accountID int64, eventID, iCalUID, transactionID string) (int64, error) {
	var key string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT event_key FROM microsoft_schedule_events
		WHERE account_id = $1 AND ((event_id = $2 AND event_id <> '') OR (ical_uid = $3 AND ical_uid <> '') OR (transaction_id = $4 AND transaction_id <> ''))
		ORDER BY event_key LIMIT 1`, accountID, eventID, iCalUID, transactionID).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	id, ok := strings.CutPrefix(key, "item:")
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, nil
	}
	return n, nil
}
