// Package scaleseed fills an existing account with the data of a large
// recruiting team — interviewers, jobs, candidates, past and future
// schedules, Zoom meetings — in batched multi-row inserts, so benchmarks
// and plan tests see the product at the size customers run it.
//
// It writes straight to the tables (the store's methods would take
// minutes for 100,000 candidates) and only into the account it is given.
package scaleseed

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"interviewplanner/store"
)

// Size is how much to seed.
type Size struct {
	Candidates   int
	Interviewers int
	Schedules    int
	Interviews   int // schedule items, across all schedules
	Meetings     int // Zoom meetings, one per phone-screen schedule
	// Upcoming is how many future interviews the first seeded
	// interviewer has (the My interviews page).
	Upcoming int
	// CalendarEvents is how many events each interviewer's calendar holds
	// (one synced calendar source each, spread over the cached window).
	CalendarEvents int
}

// Large is the size of a large customer.
var Large = Size{Candidates: 100_000, Interviewers: 2_000, Schedules: 20_000, Interviews: 55_000, Meetings: 8_400, Upcoming: 72, CalendarEvents: 300}

// Seeded names what a seed created, for the pages a benchmark visits.
type Seeded struct {
	// Interviewer is the first seeded interviewer (email and id), who has
	// Size.Upcoming future interviews.
	InterviewerEmail string
	InterviewerID    int64
	// PhoneStage is a Zoom stage with a one-interview pool; Candidate sits
	// in it with one past schedule (Schedule).
	PhoneStage, Candidate, Schedule int64
	// ScheduleItem is Schedule's interview.
	ScheduleItem int64
	// Fresh are candidates at PhoneStage without a schedule, for confirms.
	Fresh []int64
	// SearchRare matches exactly one candidate; SearchCommon many.
	SearchRare, SearchCommon string
}

// bytesPerRow bounds what one seeded row costs the database's caches and
// this process while seeding; a size that would not fit is refused.
const bytesPerRow = 2 << 10

// Check refuses sizes that do not add up or would not fit in memory.
func (s Size) Check() error {
	switch {
	case s.Candidates < 1 || s.Interviewers < 10 || s.Schedules < 1:
		return fmt.Errorf("seed size: at least 1 candidate, 10 interviewers and 1 schedule")
	case s.Schedules > s.Candidates:
		return fmt.Errorf("seed size: %d schedules need at least as many candidates (got %d)", s.Schedules, s.Candidates)
	case s.Meetings > s.Schedules:
		return fmt.Errorf("seed size: %d meetings need at least as many schedules (got %d)", s.Meetings, s.Schedules)
	case s.Interviews < s.Schedules || s.Interviews-s.Meetings > 5*(s.Schedules-s.Meetings) && s.Schedules > s.Meetings:
		return fmt.Errorf("seed size: %d interviews for %d schedules: each schedule has 1 to 5", s.Interviews, s.Schedules)
	case s.Meetings == s.Schedules && s.Interviews != s.Schedules:
		return fmt.Errorf("seed size: when every schedule is a phone screen, interviews must equal schedules")
	case s.CalendarEvents < 0 || s.CalendarEvents > 10_000:
		return fmt.Errorf("seed size: %d calendar events per interviewer: 0 to 10,000", s.CalendarEvents)
	}
	rows := int64(s.Candidates) + int64(s.Interviewers)*2 + int64(s.Schedules) + 2*int64(s.Interviews) + int64(s.Meetings) +
		int64(s.Interviewers)*int64(s.CalendarEvents)/4 // an event row is a quarter of the others
	need := rows * bytesPerRow
	if avail := availableMemory(); avail > 0 && need > avail/2 {
		return fmt.Errorf("seed size: about %d MB for %d rows, but only %d MB of memory is available; choose a smaller size",
			need>>20, rows, avail>>20)
	}
	return nil
}

// availableMemory reads MemAvailable on Linux; 0 when unknown.
func availableMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

var (
	firstNames = []string{"Alex", "Sam", "Jamie", "Robin", "Casey", "Morgan", "Taylor", "Jordan", "Avery", "Quinn", "Riley", "Dana", "Kim", "Noor", "Lena", "Omar"}
	lastNames  = []string{"Nguyen", "Okafor", "Silva", "Novak", "Haddad", "Larsen", "Ito", "Moreau", "Kowalski", "Mensah", "Rossi", "Park", "Fischer", "Dubois"}
	zones      = []string{"America/New_York", "Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin", "Australia/Sydney", "America/Sao_Paulo"}
)

const hoursJSON = `[null,[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],[{"start":540,"end":1020}],null]`

// jobsCount: each job has a phone screen (Zoom, 1 interview) and an onsite
// (no video, 5 interviews), each interview with a pool of 3.
const jobsCount = 50

// Seed fills accountID with size, its users' passwords set to
// passwordHash. now anchors past and future schedules.
func Seed(ctx context.Context, db *store.DB, accountID int64, size Size, passwordHash string, now time.Time) (*Seeded, error) {
	if err := size.Check(); err != nil {
		return nil, err
	}
	w := &writer{db: db, account: accountID, now: store.MS(now)}
	ids, err := w.reserveIDs(ctx, size.idCounts())
	if err != nil {
		return nil, err
	}
	out := &Seeded{}

	// Interviewers and their profiles.
	userID := ids["users"]
	users := w.table("users", "id, account_id, email, name, role, password_hash, active, time_zone, created_at")
	profiles := w.table("interviewer_profiles", "account_id, user_id, time_zone, working_hours, max_per_day, max_per_week, updated_at")
	profiles.parents = []*table{users}
	for i := range size.Interviewers {
		id := userID + int64(i)
		tz := zones[i%len(zones)]
		email := fmt.Sprintf("interviewer%04d@a%d.large.example", i+1, accountID)
		name := fmt.Sprintf("%s %s %04d", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)], i+1)
		if err := users.add(ctx, id, accountID, email, name, "interviewer", passwordHash, true, tz, w.now); err != nil {
			return nil, err
		}
		if err := profiles.add(ctx, accountID, id, tz, hoursJSON, 4, 12, w.now); err != nil {
			return nil, err
		}
	}
	out.InterviewerEmail, out.InterviewerID = fmt.Sprintf("interviewer0001@a%d.large.example", accountID), userID
	if err := flushAll(ctx, users, profiles); err != nil {
		return nil, err
	}

	// Jobs, stages, interviews and pools. Pools cycle through the
	// interviewers so each is in a few pools.
	jobs := w.table("jobs", "id, account_id, title, status, created_at, updated_at")
	stages := w.table("stages", "id, account_id, job_id, name, position, video, meeting_mode, buffer_minutes, allowed_start_minute, allowed_end_minute, earliest_day_offset, latest_day_offset, created_at")
	ivs := w.table("stage_interviews", "id, account_id, stage_id, name, duration_minutes, interviewers_needed, room_required, position, removed")
	pool := w.table("interview_pool", "account_id, interview_id, user_id")
	stages.parents, ivs.parents, pool.parents = []*table{jobs}, []*table{stages}, []*table{ivs}
	type stageRef struct{ id, interviews int64 } // first interview id
	var phone, onsite []stageRef
	ivID, poolNext := ids["stage_interviews"], 1 // interviewer 0 joins pools below, with a spread of others
	for j := range jobsCount {
		jobID, phoneID, onsiteID := ids["jobs"]+int64(j), ids["stages"]+int64(2*j), ids["stages"]+int64(2*j+1)
		if err := jobs.add(ctx, jobID, accountID, fmt.Sprintf("Large job %02d", j+1), "open", w.now, w.now); err != nil {
			return nil, err
		}
		if err := stages.add(ctx, phoneID, accountID, jobID, "Phone Screen", 1, "zoom", "per_interview", 10, 8*60, 19*60, 0, 21, w.now); err != nil {
			return nil, err
		}
		if err := stages.add(ctx, onsiteID, accountID, jobID, "Onsite", 2, "off", "per_interview", 10, 8*60, 19*60, 0, 21, w.now); err != nil {
			return nil, err
		}
		phone, onsite = append(phone, stageRef{phoneID, ivID}), append(onsite, stageRef{onsiteID, ivID + 1})
		for k := range 6 {
			st, name, minutes := onsiteID, fmt.Sprintf("Onsite %d", k), 60
			if k == 0 {
				st, name, minutes = phoneID, "Phone screen", 30
			}
			if err := ivs.add(ctx, ivID, accountID, st, name, minutes, 1, false, k, false); err != nil {
				return nil, err
			}
			// The first seeded interviewer sits in every phone-screen pool
			// (the busy person of My interviews).
			members := []int64{}
			if k == 0 {
				members = append(members, userID)
			}
			for len(members) < 3 {
				if u := userID + int64(poolNext%size.Interviewers); u != userID {
					members = append(members, u)
				}
				poolNext++
			}
			for _, u := range members {
				if err := pool.add(ctx, accountID, ivID, u); err != nil {
					return nil, err
				}
			}
			ivID++
		}
	}
	if err := flushAll(ctx, jobs, stages, ivs, pool); err != nil {
		return nil, err
	}
	out.PhoneStage = phone[0].id

	// Candidates: the first Schedules get one schedule each; phone-screen
	// schedules come first so the first candidate is in PhoneStage.
	cands := w.table("candidates", "id, account_id, name, email, phone, time_zone, job_id, stage_id, status, search_text, created_at, updated_at")
	candID := ids["candidates"]
	stageOf := func(i int) (job, stage int64) {
		j := i % jobsCount
		if i < size.Meetings || i >= size.Schedules && i%2 == 0 {
			return ids["jobs"] + int64(j), phone[j].id
		}
		return ids["jobs"] + int64(j), onsite[j].id
	}
	statuses := []string{"active", "active", "active", "hired", "rejected", "withdrawn"}
	for i := range size.Candidates {
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		name := fmt.Sprintf("%s %s", first, last)
		email := fmt.Sprintf("%s.%s%06d@cand.example", strings.ToLower(first), strings.ToLower(last), i+1)
		phoneNo := fmt.Sprintf("+1 555 %07d", i+1)
		job, stage := stageOf(i)
		status := statuses[i%len(statuses)]
		if i < size.Schedules {
			status = "active"
		}
		created := w.now - int64(size.Candidates-i)*60_000
		if err := cands.add(ctx, candID+int64(i), accountID, name, email, phoneNo, zones[i%len(zones)], job, stage, status,
			strings.ToLower(name+" "+email+" "+phoneNo), created, created); err != nil {
			return nil, err
		}
	}
	if err := cands.flush(ctx); err != nil {
		return nil, err
	}
	out.Candidate = candID
	out.SearchRare = fmt.Sprintf("%s%06d", strings.ToLower(lastNames[(4242/len(firstNames))%len(lastNames)]), 4243)
	out.SearchCommon = strings.ToLower(lastNames[1])
	// Candidates after the scheduled ones, at the first phone stage: fresh for confirms.
	for i := size.Schedules; i < size.Candidates && len(out.Fresh) < 200; i++ {
		if _, st := stageOf(i); st == phone[0].id {
			out.Fresh = append(out.Fresh, candID+int64(i))
		}
	}

	// Schedules over the last 300 days and the next 60, oldest first;
	// phone screens hold one interview and a Zoom meeting, onsites the rest.
	scheds := w.table("schedules", "id, account_id, candidate_id, stage_id, status, video, meeting_mode, itinerary_token, form_token, created_by, created_at, updated_at")
	items := w.table("schedule_items", "id, account_id, schedule_id, interview_id, name, start_at, end_at, room_id, active")
	books := w.table("schedule_item_interviewers", "account_id, item_id, user_id, start_at, end_at, active")
	meets := w.table("meetings", "id, account_id, schedule_id, item_id, marker, desired, state, topic, start_at, end_at, time_zone, host_id, provider_meeting_id, join_url, synced_start_at, synced_end_at, synced_topic, version, synced_version, created_at, updated_at")
	items.parents = []*table{scheds}
	books.parents = []*table{items}
	meets.parents = []*table{items}
	onsiteScheds := size.Schedules - size.Meetings
	onsiteItems := size.Interviews - size.Meetings
	itemID, meetID := ids["schedule_items"], ids["meetings"]
	day := int64(24 * time.Hour / time.Millisecond)
	start := w.now - w.now%day - 300*day
	span := int64(360)
	upcoming := 0
	for i := range size.Schedules {
		sid := ids["schedules"] + int64(i)
		j := i % jobsCount
		isPhone := i < size.Meetings
		st, firstIv, n := phone[j].id, phone[j].interviews, 1
		if !isPhone {
			k := i - size.Meetings
			st, firstIv, n = onsite[j].id, onsite[j].interviews, onsiteItems/onsiteScheds
			if k < onsiteItems%onsiteScheds {
				n++
			}
		}
		// Spread schedules over the days; the candidate at index 0 is in the past.
		at := start + (int64(i)*7919%span)*day + 9*3600_000 + int64(i%8)*3600_000
		if i == 0 {
			at = start + 9*3600_000
		}
		status := "scheduled"
		if at < w.now {
			status = "completed"
		}
		tok := fmt.Sprintf("large-%d-%d", accountID, sid)
		if err := scheds.add(ctx, sid, accountID, candID+int64(i), st, status, isPhone, "per_interview", tok, tok, nil, at-day, at-day); err != nil {
			return nil, err
		}
		if i == 0 {
			out.Schedule, out.ScheduleItem = sid, itemID
		}
		for k := range n {
			minutes := int64(60)
			if isPhone {
				minutes = 30
			}
			a := at + int64(k)*70*60_000
			z := a + minutes*60_000
			// Interviewers cycle through everyone; the first seeded one
			// takes future phone screens until Upcoming.
			who := userID + int64((i*5+k)%size.Interviewers)
			if isPhone && a > w.now && upcoming < size.Upcoming {
				who = userID
				upcoming++
			}
			if err := items.add(ctx, itemID, accountID, sid, firstIv+int64(k), "Interview", a, z, nil, true); err != nil {
				return nil, err
			}
			if err := books.add(ctx, accountID, itemID, who, a, z, true); err != nil {
				return nil, err
			}
			if isPhone {
				marker := fmt.Sprintf("ipm-large-%d-%d", accountID, meetID)
				state := "created"
				if i%97 == 0 && a > w.now {
					state = "failed"
				}
				if err := meets.add(ctx, meetID, accountID, sid, itemID, marker, "present", state, "Phone screen", a, z, "UTC",
					fmt.Sprintf("zoomhost%04d", (i*5+k)%size.Interviewers), strconv.FormatInt(80_000_000_000+meetID, 10),
					"https://zoom.example/j/"+strconv.FormatInt(meetID, 10), a, z, "Phone screen", 1, 1, at-day, at-day); err != nil {
					return nil, err
				}
				meetID++
			}
			itemID++
		}
	}
	if err := flushAll(ctx, scheds, items, books, meets); err != nil {
		return nil, err
	}
	if err := w.seedCalendars(ctx, ids, userID, size.Interviewers, size.CalendarEvents); err != nil {
		return nil, err
	}
	if db.Dialect == store.Postgres {
		// A bulk load ends with VACUUM ANALYZE, as autovacuum would do
		// shortly (it vacuums after inserts too): statistics for the
		// planner, the visibility map for index-only scans, and no
		// autovacuum of 100,000-row tables competing with what runs next.
		// Of the seeded tables only, not every schema in the database.
		if _, err := db.Writer().ExecContext(ctx, `VACUUM (ANALYZE) `+strings.Join(w.tables, ", ")); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// seqTables are the tables the seed chooses ids in, in the order their
// ids are reserved (and, on PostgreSQL, locked).
var seqTables = []string{"users", "jobs", "stages", "stage_interviews", "candidates", "schedules", "schedule_items", "meetings", "calendar_sources", "calendar_busy"}

// idCounts is how many ids the seed writes in each of seqTables.
func (s Size) idCounts() map[string]int64 {
	sources := int64(s.Interviewers)
	if s.CalendarEvents == 0 {
		sources = 0
	}
	return map[string]int64{
		"users": int64(s.Interviewers), "jobs": jobsCount, "stages": 2 * jobsCount, "stage_interviews": 6 * jobsCount,
		"candidates": int64(s.Candidates), "schedules": int64(s.Schedules), "schedule_items": int64(s.Interviews),
		"meetings": int64(s.Meetings), "calendar_sources": sources, "calendar_busy": int64(s.Interviewers) * int64(s.CalendarEvents),
	}
}

// calendarTitles are the seeded events' titles; "" is a private event.
var calendarTitles = []string{"Team sync", "1:1", "Focus time", "Design review", "", "Customer call", "Planning", "Lunch"}

// seedCalendars gives every seeded interviewer one calendar source, read a
// moment ago, and perEach events over the window it covers (30 days back,
// 90 ahead), in working hours, as a sync would have stored them.
func (w *writer) seedCalendars(ctx context.Context, ids map[string]int64, firstUser int64, interviewers, perEach int) error {
	if perEach == 0 {
		return nil
	}
	day := int64(24 * time.Hour / time.Millisecond)
	from := w.now - w.now%day - 30*day
	to := from + 120*day
	sources := w.table("calendar_sources", "id, account_id, user_id, kind, name, refresh_minutes, state, last_attempt_at, last_success_at, event_count, synced_from, synced_to, next_sync_at, created_at, updated_at, busy_version")
	busy := w.table("calendar_busy", "id, account_id, source_id, user_id, start_at, end_at, kind, title, private, all_day")
	busy.parents = []*table{sources}
	busyID := ids["calendar_busy"]
	// An hour's refresh: the next sync (of an upload the seed did not
	// store) stays beyond any benchmark run.
	const refresh = 60
	for i := range interviewers {
		src, user := ids["calendar_sources"]+int64(i), firstUser+int64(i)
		if err := sources.add(ctx, src, w.account, user, "upload", "Work calendar", refresh, "ok", w.now, w.now, perEach, from, to,
			w.now+refresh*60_000, w.now, w.now, 1); err != nil {
			return err
		}
		for k := range perEach {
			// Spread over the 120 days: 9:00–17:00 UTC, 30 to 90 minutes.
			d := int64(k) * 120 / int64(perEach)
			a := from + d*day + int64((k*7+i)%16)*30*60_000
			z := a + int64(1+(k+i)%3)*30*60_000
			title := calendarTitles[(k+i)%len(calendarTitles)]
			kind := "busy"
			if k%10 == 9 {
				kind = "tentative"
			}
			if err := busy.add(ctx, busyID, w.account, src, user, a+9*3600_000, z+9*3600_000, kind, title, title == "", false); err != nil {
				return err
			}
			busyID++
		}
	}
	return flushAll(ctx, sources, busy)
}

// writer batches rows into multi-row INSERTs, one transaction per batch.
type writer struct {
	db      *store.DB
	account int64
	now     int64
	tables  []string // written to, for ANALYZE
}

// reserveIDs sets aside a block of counts[t] ids in each table t before
// a row is written and returns the first id of each block. The product
// keeps running while the seed writes — a calendar sync inserts busy rows,
// a confirm inserts schedules — and its inserts take ids after the blocks
// rather than ones the seed is about to write.
func (w *writer) reserveIDs(ctx context.Context, counts map[string]int64) (map[string]int64, error) {
	out := map[string]int64{}
	err := w.db.WriteTx(ctx, func(tx *store.Tx) error {
		for _, t := range seqTables {
			n := max(counts[t], 1)
			var last int64
			var err error
			if w.db.Dialect == store.Postgres {
				last, err = reservePostgres(ctx, tx, t, n)
			} else {
				last, err = reserveSQLite(ctx, tx, t, n)
			}
			if err != nil {
				return fmt.Errorf("seed: reserve ids of %s: %w", t, err)
			}
			out[t] = last - n + 1
		}
		return nil
	})
	return out, err
}

// reservePostgres moves t's identity sequence n ids on and returns the last
// id of the block. The lock waits for inserts in flight (their ids come from
// the sequence) and holds new ones back until the commit, so no insert takes
// an id between nextval and setval.
func reservePostgres(ctx context.Context, tx *store.Tx, t string, n int64) (int64, error) {
	if _, err := tx.ExecContext(ctx, `LOCK TABLE `+t+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return 0, err
	}
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'),
		GREATEST(nextval(pg_get_serial_sequence($1, 'id')), (SELECT COALESCE(MAX(id), 0) + 1 FROM `+t+`)) + $2 - 1)`, t, n).Scan(&last)
	return last, err
}

// reserveSQLite raises t's AUTOINCREMENT counter n ids on and returns the
// last id of the block: SQLite gives a new row one more than the larger of
// that counter and the table's largest id. The write transaction holds
// every other writer back meanwhile.
func reserveSQLite(ctx context.Context, tx *store.Tx, t string, n int64) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0),
		(SELECT COALESCE(MAX(id), 0) FROM `+t+`)) + $2`, t, n).Scan(&last); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = $1 WHERE name = $2`, last, t)
	if err != nil {
		return 0, err
	}
	if changed, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if changed == 0 {
		// A table that never held a row has no counter yet.
		if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)`, t, last); err != nil {
			return 0, err
		}
	}
	return last, nil
}

type table struct {
	w       *writer
	name    string
	columns int
	head    string
	rows    [][]any
	// parents are flushed first, so foreign keys always find their row.
	parents []*table
}

func (w *writer) table(name, columns string) *table {
	w.tables = append(w.tables, name)
	return &table{w: w, name: name, columns: len(strings.Split(columns, ",")), head: `INSERT INTO ` + name + ` (` + columns + `) VALUES `}
}

// batchParams stays under SQLite's 32,766 and PostgreSQL's 65,535 bound
// parameters per statement.
const batchParams = 30_000

func (t *table) add(ctx context.Context, values ...any) error {
	if len(values) != t.columns {
		return fmt.Errorf("seed %s: %d values for %d columns", t.name, len(values), t.columns)
	}
	t.rows = append(t.rows, values)
	if (len(t.rows)+1)*t.columns > batchParams {
		return t.flush(ctx)
	}
	return nil
}

func (t *table) flush(ctx context.Context) error {
	for _, p := range t.parents {
		if err := p.flush(ctx); err != nil {
			return err
		}
	}
	if len(t.rows) == 0 {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(t.head)
	args := make([]any, 0, len(t.rows)*t.columns)
	for i, r := range t.rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for k := range r {
			if k > 0 {
				sb.WriteByte(',')
			}
			args = append(args, r[k])
			if t.w.db.Dialect == store.SQLite {
				// Positional: SQLite looks each $N name up in a list,
				// which is quadratic in a statement of thousands.
				sb.WriteByte('?')
			} else {
				sb.WriteString("$" + strconv.Itoa(len(args)))
			}
		}
		sb.WriteByte(')')
	}
	t.rows = t.rows[:0]
	return t.w.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("seed %s: %w", t.name, err)
		}
		return nil
	})
}

func flushAll(ctx context.Context, ts ...*table) error {
	for _, t := range ts {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}
