package hiring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/store/hiringstore"
)

// demoIDs are Acme's demo records the tests use.
type demoIDs struct {
	jobID, phoneStage, onsiteStage int64
	phoneInterview                 int64
	pool                           []int64
	candidateID                    int64
	candidate2                     int64
}

func mustJSON(tb testing.TB, res apptest.Response, status int, v any) {
	tb.Helper()
	if res.StatusCode != status {
		tb.Fatalf("status %d, want %d: %s", res.StatusCode, status, res.Body)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(res.Body), v); err != nil {
			tb.Fatalf("decode: %v: %s", err, res.Body)
		}
	}
}

func mustDemo(tb testing.TB, c *apptest.Client) demoIDs {
	tb.Helper()
	var jobs struct {
		Jobs []struct {
			ID     int64  `json:"id"`
			Title  string `json:"title"`
			Stages []struct {
				ID         int64  `json:"id"`
				Name       string `json:"name"`
				Video      string `json:"video"`
				Interviews []struct {
					ID   int64   `json:"id"`
					Pool []int64 `json:"pool"`
				} `json:"interviews"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	mustJSON(tb, c.Get("/api/v1/jobs"), 200, &jobs)
	var d demoIDs
	for _, j := range jobs.Jobs {
		if j.Title != "Senior Backend Engineer" {
			continue
		}
		d.jobID = j.ID
		for _, s := range j.Stages {
			if s.Name == "Phone Screen" {
				d.phoneStage, d.phoneInterview, d.pool = s.ID, s.Interviews[0].ID, s.Interviews[0].Pool
				if s.Video != "zoom" {
					tb.Fatalf("demo phone screen video = %q", s.Video)
				}
			} else {
				d.onsiteStage = s.ID
			}
		}
	}
	var list struct {
		Candidates []struct {
			ID int64 `json:"id"`
		} `json:"candidates"`
	}
	mustJSON(tb, c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d", d.phoneStage)), 200, &list)
	if len(list.Candidates) < 2 || d.phoneInterview == 0 {
		tb.Fatalf("demo data missing: %+v %+v", d, list)
	}
	d.candidateID, d.candidate2 = list.Candidates[0].ID, list.Candidates[1].ID
	return d
}

func scheduleBody(candidate, interview, interviewer int64, start, key string) string {
	return fmt.Sprintf(`{"candidate_id":%d,"idempotency_key":%q,"accept_warnings":true,"items":[{"interview_id":%d,"start":%q,"interviewers":[%d]}]}`,
		candidate, key, interview, start, interviewer)
}

func TestScheduleThroughAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)

	var sc struct {
		ID     int64  `json:"id"`
		Video  bool   `json:"video"`
		Status string `json:"status"`
		Items  []struct {
			ID      int64 `json:"id"`
			Meeting *struct {
				State string `json:"state"`
			} `json:"meeting"`
		} `json:"items"`
		ItineraryURL string `json:"itinerary_url"`
	}
	body := scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "key-1")
	mustJSON(t, c.JSON("POST", "/api/v1/schedules", body), http.StatusCreated, &sc)
	if !sc.Video || len(sc.Items) != 1 || sc.Items[0].Meeting == nil {
		t.Fatalf("schedule = %+v", sc)
	}
	// The same confirm again (double submit) answers with the same schedule.
	var again struct {
		ID int64 `json:"id"`
	}
	res := c.JSON("POST", "/api/v1/schedules", body)
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		t.Fatalf("second confirm: %d %s", res.StatusCode, res.Body)
	}
	json.Unmarshal([]byte(res.Body), &again)
	if again.ID != sc.ID {
		t.Fatalf("double submit made schedule %d, first was %d", again.ID, sc.ID)
	}
	var mine struct {
		Schedules []any `json:"schedules"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d/schedules", d.candidateID)), 200, &mine)
	if len(mine.Schedules) != 1 {
		t.Fatalf("candidate has %d schedules, want 1", len(mine.Schedules))
	}
	// Without a Zoom connection the meeting waits, and the page says so.
	page := c.Get(fmt.Sprintf("/schedules/%d", sc.ID))
	if page.StatusCode != 200 || !strings.Contains(page.Body, "waiting for Zoom") {
		t.Fatalf("schedule page: %d, want the waiting-for-Zoom message", page.StatusCode)
	}
	// The itinerary is public behind its token, and only there.
	u, _ := url.Parse(sc.ItineraryURL)
	anon := a.NewClient(t)
	if res := anon.Get(u.Path); res.StatusCode != 200 || !strings.Contains(res.Body, "Phone screen") {
		t.Fatalf("itinerary: %d", res.StatusCode)
	}
	if res := anon.Get("/itinerary/" + strings.Repeat("a", 48)); res.StatusCode != 404 {
		t.Fatalf("guessed itinerary: %d", res.StatusCode)
	}
	// Cancel releases the slot.
	mustJSON(t, c.JSON("POST", fmt.Sprintf("/api/v1/schedules/%d/cancel", sc.ID), ""), 200, &sc)
	if sc.Status != "cancelled" {
		t.Fatalf("status after cancel = %q", sc.Status)
	}
}

func TestConcurrentBookingOneWinnerOverHTTP(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	d := mustDemo(t, c)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, cand := range []int64{d.candidateID, d.candidate2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = c.JSON("POST", "/api/v1/schedules", scheduleBody(cand, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", fmt.Sprint("race-", i))).StatusCode
		}()
	}
	wg.Wait()
	if !(codes[0] == 201 && codes[1] == 409 || codes[0] == 409 && codes[1] == 201) {
		t.Fatalf("codes = %v, want one 201 and one 409", codes)
	}
}

func TestBadScheduleInputSavesNothing(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	g := a.SignIn(t, "admin@globex.example")
	var globexUsers struct {
		Interviewers []struct {
			ID int64 `json:"id"`
		} `json:"interviewers"`
	}
	mustJSON(t, g.Get("/api/v1/interviewers"), 200, &globexUsers)
	outsider := globexUsers.Interviewers[0].ID
	notInPool := int64(0)
	var all struct {
		Interviewers []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"interviewers"`
	}
	mustJSON(t, c.Get("/api/v1/interviewers"), 200, &all)
	for _, u := range all.Interviewers {
		in := false
		for _, p := range d.pool {
			in = in || p == u.ID
		}
		if !in {
			notInPool = u.ID
		}
	}
	item := func(extra string) string {
		return fmt.Sprintf(`{"candidate_id":%d,"items":[{"interview_id":%d,%s}]}`, d.candidateID, d.phoneInterview, extra)
	}
	tests := []struct {
		name, body string
		status     int
	}{
		{"31 February", item(fmt.Sprintf(`"date":"2030-02-31","time":"10:00","time_zone":"America/New_York","interviewers":[%d]`, d.pool[0])), 422},
		{"DST gap", item(fmt.Sprintf(`"date":"2026-03-08","time":"02:30","time_zone":"America/New_York","interviewers":[%d]`, d.pool[0])), 422},
		{"impossible instant", item(fmt.Sprintf(`"start":"2030-02-31T10:00:00Z","interviewers":[%d]`, d.pool[0])), 422},
		{"unknown interviewer", item(`"start":"2030-03-05T15:00:00Z","interviewers":[987654]`), 422},
		{"outside the pool", item(fmt.Sprintf(`"start":"2030-03-05T15:00:00Z","interviewers":[%d]`, notInPool)), 422},
		{"another company's interviewer", item(fmt.Sprintf(`"start":"2030-03-05T15:00:00Z","interviewers":[%d]`, outsider)), 422},
		{"unknown field", `{"candidate_id":1,"items":[],"admin":true}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.JSON("POST", "/api/v1/schedules", tt.body)
			if res.StatusCode != tt.status || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
				t.Fatalf("status %d (%s), want %d", res.StatusCode, res.Body, tt.status)
			}
		})
	}
	var mine struct {
		Schedules []any `json:"schedules"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d/schedules", d.candidateID)), 200, &mine)
	if len(mine.Schedules) != 0 {
		t.Fatalf("bad input saved %d schedules", len(mine.Schedules))
	}
	// Oversized and malformed candidate fields.
	long := strings.Repeat("x", 5000)
	for _, body := range []string{
		fmt.Sprintf(`{"name":%q,"email":"a@b.example","time_zone":"UTC","job_id":%d}`, long, d.jobID),
		fmt.Sprintf(`{"name":"A","email":"not-an-email","time_zone":"UTC","job_id":%d}`, d.jobID),
		fmt.Sprintf(`{"name":"A","email":"a@b.example","time_zone":"Mars/Olympus","job_id":%d}`, d.jobID),
		`{"name":"A","email":"a@b.example","time_zone":"UTC","job_id":999999}`,
	} {
		if res := c.JSON("POST", "/api/v1/candidates", body); res.StatusCode != 422 {
			t.Errorf("candidate %0.60s: status %d", body, res.StatusCode)
		}
	}
	var found struct {
		Candidates []any `json:"candidates"`
	}
	mustJSON(t, c.Get("/api/v1/candidates?q=a%40b.example"), 200, &found)
	if len(found.Candidates) != 0 {
		t.Fatalf("bad candidates saved: %d", len(found.Candidates))
	}
}

func TestTenancyEveryRouteWithAnID(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	acme := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, acme)
	var sc struct {
		ID    int64 `json:"id"`
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	mustJSON(t, acme.JSON("POST", "/api/v1/schedules", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "t-1")), 201, &sc)
	g := a.SignIn(t, "admin@globex.example")
	id := func(v int64) string { return fmt.Sprint(v) }
	routes := []struct{ method, path, body string }{
		{"GET", "/jobs/" + id(d.jobID), ""},
		{"POST", "/jobs/" + id(d.jobID), "title=Hijacked"},
		{"POST", "/jobs/" + id(d.jobID) + "/stages", "name=Hijacked"},
		{"GET", "/stages/" + id(d.phoneStage), ""},
		{"POST", "/stages/" + id(d.phoneStage), "name=Hijacked&rows=0&allowed_start=00:00&allowed_end=24:00"},
		{"GET", "/interviewers/" + id(d.pool[0]), ""},
		{"POST", "/interviewers/" + id(d.pool[0]), "time_zone=UTC"},
		{"GET", "/candidates/" + id(d.candidateID), ""},
		{"POST", "/candidates/" + id(d.candidateID), "name=Hijacked&email=h@x.example&time_zone=UTC&job_id=" + id(d.jobID)},
		{"GET", "/candidates/" + id(d.candidateID) + "/schedule", ""},
		{"POST", "/candidates/" + id(d.candidateID) + "/schedule", "zone=UTC&action=confirm"},
		{"GET", "/schedules/" + id(sc.ID), ""},
		{"GET", "/schedules/" + id(sc.ID) + "/edit", ""},
		{"POST", "/schedules/" + id(sc.ID), "zone=UTC&action=confirm"},
		{"POST", "/schedules/" + id(sc.ID) + "/cancel", ""},
		{"POST", "/schedules/" + id(sc.ID) + "/items/" + id(sc.Items[0].ID) + "/remove", ""},
		{"GET", "/my/interviews/" + id(sc.Items[0].ID) + "/start", ""},
		{"GET", "/api/v1/jobs/" + id(d.jobID), ""},
		{"PATCH", "/api/v1/jobs/" + id(d.jobID), `{"title":"Hijacked"}`},
		{"POST", "/api/v1/jobs/" + id(d.jobID) + "/stages", `{"name":"Hijacked","position":1,"video":"off","meeting_mode":"per_interview","buffer_minutes":0,"allowed_start":"00:00","allowed_end":"24:00","earliest_day_offset":0,"latest_day_offset":1,"interviews":[]}`},
		{"GET", "/api/v1/stages/" + id(d.phoneStage), ""},
		{"PUT", "/api/v1/stages/" + id(d.phoneStage), `{"name":"Hijacked","position":1,"video":"off","meeting_mode":"per_interview","buffer_minutes":0,"allowed_start":"00:00","allowed_end":"24:00","earliest_day_offset":0,"latest_day_offset":1,"interviews":[]}`},
		{"GET", "/api/v1/interviewers/" + id(d.pool[0]), ""},
		{"PUT", "/api/v1/interviewers/" + id(d.pool[0]), `{"time_zone":"UTC"}`},
		{"GET", "/api/v1/candidates/" + id(d.candidateID), ""},
		{"PATCH", "/api/v1/candidates/" + id(d.candidateID), `{"name":"Hijacked"}`},
		{"GET", "/api/v1/candidates/" + id(d.candidateID) + "/schedules", ""},
		{"POST", "/api/v1/schedules", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-06T15:00:00Z", "g-1")},
		{"POST", "/api/v1/schedules/check", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-06T15:00:00Z", "g-2")},
		{"GET", "/api/v1/schedules/" + id(sc.ID), ""},
		{"PUT", "/api/v1/schedules/" + id(sc.ID), `{"items":[]}`},
		{"POST", "/api/v1/schedules/" + id(sc.ID) + "/cancel", ""},
		{"DELETE", "/api/v1/schedules/" + id(sc.ID) + "/items/" + id(sc.Items[0].ID), ""},
	}
	for _, rt := range routes {
		var res apptest.Response
		switch {
		case strings.HasPrefix(rt.path, "/api/"):
			res = g.JSON(rt.method, rt.path, rt.body)
		case rt.method == "GET":
			res = g.Get(rt.path)
		default:
			v, _ := url.ParseQuery(rt.body)
			res = g.PostForm(rt.path, v)
		}
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s as Globex: status %d, want 404", rt.method, rt.path, res.StatusCode)
		}
	}
	// Nothing changed at Acme.
	var job struct {
		Title  string `json:"title"`
		Stages []struct {
			Name string `json:"name"`
		} `json:"stages"`
	}
	mustJSON(t, acme.Get("/api/v1/jobs/"+id(d.jobID)), 200, &job)
	if job.Title != "Senior Backend Engineer" || len(job.Stages) != 2 || job.Stages[0].Name != "Phone Screen" {
		t.Fatalf("Acme's job changed: %+v", job)
	}
	var after struct {
		Status string `json:"status"`
		Items  []any  `json:"items"`
	}
	mustJSON(t, acme.Get("/api/v1/schedules/"+id(sc.ID)), 200, &after)
	if after.Status != "scheduled" || len(after.Items) != 1 {
		t.Fatalf("Acme's schedule changed: %+v", after)
	}
	var cand struct {
		Name string `json:"name"`
	}
	mustJSON(t, acme.Get("/api/v1/candidates/"+id(d.candidateID)), 200, &cand)
	if cand.Name == "Hijacked" {
		t.Fatal("Acme's candidate was renamed by Globex")
	}
}

func TestSchedulePagesAndForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	for _, p := range []string{"/jobs", fmt.Sprintf("/jobs/%d", d.jobID), fmt.Sprintf("/stages/%d", d.phoneStage), "/candidates", "/candidates?q=example.net&status=active",
		fmt.Sprintf("/candidates/%d", d.candidateID), "/candidates/new", "/interviewers", fmt.Sprintf("/interviewers/%d", d.pool[0]), "/my/interviews", "/settings/tokens"} {
		if res := c.Get(p); res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", p, res.StatusCode, res.Body)
		}
	}
	stage := c.Get(fmt.Sprintf("/stages/%d", d.phoneStage))
	if !strings.Contains(stage.Body, "Zoom is not connected") {
		t.Fatal("stage page does not say Zoom is not connected")
	}
	form := c.Get(fmt.Sprintf("/candidates/%d/schedule", d.candidateID))
	tok := regexp.MustCompile(`name="form_token" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if tok == nil {
		t.Fatal("no form token on the scheduling form")
	}
	k := fmt.Sprintf("p%d_", d.phoneInterview)
	v := url.Values{"form_token": {tok[1]}, "zone": {"America/New_York"}, "video": {"on"}, "action": {"check"},
		k + "place": {"on"}, k + "date": {"2030-03-05"}, k + "time": {"10:00"}, k + "interviewers": {fmt.Sprint(d.pool[0])}}
	res := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	if res.StatusCode != 200 || !strings.Contains(res.Body, `id="conflicts"`) {
		t.Fatalf("check: %d", res.StatusCode)
	}
	v.Set("action", "confirm")
	// 2030 is beyond the stage's range of days: a warning to accept first.
	warned := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	if warned.StatusCode != http.StatusConflict || !strings.Contains(warned.Body, "outside the days this stage allows") {
		t.Fatalf("confirm with a warning: %d", warned.StatusCode)
	}
	v.Set("accept", "on")
	first := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	second := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	if first.StatusCode != 303 || second.StatusCode != 303 || first.Header.Get("Location") != second.Header.Get("Location") {
		t.Fatalf("confirm twice: %d %q, %d %q", first.StatusCode, first.Header.Get("Location"), second.StatusCode, second.Header.Get("Location"))
	}
	// A DST-gap time on the form is refused with a clear message.
	v.Set("form_token", "other")
	v.Set(k+"date", "2026-03-08")
	v.Set(k+"time", "02:30")
	bad := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, "daylight saving") {
		t.Fatalf("DST gap: %d", bad.StatusCode)
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	res := c.PostForm("/settings/tokens", url.Values{"name": {"ATS sync"}})
	m := regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(res.Body)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("create token: %d", res.StatusCode)
	}
	anon := a.NewClient(t)
	got := anon.Do("GET", "/api/v1/jobs", nil, http.Header{"Authorization": {"Bearer " + m[1]}})
	if got.StatusCode != 200 || !strings.Contains(got.Body, "Senior Backend Engineer") {
		t.Fatalf("bearer GET: %d %s", got.StatusCode, got.Body)
	}
	if bad := anon.Do("GET", "/api/v1/jobs", nil, http.Header{"Authorization": {"Bearer nope"}}); bad.StatusCode != 401 {
		t.Fatalf("bad token: %d", bad.StatusCode)
	}
	hs := hiringstore.New(a.Main.DB)
	var me struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, got2(anon, m[1]), 200, &me)
	acct, err := a.Main.DB.GetAccountByName(context.Background(), "Acme")
	if err != nil {
		t.Fatal(err)
	}
	toks, err := hs.ListAPITokens(context.Background(), acct.ID, me.ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens = %v, %v", toks, err)
	}
	_ = domain.EINVALID
}

func got2(c *apptest.Client, token string) apptest.Response {
	return c.Do("GET", "/api/v1/me", nil, http.Header{"Authorization": {"Bearer " + token}})
}

// problemJSON decodes an RFC 9457 answer and checks its status and type.
func problemJSON(tb testing.TB, res apptest.Response, status int) map[string]string {
	tb.Helper()
	if res.StatusCode != status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		tb.Fatalf("status %d (%s), want %d problem+json: %s", res.StatusCode, res.Header.Get("Content-Type"), status, res.Body)
	}
	var p struct {
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		tb.Fatalf("decode problem: %v: %s", err, res.Body)
	}
	return p.Errors
}

type loopStage struct {
	ID            int64  `json:"id"`
	BufferMinutes int    `json:"buffer_minutes"`
	MaxGapMinutes int    `json:"max_gap_minutes"`
	LunchMinutes  int    `json:"lunch_minutes"`
	LunchStart    string `json:"lunch_start"`
	LunchEnd      string `json:"lunch_end"`
	Interviews    []struct {
		ID int64 `json:"id"`
	} `json:"interviews"`
}

type preferred struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	PreferredStart string `json:"preferred_start"`
	PreferredEnd   string `json:"preferred_end"`
}

// TestLoopRulesOnPagesAndAPI sets the longest gap, the lunch break and
// preferred hours through the pages and the API; every invalid input is
// refused with a message for its field and changes nothing.
func TestLoopRulesOnPagesAndAPI(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)

	// The demo onsite shows its lunch break and longest gap.
	page := c.Get(fmt.Sprintf("/stages/%d", d.onsiteStage))
	for _, want := range []string{"Longest gap between interviews", "Lunch break", `name="max_gap_minutes" value="60"`, `name="lunch_minutes" value="45"`,
		`name="lunch_start" value="11:30"`, `name="lunch_end" value="13:30"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("stage page lacks %q", want)
		}
	}

	// Stage form.
	var st loopStage
	mustJSON(t, c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", d.jobID), `{"name":"Take-home","video":"off","meeting_mode":"per_interview","interviews":[]}`), 201, &st)
	valid := url.Values{"name": {"Take-home"}, "position": {"3"}, "video": {"off"}, "meeting_mode": {"per_interview"}, "buffer_minutes": {"15"},
		"allowed_start": {"09:00"}, "allowed_end": {"17:00"}, "earliest_day_offset": {"1"}, "latest_day_offset": {"10"}, "rows": {"0"},
		"max_gap_minutes": {"60"}, "lunch_minutes": {"30"}, "lunch_start": {"12:00"}, "lunch_end": {"14:00"}}
	stagePath := fmt.Sprintf("/stages/%d", st.ID)
	if res := c.PostForm(stagePath, valid); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save stage: %d %s", res.StatusCode, res.Body)
	}
	saved := loopStage{ID: st.ID, BufferMinutes: 15, MaxGapMinutes: 60, LunchMinutes: 30, LunchStart: "12:00", LunchEnd: "14:00"}
	mustStageRules := func(t *testing.T, want loopStage) {
		t.Helper()
		var got loopStage
		mustJSON(t, c.Get(fmt.Sprintf("/api/v1/stages/%d", st.ID)), 200, &got)
		got.Interviews = nil
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("stage = %+v, want %+v", got, want)
		}
	}
	mustStageRules(t, saved)
	badForms := []struct {
		name, field, value, want string
	}{
		{"gap beyond a working day", "max_gap_minutes", "500", "between 0 (no limit) and 480 minutes"},
		{"gap shorter than the buffer", "max_gap_minutes", "10", "cannot be shorter than the buffer (15 minutes)"},
		{"gap shorter than the lunch", "max_gap_minutes", "20", "must leave room for the 30-minute lunch break"},
		{"lunch too long", "lunch_minutes", "150", "between 0 (none) and 120 minutes"},
		{"lunch not a number", "lunch_minutes", "half an hour", "Enter a whole number."},
		{"window too short", "lunch_end", "12:20", "is shorter than the 30-minute lunch break"},
		{"window end missing", "lunch_end", "", "Give both a start and an end"},
		{"window end not a time", "lunch_end", "2pm", "is not a time of day"},
	}
	for _, tt := range badForms {
		t.Run("form: "+tt.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range valid {
				v[k] = vs
			}
			v.Set(tt.field, tt.value)
			res := c.PostForm(stagePath, v)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.want) {
				t.Fatalf("status %d, want 422 with %q:\n%s", res.StatusCode, tt.want, res.Body)
			}
			mustStageRules(t, saved)
		})
	}

	// Stage API.
	body := func(gap, lunch int, start, end string) string {
		return fmt.Sprintf(`{"name":"Take-home","position":3,"video":"off","meeting_mode":"per_interview","buffer_minutes":15,"allowed_start":"09:00","allowed_end":"17:00",
			"earliest_day_offset":1,"latest_day_offset":10,"max_gap_minutes":%d,"lunch_minutes":%d,"lunch_start":%q,"lunch_end":%q,"interviews":[]}`, gap, lunch, start, end)
	}
	badAPI := []struct {
		name, body, field string
	}{
		{"negative gap", body(-1, 0, "", ""), "max_gap_minutes"},
		{"gap shorter than the lunch", body(30, 45, "", ""), "max_gap_minutes"},
		{"lunch too long", body(0, 121, "", ""), "lunch_minutes"},
		{"window past midnight", body(0, 30, "23:00", "25:00"), "lunch_window"},
		{"window shorter than the lunch", body(0, 60, "12:00", "12:45"), "lunch_window"},
		{"window start only", body(0, 60, "12:00", ""), "lunch_window"},
	}
	for _, tt := range badAPI {
		t.Run("api: "+tt.name, func(t *testing.T) {
			errs := problemJSON(t, c.JSON("PUT", fmt.Sprintf("/api/v1/stages/%d", st.ID), tt.body), http.StatusUnprocessableEntity)
			if errs[tt.field] == "" {
				t.Fatalf("errors %v, want one for %s", errs, tt.field)
			}
			mustStageRules(t, saved)
		})
	}
	// A lunch length without a window takes 11:30–13:30.
	mustJSON(t, c.JSON("PUT", fmt.Sprintf("/api/v1/stages/%d", st.ID), body(90, 45, "", "")), 200, nil)
	mustStageRules(t, loopStage{ID: st.ID, BufferMinutes: 15, MaxGapMinutes: 90, LunchMinutes: 45, LunchStart: "11:30", LunchEnd: "13:30"})
	var created loopStage
	mustJSON(t, c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", d.jobID), strings.Replace(body(120, 60, "11:00", "14:00"), "Take-home", "Final", 1)), 201, &created)
	if created.MaxGapMinutes != 120 || created.LunchMinutes != 60 || created.LunchStart != "11:00" || created.LunchEnd != "14:00" {
		t.Fatalf("created stage = %+v", created)
	}

	// Interviewer: page and API.
	who := d.pool[0]
	ivPath := fmt.Sprintf("/interviewers/%d", who)
	form := url.Values{"time_zone": {"Europe/London"}, "hours_monday": {"09:00-17:00"}, "max_per_day": {"3"}, "max_per_week": {"10"},
		"preferred_start": {"09:00"}, "preferred_end": {"12:00"}}
	if res := c.PostForm(ivPath, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save interviewer: %d %s", res.StatusCode, res.Body)
	}
	mustPreferred := func(t *testing.T, path, start, end string) {
		t.Helper()
		var p preferred
		mustJSON(t, c.Get(path), 200, &p)
		if p.PreferredStart != start || p.PreferredEnd != end {
			t.Fatalf("%s preferred %q–%q, want %q–%q", path, p.PreferredStart, p.PreferredEnd, start, end)
		}
	}
	ivAPI := fmt.Sprintf("/api/v1/interviewers/%d", who)
	mustPreferred(t, ivAPI, "09:00", "12:00")
	if page := c.Get(ivPath); !strings.Contains(page.Body, `name="preferred_start" value="09:00"`) || !strings.Contains(page.Body, `name="preferred_end" value="12:00"`) {
		t.Error("interviewer page does not show the preferred hours")
	}
	for _, bad := range [][2]string{{"12:00", "09:00"}, {"09:00", ""}, {"9am", "12:00"}} {
		v := url.Values{}
		for k, vs := range form {
			v[k] = vs
		}
		v.Set("preferred_start", bad[0])
		v.Set("preferred_end", bad[1])
		if res := c.PostForm(ivPath, v); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="field-error"`) {
			t.Errorf("preferred %v on the form: %d, want 422 with a field error", bad, res.StatusCode)
		}
		errs := problemJSON(t, c.JSON("PUT", ivAPI, fmt.Sprintf(`{"time_zone":"Europe/London","working_hours":{"monday":"09:00-17:00"},"preferred_start":%q,"preferred_end":%q}`, bad[0], bad[1])),
			http.StatusUnprocessableEntity)
		if errs["preferred_hours"] == "" {
			t.Errorf("preferred %v in the API: errors %v, want preferred_hours", bad, errs)
		}
		mustPreferred(t, ivAPI, "09:00", "12:00")
	}
	mustJSON(t, c.JSON("PUT", ivAPI, `{"time_zone":"Europe/London","working_hours":{"monday":"09:00-17:00"},"preferred_start":"13:00","preferred_end":"17:30"}`), 200, nil)
	mustPreferred(t, ivAPI, "13:00", "17:30")
	mustJSON(t, c.JSON("PUT", ivAPI, `{"time_zone":"Europe/London","working_hours":{"monday":"09:00-17:00"}}`), 200, nil)
	mustPreferred(t, ivAPI, "", "")

	// Candidate: the new-candidate form, then the API.
	newForm := url.Values{"name": {"Lin Wu"}, "email": {"lin@example.net"}, "time_zone": {"Europe/London"}, "job_id": {fmt.Sprint(d.jobID)},
		"status": {"active"}, "preferred_start": {"17:00"}, "preferred_end": {"15:00"}}
	if page := c.Get("/candidates/new"); !strings.Contains(page.Body, `name="preferred_start"`) || !strings.Contains(page.Body, "Preferred time of day") {
		t.Error("the new-candidate form has no preferred time of day")
	}
	res := c.PostForm("/candidates", newForm)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "must be within the day and end after it starts") {
		t.Fatalf("bad preferred time on the form: %d\n%s", res.StatusCode, res.Body)
	}
	var found struct {
		Candidates []preferred `json:"candidates"`
	}
	mustJSON(t, c.Get("/api/v1/candidates?q=lin@example.net"), 200, &found)
	if len(found.Candidates) != 0 {
		t.Fatalf("a refused form added %+v", found.Candidates)
	}
	newForm.Set("preferred_start", "09:30")
	res = c.PostForm("/candidates", newForm)
	var cid int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/candidates/%d", &cid); res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("add candidate: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	candAPI := fmt.Sprintf("/api/v1/candidates/%d", cid)
	mustPreferred(t, candAPI, "09:30", "15:00")
	// The candidate page's edit form shows the preference and saving it
	// as shown keeps it.
	if page := c.Get(fmt.Sprintf("/candidates/%d", cid)); !strings.Contains(page.Body, `name="preferred_start" value="09:30"`) || !strings.Contains(page.Body, `name="preferred_end" value="15:00"`) {
		t.Fatalf("the edit form does not show the preference:\n%s", page.Body)
	}
	edit := url.Values{"name": {"Lin Wu"}, "email": {"lin@example.net"}, "time_zone": {"Europe/London"}, "job_id": {fmt.Sprint(d.jobID)}, "status": {"active"},
		"preferred_start": {"09:30"}, "preferred_end": {"15:00"}}
	if res := c.PostForm(fmt.Sprintf("/candidates/%d", cid), edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit candidate: %d %s", res.StatusCode, res.Body)
	}
	mustPreferred(t, candAPI, "09:30", "15:00")
	for _, bad := range []string{`{"preferred_start":"16:00"}`, `{"preferred_end":""}`, `{"preferred_start":"25:00"}`} {
		if errs := problemJSON(t, c.JSON("PATCH", candAPI, bad), http.StatusUnprocessableEntity); errs["preferred_hours"] == "" {
			t.Errorf("PATCH %s: errors %v, want preferred_hours", bad, errs)
		}
		mustPreferred(t, candAPI, "09:30", "15:00")
	}
	mustJSON(t, c.JSON("PATCH", candAPI, `{"preferred_end":"18:00"}`), 200, nil)
	mustPreferred(t, candAPI, "09:30", "18:00")
	mustJSON(t, c.JSON("PATCH", candAPI, `{"preferred_start":"","preferred_end":""}`), 200, nil)
	mustPreferred(t, candAPI, "", "")
	if errs := problemJSON(t, c.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Kim Park","email":"kim@example.net","job_id":%d,"preferred_start":"10:00"}`, d.jobID)),
		http.StatusUnprocessableEntity); errs["preferred_hours"] == "" {
		t.Errorf("POST with half a preference: errors %v", errs)
	}
	var posted preferred
	mustJSON(t, c.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Kim Park","email":"kim@example.net","job_id":%d,"preferred_start":"10:00","preferred_end":"12:00"}`, d.jobID)), 201, &posted)
	if posted.PreferredStart != "10:00" || posted.PreferredEnd != "12:00" {
		t.Errorf("posted candidate preferred %q–%q", posted.PreferredStart, posted.PreferredEnd)
	}
}

type foundTimes struct {
	Options []struct {
		Rank      int              `json:"rank"`
		Breakdown map[string]int64 `json:"breakdown"`
		Items     []struct {
			InterviewID int64     `json:"interview_id"`
			Start       time.Time `json:"start"`
			End         time.Time `json:"end"`
		} `json:"items"`
	} `json:"options"`
}

// loopFixture is a job of the demo company whose stages the Find times
// test sets up, with three interviewers who work around the clock.
type loopFixture struct {
	c                     *apptest.Client
	jobID                 int64
	jordan, tomas, hannah int64
	ny                    *time.Location
	day                   time.Time // a date a few days ahead, 00:00 in New York
}

func (f *loopFixture) stage(t *testing.T, name string, pools ...int64) loopStage {
	t.Helper()
	var ivs []string
	for i, id := range pools {
		ivs = append(ivs, fmt.Sprintf(`{"name":"Interview %d","duration_minutes":60,"interviewers_needed":1,"pool":[%d]}`, i+1, id))
	}
	var st loopStage
	mustJSON(t, f.c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", f.jobID), fmt.Sprintf(`{"name":%q,"video":"off","meeting_mode":"per_interview",
		"earliest_day_offset":1,"latest_day_offset":14,"interviews":[%s]}`, name, strings.Join(ivs, ","))), 201, &st)
	return st
}

// rules sets a stage's longest gap and lunch break, keeping its interviews.
func (f *loopFixture) rules(t *testing.T, st loopStage, name string, pools []int64, gap, lunch int) {
	t.Helper()
	var ivs []string
	for i, iv := range st.Interviews {
		ivs = append(ivs, fmt.Sprintf(`{"id":%d,"name":"Interview %d","duration_minutes":60,"interviewers_needed":1,"pool":[%d]}`, iv.ID, i+1, pools[i]))
	}
	mustJSON(t, f.c.JSON("PUT", fmt.Sprintf("/api/v1/stages/%d", st.ID), fmt.Sprintf(`{"name":%q,"video":"off","meeting_mode":"per_interview",
		"earliest_day_offset":1,"latest_day_offset":14,"max_gap_minutes":%d,"lunch_minutes":%d,"lunch_start":"11:30","lunch_end":"13:30","interviews":[%s]}`,
		name, gap, lunch, strings.Join(ivs, ","))), 200, nil)
}

// candidate adds a New York candidate at the stage, available in the
// given [start, end) hours of day offsets from f.day.
func (f *loopFixture) candidate(t *testing.T, st loopStage, email string, windows ...[3]float64) int64 {
	t.Helper()
	var av []string
	for _, w := range windows {
		d := f.day.AddDate(0, 0, int(w[0]))
		at := func(h float64) string {
			return time.Date(d.Year(), d.Month(), d.Day(), 0, int(h*60), 0, 0, f.ny).UTC().Format(time.RFC3339)
		}
		av = append(av, fmt.Sprintf(`{"start":%q,"end":%q}`, at(w[1]), at(w[2])))
	}
	var cand struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, f.c.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Loop Tester","email":%q,"time_zone":"America/New_York","job_id":%d,"stage_id":%d,"availability":[%s]}`,
		email, f.jobID, st.ID, strings.Join(av, ","))), 201, &cand)
	return cand.ID
}

func (f *loopFixture) find(t *testing.T, candidateID int64) foundTimes {
	t.Helper()
	var r foundTimes
	mustJSON(t, f.c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", candidateID)), 200, &r)
	if len(r.Options) == 0 {
		t.Fatalf("no options for candidate %d", candidateID)
	}
	for _, o := range r.Options {
		sort.Slice(o.Items, func(i, j int) bool { return o.Items[i].Start.Before(o.Items[j].Start) })
	}
	return r
}

// at is hour h (fractional) on f.day + offset days in New York.
func (f *loopFixture) at(offset int, h float64) time.Time {
	d := f.day.AddDate(0, 0, offset)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, int(h*60), 0, 0, f.ny)
}

func mustLoopFixture(t *testing.T) *loopFixture {
	t.Helper()
	a := apptest.Start(t, apptest.Options{})
	f := &loopFixture{c: a.SignIn(t, "admin@example.com")}
	var err error
	if f.ny, err = time.LoadLocation("America/New_York"); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(f.ny)
	f.day = time.Date(today.Year(), today.Month(), today.Day()+3, 0, 0, 0, 0, f.ny)
	var job struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, f.c.JSON("POST", "/api/v1/jobs", `{"title":"Platform Engineer"}`), 201, &job)
	f.jobID = job.ID
	var people struct {
		Interviewers []preferred `json:"interviewers"`
	}
	mustJSON(t, f.c.Get("/api/v1/interviewers"), 200, &people)
	for _, p := range people.Interviewers {
		switch p.Email {
		case "jordan@example.com":
			f.jordan = p.ID
		case "tomas@example.com":
			f.tomas = p.ID
		case "hannah@example.com":
			f.hannah = p.ID
		}
	}
	for _, id := range []int64{f.jordan, f.tomas, f.hannah} {
		f.profile(t, id, "", "")
	}
	return f
}

// profile makes the interviewer work every hour of every day in London,
// with the given preferred hours.
func (f *loopFixture) profile(t *testing.T, id int64, start, end string) {
	t.Helper()
	hours := `"sunday":"00:00-24:00","monday":"00:00-24:00","tuesday":"00:00-24:00","wednesday":"00:00-24:00","thursday":"00:00-24:00","friday":"00:00-24:00","saturday":"00:00-24:00"`
	mustJSON(t, f.c.JSON("PUT", fmt.Sprintf("/api/v1/interviewers/%d", id), fmt.Sprintf(`{"time_zone":"Europe/London","working_hours":{%s},"preferred_start":%q,"preferred_end":%q}`,
		hours, start, end)), 200, nil)
}

// TestPreferencesMoveFindTimesOptions: with nothing else to choose by, the
// engine takes the earliest time; an interviewer's preferred hours (their
// zone) and then the candidate's preferred time of day (theirs) move the
// best option into them, and options outside pay for it.
func TestPreferencesMoveFindTimesOptions(t *testing.T) {
	t.Parallel()
	f := mustLoopFixture(t)
	st := f.stage(t, "Preferences", f.jordan)
	cand := f.candidate(t, st, "prefs@example.net", [3]float64{0, 9, 17})

	r := f.find(t, cand)
	if top := r.Options[0].Items[0].Start; !top.Equal(f.at(0, 9)) {
		t.Fatalf("without preferences the best option starts %v, want %v", top.In(f.ny), f.at(0, 9))
	}

	f.profile(t, f.jordan, "17:00", "18:30")
	london, _ := time.LoadLocation("Europe/London")
	inside := func(s, e time.Time, loc *time.Location, from, to int) bool {
		ls, le := s.In(loc), e.In(loc)
		return ls.Hour()*60+ls.Minute() >= from && le.Hour()*60+le.Minute() <= to && ls.YearDay() == le.YearDay()
	}
	r = f.find(t, cand)
	top := r.Options[0]
	if !inside(top.Items[0].Start, top.Items[0].End, london, 17*60, 18*60+30) || top.Breakdown["interviewer_preference"] != 0 {
		t.Fatalf("the best option %v–%v (London) is not inside 17:00–18:30 with no preference cost: %v",
			top.Items[0].Start.In(london), top.Items[0].End.In(london), top.Breakdown)
	}
	outside := 0
	for _, o := range r.Options {
		in := inside(o.Items[0].Start, o.Items[0].End, london, 17*60, 18*60+30)
		if cost := o.Breakdown["interviewer_preference"]; in != (cost == 0) {
			t.Errorf("option %d at %v (London): preference cost %d", o.Rank, o.Items[0].Start.In(london), cost)
		}
		if !in {
			outside++
		}
	}
	if outside == 0 {
		t.Error("no option outside the preferred hours: the cost check proved nothing")
	}

	f.profile(t, f.jordan, "", "")
	mustJSON(t, f.c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", cand), `{"preferred_start":"15:00","preferred_end":"17:00"}`), 200, nil)
	r = f.find(t, cand)
	if top := r.Options[0]; !top.Items[0].Start.Equal(f.at(0, 15)) || top.Breakdown["candidate_preference"] != 0 || top.Breakdown["interviewer_preference"] != 0 {
		t.Fatalf("with the candidate preferring 15:00–17:00 the best option starts %v (%v)", top.Items[0].Start.In(f.ny), top.Breakdown)
	}
	paid := 0
	for _, o := range r.Options {
		in := inside(o.Items[0].Start, o.Items[0].End, f.ny, 15*60, 17*60)
		if cost := o.Breakdown["candidate_preference"]; in != (cost == 0) {
			t.Errorf("option %d at %v (New York): candidate preference cost %d", o.Rank, o.Items[0].Start.In(f.ny), cost)
		}
		if !in {
			paid++
		}
	}
	if paid == 0 {
		t.Error("no option outside the candidate's preferred time: the cost check proved nothing")
	}
}

// TestLunchAndLongestGapBindFindTimes: three back-to-back interviews run
// through lunch until the stage asks for a lunch break, after which every
// option keeps an hour free inside 11:30–13:30 (candidate's time); and a
// day whose only schedule has a 90-minute wait is passed over once the
// stage allows at most 60.
func TestLunchAndLongestGapBindFindTimes(t *testing.T) {
	t.Parallel()
	f := mustLoopFixture(t)
	pools := []int64{f.jordan, f.tomas, f.hannah}
	lunchStage := f.stage(t, "Lunch", pools...)
	cand := f.candidate(t, lunchStage, "lunch@example.net", [3]float64{0, 10, 16})
	ws, we := f.at(0, 11.5), f.at(0, 13.5)
	// freeForLunch is the longest free stretch inside the lunch window, and
	// whether any interview reaches into it.
	freeForLunch := func(o int, r foundTimes) (time.Duration, bool) {
		cur, best, overlap := ws, time.Duration(0), false
		for _, it := range r.Options[o].Items {
			if it.Start.Before(we) && it.End.After(ws) {
				overlap = true
			}
			if s := minT(it.Start, we); s.After(cur) {
				best = max(best, s.Sub(cur))
			}
			cur = maxT(cur, it.End)
		}
		if we.After(cur) {
			best = max(best, we.Sub(cur))
		}
		return best, overlap
	}
	r := f.find(t, cand)
	if free, overlap := freeForLunch(0, r); !overlap || free >= time.Hour {
		t.Fatalf("without a lunch break the best option leaves %v free at midday (overlap %v); the lunch check would prove nothing", free, overlap)
	}

	f.rules(t, lunchStage, "Lunch", pools, 60, 60)
	r = f.find(t, cand)
	overlapping := 0
	for o := range r.Options {
		free, overlap := freeForLunch(o, r)
		if overlap {
			overlapping++
			if free < time.Hour {
				t.Errorf("option %d leaves only %v free for lunch between 11:30 and 13:30", r.Options[o].Rank, free)
			}
		}
		mustGapsAtMost(t, r, o, time.Hour)
	}
	if overlapping == 0 {
		t.Error("no option reaches into the lunch window: the lunch check proved nothing")
	}

	gapStage := f.stage(t, "Gap", f.jordan, f.tomas)
	cand = f.candidate(t, gapStage, "gap@example.net", [3]float64{0, 9, 10}, [3]float64{0, 11.5, 12.5}, [3]float64{1, 9, 11})
	r = f.find(t, cand)
	if o := r.Options[0]; !o.Items[0].Start.Equal(f.at(0, 9)) || !o.Items[1].Start.Equal(f.at(0, 11.5)) {
		t.Fatalf("without a longest gap the best option is %v and %v, want the first day with its 90-minute wait", o.Items[0].Start.In(f.ny), o.Items[1].Start.In(f.ny))
	}
	f.rules(t, gapStage, "Gap", []int64{f.jordan, f.tomas}, 60, 0)
	r = f.find(t, cand)
	if o := r.Options[0]; scheduler.DateOf(o.Items[0].Start, f.ny) != scheduler.DateOf(f.at(1, 9), f.ny) {
		t.Errorf("with at most 60 minutes between interviews the best option is on %v, want the second day", o.Items[0].Start.In(f.ny))
	}
	for o := range r.Options {
		mustGapsAtMost(t, r, o, time.Hour)
	}
}

// mustGapsAtMost checks the waits between consecutive interviews of an
// option (all on one day).
func mustGapsAtMost(t *testing.T, r foundTimes, o int, limit time.Duration) {
	t.Helper()
	items := r.Options[o].Items
	for i := 1; i < len(items); i++ {
		if gap := items[i].Start.Sub(items[i-1].End); gap > limit {
			t.Errorf("option %d waits %v between interviews, more than %v", r.Options[o].Rank, gap, limit)
		}
	}
}

func minT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// A scheduler sees an interviewer's profile but may not change it: the page
// and the API refuse alike (403), and the profile stays as it was.
func TestSchedulerCannotEditAnotherInterviewersProfile(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	d := mustDemo(t, c)
	ivPath := fmt.Sprintf("/interviewers/%d", d.pool[0])
	ivAPI := "/api/v1" + ivPath
	before := c.Get(ivAPI)
	if before.StatusCode != http.StatusOK {
		t.Fatalf("show: %d", before.StatusCode)
	}
	if res := c.PostForm(ivPath, url.Values{"time_zone": {"Asia/Tokyo"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("page save: %d, want 403", res.StatusCode)
	}
	if res := c.JSON("PUT", ivAPI, `{"time_zone":"Asia/Tokyo"}`); res.StatusCode != http.StatusForbidden {
		t.Errorf("API save: %d, want 403", res.StatusCode)
	}
	if after := c.Get(ivAPI); after.Body != before.Body {
		t.Errorf("profile changed: %s, was %s", after.Body, before.Body)
	}
}
