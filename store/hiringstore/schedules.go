package hiringstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// ItemInput is one interview as the coordinator placed it.
type ItemInput struct {
	ItemID       int64 // existing item when editing; 0 for new
	InterviewID  int64
	Start, End   time.Time
	Interviewers []int64
	RoomID       int64
}

// ScheduleInput is a schedule to check or save.
type ScheduleInput struct {
	ScheduleID  int64 // 0: a new schedule for the candidate's current stage
	CandidateID int64
	// FormToken makes confirming idempotent: a second confirm with the
	// same token returns the first schedule.
	FormToken string
	Video     *bool // nil: the stage's setting
	Items     []ItemInput
	// AcceptWarnings saves despite non-blocking conflicts.
	AcceptWarnings bool
	UserID         int64
	// Hosts are the video provider's hosts, for the "host busy" preview;
	// nil when not connected.
	Hosts []domain.VideoHost
}

// ConflictError refuses a save and carries the conflicts.
type ConflictError struct {
	Conflicts []domain.Conflict
	Blocking  bool
}

func (e *ConflictError) Error() string {
	if e.Blocking {
		return "conflict: the schedule clashes with other bookings"
	}
	return "conflict: the schedule has warnings to accept"
}

// AsDomain converts the refusal into a domain error for adapters.
func (e *ConflictError) AsDomain() *domain.Error {
	msg := "This schedule has warnings. Review them and confirm again to save anyway."
	if e.Blocking {
		msg = "This schedule clashes with other bookings; nothing was saved."
	}
	for _, c := range e.Conflicts {
		if c.Blocking || !e.Blocking {
			msg += " " + c.Message
			break
		}
	}
	return &domain.Error{Code: domain.ECONFLICT, Message: msg}
}

// evaluation is a validated proposal with its conflicts.
type evaluation struct {
	candidate *domain.Candidate
	stage     *domain.Stage
	existing  *domain.Schedule
	conflicts []domain.Conflict
	video     bool
}

const maxTimeSpan = 8 * time.Hour

func (s *Store) evaluate(ctx context.Context, q querier, accountID int64, in *ScheduleInput, lock bool) (*evaluation, error) {
	ev := &evaluation{}
	var err error
	if ev.candidate, err = s.candidateIn(ctx, q, accountID, in.CandidateID); err != nil {
		return nil, err
	}
	stageID := ev.candidate.StageID
	if in.ScheduleID != 0 {
		if ev.existing, err = s.getSchedule(ctx, q, accountID, in.ScheduleID, lock); err != nil {
			return nil, err
		}
		if ev.existing.CandidateID != ev.candidate.ID {
			return nil, domain.Errorf(domain.ENOTFOUND, "Schedule not found.")
		}
		if !ev.existing.Status.Live() {
			return nil, domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", ev.existing.Status)
		}
		stageID = ev.existing.StageID
	}
	if ev.stage, err = s.getStage(ctx, q, accountID, stageID); err != nil {
		return nil, err
	}
	ev.video = ev.stage.Video == domain.VideoZoom
	if in.Video != nil {
		ev.video = *in.Video
	} else if ev.existing != nil {
		ev.video = ev.existing.Video
	}
	if err := s.validateItems(ctx, q, accountID, in, ev); err != nil {
		return nil, err
	}
	var users, rooms []int64
	var lo, hi time.Time
	for i, it := range in.Items {
		users = append(users, it.Interviewers...)
		if it.RoomID != 0 {
			rooms = append(rooms, it.RoomID)
		}
		if i == 0 || it.Start.Before(lo) {
			lo = it.Start
		}
		if i == 0 || it.End.After(hi) {
			hi = it.End
		}
	}
	users, rooms = uniq(users), uniq(rooms)
	slices.Sort(users)
	slices.Sort(rooms)
	if lock {
		if err := s.lockPeople(ctx, q.(*store.Tx), accountID, users, rooms); err != nil {
			return nil, err
		}
	}
	// A week either side covers every day and ISO week the limits count.
	lo, hi = lo.Add(-8*24*time.Hour), hi.Add(8*24*time.Hour)
	input := domain.ConflictInput{Names: map[int64]string{}, RoomNames: map[int64]string{}, BufferMinutes: ev.stage.BufferMinutes,
		CandidateZone: ev.candidate.TimeZone,
		MaxGapMinutes: ev.stage.MaxGapMinutes, LunchMinutes: ev.stage.LunchMinutes, LunchStartMinute: ev.stage.LunchStartMinute, LunchEndMinute: ev.stage.LunchEndMinute}
	input.AllowedStartMinute, input.AllowedEndMinute = ev.stage.AllowedHours()
	if ev.existing == nil {
		// Day offsets count from today in the candidate's zone.
		if cloc, err := domain.LoadLocation(ev.candidate.TimeZone); err == nil {
			input.EarliestDay, input.LatestDay = ev.stage.AllowedDays(s.DB.Now(), cloc)
		}
	}
	if ev.existing != nil {
		input.ScheduleID = ev.existing.ID
	}
	if input.Profiles, err = s.profiles(ctx, q, accountID, users); err != nil {
		return nil, err
	}
	emails := map[int64]string{}
	if err := s.userNames(ctx, q, accountID, users, input.Names, emails); err != nil {
		return nil, err
	}
	var tx *store.Tx
	if lock {
		tx = q.(*store.Tx)
	}
	if input.Interviewers, err = s.InterviewerBookings(ctx, tx, accountID, users, lo, hi, input.ScheduleID); err != nil {
		return nil, err
	}
	if len(rooms) > 0 {
		if input.Rooms, err = s.RoomBookings(ctx, tx, accountID, rooms, lo, hi, input.ScheduleID); err != nil {
			return nil, err
		}
		rs, err := s.ListRooms(ctx, accountID)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			input.RoomNames[r.ID] = r.Name
		}
	}
	if ev.video && len(in.Hosts) > 0 {
		var ids []string
		for _, h := range in.Hosts {
			ids = append(ids, h.ID)
		}
		if input.Hosts, err = s.HostMeetings(ctx, tx, accountID, ids, lo, hi, input.ScheduleID); err != nil {
			return nil, err
		}
	}
	for _, it := range in.Items {
		p := domain.ProposedItem{Name: ev.stage.Interview(it.InterviewID).Name, Start: it.Start, End: it.End, Interviewers: it.Interviewers, RoomID: it.RoomID}
		if ev.video && len(in.Hosts) > 0 {
			var es []string
			for _, u := range it.Interviewers {
				es = append(es, emails[u])
			}
			if pref := domain.HostPreference(es, in.Hosts); len(pref) > 0 {
				p.HostID = pref[0]
			}
		}
		input.Items = append(input.Items, p)
	}
	ev.conflicts = domain.CheckConflicts(input)
	return ev, nil
}

func (s *Store) userNames(ctx context.Context, q querier, accountID int64, ids []int64, names map[int64]string, emails map[int64]string) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, email FROM users WHERE account_id = $1 AND id IN (`+placeholders(2, len(ids))+`)`,
		append([]any{accountID}, int64Args(ids)...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n, e string
		if err := rows.Scan(&id, &n, &e); err != nil {
			return err
		}
		names[id], emails[id] = n, e
	}
	return rows.Err()
}

// lockPeople takes row locks on the interviewers' profiles and the rooms
// in id order, so two saves booking the same person serialise and the
// second sees the first's bookings (SQLite's writer lock already does).
func (s *Store) lockPeople(ctx context.Context, tx *store.Tx, accountID int64, users, rooms []int64) error {
	if s.DB.Dialect != store.Postgres {
		return nil
	}
	for _, uid := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO interviewer_profiles (account_id, user_id, time_zone, working_hours, max_per_day, max_per_week, updated_at)
			SELECT account_id, id, time_zone, $1, 0, 0, $2 FROM users WHERE id = $3 AND account_id = $4 ON CONFLICT (user_id) DO NOTHING`,
			defaultHoursJSON(), store.MS(tx.Now), uid, accountID); err != nil {
			return err
		}
	}
	if len(users) > 0 {
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

func (s *Store) validateItems(ctx context.Context, q querier, accountID int64, in *ScheduleInput, ev *evaluation) error {
	fields := map[string]string{}
	if len(in.Items) == 0 {
		return domain.Invalid(map[string]string{"items": "Place at least one interview."})
	}
	if len(in.Items) > domain.MaxScheduleItems {
		return domain.Invalid(map[string]string{"items": "Too many interviews."})
	}
	rooms, err := s.ListRooms(ctx, accountID)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	var users []int64
	for i, it := range in.Items {
		key := fmt.Sprintf("items[%d]", i)
		iv := ev.stage.Interview(it.InterviewID)
		if iv == nil {
			fields[key+".interview_id"] = "That interview is not part of this stage."
			continue
		}
		if seen[iv.ID] {
			fields[key+".interview_id"] = fmt.Sprintf("%s is placed twice.", iv.Name)
		}
		seen[iv.ID] = true
		switch {
		case it.Start.IsZero() || it.End.IsZero():
			fields[key+".start"] = "Give a start and an end."
		case !it.End.After(it.Start):
			fields[key+".end"] = "The end must be after the start."
		case it.End.Sub(it.Start) > maxTimeSpan:
			fields[key+".end"] = "An interview lasts at most 8 hours."
		case it.Start.Year() < 2000 || it.Start.Year() > 2100:
			fields[key+".start"] = "That date is out of range."
		}
		if len(it.Interviewers) < iv.InterviewersNeeded {
			fields[key+".interviewers"] = fmt.Sprintf("%s needs %d interviewer(s).", iv.Name, iv.InterviewersNeeded)
		}
		if len(it.Interviewers) > domain.MaxInterviewers {
			fields[key+".interviewers"] = "Too many interviewers."
		}
		dup := map[int64]bool{}
		for _, u := range it.Interviewers {
			if dup[u] {
				fields[key+".interviewers"] = "An interviewer is listed twice."
			}
			dup[u] = true
			if len(iv.Pool) > 0 && !iv.InPool(u) {
				fields[key+".interviewers"] = fmt.Sprintf("Interviewer %d is not in the pool for %s.", u, iv.Name)
			}
		}
		users = append(users, it.Interviewers...)
		if it.RoomID != 0 && !slices.ContainsFunc(rooms, func(r domain.Room) bool { return r.ID == it.RoomID }) {
			fields[key+".room_id"] = "Unknown room."
		}
		if iv.RoomRequired && it.RoomID == 0 {
			fields[key+".room_id"] = fmt.Sprintf("%s needs a room.", iv.Name)
		}
		if it.ItemID != 0 && (ev.existing == nil || ev.existing.Item(it.ItemID) == nil) {
			fields[key+".item_id"] = "That item is not part of this schedule."
		}
	}
	if len(fields) > 0 {
		return domain.Invalid(fields)
	}
	return s.checkUsers(ctx, q, accountID, users, "interviewers")
}

func (s *Store) candidateIn(ctx context.Context, q querier, accountID, id int64) (*domain.Candidate, error) {
	c, err := scanCandidate(q.QueryRowContext(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE id = $1 AND account_id = $2`, id, accountID), accountID)
	return c, notFound(err, "Candidate")
}

// CheckSchedule validates a proposal and lists its conflicts without
// saving anything.
func (s *Store) CheckSchedule(ctx context.Context, accountID int64, in ScheduleInput) ([]domain.Conflict, error) {
	ev, err := s.evaluate(ctx, s.DB.Reader(), accountID, &in, false)
	if err != nil {
		return nil, err
	}
	return ev.conflicts, nil
}

// SaveSchedule confirms a new schedule or changes an existing one
// (reschedule, add or remove interviews, switch video), atomically: the
// conflict check runs under row locks, and the meeting work is queued in
// the same transaction. A blocking conflict, or warnings not accepted,
// return *ConflictError and save nothing.
func (s *Store) SaveSchedule(ctx context.Context, accountID int64, in ScheduleInput) (*domain.Schedule, []domain.Conflict, error) {
	if len(in.FormToken) > 100 {
		return nil, nil, domain.Errorf(domain.EINVALID, "The form token is too long.")
	}
	var id int64
	var conflicts []domain.Conflict
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if in.ScheduleID == 0 && in.FormToken != "" {
			// Under the writer lock (SQLite) or after the unique index
			// makes a racing twin wait (PostgreSQL), a confirm already
			// saved is found here.
			err := tx.QueryRowContext(ctx, `SELECT id FROM schedules WHERE account_id = $1 AND form_token = $2`, accountID, in.FormToken).Scan(&id)
			if err == nil {
				return nil
			} else if err != sql.ErrNoRows {
				return err
			}
		}
		ev, err := s.evaluate(ctx, tx, accountID, &in, true)
		if err != nil {
			return err
		}
		conflicts = ev.conflicts
		if in.ScheduleID == 0 && in.FormToken != "" {
			if err := tx.QueryRowContext(ctx, `SELECT id FROM schedules WHERE account_id = $1 AND form_token = $2`, accountID, in.FormToken).Scan(&id); err == nil {
				return nil
			} else if err != sql.ErrNoRows {
				return err
			}
		}
		if domain.HasBlocking(ev.conflicts) {
			return &ConflictError{Conflicts: ev.conflicts, Blocking: true}
		}
		if len(ev.conflicts) > 0 && !in.AcceptWarnings {
			return &ConflictError{Conflicts: ev.conflicts}
		}
		id, err = s.write(ctx, tx, accountID, &in, ev)
		return err
	})
	if err != nil {
		if store.IsUniqueViolation(err) && in.FormToken != "" {
			// The twin committed first; answer with its schedule.
			if err := s.DB.Reader().QueryRowContext(ctx, `SELECT id FROM schedules WHERE account_id = $1 AND form_token = $2`, accountID, in.FormToken).Scan(&id); err == nil {
				sc, err := s.GetSchedule(ctx, accountID, id)
				return sc, nil, err
			}
		}
		if ce, ok := err.(*ConflictError); ok {
			return nil, ce.Conflicts, ce
		}
		return nil, conflicts, err
	}
	sc, err := s.GetSchedule(ctx, accountID, id)
	return sc, conflicts, err
}

func (s *Store) write(ctx context.Context, tx *store.Tx, accountID int64, in *ScheduleInput, ev *evaluation) (int64, error) {
	now := store.MS(tx.Now)
	var id int64
	uid := sql.NullInt64{Int64: in.UserID, Valid: in.UserID != 0}
	if ev.existing == nil {
		token := in.FormToken
		if token == "" {
			token = randomToken(16)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO schedules (account_id, candidate_id, stage_id, status, video, meeting_mode, itinerary_token, form_token, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			accountID, ev.candidate.ID, ev.stage.ID, string(domain.ScheduleScheduled), ev.video, string(ev.stage.MeetingMode), randomToken(24), token, uid, now).Scan(&id); err != nil {
			return 0, err
		}
	} else {
		id = ev.existing.ID
		status := ev.existing.Status
		moved := len(in.Items) != len(ev.existing.Items)
		for _, it := range in.Items {
			old := ev.existing.Item(it.ItemID)
			moved = moved || old == nil || !old.Start.Equal(it.Start) || !old.End.Equal(it.End)
		}
		if moved && status == domain.ScheduleScheduled {
			status = domain.ScheduleRescheduled
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedules SET status = $1, video = $2, updated_at = $3 WHERE id = $4 AND account_id = $5`,
			string(status), ev.video, now, id, accountID); err != nil {
			return 0, err
		}
	}
	keep := map[int64]bool{}
	var removed []int64
	for _, it := range in.Items {
		name := ev.stage.Interview(it.InterviewID).Name
		room := sql.NullInt64{Int64: it.RoomID, Valid: it.RoomID != 0}
		itemID := it.ItemID
		if itemID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO schedule_items (account_id, schedule_id, interview_id, name, start_at, end_at, room_id, active)
				VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE) RETURNING id`, accountID, id, it.InterviewID, name, store.MS(it.Start), store.MS(it.End), room).Scan(&itemID); err != nil {
				return 0, err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE schedule_items SET interview_id = $1, name = $2, start_at = $3, end_at = $4, room_id = $5, active = TRUE
			WHERE id = $6 AND account_id = $7 AND schedule_id = $8`, it.InterviewID, name, store.MS(it.Start), store.MS(it.End), room, itemID, accountID, id); err != nil {
			return 0, err
		}
		keep[itemID] = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM schedule_item_interviewers WHERE account_id = $1 AND item_id = $2`, accountID, itemID); err != nil {
			return 0, err
		}
		for _, u := range it.Interviewers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO schedule_item_interviewers (account_id, item_id, user_id, start_at, end_at, active) VALUES ($1, $2, $3, $4, $5, TRUE)`,
				accountID, itemID, u, store.MS(it.Start), store.MS(it.End)); err != nil {
				return 0, err
			}
		}
	}
	if ev.existing != nil {
		for _, old := range ev.existing.Items {
			if !keep[old.ID] {
				if err := s.deactivateItem(ctx, tx, accountID, old.ID); err != nil {
					return 0, err
				}
				removed = append(removed, old.ID)
			}
		}
	}
	action := "schedule.created"
	if ev.existing != nil {
		action = "schedule.updated"
	}
	var by *int64
	if in.UserID != 0 {
		by = &in.UserID
	}
	if err := tx.CreateAuditEvent(ctx, accountID, by, action, fmt.Sprintf("schedule %d for candidate %d", id, ev.candidate.ID)); err != nil {
		return 0, err
	}
	if err := s.syncMeetings(ctx, tx, accountID, id); err != nil {
		return 0, err
	}
	return id, s.notify(ctx, tx, accountID, id, removed, false)
}

func (s *Store) deactivateItem(ctx context.Context, tx *store.Tx, accountID, itemID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE schedule_items SET active = FALSE WHERE id = $1 AND account_id = $2`, itemID, accountID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE schedule_item_interviewers SET active = FALSE WHERE item_id = $1 AND account_id = $2`, itemID, accountID)
	return err
}

// CancelSchedule cancels a schedule: bookings are released and its
// meetings are deleted by the worker.
func (s *Store) CancelSchedule(ctx context.Context, accountID, userID, id int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		sc, err := s.getSchedule(ctx, tx, accountID, id, true)
		if err != nil {
			return err
		}
		if sc.Status == domain.ScheduleCancelled {
			return nil
		}
		if !sc.Status.Live() {
			return domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be cancelled.", sc.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedules SET status = $1, updated_at = $2 WHERE id = $3 AND account_id = $4`,
			string(domain.ScheduleCancelled), store.MS(tx.Now), id, accountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedule_item_interviewers SET active = FALSE WHERE account_id = $1 AND item_id IN (SELECT id FROM schedule_items WHERE account_id = $1 AND schedule_id = $2)`,
			accountID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedule_items SET active = FALSE WHERE account_id = $1 AND schedule_id = $2`, accountID, id); err != nil {
			return err
		}
		if err := tx.CreateAuditEvent(ctx, accountID, userRef(userID), "schedule.cancelled", fmt.Sprintf("schedule %d", id)); err != nil {
			return err
		}
		if err := s.syncMeetings(ctx, tx, accountID, id); err != nil {
			return err
		}
		var ids []int64
		for _, it := range sc.Items {
			ids = append(ids, it.ID)
		}
		return s.notify(ctx, tx, accountID, id, ids, true)
	})
}

// DeleteItem takes one interview out of a schedule; its meeting is
// deleted.
func (s *Store) DeleteItem(ctx context.Context, accountID, userID, scheduleID, itemID int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		sc, err := s.getSchedule(ctx, tx, accountID, scheduleID, true)
		if err != nil {
			return err
		}
		if !sc.Status.Live() {
			return domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", sc.Status)
		}
		if sc.Item(itemID) == nil {
			return domain.Errorf(domain.ENOTFOUND, "Interview not found in this schedule.")
		}
		if err := s.deactivateItem(ctx, tx, accountID, itemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schedules SET status = $1, updated_at = $2 WHERE id = $3 AND account_id = $4`,
			string(domain.ScheduleRescheduled), store.MS(tx.Now), scheduleID, accountID); err != nil {
			return err
		}
		if err := tx.CreateAuditEvent(ctx, accountID, userRef(userID), "schedule.item_removed", fmt.Sprintf("schedule %d item %d", scheduleID, itemID)); err != nil {
			return err
		}
		if err := s.syncMeetings(ctx, tx, accountID, scheduleID); err != nil {
			return err
		}
		return s.notify(ctx, tx, accountID, scheduleID, []int64{itemID}, false)
	})
}

// GetSchedule returns a schedule with its active items and meetings.
func (s *Store) GetSchedule(ctx context.Context, accountID, id int64) (*domain.Schedule, error) {
	return s.getSchedule(ctx, s.DB.Reader(), accountID, id, false)
}

const scheduleColumns = `id, account_id, candidate_id, stage_id, status, video, meeting_mode, itinerary_token, created_by, created_at, updated_at`

func scanSchedule(row interface{ Scan(...any) error }) (*domain.Schedule, error) {
	sc := &domain.Schedule{}
	var status, mode string
	var by sql.NullInt64
	var created, updated int64
	if err := row.Scan(&sc.ID, &sc.AccountID, &sc.CandidateID, &sc.StageID, &status, &sc.Video, &mode, &sc.ItineraryToken, &by, &created, &updated); err != nil {
		return nil, err
	}
	sc.Status, sc.MeetingMode, sc.CreatedBy = domain.ScheduleStatus(status), domain.MeetingMode(mode), by.Int64
	sc.CreatedAt, sc.UpdatedAt = store.FromMS(created), store.FromMS(updated)
	return sc, nil
}

func (s *Store) getSchedule(ctx context.Context, q querier, accountID, id int64, lock bool) (*domain.Schedule, error) {
	forUpdate := ""
	if lock {
		forUpdate = s.DB.ForUpdate()
	}
	sc, err := scanSchedule(q.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE id = $1 AND account_id = $2`+forUpdate, id, accountID))
	if err != nil {
		return nil, notFound(err, "Schedule")
	}
	return sc, s.fillItems(ctx, q, sc)
}

// GetScheduleByItinerary finds a schedule by its itinerary link token.
func (s *Store) GetScheduleByItinerary(ctx context.Context, token string) (*domain.Schedule, error) {
	if len(token) < 32 || len(token) > 64 {
		return nil, errNotFound
	}
	sc, err := scanSchedule(s.DB.Reader().QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE itinerary_token = $1`, token))
	if err != nil {
		return nil, notFound(err, "Itinerary")
	}
	return sc, s.fillItems(ctx, s.DB.Reader(), sc)
}

// ListCandidateSchedules lists a candidate's schedules, newest first.
func (s *Store) ListCandidateSchedules(ctx context.Context, accountID, candidateID int64) ([]domain.Schedule, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id FROM schedules WHERE account_id = $1 AND candidate_id = $2 ORDER BY id DESC LIMIT 50`, accountID, candidateID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []domain.Schedule
	for _, id := range ids {
		sc, err := s.GetSchedule(ctx, accountID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *sc)
	}
	return out, nil
}

func (s *Store) fillItems(ctx context.Context, q querier, sc *domain.Schedule) error {
	rows, err := q.QueryContext(ctx, `SELECT id, interview_id, name, start_at, end_at, room_id FROM schedule_items
		WHERE account_id = $1 AND schedule_id = $2 AND active = TRUE ORDER BY start_at, id`, sc.AccountID, sc.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		it := domain.ScheduleItem{ScheduleID: sc.ID}
		var a, z int64
		var room sql.NullInt64
		if err := rows.Scan(&it.ID, &it.InterviewID, &it.Name, &a, &z, &room); err != nil {
			rows.Close()
			return err
		}
		it.Start, it.End, it.RoomID = store.FromMS(a), store.FromMS(z), room.Int64
		sc.Items = append(sc.Items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Items first, then their bookings by item (CROSS JOIN fixes the order
	// on SQLite): starting from the bookings' per-person index would walk
	// the account's whole history, 0.4 s at 55,000 bookings.
	irows, err := q.QueryContext(ctx, `SELECT sii.item_id, sii.user_id FROM schedule_items si CROSS JOIN schedule_item_interviewers sii
		WHERE si.account_id = $1 AND si.schedule_id = $2 AND sii.item_id = si.id AND sii.account_id = $1 AND sii.active = TRUE ORDER BY sii.user_id`, sc.AccountID, sc.ID)
	if err != nil {
		return err
	}
	for irows.Next() {
		var itemID, uid int64
		if err := irows.Scan(&itemID, &uid); err != nil {
			irows.Close()
			return err
		}
		if it := sc.Item(itemID); it != nil {
			it.Interviewers = append(it.Interviewers, uid)
		}
	}
	irows.Close()
	if err := irows.Err(); err != nil {
		return err
	}
	mrows, err := q.QueryContext(ctx, `SELECT id, item_id, state, provider_meeting_id, host_id, join_url, last_error, attempts FROM meetings
		WHERE account_id = $1 AND schedule_id = $2 AND desired = 'present'`, sc.AccountID, sc.ID)
	if err != nil {
		return err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m domain.ItemMeeting
		var itemID sql.NullInt64
		var state string
		if err := mrows.Scan(&m.ID, &itemID, &state, &m.ProviderMeetingID, &m.HostID, &m.JoinURL, &m.LastError, &m.Attempts); err != nil {
			return err
		}
		m.State = domain.MeetingState(state)
		for i := range sc.Items {
			if !itemID.Valid || sc.Items[i].ID == itemID.Int64 {
				sc.Items[i].Meeting = m
			}
		}
	}
	return mrows.Err()
}

// InterviewerItem is one interview on an interviewer's list.
type InterviewerItem struct {
	Item          domain.ScheduleItem
	ScheduleID    int64
	CandidateID   int64
	CandidateName string
}

// ListInterviewerItems lists a user's live interviews ending after from.
func (s *Store) ListInterviewerItems(ctx context.Context, accountID, userID int64, from time.Time) ([]InterviewerItem, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT si.schedule_id, si.id, c.id, c.name FROM schedule_item_interviewers sii
		JOIN schedule_items si ON si.id = sii.item_id JOIN schedules sc ON sc.id = si.schedule_id JOIN candidates c ON c.id = sc.candidate_id
		WHERE sii.account_id = $1 AND sii.user_id = $2 AND sii.active = TRUE AND sii.end_at > $3 ORDER BY sii.start_at LIMIT 200`,
		accountID, userID, store.MS(from))
	if err != nil {
		return nil, err
	}
	type ref struct {
		sid, iid, cid int64
		name          string
	}
	var refs []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.sid, &r.iid, &r.cid, &r.name); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	var out []InterviewerItem
	cache := map[int64]*domain.Schedule{}
	for _, r := range refs {
		sc, ok := cache[r.sid]
		if !ok {
			if sc, err = s.GetSchedule(ctx, accountID, r.sid); err != nil {
				return nil, err
			}
			cache[r.sid] = sc
		}
		if it := sc.Item(r.iid); it != nil {
			out = append(out, InterviewerItem{Item: *it, ScheduleID: r.sid, CandidateID: r.cid, CandidateName: r.name})
		}
	}
	return out, nil
}

func defaultHoursJSON() string {
	return `[null,[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],null]`
}

func userRef(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// ListItemsForNotice returns a schedule's items by id, including removed ones,
// with every interviewer they had: cancellations are sent for them.
func (s *Store) ListItemsForNotice(ctx context.Context, accountID, scheduleID int64, ids []int64) ([]domain.ScheduleItem, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := append([]any{accountID, scheduleID}, int64Args(ids)...)
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT si.id, si.interview_id, si.name, si.start_at, si.end_at, si.room_id, sii.user_id FROM schedule_items si
		LEFT JOIN schedule_item_interviewers sii ON sii.item_id = si.id WHERE si.account_id = $1 AND si.schedule_id = $2 AND si.id IN (`+placeholders(3, len(ids))+`)
		ORDER BY si.start_at, si.id, sii.user_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ScheduleItem
	for rows.Next() {
		var it domain.ScheduleItem
		var a, z int64
		var room, uid sql.NullInt64
		if err := rows.Scan(&it.ID, &it.InterviewID, &it.Name, &a, &z, &room, &uid); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == it.ID {
			if uid.Valid {
				out[n-1].Interviewers = append(out[n-1].Interviewers, uid.Int64)
			}
			continue
		}
		it.ScheduleID, it.Start, it.End, it.RoomID = scheduleID, store.FromMS(a), store.FromMS(z), room.Int64
		if uid.Valid {
			it.Interviewers = []int64{uid.Int64}
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
