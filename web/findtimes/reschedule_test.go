package findtimes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/scheduling"
	"interviewplanner/store/hiringstore"
)

// bookedSchedule is a schedule as the API returns it.
type bookedSchedule struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Items  []struct {
		ID           int64     `json:"id"`
		InterviewID  int64     `json:"interview_id"`
		Start        time.Time `json:"start"`
		End          time.Time `json:"end"`
		Interviewers []int64   `json:"interviewers"`
		RoomID       *int64    `json:"room_id"`
		Meeting      *struct {
			State string `json:"state"`
		} `json:"meeting"`
	} `json:"items"`
}

func mustSchedule(tb testing.TB, c *apptest.Client, id int64) bookedSchedule {
	tb.Helper()
	var sc bookedSchedule
	mustJSON(tb, c.Get(fmt.Sprintf("/api/v1/schedules/%d", id)), 200, &sc)
	return sc
}

// mustAvailability gives the candidate one afternoon (UTC) on a weekday
// at least three days ahead, so the search does not move with the clock.
func mustAvailability(tb testing.TB, c *apptest.Client, candidateID int64) {
	tb.Helper()
	d := time.Now().UTC().AddDate(0, 0, 3)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	from := time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, time.UTC)
	body := fmt.Sprintf(`{"availability":[{"start":%q,"end":%q}]}`, from.Format(time.RFC3339), from.Add(6*time.Hour).Format(time.RFC3339))
	mustJSON(tb, c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", candidateID), body), 200, nil)
}

// rawOptions is the API's options, everything included, for comparison.
func rawOptions(tb testing.TB, c *apptest.Client, path string) (string, bool) {
	tb.Helper()
	var r struct {
		Exhaustive bool            `json:"exhaustive"`
		Options    json.RawMessage `json:"options"`
	}
	mustJSON(tb, c.Get(path), 200, &r)
	return string(r.Options), r.Exhaustive
}

// TestRescheduleIgnoresTheSchedulesOwnBookings books a candidate's best
// option, then asks for new times for that schedule: with its own
// interviews out of everybody's busy time and load, the problem is the
// one before booking, so the options are exactly the same (the same slot
// and interviewer included). Without ?schedule= the booked slot is gone.
func TestRescheduleIgnoresTheSchedulesOwnBookings(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	router := mustValidator(t, c)
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, c, st.ID, "America/New_York")[0]
	mustAvailability(t, c, id)

	path := fmt.Sprintf("/api/v1/candidates/%d/find-times", id)
	before, exhaustive := rawOptions(t, c, path)
	if !exhaustive {
		t.Fatal("the phone screen search did not finish; the comparison below needs optimal options")
	}
	r1 := findTimes(t, c, id)
	scID := mustConfirmFirstOption(t, c, id, r1)
	booked := mustSchedule(t, c, scID)
	it := booked.Items[0]

	again := fmt.Sprintf("%s?schedule=%d", path, scID)
	res := c.Get(again)
	validate(t, router, again, res)
	after, _ := rawOptions(t, c, again)
	if after != before {
		t.Fatalf("rescheduling does not see the problem as before booking:\nbefore %s\nafter  %s", before, after)
	}
	var r2 result
	mustJSON(t, res, 200, &r2)
	first := r2.Options[0].Items[0]
	if !first.Start.Equal(it.Start) || !slices.Equal(first.Interviewers, it.Interviewers) {
		t.Errorf("best new time %v %v, want the booked slot %v %v offered again", first.Start, first.Interviewers, it.Start, it.Interviewers)
	}

	// A new schedule for the same candidate must avoid the booking.
	r3 := findTimes(t, c, id)
	for _, o := range r3.Options {
		for _, x := range o.Items {
			if x.Start.Equal(it.Start) && slices.Equal(x.Interviewers, it.Interviewers) {
				t.Fatalf("option %d double-books interviewer %v at %v", o.Rank, x.Interviewers, x.Start)
			}
		}
	}
}

// TestBuilderLeavesOutOnlyTheReplacedSchedule checks, on the problem the
// engine gets, that a replaced schedule's interviewer bookings, load
// counts, room and Zoom host's meeting disappear, and another schedule's
// stay.
func TestBuilderLeavesOutOnlyTheReplacedSchedule(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0"}})
	admin := a.SignIn(t, "admin@example.com")
	mustConnectZoom(t, a, admin)
	ctx := t.Context()
	acct, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}

	// A video phone screen (its meeting gets a Zoom host) and an onsite
	// (its hiring manager interview gets a room).
	phone := mustStage(t, admin, "Senior Backend Engineer", "Phone Screen")
	callee := mustCandidates(t, admin, phone.ID, "America/New_York")[0]
	phoneID := mustConfirmFirstOption(t, admin, callee, findTimes(t, admin, callee))
	onsite := mustStage(t, admin, "Senior Backend Engineer", "Onsite")
	visitor := mustCandidates(t, admin, onsite.ID, "America/New_York")[0]
	onsiteID := mustConfirmFirstOption(t, admin, visitor, findTimes(t, admin, visitor))

	call := waitForMeetings(t, admin, phoneID).Items[0]
	var visit bookedScheduleItem
	for _, x := range mustSchedule(t, admin, onsiteID).Items {
		if x.RoomID != nil {
			visit = bookedScheduleItem{Start: x.Start, End: x.End, Interviewers: x.Interviewers, RoomID: *x.RoomID}
		}
	}
	if visit.RoomID == 0 {
		t.Fatal("the onsite booked no room")
	}

	build := func(candidate, replacing int64) *scheduling.FindInput {
		t.Helper()
		b := &scheduling.Builder{Store: hiringstore.New(a.Main.DB), Now: time.Now, Replacing: replacing,
			Hosts: func(ctx context.Context, accountID int64) []domain.VideoHost {
				hs, err := a.Main.Video.Hosts(ctx, accountID)
				if err != nil {
					t.Fatal(err)
				}
				return hs
			}}
		in, err := b.Build(ctx, acct.ID, candidate)
		if err != nil {
			t.Fatalf("build for candidate %d replacing %d: %v", candidate, replacing, err)
		}
		return in
	}
	span := scheduler.Interval{Start: call.Start, End: call.End}
	person := call.Interviewers[0]
	kept, replaced := build(callee, 0), build(callee, phoneID)
	if !hasInterval(kept.Busy[person], span) || hasInterval(replaced.Busy[person], span) {
		t.Errorf("interviewer %d's booking %v: kept %v, replaced %v", person, span, kept.Busy[person], replaced.Busy[person])
	}
	day := scheduler.DateOf(call.Start, interviewerOf(t, kept, person).Location)
	if n, m := existingOn(interviewerOf(t, kept, person), day), existingOn(interviewerOf(t, replaced, person), day); n != m+1 {
		t.Errorf("interviewer %d's existing interviews on %v: %d kept, %d replaced; want one fewer", person, day, n, m)
	}
	hostBusy := func(in *scheduling.FindInput) bool {
		for _, h := range in.Problem.ZoomHosts {
			if hasInterval(h.Busy, span) {
				return true
			}
		}
		return false
	}
	if len(kept.Problem.ZoomHosts) == 0 || !hostBusy(kept) || hostBusy(replaced) {
		t.Errorf("the phone screen's Zoom meeting: busy for a host %v when kept, %v when replaced (%d hosts)",
			hostBusy(kept), hostBusy(replaced), len(kept.Problem.ZoomHosts))
	}

	vspan := scheduler.Interval{Start: visit.Start, End: visit.End}
	roomBusy := func(in *scheduling.FindInput) bool {
		for _, r := range in.Problem.Rooms {
			if r.ID == visit.RoomID && hasInterval(r.Busy, vspan) {
				return true
			}
		}
		return false
	}
	keptOnsite, replacedOnsite := build(visitor, 0), build(visitor, onsiteID)
	if !roomBusy(keptOnsite) || roomBusy(replacedOnsite) {
		t.Errorf("room %d at %v: busy %v when kept, %v when replaced", visit.RoomID, vspan, roomBusy(keptOnsite), roomBusy(replacedOnsite))
	}
	// Replacing the onsite leaves the phone screen's booking in place.
	if !hasInterval(replacedOnsite.Busy[person], span) {
		t.Errorf("replacing the onsite also freed interviewer %d from the phone screen", person)
	}

	// The schedule must be the candidate's: another's is not found.
	b := &scheduling.Builder{Store: hiringstore.New(a.Main.DB), Now: time.Now, Replacing: phoneID}
	if _, err := b.Build(ctx, acct.ID, visitor); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("another candidate's schedule: err = %v, want not found", err)
	}
}

type bookedScheduleItem struct {
	Start, End   time.Time
	Interviewers []int64
	RoomID       int64
}

// waitForMeetings waits until every meeting of the schedule is created,
// so each has its Zoom host.
func waitForMeetings(tb testing.TB, c *apptest.Client, id int64) bookedSchedule {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		sc := mustSchedule(tb, c, id)
		done := len(sc.Items) > 0
		for _, it := range sc.Items {
			done = done && it.Meeting != nil && it.Meeting.State == "created"
		}
		if done {
			return sc
		}
		if time.Now().After(deadline) {
			tb.Fatalf("schedule %d's meetings were not created", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hasInterval(ivs []scheduler.Interval, want scheduler.Interval) bool {
	return slices.ContainsFunc(ivs, func(iv scheduler.Interval) bool { return iv.Start.Equal(want.Start) && iv.End.Equal(want.End) })
}

func interviewerOf(tb testing.TB, in *scheduling.FindInput, id int64) *scheduler.Interviewer {
	tb.Helper()
	for i := range in.Problem.Interviewers {
		if in.Problem.Interviewers[i].ID == id {
			return &in.Problem.Interviewers[i]
		}
	}
	tb.Fatalf("interviewer %d is not in the problem", id)
	return nil
}

func existingOn(in *scheduler.Interviewer, d scheduler.Date) int {
	n := 0
	for _, e := range in.Existing {
		if e.Date == d {
			n += e.Count
		}
	}
	return n
}

// selectedIn returns the ids ticked in the form's checkboxes named name.
func selectedIn(tb testing.TB, body, name string) []string {
	tb.Helper()
	if !strings.Contains(body, `name="`+name+`"`) {
		tb.Fatalf("no field %s on the form", name)
	}
	re := regexp.MustCompile(`<input type="checkbox" name="` + regexp.QuoteMeta(name) + `" value="(\d+)" checked>`)
	var ids []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestRescheduleRoundTrip: the schedule's page offers "Find new times";
// an option with a swapped interviewer opens the schedule's edit form
// prefilled, and saving moves the same interview to the new time and
// interviewer.
func TestRescheduleRoundTrip(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, c, st.ID, "America/New_York")[0]
	mustAvailability(t, c, id)
	scID := mustConfirmFirstOption(t, c, id, findTimes(t, c, id))
	before := mustSchedule(t, c, scID)

	page := c.Get(fmt.Sprintf("/schedules/%d", scID))
	link := fmt.Sprintf(`href="/candidates/%d/find-times?schedule=%d"`, id, scID)
	if !strings.Contains(page.Body, link) {
		t.Fatalf("the schedule's page does not offer Find new times (%s)", link)
	}
	options := c.Get(fmt.Sprintf("/candidates/%d/find-times?schedule=%d", id, scID))
	if options.StatusCode != 200 || !strings.Contains(options.Body, `id="replacing"`) {
		t.Fatalf("find new times: %d\n%s", options.StatusCode, options.Body)
	}
	// Option 1 is the booking itself (see above); option 2 moves it, and
	// its interviewer is swapped for the last one offered.
	swappedTo := ""
	action, q := optionForm(t, options.Body, 2, func(name string, seat int, choices []seatChoice) string {
		swappedTo = choices[len(choices)-1].Value
		return swappedTo
	})
	if want := fmt.Sprintf("/schedules/%d/edit", scID); action != want {
		t.Fatalf("Use this option opens %q, want %q", action, want)
	}
	iv := before.Items[0].InterviewID
	k := fmt.Sprintf("p%d_", iv)
	if swappedTo == "" {
		swappedTo = q.Get(k + "interviewers")
		t.Logf("option 2 offers no one to swap in; keeping interviewer %s", swappedTo)
	}
	start, err := time.Parse(time.RFC3339, q.Get(k+"start"))
	if err != nil {
		t.Fatalf("option 2's start %q: %v", q.Get(k+"start"), err)
	}

	form := c.Get(action + "?" + q.Encode())
	if form.StatusCode != 200 || !strings.Contains(form.Body, "Reschedule") {
		t.Fatalf("edit form: %d\n%s", form.StatusCode, form.Body)
	}
	zone := field(t, form.Body, "zone")
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	date, clock := field(t, form.Body, k+"date"), field(t, form.Body, k+"time")
	if date != start.In(loc).Format("2006-01-02") || clock != start.In(loc).Format("15:04") {
		t.Fatalf("edit form prefilled at %s %s, want %v", date, clock, start.In(loc))
	}
	if got := selectedIn(t, form.Body, k+"interviewers"); !slices.Equal(got, []string{swappedTo}) {
		t.Fatalf("edit form selects interviewers %v, want [%s]", got, swappedTo)
	}

	v := url.Values{"zone": {zone}, "action": {"confirm"}, k + "place": {"on"}, k + "date": {date}, k + "time": {clock}, k + "interviewers": {swappedTo}}
	if strings.Contains(form.Body, `name="video" checked`) {
		v.Set("video", "on")
	}
	res := c.PostForm(fmt.Sprintf("/schedules/%d", scID), v)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/schedules/%d", scID) {
		t.Fatalf("save: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	after := mustSchedule(t, c, scID)
	if len(after.Items) != 1 || after.Items[0].ID != before.Items[0].ID {
		t.Fatalf("items %+v, want item %d moved in place", after.Items, before.Items[0].ID)
	}
	got := after.Items[0]
	if !got.Start.Equal(start) || len(got.Interviewers) != 1 || fmt.Sprint(got.Interviewers[0]) != swappedTo {
		t.Fatalf("saved %v %v, want %v [%s]", got.Start, got.Interviewers, start, swappedTo)
	}
	if got.Start.Equal(before.Items[0].Start) && slices.Equal(got.Interviewers, before.Items[0].Interviewers) {
		t.Fatal("nothing moved: option 2 should differ from the booking")
	}
}

// TestRescheduleStaysInsideTheCandidateAndCompany: a schedule id of
// another candidate or company is not found, on the page, in the API and
// on the edit form, and no schedule changes; a cancelled one cannot be
// rescheduled.
func TestRescheduleStaysInsideTheCandidateAndCompany(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	acme := a.SignIn(t, "sam@example.com")
	st := mustStage(t, acme, "Senior Backend Engineer", "Phone Screen")
	cands := mustCandidates(t, acme, st.ID, "America/New_York")
	if len(cands) < 2 {
		cands = append(cands, mustCandidates(t, acme, st.ID, "Europe/London")...)
	}
	mine, theirs := cands[0], cands[1]
	scID := mustConfirmFirstOption(t, acme, mine, findTimes(t, acme, mine))

	globex := a.SignIn(t, "admin@globex.example")
	foreign, foreignCand := mustGlobexSchedule(t, globex)

	// What a request could change: status, times and people. The meeting
	// state moves on its own as the meeting worker runs.
	shape := func(c *apptest.Client, id int64) string {
		var sc struct {
			Status string `json:"status"`
			Items  []struct {
				ID           int64     `json:"id"`
				Start        time.Time `json:"start"`
				End          time.Time `json:"end"`
				Interviewers []int64   `json:"interviewers"`
			} `json:"items"`
		}
		mustJSON(t, c.Get(fmt.Sprintf("/api/v1/schedules/%d", id)), 200, &sc)
		return fmt.Sprintf("%+v", sc)
	}
	snapshot := func() (string, string) { return shape(acme, scID), shape(globex, foreign) }
	a1, g1 := snapshot()
	cases := []struct {
		name   string
		c      *apptest.Client
		cand   int64
		sched  string
		status int
	}{
		{"another candidate's schedule", acme, theirs, fmt.Sprint(scID), http.StatusNotFound},
		{"another company's schedule", acme, mine, fmt.Sprint(foreign), http.StatusNotFound},
		{"from another company", globex, foreignCand, fmt.Sprint(scID), http.StatusNotFound},
		{"not a schedule id", acme, mine, "abc", http.StatusNotFound},
		{"the candidate's own", acme, mine, fmt.Sprint(scID), http.StatusOK},
	}
	for _, tc := range cases {
		for _, path := range []string{"/candidates/%d/find-times?schedule=%s", "/api/v1/candidates/%d/find-times?schedule=%s"} {
			p := fmt.Sprintf(path, tc.cand, tc.sched)
			if res := tc.c.Get(p); res.StatusCode != tc.status {
				t.Errorf("%s: GET %s = %d, want %d\n%s", tc.name, p, res.StatusCode, tc.status, res.Body)
			}
		}
	}
	if res := acme.Get(fmt.Sprintf("/schedules/%d/edit?p1_start=2030-01-01T10:00:00Z", foreign)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another company's edit form: %d, want 404", res.StatusCode)
	}
	if a2, g2 := snapshot(); a2 != a1 || g2 != g1 {
		t.Errorf("a schedule changed:\n%s\n%s\n%s\n%s", a1, a2, g1, g2)
	}

	mustJSON(t, acme.JSON("POST", fmt.Sprintf("/api/v1/schedules/%d/cancel", scID), ""), 200, nil)
	if res := acme.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times?schedule=%d", mine, scID)); res.StatusCode != http.StatusConflict {
		t.Errorf("cancelled schedule: %d, want 409\n%s", res.StatusCode, res.Body)
	}
	if page := acme.Get(fmt.Sprintf("/schedules/%d", scID)); strings.Contains(page.Body, "find-times?schedule=") {
		t.Error("a cancelled schedule's page still offers Find new times")
	}
}

// mustGlobexSchedule books one interview in the second company and
// returns the schedule's and the candidate's ids.
func mustGlobexSchedule(tb testing.TB, c *apptest.Client) (int64, int64) {
	tb.Helper()
	var job, cand, sc struct {
		ID int64 `json:"id"`
	}
	mustJSON(tb, c.JSON("POST", "/api/v1/jobs", `{"title":"Accountant"}`), 201, &job)
	var stage struct {
		ID         int64 `json:"id"`
		Interviews []struct {
			ID int64 `json:"id"`
		} `json:"interviews"`
	}
	mustJSON(tb, c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", job.ID), `{"name":"Interview","position":1,"video":"off","meeting_mode":"per_interview",
		"buffer_minutes":0,"allowed_start":"08:00","allowed_end":"18:00","earliest_day_offset":0,"latest_day_offset":30,
		"interviews":[{"name":"Chat","duration_minutes":30,"interviewers_needed":1,"pool":[],"room_required":false,"position":0}]}`), 201, &stage)
	mustJSON(tb, c.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Lee Chan","email":"lee@example.org","time_zone":"UTC","job_id":%d,"stage_id":%d}`, job.ID, stage.ID)), 201, &cand)
	var me struct {
		Users []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	mustJSON(tb, c.Get("/api/v1/users"), 200, &me)
	body := fmt.Sprintf(`{"candidate_id":%d,"idempotency_key":"globex-1","accept_warnings":true,"items":[{"interview_id":%d,"start":"2030-03-05T15:00:00Z","interviewers":[%d]}]}`,
		cand.ID, stage.Interviews[0].ID, me.Users[0].ID)
	mustJSON(tb, c.JSON("POST", "/api/v1/schedules", body), 201, &sc)
	return sc.ID, cand.ID
}

// TestAPIListsAlternates: every item carries the interviewers who could
// swap in; each is qualified, not already on the item, works then and has
// no other interview within the stage's buffer.
func TestAPIListsAlternates(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Onsite")
	cands := mustCandidates(t, c, st.ID, "America/New_York")
	mustConfirmFirstOption(t, c, cands[0], findTimes(t, c, cands[0]))
	other := mustCandidates(t, c, st.ID, "Europe/London")[0]

	var r struct {
		Options []struct {
			Items []struct {
				InterviewID  int64     `json:"interview_id"`
				Start        time.Time `json:"start"`
				End          time.Time `json:"end"`
				Interviewers []int64   `json:"interviewer_ids"`
				Alternates   []struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"alternates"`
			} `json:"items"`
		} `json:"options"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", other)), 200, &r)
	if len(r.Options) == 0 {
		t.Fatal("no options")
	}
	ctx := t.Context()
	acct, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	hs := hiringstore.New(a.Main.DB)
	users, err := a.Main.DB.ListUsers(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	buffer := time.Duration(st.BufferMinutes) * time.Minute
	offered := 0
	for _, o := range r.Options {
		for _, it := range o.Items {
			if it.Alternates == nil {
				t.Fatalf("interview %d has no alternates array", it.InterviewID)
			}
			var pool []int64
			for _, iv := range st.Interviews {
				if iv.ID == it.InterviewID {
					pool = iv.Pool
				}
			}
			seen := map[int64]bool{}
			for _, alt := range it.Alternates {
				offered++
				switch {
				case seen[alt.ID]:
					t.Errorf("interviewer %d offered twice", alt.ID)
				case !containsID(pool, alt.ID):
					t.Errorf("interviewer %d is not in interview %d's pool %v", alt.ID, it.InterviewID, pool)
				case containsID(it.Interviewers, alt.ID):
					t.Errorf("interviewer %d already sits on interview %d", alt.ID, it.InterviewID)
				case alt.Name != names[alt.ID]:
					t.Errorf("interviewer %d named %q, want %q", alt.ID, alt.Name, names[alt.ID])
				}
				seen[alt.ID] = true
				prof, err := hs.ListProfiles(ctx, acct.ID, []int64{alt.ID})
				if err != nil {
					t.Fatal(err)
				}
				p := prof[alt.ID]
				if !p.Works(it.Start, it.End) {
					t.Errorf("alternate %d does not work %v–%v", alt.ID, it.Start, it.End)
				}
				items, err := hs.ListInterviewerItems(ctx, acct.ID, alt.ID, time.Now().Add(-24*time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range items {
					if domain.Overlaps(it.Start.Add(-buffer), it.End.Add(buffer), b.Item.Start, b.Item.End) {
						t.Errorf("alternate %d at %v overlaps their interview %v–%v", alt.ID, it.Start, b.Item.Start, b.Item.End)
					}
				}
			}
		}
	}
	if offered == 0 {
		t.Fatal("no option offered anyone to swap in; the checks proved nothing")
	}
}

// TestCandidatePageOffersFindTimes: the candidate's page links to Find
// times when their stage has interviews, and not when it has none.
func TestCandidatePageOffersFindTimes(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, c, st.ID, "America/New_York")[0]
	link := fmt.Sprintf(`href="/candidates/%d/find-times"`, id)
	if page := c.Get(fmt.Sprintf("/candidates/%d", id)); !strings.Contains(page.Body, link) {
		t.Fatalf("the candidate's page lacks %s", link)
	}
	var cand struct {
		JobID int64 `json:"job_id"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d", id)), 200, &cand)
	var empty struct {
		ID int64 `json:"id"`
	}
	res := c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", cand.JobID), `{"name":"Offer","position":9,"video":"off","meeting_mode":"per_interview",
		"buffer_minutes":0,"allowed_start":"09:00","allowed_end":"17:00","earliest_day_offset":0,"latest_day_offset":10,"interviews":[]}`)
	mustJSON(t, res, 201, &empty)
	mustJSON(t, c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", id), fmt.Sprintf(`{"stage_id":%d}`, empty.ID)), 200, nil)
	page := c.Get(fmt.Sprintf("/candidates/%d", id))
	if page.StatusCode != 200 || strings.Contains(page.Body, link) {
		t.Fatalf("a stage without interviews still offers Find times (%d)", page.StatusCode)
	}
	if !strings.Contains(html.UnescapeString(page.Body), "Schedule interviews") {
		t.Error("the candidate's page lost Schedule interviews")
	}
}
