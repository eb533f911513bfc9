package hiringstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
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
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE account_id = $1 AND candidate_id = $2 ORDER BY id DESC LIMIT 50`, accountID, candidateID)
	if err != nil {
		return nil, err
	}
	var out []domain.Schedule
	for rows.Next() {
		sc, err := scanSchedule(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillItemsOf(ctx, s.DB.Reader(), accountID, out)
}

func (s *Store) fillItems(ctx context.Context, q querier, sc *domain.Schedule) error {
	one := []domain.Schedule{*sc}
	if err := s.fillItemsOf(ctx, q, sc.AccountID, one); err != nil {
		return err
	}
	sc.Items = one[0].Items
	return nil
}

// scheduleBatch bounds the schedules read in one statement, well under
// either database's limit on parameters.
const scheduleBatch = 500

// fillItemsOf reads the items, bookings and meetings of many schedules of
// one account in three queries per batch, not three per schedule: a page
// listing 70 schedules costs what a page with one does.
func (s *Store) fillItemsOf(ctx context.Context, q querier, accountID int64, scs []domain.Schedule) error {
	for lo := 0; lo < len(scs); lo += scheduleBatch {
		if err := s.fillBatch(ctx, q, accountID, scs[lo:min(lo+scheduleBatch, len(scs))]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) fillBatch(ctx context.Context, q querier, accountID int64, scs []domain.Schedule) error {
	if len(scs) == 0 {
		return nil
	}
	at := make(map[int64]int, len(scs)) // schedule id → index
	args := []any{accountID}
	for i := range scs {
		scs[i].Items = nil
		at[scs[i].ID] = i
		args = append(args, scs[i].ID)
	}
	in := placeholders(2, len(scs))
	rows, err := q.QueryContext(ctx, `SELECT schedule_id, id, interview_id, name, start_at, end_at, room_id FROM schedule_items
		WHERE account_id = $1 AND schedule_id IN (`+in+`) AND active = TRUE ORDER BY schedule_id, start_at, id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var it domain.ScheduleItem
		var a, z int64
		var room sql.NullInt64
		if err := rows.Scan(&it.ScheduleID, &it.ID, &it.InterviewID, &it.Name, &a, &z, &room); err != nil {
			rows.Close()
			return err
		}
		it.Start, it.End, it.RoomID = store.FromMS(a), store.FromMS(z), room.Int64
		if i, ok := at[it.ScheduleID]; ok {
			scs[i].Items = append(scs[i].Items, it)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The items are in place: point at them by id.
	items := map[int64]*domain.ScheduleItem{}
	for i := range scs {
		for k := range scs[i].Items {
			items[scs[i].Items[k].ID] = &scs[i].Items[k]
		}
	}
	// The bookings by the items' ids (their primary key), never from the
	// per-person index (it would walk the account's whole history, 0.4 s
	// at 55,000 bookings) nor joined to the items (PostgreSQL then hashes
	// every booking of the account).
	if len(items) == 0 {
		return nil
	}
	itemIDs := make([]int64, 0, len(items))
	for id := range items {
		itemIDs = append(itemIDs, id)
	}
	slices.Sort(itemIDs)
	irows, err := q.QueryContext(ctx, `SELECT item_id, user_id FROM schedule_item_interviewers
		WHERE account_id = $1 AND item_id IN (`+placeholders(2, len(itemIDs))+`) AND active = TRUE ORDER BY user_id`,
		append([]any{accountID}, int64Args(itemIDs)...)...)
	if err != nil {
		return err
	}
	for irows.Next() {
		var itemID, uid int64
		if err := irows.Scan(&itemID, &uid); err != nil {
			irows.Close()
			return err
		}
		if it := items[itemID]; it != nil {
			it.Interviewers = append(it.Interviewers, uid)
		}
	}
	irows.Close()
	if err := irows.Err(); err != nil {
		return err
	}
	mrows, err := q.QueryContext(ctx, `SELECT schedule_id, item_id, `+meetingColumns("")+` FROM meetings WHERE account_id = $1 AND schedule_id IN (`+in+`) AND desired = 'present'`, args...)
	if err != nil {
		return err
	}
	defer mrows.Close()
	for mrows.Next() {
		var scheduleID int64
		var itemID sql.NullInt64
		var ms meetingScan
		if err := mrows.Scan(append([]any{&scheduleID, &itemID}, ms.dest()...)...); err != nil {
			return err
		}
		m := ms.meeting()
		i, ok := at[scheduleID]
		if !ok {
			continue
		}
		for k := range scs[i].Items {
			if !itemID.Valid || scs[i].Items[k].ID == itemID.Int64 {
				scs[i].Items[k].Meeting = m
			}
		}
	}
	return mrows.Err()
}

// meetingColumns are the columns meetingScan reads, of the meetings table
// aliased a (with a dot) or unaliased (""). Under an alias they are
// COALESCEd, for a LEFT JOIN that finds no meeting.
func meetingColumns(a string) string {
	if a == "" {
		return `id, state, provider_meeting_id, host_id, join_url, last_error, attempts, version, synced_version, host_choice, host_note, retiring_meeting_id`
	}
	cols := []string{"id", "state", "provider_meeting_id", "host_id", "join_url", "last_error", "attempts", "version", "synced_version", "host_choice", "host_note", "retiring_meeting_id"}
	for i, c := range cols {
		zero := "''"
		if c == "id" || c == "attempts" || c == "version" || c == "synced_version" {
			zero = "0"
		}
		cols[i] = "COALESCE(" + a + c + ", " + zero + ")"
	}
	return strings.Join(cols, ", ")
}

// meetingScan receives meetingColumns.
type meetingScan struct {
	m               domain.ItemMeeting
	state, retiring string
	version, synced int64
}

func (ms *meetingScan) dest() []any {
	m := &ms.m
	return []any{&m.ID, &ms.state, &m.ProviderMeetingID, &m.HostID, &m.JoinURL, &m.LastError, &m.Attempts, &ms.version, &ms.synced, &m.HostChoice, &m.HostNote, &ms.retiring}
}

func (ms *meetingScan) meeting() domain.ItemMeeting {
	m := ms.m
	m.State = domain.MeetingState(ms.state)
	// Updating: Zoom still has an older time or topic, or the meeting
	// is being moved to a new host (the old one lives until then).
	m.Updating = (m.State == domain.MeetingCreated && ms.version != ms.synced) || (ms.retiring != "" && m.State != domain.MeetingFailed)
	m.Replacing = ms.retiring != ""
	return m
}

// InterviewerItem is one interview on an interviewer's list.
type InterviewerItem struct {
	Item          domain.ScheduleItem
	ScheduleID    int64
	CandidateID   int64
	CandidateName string
}

// ListInterviewerItems lists a user's live interviews ending after from,
// soonest first, up to maxInterviewerItems.
func (s *Store) ListInterviewerItems(ctx context.Context, accountID, userID int64, from time.Time) ([]InterviewerItem, error) {
	items, _, err := s.interviewerItems(ctx, accountID, userID, from, interviewerItemCursor{}, maxInterviewerItems)
	return items, err
}

// maxInterviewerItems bounds the interviews an interviewer's own page lists.
const maxInterviewerItems = 200

// InterviewerItemPage is one page of an interviewer's interviews.
type InterviewerItemPage struct {
	Items []InterviewerItem
	// Next is the cursor of the following page, "" at the end.
	Next string
}

// ListInterviewerItemsPage pages through a user's live interviews ending
// after from, soonest first, limit at a time, with a keyset cursor (Next
// of the previous page, or ""): a busy interviewer's list costs one short
// index range a page however many interviews lie ahead.
func (s *Store) ListInterviewerItemsPage(ctx context.Context, accountID, userID int64, from time.Time, after string, limit int) (*InterviewerItemPage, error) {
	var cur interviewerItemCursor
	if after != "" {
		var ok bool
		if cur, ok = decodeItemCursor(after); !ok {
			return nil, domain.Invalid(map[string]string{"after": "This page link is not valid; start from the first page."})
		}
	}
	items, more, err := s.interviewerItems(ctx, accountID, userID, from, cur, limit)
	if err != nil {
		return nil, err
	}
	page := &InterviewerItemPage{Items: items}
	if more {
		last := items[len(items)-1].Item
		page.Next = encodeItemCursor(interviewerItemCursor{start: store.MS(last.Start), item: last.ID})
	}
	return page, nil
}

// interviewerItemCursor is the last interview of a page: its start (Unix
// ms) and id, the list's sort key. The zero cursor is the first page.
type interviewerItemCursor struct{ start, item int64 }

func encodeItemCursor(c interviewerItemCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.start, 10) + "." + strconv.FormatInt(c.item, 10)))
}

func decodeItemCursor(s string) (interviewerItemCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return interviewerItemCursor{}, false
	}
	startText, itemText, ok := strings.Cut(string(b), ".")
	start, err1 := strconv.ParseInt(startText, 10, 64)
	item, err2 := strconv.ParseInt(itemText, 10, 64)
	if !ok || err1 != nil || err2 != nil || item <= 0 {
		return interviewerItemCursor{}, false
	}
	return interviewerItemCursor{start: start, item: item}, true
}

// interviewerItems reads up to limit interviews after the cursor and
// whether more follow.
func (s *Store) interviewerItems(ctx context.Context, accountID, userID int64, from time.Time, after interviewerItemCursor, limit int) ([]InterviewerItem, bool, error) {
	// One statement reads what the lists show: the interview, its
	// candidate and its meeting (the interview's own, or the one of the
	// whole schedule). The start is bounded below too, so the per-person
	// index reads from the window on, not the person's whole history.
	lo := store.MS(from.Add(-longestItem))
	args := []any{accountID, userID, lo, store.MS(from)}
	page := ""
	if after.item != 0 {
		// The plain bound on start_at keeps the index range; the row
		// comparison orders interviews starting at the same instant.
		args[2] = max(lo, after.start-1)
		args = append(args, after.start, after.item)
		page = ` AND (sii.start_at, sii.item_id) > ($5, $6)`
	}
	// An interview may meet two meeting rows (its own and its schedule's):
	// twice the rows always hold limit+1 interviews when there are as many.
	args = append(args, 2*(limit+1))
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT si.schedule_id, si.id, si.interview_id, si.name, si.start_at, si.end_at, si.room_id, c.id, c.name, `+meetingColumns("m.")+`
		FROM schedule_item_interviewers sii
		JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
		JOIN schedules sc ON sc.id = si.schedule_id AND sc.account_id = si.account_id
		JOIN candidates c ON c.id = sc.candidate_id AND c.account_id = sc.account_id
		LEFT JOIN meetings m ON m.account_id = si.account_id AND m.schedule_id = si.schedule_id AND m.desired = 'present' AND (m.item_id = si.id OR m.item_id IS NULL)
		WHERE sii.account_id = $1 AND sii.user_id = $2 AND sii.active = TRUE AND si.active = TRUE AND sii.start_at > $3 AND sii.end_at > $4`+page+`
		ORDER BY sii.start_at, sii.item_id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []InterviewerItem
	for rows.Next() {
		var r InterviewerItem
		it := &r.Item
		var a, z int64
		var room sql.NullInt64
		var ms meetingScan
		if err := rows.Scan(append([]any{&it.ScheduleID, &it.ID, &it.InterviewID, &it.Name, &a, &z, &room, &r.CandidateID, &r.CandidateName}, ms.dest()...)...); err != nil {
			return nil, false, err
		}
		if n := len(out); n > 0 && out[n-1].Item.ID == it.ID {
			continue // a second meeting row for the same interview
		}
		it.Start, it.End, it.RoomID = store.FromMS(a), store.FromMS(z), room.Int64
		if ms.m.ID != 0 {
			it.Meeting = ms.meeting()
		}
		r.ScheduleID = it.ScheduleID
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
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

// ProposalStage is what a proposed schedule's items are read against
// before the confirm's transaction checks them: whose schedule it is and
// how long each interview of its stage lasts.
type ProposalStage struct {
	CandidateID, StageID int64
	// Minutes is each live interview's duration, by interview id.
	Minutes map[int64]int
}

// GetProposalStage reads, in one statement, the candidate and the stage a
// proposal is for: the candidate's current stage for a new schedule
// (scheduleID 0), else the schedule's own candidate and stage.
func (s *Store) GetProposalStage(ctx context.Context, accountID, candidateID, scheduleID int64) (*ProposalStage, error) {
	q := `SELECT c.id, st.id, i.id, i.duration_minutes FROM candidates c
		LEFT JOIN stages st ON st.id = c.stage_id AND st.account_id = c.account_id
		LEFT JOIN stage_interviews i ON i.stage_id = st.id AND i.account_id = st.account_id AND i.removed = FALSE
		WHERE c.id = $1 AND c.account_id = $2`
	id, what := candidateID, "Candidate"
	if scheduleID != 0 {
		q = `SELECT c.id, st.id, i.id, i.duration_minutes FROM schedules sc
			LEFT JOIN candidates c ON c.id = sc.candidate_id AND c.account_id = sc.account_id
			LEFT JOIN stages st ON st.id = sc.stage_id AND st.account_id = sc.account_id
			LEFT JOIN stage_interviews i ON i.stage_id = st.id AND i.account_id = st.account_id AND i.removed = FALSE
			WHERE sc.id = $1 AND sc.account_id = $2`
		id, what = scheduleID, "Schedule"
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q, id, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out *ProposalStage
	for rows.Next() {
		var cand, stage, iv, minutes sql.NullInt64
		if err := rows.Scan(&cand, &stage, &iv, &minutes); err != nil {
			return nil, err
		}
		if out == nil {
			out = &ProposalStage{CandidateID: cand.Int64, StageID: stage.Int64, Minutes: map[int64]int{}}
		}
		if iv.Valid {
			out.Minutes[iv.Int64] = int(minutes.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	switch {
	case out == nil:
		return nil, notFound(sql.ErrNoRows, what)
	case out.CandidateID == 0:
		return nil, notFound(sql.ErrNoRows, "Candidate")
	case out.StageID == 0:
		return nil, domain.Errorf(domain.ENOTFOUND, "Stage not found.")
	}
	return out, nil
}
