package scaleseed_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/scaleseed"
	"interviewplanner/store/storetest"
)

// largeTables hold rows in proportion to the company's history; reading
// one of them whole is what makes a page slow at a large customer.
var largeTables = []string{"candidates", "schedules", "schedule_items", "schedule_item_interviewers", "meetings", "users", "interviewer_profiles", "interview_pool", "candidates_search", "calendar_sources", "calendar_busy"}

// hotQueries are the queries behind the main pages, with arguments of the
// seeded account. Each must read an index range, never a whole table.
func hotQueries(dialect store.Dialect, s *scaleseed.Seeded, account int64, now time.Time, host string, source int64) []struct {
	name, sql string
	args      []any
} {
	ms := store.MS(now)
	return []struct {
		name, sql string
		args      []any
	}{
		{"candidate list", `SELECT id, name FROM candidates WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, []any{account, 51}},
		{"candidate list by stage", `SELECT id, name FROM candidates WHERE account_id = $1 AND stage_id = $2 AND id < $3 ORDER BY id DESC LIMIT $4`, []any{account, s.PhoneStage, 50_000, 51}},
		{"candidate search", searchSQL(dialect), []any{account, searchArg(dialect, s.SearchRare), 51}},
		{"a candidate", `SELECT id, name FROM candidates WHERE id = $1 AND account_id = $2`, []any{s.Candidate, account}},
		{"candidate's schedules", `SELECT id FROM schedules WHERE account_id = $1 AND candidate_id = $2 ORDER BY id DESC LIMIT 50`, []any{account, s.Candidate}},
		{"schedule items", `SELECT id, interview_id, name, start_at, end_at, room_id FROM schedule_items
			WHERE account_id = $1 AND schedule_id = $2 AND active = TRUE ORDER BY start_at, id`, []any{account, s.Schedule}},
		{"schedule bookings", `SELECT item_id, user_id FROM schedule_item_interviewers
			WHERE account_id = $1 AND item_id IN ($2, $3) AND active = TRUE ORDER BY user_id`, []any{account, s.ScheduleItem, s.ScheduleItem + 1}},
		{"schedules' items", `SELECT schedule_id, id, interview_id, name, start_at, end_at, room_id FROM schedule_items
			WHERE account_id = $1 AND schedule_id IN ($2, $3, $4) AND active = TRUE ORDER BY schedule_id, start_at, id`, []any{account, s.Schedule, s.Schedule + 1, s.Schedule + 2}},
		{"schedules' meetings", `SELECT schedule_id, id, item_id, state FROM meetings WHERE account_id = $1 AND schedule_id IN ($2, $3, $4) AND desired = 'present'`,
			[]any{account, s.Schedule, s.Schedule + 1, s.Schedule + 2}},
		{"schedule meetings", `SELECT id, item_id, state FROM meetings WHERE account_id = $1 AND schedule_id = $2 AND desired = 'present'`, []any{account, s.Schedule}},
		{"my interviews", `SELECT si.schedule_id, si.id, si.name, si.start_at, c.id, c.name, COALESCE(m.join_url, '') FROM schedule_item_interviewers sii
			JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
			JOIN schedules sc ON sc.id = si.schedule_id AND sc.account_id = si.account_id
			JOIN candidates c ON c.id = sc.candidate_id AND c.account_id = sc.account_id
			LEFT JOIN meetings m ON m.account_id = si.account_id AND m.schedule_id = si.schedule_id AND m.desired = 'present' AND (m.item_id = si.id OR m.item_id IS NULL)
			WHERE sii.account_id = $1 AND sii.user_id = $2 AND sii.active = TRUE AND si.active = TRUE AND sii.start_at > $3 AND sii.end_at > $4
			ORDER BY sii.start_at, sii.item_id LIMIT 52`, []any{account, s.InterviewerID, ms - 8*3_600_000, ms}},
		{"my later interviews", `SELECT si.schedule_id, si.id, si.name, si.start_at, c.id, c.name, COALESCE(m.join_url, '') FROM schedule_item_interviewers sii
			JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
			JOIN schedules sc ON sc.id = si.schedule_id AND sc.account_id = si.account_id
			JOIN candidates c ON c.id = sc.candidate_id AND c.account_id = sc.account_id
			LEFT JOIN meetings m ON m.account_id = si.account_id AND m.schedule_id = si.schedule_id AND m.desired = 'present' AND (m.item_id = si.id OR m.item_id IS NULL)
			WHERE sii.account_id = $1 AND sii.user_id = $2 AND sii.active = TRUE AND si.active = TRUE AND sii.start_at > $3 AND sii.end_at > $4
			AND (sii.start_at, sii.item_id) > ($5, $6) ORDER BY sii.start_at, sii.item_id LIMIT 52`,
			[]any{account, s.InterviewerID, ms + 7*86_400_000 - 1, ms, ms + 7*86_400_000, 1}},
		{"a proposal's stage", `SELECT c.id, st.id, i.id, i.duration_minutes FROM candidates c
			LEFT JOIN stages st ON st.id = c.stage_id AND st.account_id = c.account_id
			LEFT JOIN stage_interviews i ON i.stage_id = st.id AND i.account_id = st.account_id AND i.removed = FALSE
			WHERE c.id = $1 AND c.account_id = $2`, []any{s.Candidate, account}},
		// Find times and a confirm's conflict check: our own bookings of
		// the people, rooms and Zoom hosts asked, in the window, as
		// hiringstore's ListInterviewerBookings, ListRoomBookings and
		// ListHostMeetings read them.
		{"interviewer bookings in a window", `SELECT sii.user_id, si.schedule_id, sii.start_at, sii.end_at FROM schedule_item_interviewers sii
			JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
			WHERE sii.account_id = $1 AND sii.user_id IN ($2, $3) AND sii.active = TRUE
			AND sii.start_at < $4 AND sii.start_at > $5 AND sii.end_at > $6 AND si.schedule_id <> $7 ORDER BY sii.start_at, sii.user_id`,
			[]any{account, s.InterviewerID, s.InterviewerID + 1, ms + 30*86_400_000, ms - 86_400_000, ms, 0}},
		{"room bookings in a window", `SELECT room_id, schedule_id, start_at, end_at FROM schedule_items
			WHERE account_id = $1 AND room_id IN ($2) AND active = TRUE
			AND start_at < $3 AND start_at > $4 AND end_at > $5 AND schedule_id <> $6 ORDER BY start_at, room_id`,
			[]any{account, 1, ms + 30*86_400_000, ms - 86_400_000, ms, 0}},
		{"Zoom hosts' meetings in a window", `SELECT host_id, schedule_id, start_at, end_at FROM meetings
			WHERE account_id = $1 AND host_id IN ($2, $3) AND desired = 'present'
			AND start_at < $4 AND end_at > $5 AND schedule_id <> $6 ORDER BY start_at, host_id`,
			[]any{account, host, "nobody", ms + 30*86_400_000, ms, 0}},
		// Find times' and the conflict check's calendar reads, as
		// calendarstore's ListOwnerSourceStates and ListSourceBusy run them.
		{"calendars of interviewers and rooms", `SELECT s.id, COALESCE(s.user_id, 0), COALESCE(s.room_id, 0), COALESCE(u.name, r.name, ''), COALESCE(u.time_zone, ''),
			s.name, s.refresh_minutes, s.state, s.error, s.failing_since, s.last_success_at, s.synced_from, s.synced_to, s.busy_version
			FROM calendar_sources s
			LEFT JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
			LEFT JOIN rooms r ON r.id = s.room_id AND r.account_id = s.account_id
			WHERE s.account_id = $1 AND (s.user_id IN ($2, $3) OR s.room_id IN ($4)) ORDER BY s.id`, []any{account, s.InterviewerID, s.InterviewerID + 1, 1}},
		{"calendars of interviewers", `SELECT s.id, COALESCE(s.user_id, 0), COALESCE(s.room_id, 0), COALESCE(u.name, r.name, ''), COALESCE(u.time_zone, ''),
			s.name, s.refresh_minutes, s.state, s.error, s.failing_since, s.last_success_at, s.synced_from, s.synced_to, s.busy_version
			FROM calendar_sources s
			LEFT JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
			LEFT JOIN rooms r ON r.id = s.room_id AND r.account_id = s.account_id
			WHERE s.account_id = $1 AND (s.user_id IN ($2, $3)) ORDER BY s.id`, []any{account, s.InterviewerID, s.InterviewerID + 1}},
		{"a calendar's busy time", `SELECT source_id, COALESCE(user_id, 0), start_at, end_at, kind, title, private, all_day
			FROM calendar_busy WHERE account_id = $1 AND source_id = $2 ORDER BY start_at, end_at`, []any{account, source}},
		{"meeting sweep", `SELECT account_id, id FROM meetings
			WHERE (state IN ('pending', 'creating', 'waiting_for_zoom', 'deleting', 'failed') OR (state = 'created' AND version <> synced_version) OR retiring_meeting_id <> '')
			AND NOT (state = 'failed' AND updated_at >= $1 AND retiring_meeting_id = '') ORDER BY updated_at LIMIT $2`, []any{ms - 30_000, 1000}},
		{"waiting-for-Zoom banner", `SELECT COUNT(*) FROM meetings WHERE account_id = $1 AND state = $2`, []any{account, "waiting_for_zoom"}},
		{"failing calendars banner", `SELECT COUNT(*) FROM calendar_sources WHERE account_id = $1 AND state = 'failing'`, []any{account}},
		{"admins to ask", `SELECT name FROM users WHERE account_id = $1 AND role = 'admin' AND active = TRUE ORDER BY name LIMIT $2`, []any{account, 20}},
		{"users page", `SELECT id, name FROM users WHERE account_id = $1 AND (name, id) > ($2, $3) ORDER BY name, id LIMIT $4`, []any{account, "M", 0, store.DefaultUserPage + 1}},
		{"interviewers page", `SELECT id, name FROM users WHERE account_id = $1 AND (name, id) > ($2, $3) AND active = TRUE ORDER BY name, id LIMIT $4`,
			[]any{account, "M", 0, store.DefaultUserPage + 1}},
		{"interviewers' profiles", `SELECT u.id, p.time_zone FROM users u LEFT JOIN interviewer_profiles p ON p.user_id = u.id AND p.account_id = u.account_id
			WHERE u.account_id = $1 AND u.id IN ($2, $3)`, []any{account, s.InterviewerID, s.InterviewerID + 1}},
		{"Zoom directory's people", `SELECT id, name FROM users WHERE account_id = $1 AND email IN ($2, $3)`, []any{account, s.InterviewerEmail, "nobody@example.com"}},
		{"job's pools", `SELECT DISTINCT p.user_id FROM interview_pool p
			WHERE p.account_id = $1 AND p.interview_id IN (SELECT i.id FROM stage_interviews i JOIN stages st ON st.id = i.stage_id
			WHERE st.account_id = $1 AND st.job_id = (SELECT job_id FROM stages WHERE id = $2) AND i.account_id = $1 AND i.removed = FALSE)
			ORDER BY p.user_id LIMIT $3`, []any{account, s.PhoneStage, 100}},
	}
}

// partialIndexes are the hot queries that read a partial index of the few
// rows they count or name, by query: the account's whole range of a
// large table is what they avoid.
var partialIndexes = map[string]string{
	"admins to ask":            "users_admins",             // the pages non-admins see read the admins alone
	"failing calendars banner": "calendar_sources_failing", // every admin page
}

// TestHotQueriesUseIndexes seeds a large customer and checks the query
// plan of each hot query on this database: a full scan of a large table
// fails the test.
func TestHotQueriesUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a large account")
	}
	db := storetest.MustOpen(t)
	ctx := context.Background()
	small, _ := db.CreateAccount(ctx, "Small")
	acct, err := db.CreateAccount(ctx, "Large")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := scaleseed.Seed(ctx, db, small.ID, scaleseed.Size{Candidates: 100, Interviewers: 10, Schedules: 50, Interviews: 120, Meetings: 20}, "x", now); err != nil {
		t.Fatal(err)
	}
	// A large customer, but with 10 calendar events an interviewer rather
	// than 300: 20,000 busy rows make a table a plan must not read whole,
	// and the 600,000 were most of the seed's cost.
	size := scaleseed.Large
	size.CalendarEvents = 10
	seeded, err := scaleseed.Seed(ctx, db, acct.ID, size, "x", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == store.Postgres {
		// A search must not read a pending list of every candidate added
		// since the last vacuum.
		var opts string
		if err := db.Reader().QueryRowContext(ctx, `SELECT COALESCE(array_to_string(reloptions, ','), '') FROM pg_class WHERE oid = to_regclass('candidates_search_trgm')`).Scan(&opts); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(opts, "fastupdate=off") {
			t.Errorf("candidates_search_trgm options %q: want fastupdate=off", opts)
		}
	}
	if db.Dialect == store.SQLite {
		var n int
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'schedule_item_interviewers'`).Scan(&n); err != nil || n == 0 {
			t.Errorf("no statistics for schedule_item_interviewers after Optimize (%v)", err)
		}
	}
	var host string
	var source int64
	if err := db.Reader().QueryRowContext(ctx, `SELECT host_id FROM meetings WHERE account_id = $1 AND host_id <> '' ORDER BY id LIMIT 1`, acct.ID).Scan(&host); err != nil {
		t.Fatalf("a seeded Zoom host: %v", err)
	}
	if err := db.Reader().QueryRowContext(ctx, `SELECT id FROM calendar_sources WHERE account_id = $1 AND user_id = $2`, acct.ID, seeded.InterviewerID).Scan(&source); err != nil {
		t.Fatalf("the interviewer's seeded calendar: %v", err)
	}
	for _, q := range hotQueries(db.Dialect, seeded, acct.ID, now, host, source) {
		plan := explain(t, db, q.sql, q.args)
		if index, ok := partialIndexes[q.name]; ok {
			if !strings.Contains(plan, index) {
				t.Errorf("%s does not use %s:\n%s", q.name, index, plan)
			}
		} else if bad := fullScan(db.Dialect, plan, q.name == "candidate list"); bad != "" {
			t.Errorf("%s reads all of %s:\n%s", q.name, bad, plan)
		}
		if q.name == "candidate search" && !strings.Contains(plan, "candidates_search") {
			// A walk of the account's candidates in id order, filtering
			// each, is not a scan by name but reads 100,000 rows for a
			// rare match.
			t.Errorf("candidate search does not use the text index:\n%s", plan)
		}
		t0 := time.Now()
		rows, err := db.Reader().QueryContext(ctx, q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		t.Logf("%-34s %4d rows %8s", q.name, n, time.Since(t0).Round(time.Microsecond))
	}
}

func explain(t *testing.T, db *store.DB, query string, args []any) string {
	t.Helper()
	prefix := "EXPLAIN QUERY PLAN "
	if db.Dialect == store.Postgres {
		prefix = "EXPLAIN "
	}
	rows, err := db.Reader().QueryContext(context.Background(), prefix+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	return strings.Join(lines, "\n")
}

var pgSeqScan = regexp.MustCompile(`Seq Scan on (\w+)`)

// fullScan names the large table a plan reads whole, or "". SQLite says
// "SCAN t" for a table walk ("SCAN t USING INDEX" walks a whole index,
// as bad) and "SEARCH t USING INDEX i (account_id=?)" for a walk of the
// whole account, as bad unless a LIMIT stops it in index order
// (accountWalk); "SEARCH" on more columns is a range. PostgreSQL says
// "Seq Scan".
func fullScan(d store.Dialect, plan string, accountWalk bool) string {
	var ms [][]string
	if d == store.Postgres {
		ms = pgSeqScan.FindAllStringSubmatch(plan, -1)
	} else {
		for _, line := range strings.Split(plan, "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "VIRTUAL TABLE") && !strings.Contains(line, "CONSTANT ROW") && !scansShortIndex(line) {
				ms = append(ms, []string{line, strings.Fields(line)[1]})
			}
			if strings.HasPrefix(line, "SEARCH ") && strings.HasSuffix(line, "(account_id=?)") && !accountWalk {
				ms = append(ms, []string{line, strings.Fields(line)[1]})
			}
		}
	}
	for _, m := range ms {
		for _, big := range largeTables {
			if m[1] == big {
				return big
			}
		}
	}
	return ""
}

// shortIndexes are partial indexes that hold only the rows with work left,
// never the history: reading one whole is reading a short list.
var shortIndexes = []string{"meetings_work_left"}

func scansShortIndex(line string) bool {
	for _, ix := range shortIndexes {
		if strings.HasSuffix(line, "USING INDEX "+ix) {
			return true
		}
	}
	return false
}

// searchSQL is ListCandidates' search, as each database runs it.
func searchSQL(d store.Dialect) string {
	if d == store.SQLite {
		return `SELECT id FROM candidates_search CROSS JOIN candidates ON candidates.id = candidates_search.rowid
			WHERE account_id = $1 AND candidates_search MATCH $2 ORDER BY candidates_search.rowid DESC LIMIT $3`
	}
	return `SELECT id FROM candidates WHERE account_id = $1 AND search_text LIKE $2 ESCAPE '\' ORDER BY id DESC LIMIT $3`
}

func searchArg(d store.Dialect, q string) string {
	if d == store.SQLite {
		return `"` + q + `"`
	}
	return "%" + q + "%"
}
