// Package responsestore keeps what attendees answered to the calendar
// invitations of interviews (accepted, declined, tentative, not yet), as a
// calendar provider reported them. It does not care which provider: Google
// Workspace and Microsoft 365 write the same rows, and the schedule page
// and the coordinator's home page read them. Every query is scoped by
// account.
package responsestore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Response is an attendee's answer.
type Response string

// Answers, the same for every provider.
const (
	Accepted    Response = "accepted"
	Declined    Response = "declined"
	Tentative   Response = "tentative"
	NeedsAction Response = "needs_action"
)

// Parse reads a provider's word for an answer: Google's responseStatus
// (accepted, declined, tentative, needsAction) and Microsoft Graph's
// responseStatus.response (accepted, declined, tentativelyAccepted,
// notResponded, none, organizer). ok is false for words that are not an
// attendee's answer (organizer) or unknown.
func Parse(word string) (Response, bool) {
	switch strings.ToLower(word) {
	case "accepted":
		return Accepted, true
	case "declined":
		return Declined, true
	case "tentative", "tentativelyaccepted":
		return Tentative, true
	case "needsaction", "needs_action", "notresponded", "none", "":
		return NeedsAction, true
	}
	return "", false
}

// Attendee is one attendee's answer to one interview's invitation.
type Attendee struct {
	ItemID int64
	// Email is the address invited (lower case).
	Email string
	// UserID is the InterviewPlanner user with that email in the
	// account, 0 for rooms and outside addresses.
	UserID    int64
	Response  Response
	Provider  string
	UpdatedAt time.Time
}

// Store reads and writes attendee responses.
type Store struct{ DB *store.DB }

// New returns a Store.
func New(db *store.DB) *Store { return &Store{DB: db} }

// Record stores the answers an interview's event carries now, as
// provider reported them: each address's row is written (its time moves
// only when the answer changed) and the provider's rows for addresses no
// longer invited are removed. An interview of another account is
// ENOTFOUND and nothing is written.
func (s *Store) Record(ctx context.Context, accountID, itemID int64, provider string, answers map[string]Response) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var scheduleID int64
		err := tx.QueryRowContext(ctx, `SELECT schedule_id FROM schedule_items WHERE id = $1 AND account_id = $2`, itemID, accountID).Scan(&scheduleID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Interview not found.")
		}
		if err != nil {
			return err
		}
		emails := make([]string, 0, len(answers))
		for e, r := range answers {
			if _, ok := Parse(string(r)); !ok {
				return domain.Errorf(domain.EINVALID, "Unknown attendee response %q.", r)
			}
			emails = append(emails, strings.ToLower(strings.TrimSpace(e)))
		}
		slices.Sort(emails)
		rows, err := tx.QueryContext(ctx, `SELECT email FROM attendee_responses WHERE account_id = $1 AND item_id = $2 AND provider = $3`, accountID, itemID, provider)
		old, err := store.CollectRows(rows, err, func(rows *sql.Rows) (e string, err error) { err = rows.Scan(&e); return e, err })
		if err != nil {
			return err
		}
		for _, e := range old {
			if _, found := slices.BinarySearch(emails, e); !found {
				if _, err := tx.ExecContext(ctx, `DELETE FROM attendee_responses WHERE account_id = $1 AND item_id = $2 AND email = $3`, accountID, itemID, e); err != nil {
					return err
				}
			}
		}
		now := store.MS(tx.Now)
		for e, r := range answers {
			r, _ = Parse(string(r))
			e = strings.ToLower(strings.TrimSpace(e))
			if _, err := tx.ExecContext(ctx, `INSERT INTO attendee_responses (account_id, schedule_id, item_id, email, user_id, response, provider, updated_at)
				VALUES ($1, $2, $3, $4, (SELECT id FROM users WHERE account_id = $1 AND lower(email) = $4), $5, $6, $7)
				ON CONFLICT (account_id, item_id, email) DO UPDATE SET user_id = excluded.user_id, provider = excluded.provider,
				updated_at = CASE WHEN attendee_responses.response = excluded.response THEN attendee_responses.updated_at ELSE excluded.updated_at END,
				response = excluded.response`,
				accountID, scheduleID, itemID, e, string(r), provider, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListBySchedule returns the answers to a schedule's interviews by item.
func (s *Store) ListBySchedule(ctx context.Context, accountID, scheduleID int64) (map[int64][]Attendee, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT item_id, email, COALESCE(user_id, 0), response, provider, updated_at
		FROM attendee_responses WHERE account_id = $1 AND schedule_id = $2 ORDER BY item_id, email`, accountID, scheduleID)
	list, err := store.CollectRows(rows, err, scanAttendee)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Attendee{}
	for _, a := range list {
		out[a.ItemID] = append(out[a.ItemID], a)
	}
	return out, nil
}

func scanAttendee(rows *sql.Rows) (a Attendee, err error) {
	var upd int64
	err = rows.Scan(&a.ItemID, &a.Email, &a.UserID, &a.Response, &a.Provider, &upd)
	a.UpdatedAt = store.FromMS(upd)
	return a, err
}

// Decline is an interviewer who declined an interview still ahead.
type Decline struct {
	ScheduleID, ItemID int64
	Interview          string
	Start              time.Time
	Candidate          string
	UserID             int64
	Name               string // the interviewer's name
	UpdatedAt          time.Time
}

// ListDeclines returns the declines of interviewers still on live
// interviews that end after now, in schedules coordinatorID made (0: every
// schedule of the account), newest first, at most limit.
func (s *Store) ListDeclines(ctx context.Context, accountID, coordinatorID int64, now time.Time, limit int) ([]Decline, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT r.schedule_id, r.item_id, i.name, i.start_at, c.name, u.id, u.name, r.updated_at
		FROM attendee_responses r
		JOIN schedule_items i ON i.id = r.item_id AND i.account_id = r.account_id AND i.active
		JOIN schedules sc ON sc.id = r.schedule_id AND sc.account_id = r.account_id AND sc.status IN ('draft', 'scheduled', 'rescheduled')
		JOIN candidates c ON c.id = sc.candidate_id AND c.account_id = r.account_id
		JOIN users u ON u.id = r.user_id AND u.account_id = r.account_id
		JOIN schedule_item_interviewers si ON si.item_id = r.item_id AND si.user_id = r.user_id AND si.account_id = r.account_id AND si.active
		WHERE r.account_id = $1 AND r.response = $2 AND i.end_at > $3 AND (CAST($4 AS BIGINT) = 0 OR sc.created_by = $4)
		ORDER BY r.updated_at DESC, r.item_id LIMIT $5`, accountID, string(Declined), store.MS(now), coordinatorID, limit)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (d Decline, err error) {
		var start, upd int64
		err = rows.Scan(&d.ScheduleID, &d.ItemID, &d.Interview, &start, &d.Candidate, &d.UserID, &d.Name, &upd)
		d.Start, d.UpdatedAt = store.FromMS(start), store.FromMS(upd)
		return d, err
	})
}
