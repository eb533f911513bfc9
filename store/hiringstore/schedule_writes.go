package hiringstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// The writes of a schedule, each inside the caller's transaction. What to
// write — status, video, which meetings — is the scheduling service's
// decision; these only hold the SQL.

// GetScheduleTx reads a schedule inside tx; with lock its row stays locked
// until tx ends (PostgreSQL; SQLite's writer lock already serialises).
func (s *Store) GetScheduleTx(ctx context.Context, tx *store.Tx, accountID, id int64, lock bool) (*domain.Schedule, error) {
	return s.getSchedule(ctx, tx, accountID, id, lock)
}

// GetScheduleIDByFormToken returns the schedule a confirm with token saved,
// or 0 when none did.
func (s *Store) GetScheduleIDByFormToken(ctx context.Context, tx *store.Tx, accountID int64, token string) (int64, error) {
	var id int64
	err := s.reader(tx).QueryRowContext(ctx, `SELECT id FROM schedules WHERE account_id = $1 AND form_token = $2`, accountID, token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// NewSchedule is a schedule row to insert.
type NewSchedule struct {
	CandidateID, StageID int64
	Video                bool
	MeetingMode          domain.MeetingMode
	FormToken            string // "" gets a random one
	CreatedBy            int64  // 0: no user (API token of a deleted user, tests)
}

// CreateSchedule writes a new scheduled schedule with a fresh itinerary
// link token.
func (s *Store) CreateSchedule(ctx context.Context, tx *store.Tx, accountID int64, n NewSchedule) (int64, error) {
	token := n.FormToken
	if token == "" {
		token = randomToken(16)
	}
	by := sql.NullInt64{Int64: n.CreatedBy, Valid: n.CreatedBy != 0}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO schedules (account_id, candidate_id, stage_id, status, video, meeting_mode, itinerary_token, form_token, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		accountID, n.CandidateID, n.StageID, string(domain.ScheduleScheduled), n.Video, string(n.MeetingMode), randomToken(24), token, by, store.MS(tx.Now)).Scan(&id)
	return id, err
}

// UpdateSchedule sets a schedule's status and video setting.
func (s *Store) UpdateSchedule(ctx context.Context, tx *store.Tx, accountID, id int64, status domain.ScheduleStatus, video bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE schedules SET status = $1, video = $2, updated_at = $3 WHERE id = $4 AND account_id = $5`,
		string(status), video, store.MS(tx.Now), id, accountID)
	return err
}

// UpdateScheduleStatus sets a schedule's status.
func (s *Store) UpdateScheduleStatus(ctx context.Context, tx *store.Tx, accountID, id int64, status domain.ScheduleStatus) error {
	_, err := tx.ExecContext(ctx, `UPDATE schedules SET status = $1, updated_at = $2 WHERE id = $3 AND account_id = $4`,
		string(status), store.MS(tx.Now), id, accountID)
	return err
}

// CreateItem adds an active interview to a schedule with its
// interviewers, and returns its id.
func (s *Store) CreateItem(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, it domain.ScheduleItem) (int64, error) {
	room := sql.NullInt64{Int64: it.RoomID, Valid: it.RoomID != 0}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO schedule_items (account_id, schedule_id, interview_id, name, start_at, end_at, room_id, active)
		VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE) RETURNING id`, accountID, scheduleID, it.InterviewID, it.Name, store.MS(it.Start), store.MS(it.End), room).Scan(&id); err != nil {
		return 0, err
	}
	it.ID = id
	return id, s.insertItemInterviewers(ctx, tx, accountID, it)
}

// UpdateItem changes an interview of a schedule (it.ID), active again,
// and replaces its interviewers.
func (s *Store) UpdateItem(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, it domain.ScheduleItem) error {
	room := sql.NullInt64{Int64: it.RoomID, Valid: it.RoomID != 0}
	if _, err := tx.ExecContext(ctx, `UPDATE schedule_items SET interview_id = $1, name = $2, start_at = $3, end_at = $4, room_id = $5, active = TRUE
		WHERE id = $6 AND account_id = $7 AND schedule_id = $8`, it.InterviewID, it.Name, store.MS(it.Start), store.MS(it.End), room, it.ID, accountID, scheduleID); err != nil {
		return err
	}
	return s.setItemInterviewers(ctx, tx, accountID, it.ID, it)
}

func (s *Store) setItemInterviewers(ctx context.Context, tx *store.Tx, accountID, itemID int64, it domain.ScheduleItem) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM schedule_item_interviewers WHERE account_id = $1 AND item_id = $2`, accountID, itemID); err != nil {
		return err
	}
	it.ID = itemID
	return s.insertItemInterviewers(ctx, tx, accountID, it)
}

// insertItemInterviewers books the interviewers of item it.ID in one
// statement (a confirm's round trips are most of its time).
func (s *Store) insertItemInterviewers(ctx context.Context, tx *store.Tx, accountID int64, it domain.ScheduleItem) error {
	if len(it.Interviewers) == 0 {
		return nil
	}
	rows := make([][]any, len(it.Interviewers))
	for i, u := range it.Interviewers {
		rows[i] = []any{accountID, it.ID, u, store.MS(it.Start), store.MS(it.End), true}
	}
	return store.InsertRows(ctx, tx, "schedule_item_interviewers", []string{"account_id", "item_id", "user_id", "start_at", "end_at", "active"}, rows)
}

// DeleteItem releases one interview's bookings; the row stays for
// the cancellation notices.
func (s *Store) DeleteItem(ctx context.Context, tx *store.Tx, accountID, itemID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE schedule_items SET active = FALSE WHERE id = $1 AND account_id = $2`, itemID, accountID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE schedule_item_interviewers SET active = FALSE WHERE item_id = $1 AND account_id = $2`, itemID, accountID)
	return err
}

// DeleteScheduleItems releases every booking of a schedule.
func (s *Store) DeleteScheduleItems(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE schedule_item_interviewers SET active = FALSE WHERE account_id = $1 AND item_id IN (SELECT id FROM schedule_items WHERE account_id = $1 AND schedule_id = $2)`,
		accountID, scheduleID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE schedule_items SET active = FALSE WHERE account_id = $1 AND schedule_id = $2`, accountID, scheduleID)
	return err
}

// LockPeople takes row locks on the interviewers' profiles and the rooms
// in id order, so two saves booking the same person serialise and the
// second sees the first's bookings (SQLite's writer lock already does).
func (s *Store) LockPeople(ctx context.Context, tx *store.Tx, accountID int64, users, rooms []int64) error {
	if s.DB.Dialect != store.Postgres {
		return nil
	}
	if len(users) > 0 {
		// Everyone's profile row exists (one statement for them all, in id
		// order), then they are locked.
		if _, err := tx.ExecContext(ctx, `INSERT INTO interviewer_profiles (account_id, user_id, time_zone, working_hours, max_per_day, max_per_week, updated_at)
			SELECT account_id, id, time_zone, $1, 0, 0, $2 FROM users WHERE account_id = $3 AND id IN (`+placeholders(4, len(users))+`) ORDER BY id ON CONFLICT (user_id) DO NOTHING`,
			append([]any{defaultHoursJSON(), store.MS(tx.Now), accountID}, int64Args(users)...)...); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT user_id FROM interviewer_profiles WHERE account_id = $1 AND user_id IN (`+placeholders(2, len(users))+`) ORDER BY user_id FOR UPDATE`,
			append([]any{accountID}, int64Args(users)...)...)
		if err != nil {
			return err
		}
		rows.Close()
	}
	if len(rooms) > 0 {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM rooms WHERE account_id = $1 AND id IN (`+placeholders(2, len(rooms))+`) ORDER BY id FOR UPDATE`,
			append([]any{accountID}, int64Args(rooms)...)...)
		if err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

// CheckUsers refuses user ids that are not active users of the account,
// naming field in the error.
func (s *Store) CheckUsers(ctx context.Context, accountID int64, ids []int64, field string) error {
	return s.checkUsers(ctx, s.DB.Reader(), accountID, ids, field)
}

// ListUserContacts returns the names and emails of the account's users ids.
func (s *Store) ListUserContacts(ctx context.Context, accountID int64, ids []int64) (names, emails map[int64]string, err error) {
	names, emails = map[int64]string{}, map[int64]string{}
	if len(ids) == 0 {
		return names, emails, nil
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, name, email FROM users WHERE account_id = $1 AND id IN (`+placeholders(2, len(ids))+`)`,
		append([]any{accountID}, int64Args(ids)...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n, e string
		if err := rows.Scan(&id, &n, &e); err != nil {
			return nil, nil, err
		}
		names[id], emails[id] = n, e
	}
	return names, emails, rows.Err()
}

// MeetingRow is one stored video meeting of a schedule, as the service
// compares it with what the schedule needs.
type MeetingRow struct {
	ID                int64
	ItemID            int64 // 0: the meeting of the whole schedule
	Present           bool  // desired: the provider should hold it
	State             domain.MeetingState
	Start, End        time.Time
	Topic             string
	ProviderMeetingID string
	People            string // the interviewers it was last wanted for
	HostChoice        string
	Retiring          bool // an older meeting under the previous host is still to be deleted
}

// DesiredMeeting is what the provider should hold for a meeting row.
type DesiredMeeting struct {
	Start, End time.Time
	Topic      string
	TimeZone   string
	// People are the interviewers' ids ("3,7"): a change makes the worker
	// look at who hosts.
	People string
	// HostChoice is the Zoom user the coordinator picked; "" by the rule.
	HostChoice string
}

// MeetingRows lists every meeting row of a schedule, present or not.
func (s *Store) ListMeetingRows(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) ([]MeetingRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, item_id, desired, state, start_at, end_at, topic, provider_meeting_id, people, host_choice, retiring_meeting_id <> '' FROM meetings
		WHERE account_id = $1 AND schedule_id = $2 ORDER BY id`, accountID, scheduleID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (r MeetingRow, err error) {
		var item sql.NullInt64
		var desired, state string
		var a, z int64
		if err := rows.Scan(&r.ID, &item, &desired, &state, &a, &z, &r.Topic, &r.ProviderMeetingID, &r.People, &r.HostChoice, &r.Retiring); err != nil {
			return r, err
		}
		r.ItemID, r.Present, r.State = item.Int64, desired == "present", domain.MeetingState(state)
		r.Start, r.End = store.FromMS(a), store.FromMS(z)
		return r, nil
	})
}

// GetMeetingNames returns what meeting topics and times are made of: the
// company's name, the schedule's stage name and the candidate's zone.
func (s *Store) GetMeetingNames(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) (company, stage, timeZone string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT a.name, st.name, c.time_zone FROM schedules sc JOIN accounts a ON a.id = sc.account_id
		JOIN stages st ON st.id = sc.stage_id JOIN candidates c ON c.id = sc.candidate_id WHERE sc.id = $1 AND sc.account_id = $2`,
		scheduleID, accountID).Scan(&company, &stage, &timeZone)
	return company, stage, timeZone, err
}

// newMarker is a fresh marker for a meeting the provider is about to get.
func newMarker() string { return "ipm-" + randomToken(12) }

// CreateMeeting adds a present meeting row in state pending, with a fresh
// marker the provider's meeting will carry.
func (s *Store) CreateMeeting(ctx context.Context, tx *store.Tx, accountID, scheduleID, itemID int64, d DesiredMeeting) (int64, error) {
	item := sql.NullInt64{Int64: itemID, Valid: itemID != 0}
	now := store.MS(tx.Now)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO meetings (account_id, schedule_id, item_id, marker, desired, state, topic, start_at, end_at, time_zone, created_at, updated_at,
		people, host_choice) VALUES ($1, $2, $3, $4, 'present', $5, $6, $7, $8, $9, $10, $10, $11, $12) RETURNING id`,
		accountID, scheduleID, item, newMarker(), string(domain.MeetingPending), d.Topic, store.MS(d.Start), store.MS(d.End), d.TimeZone, now,
		d.People, d.HostChoice).Scan(&id)
	return id, err
}

// WantMeeting marks a meeting row present with new times and topic, in
// state, and bumps its version so the worker syncs it.
func (s *Store) UpdateMeetingWanted(ctx context.Context, tx *store.Tx, accountID, id int64, state domain.MeetingState, d DesiredMeeting) error {
	_, err := tx.ExecContext(ctx, `UPDATE meetings SET desired = 'present', state = $1, start_at = $2, end_at = $3, topic = $4, time_zone = $5,
		version = version + 1, updated_at = $6, people = $7, host_choice = $8,
		host_note = CASE WHEN host_choice = $8 THEN host_note ELSE '' END WHERE id = $9 AND account_id = $10`,
		string(state), store.MS(d.Start), store.MS(d.End), d.Topic, d.TimeZone, store.MS(tx.Now), d.People, d.HostChoice, id, accountID)
	return err
}

// DropMeeting marks a meeting row absent, in state, and bumps its version.
func (s *Store) UpdateMeetingDropped(ctx context.Context, tx *store.Tx, accountID, id int64, state domain.MeetingState) error {
	_, err := tx.ExecContext(ctx, `UPDATE meetings SET desired = 'absent', state = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND account_id = $4`,
		string(state), store.MS(tx.Now), id, accountID)
	return err
}

// AddAudit records who did what to a schedule.
func (s *Store) CreateAudit(ctx context.Context, tx *store.Tx, accountID, userID int64, action string, format string, args ...any) error {
	return tx.CreateAuditEvent(ctx, accountID, userRef(userID), action, fmt.Sprintf(format, args...))
}
