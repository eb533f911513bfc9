package hiringstore

import (
	"context"
	"database/sql"

	"interviewplanner/store"
)

// BumpInvitationSequence raises the iCalendar SEQUENCE of every interview
// of a schedule, taken out ones included (they get a CANCEL).
func (s *Store) BumpInvitationSequence(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE schedule_items SET invitation_sequence = invitation_sequence + 1 WHERE account_id = $1 AND schedule_id = $2`,
		accountID, scheduleID)
	return err
}

// ListInvitationSequences returns the SEQUENCE of each interview of a
// schedule by item id.
func (s *Store) ListInvitationSequences(ctx context.Context, accountID, scheduleID int64) (map[int64]int, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, invitation_sequence FROM schedule_items WHERE account_id = $1 AND schedule_id = $2`, accountID, scheduleID)
	return store.CollectMap(rows, err, func(rows *sql.Rows) (id int64, seq int, err error) {
		err = rows.Scan(&id, &seq)
		return id, seq, err
	})
}
