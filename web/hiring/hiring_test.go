package hiring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
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
	acct, err := a.Main.DB.FindAccountByName(context.Background(), "Acme")
	if err != nil {
		t.Fatal(err)
	}
	toks, err := hs.APITokens(context.Background(), acct.ID, me.ID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens = %v, %v", toks, err)
	}
	_ = domain.EINVALID
}

func got2(c *apptest.Client, token string) apptest.Response {
	return c.Do("GET", "/api/v1/me", nil, http.Header{"Authorization": {"Bearer " + token}})
}
