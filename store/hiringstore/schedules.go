package hiringstore

import (
	"context"
	"database/sql"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

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
	mrows, err := q.QueryContext(ctx, `SELECT id, item_id, state, provider_meeting_id, host_id, join_url, last_error, attempts, version, synced_version,
		host_choice, host_note, retiring_meeting_id FROM meetings WHERE account_id = $1 AND schedule_id = $2 AND desired = 'present'`, sc.AccountID, sc.ID)
	if err != nil {
		return err
	}
	defer mrows.Close()
	for mrows.Next() {
		var m domain.ItemMeeting
		var itemID sql.NullInt64
		var state string
		var version, synced int64
		var retiring string
		if err := mrows.Scan(&m.ID, &itemID, &state, &m.ProviderMeetingID, &m.HostID, &m.JoinURL, &m.LastError, &m.Attempts, &version, &synced,
			&m.HostChoice, &m.HostNote, &retiring); err != nil {
			return err
		}
		m.State = domain.MeetingState(state)
		// Updating: Zoom still has an older time or topic, or the meeting
		// is being moved to a new host (the old one lives until then).
		m.Updating = (m.State == domain.MeetingCreated && version != synced) || (retiring != "" && m.State != domain.MeetingFailed)
		m.Replacing = retiring != ""
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
