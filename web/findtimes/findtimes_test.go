package findtimes_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/openapitest"
	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

type result struct {
	Exhaustive bool `json:"exhaustive"`
	Options    []struct {
		Rank      int              `json:"rank"`
		Score     int64            `json:"score"`
		Breakdown map[string]int64 `json:"breakdown"`
		Items     []struct {
			InterviewID  int64     `json:"interview_id"`
			Start        time.Time `json:"start"`
			End          time.Time `json:"end"`
			Interviewers []int64   `json:"interviewer_ids"`
			RoomID       *int64    `json:"room_id"`
		} `json:"items"`
	} `json:"options"`
	Explanation *struct {
		Blockers []struct {
			Reason  string `json:"reason"`
			Message string `json:"message"`
		} `json:"blockers"`
		Relaxations []struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"relaxations"`
	} `json:"explanation"`
}

type stageInfo struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	BufferMinutes   int    `json:"buffer_minutes"`
	LatestDayOffset int    `json:"latest_day_offset"`
	Interviews      []struct {
		ID              int64   `json:"id"`
		DurationMinutes int     `json:"duration_minutes"`
		Pool            []int64 `json:"pool"`
	} `json:"interviews"`
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

// mustStage returns the demo job's stage by name.
func mustStage(tb testing.TB, c *apptest.Client, job, name string) stageInfo {
	tb.Helper()
	var jobs struct {
		Jobs []struct {
			Title  string      `json:"title"`
			Stages []stageInfo `json:"stages"`
		} `json:"jobs"`
	}
	mustJSON(tb, c.Get("/api/v1/jobs"), 200, &jobs)
	for _, j := range jobs.Jobs {
		for _, s := range j.Stages {
			if j.Title == job && s.Name == name {
				return s
			}
		}
	}
	tb.Fatalf("no stage %q of %q in the demo data", name, job)
	return stageInfo{}
}

// mustCandidates lists the ids of the demo candidates at a stage in zone.
func mustCandidates(tb testing.TB, c *apptest.Client, stageID int64, zone string) []int64 {
	tb.Helper()
	var list struct {
		Candidates []struct {
			ID       int64  `json:"id"`
			TimeZone string `json:"time_zone"`
		} `json:"candidates"`
	}
	mustJSON(tb, c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d&limit=50", stageID)), 200, &list)
	var ids []int64
	for _, cd := range list.Candidates {
		if cd.TimeZone == zone {
			ids = append(ids, cd.ID)
		}
	}
	if len(ids) == 0 {
		tb.Fatalf("no demo candidate in %s at stage %d", zone, stageID)
	}
	return ids
}

// mustValidator loads the served OpenAPI document.
func mustValidator(tb *testing.T, c *apptest.Client) *openapitest.Doc { return openapitest.Load(tb, c) }

// validate checks a GET answer against the document.
func validate(t *testing.T, doc *openapitest.Doc, path string, res apptest.Response) {
	t.Helper()
	doc.Check(t, "GET", path, "", res)
}

func findTimes(tb testing.TB, c *apptest.Client, candidateID int64) result {
	tb.Helper()
	var r result
	mustJSON(tb, c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", candidateID)), 200, &r)
	return r
}

var (
	tokenRe  = regexp.MustCompile(`name="form_token" value="([^"]*)"`)
	formRe   = regexp.MustCompile(`(?s)<form class="use-form" method="get" action="([^"]*)">(.*?)</form>`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	selectRe = regexp.MustCompile(`(?s)<select class="swap" name="([^"]+)"[^>]*>(.*?)</select>`)
	choiceRe = regexp.MustCompile(`<option value="([^"]*)"( selected)?>([^<]*)</option>`)
)

// seatChoice is one entry of a seat's list on the Find times page.
type seatChoice struct {
	Value, Name string
	Selected    bool
}

// optionForm reads option rank's "Use this option" form from the page as
// a browser would submit it; swap may change each seat's choice (it gets
// the field name, the seat's index among the selects and the choices).
func optionForm(tb testing.TB, page string, rank int, swap func(name string, seat int, choices []seatChoice) string) (string, url.Values) {
	tb.Helper()
	at := strings.Index(page, fmt.Sprintf(`id="option-%d"`, rank))
	if at < 0 {
		tb.Fatalf("no option %d on the page", rank)
	}
	m := formRe.FindStringSubmatch(page[at:])
	if m == nil {
		tb.Fatalf("option %d has no Use this option form:\n%s", rank, page[at:])
	}
	q := url.Values{}
	for _, h := range hiddenRe.FindAllStringSubmatch(m[2], -1) {
		q.Add(h[1], html.UnescapeString(h[2]))
	}
	for i, sel := range selectRe.FindAllStringSubmatch(m[2], -1) {
		var choices []seatChoice
		value := ""
		for _, o := range choiceRe.FindAllStringSubmatch(sel[2], -1) {
			c := seatChoice{Value: html.UnescapeString(o[1]), Name: html.UnescapeString(o[3]), Selected: o[2] != ""}
			if c.Selected {
				value = c.Value
			}
			choices = append(choices, c)
		}
		if swap != nil {
			value = swap(sel[1], i, choices)
		}
		q.Add(sel[1], value)
	}
	return html.UnescapeString(m[1]), q
}

func field(tb testing.TB, body, name string) string {
	tb.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no field %s on the form", name)
	}
	return html.UnescapeString(m[1])
}

// mustConfirmFirstOption submits the page's first "Use this option" form
// to the scheduling form, checks the prefill and confirms it as a
// coordinator would; it returns the new schedule's id.
func mustConfirmFirstOption(tb testing.TB, c *apptest.Client, candidateID int64, r result) int64 {
	tb.Helper()
	page := c.Get(fmt.Sprintf("/candidates/%d/find-times", candidateID))
	if page.StatusCode != 200 {
		tb.Fatalf("find times page: %d %s", page.StatusCode, page.Body)
	}
	action, q := optionForm(tb, page.Body, 1, nil)
	if want := fmt.Sprintf("/candidates/%d/schedule", candidateID); action != want {
		tb.Fatalf("Use this option opens %q, want %q", action, want)
	}
	form := c.Get(action + "?" + q.Encode())
	if form.StatusCode != 200 {
		tb.Fatalf("prefilled form: %d %s", form.StatusCode, form.Body)
	}
	zone := field(tb, form.Body, "zone")
	loc, err := time.LoadLocation(zone)
	if err != nil {
		tb.Fatal(err)
	}
	v := url.Values{"zone": {zone}, "form_token": {tokenRe.FindStringSubmatch(form.Body)[1]}, "action": {"confirm"}}
	if strings.Contains(form.Body, `name="video" checked`) {
		v.Set("video", "on") // the stage's setting, as the browser would send it
	}
	for _, it := range r.Options[0].Items {
		k := fmt.Sprintf("p%d_", it.InterviewID)
		date, clock := field(tb, form.Body, k+"date"), field(tb, form.Body, k+"time")
		if want := it.Start.In(loc); date != want.Format("2006-01-02") || clock != want.Format("15:04") {
			tb.Fatalf("interview %d prefilled at %s %s, want %s", it.InterviewID, date, clock, want)
		}
		v.Set(k+"place", "on")
		v.Set(k+"date", date)
		v.Set(k+"time", clock)
		for _, id := range it.Interviewers {
			v.Add(k+"interviewers", fmt.Sprint(id))
		}
		if it.RoomID != nil {
			v.Set(k+"room", fmt.Sprintf("r:%d", *it.RoomID))
		}
	}
	res := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", candidateID), v)
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("confirm: %d\n%s", res.StatusCode, res.Body)
	}
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/schedules/%d", &id); err != nil {
		tb.Fatalf("confirm redirected to %q", res.Header.Get("Location"))
	}
	return id
}

// TestOptionsRespectHoursAndBookingsAndConfirm books one onsite candidate
// through Find times and the scheduling form, then checks every option
// for a second candidate against the interviewers' working hours and the
// bookings now in the database, independently of the engine.
func TestOptionsRespectHoursAndBookingsAndConfirm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	router := mustValidator(t, c)
	st := mustStage(t, c, "Senior Backend Engineer", "Onsite")
	cands := mustCandidates(t, c, st.ID, "America/New_York")
	if len(cands) < 1 {
		t.Fatal("need a candidate")
	}
	first := cands[0]
	path := fmt.Sprintf("/api/v1/candidates/%d/find-times", first)
	res := c.Get(path)
	validate(t, router, path, res)
	var r1 result
	mustJSON(t, res, 200, &r1)
	if len(r1.Options) == 0 {
		t.Fatalf("no options for a demo candidate: %s", res.Body)
	}
	if len(r1.Options[0].Items) != len(st.Interviews) {
		t.Fatalf("option 1 places %d interviews, the stage has %d", len(r1.Options[0].Items), len(st.Interviews))
	}
	for _, o := range r1.Options {
		var sum int64
		for _, term := range []string{"day", "idle", "gaps", "load", "interviewer_preference", "candidate_preference"} {
			v, ok := o.Breakdown[term]
			if !ok {
				t.Fatalf("option %d has no %q term: %v", o.Rank, term, o.Breakdown)
			}
			sum += v
		}
		if sum != o.Score {
			t.Errorf("option %d: terms sum to %d, score %d", o.Rank, sum, o.Score)
		}
	}
	scID := mustConfirmFirstOption(t, c, first, r1)
	var sc struct {
		Status string `json:"status"`
		Items  []struct {
			InterviewID  int64     `json:"interview_id"`
			Start        time.Time `json:"start"`
			Interviewers []int64   `json:"interviewers"`
		} `json:"items"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/schedules/%d", scID)), 200, &sc)
	if len(sc.Items) != len(r1.Options[0].Items) {
		t.Fatalf("schedule has %d items, want %d", len(sc.Items), len(r1.Options[0].Items))
	}
	booked := map[int64]time.Time{}
	for _, it := range sc.Items {
		booked[it.InterviewID] = it.Start
	}
	for _, it := range r1.Options[0].Items {
		if !booked[it.InterviewID].Equal(it.Start) {
			t.Errorf("interview %d booked at %v, option said %v", it.InterviewID, booked[it.InterviewID], it.Start)
		}
	}

	// Further candidates at the same stage: their options must avoid the
	// bookings made so far (with the stage's buffer) and keep to hours.
	// The engine spreads load, so an option may use only interviewers
	// nobody has booked yet; each such candidate is booked too, until an
	// option shares an interviewer with a booking and the check bites.
	ctx := t.Context()
	acct, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	hs := hiringstore.New(a.Main.DB)
	buffer := time.Duration(st.BufferMinutes) * time.Minute
	checked := 0
	for _, next := range append(cands[1:], mustCandidates(t, c, st.ID, "Europe/London")...) {
		r2 := findTimes(t, c, next)
		if len(r2.Options) == 0 {
			t.Fatalf("no options for candidate %d: %+v", next, r2.Explanation)
		}
		for _, o := range r2.Options {
			for _, it := range o.Items {
				var dur int
				for _, iv := range st.Interviews {
					if iv.ID == it.InterviewID {
						dur = iv.DurationMinutes
						if len(iv.Pool) > 0 {
							for _, u := range it.Interviewers {
								if !containsID(iv.Pool, u) {
									t.Errorf("interviewer %d is not in interview %d's pool", u, iv.ID)
								}
							}
						}
					}
				}
				if got := int(it.End.Sub(it.Start).Minutes()); got != dur {
					t.Errorf("interview %d lasts %d min, want %d", it.InterviewID, got, dur)
				}
				profiles, err := hs.ListProfiles(ctx, acct.ID, it.Interviewers)
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range it.Interviewers {
					p := profiles[u]
					if !p.Works(it.Start, it.End) {
						t.Errorf("option %d: %v–%v is outside interviewer %d's hours (%s)", o.Rank, it.Start, it.End, u, p.TimeZone)
					}
					items, err := hs.ListInterviewerItems(ctx, acct.ID, u, time.Now().Add(-24*time.Hour))
					if err != nil {
						t.Fatal(err)
					}
					for _, b := range items {
						if domain.Overlaps(it.Start.Add(-buffer), it.End.Add(buffer), b.Item.Start, b.Item.End) {
							t.Errorf("option %d: interviewer %d at %v overlaps their booking %v–%v", o.Rank, u, it.Start, b.Item.Start, b.Item.End)
						}
						checked++
					}
				}
			}
		}
		if checked > 0 || t.Failed() {
			break
		}
		mustConfirmFirstOption(t, c, next, r2)
	}
	if checked == 0 {
		t.Fatal("no option of any candidate shared an interviewer with a booking; the overlap check proved nothing")
	}
}

// TestExplainsWhenNothingFits covers a candidate with no availability in
// the search window and a pool nobody in which works.
func TestExplainsWhenNothingFits(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	router := mustValidator(t, c)
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	cands := mustCandidates(t, c, st.ID, "America/New_York")

	past := cands[0]
	mustJSON(t, c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", past),
		`{"availability":[{"start":"2020-03-05T13:00:00Z","end":"2020-03-05T21:00:00Z"}]}`), 200, nil)
	path := fmt.Sprintf("/api/v1/candidates/%d/find-times", past)
	res := c.Get(path)
	validate(t, router, path, res)
	var r result
	mustJSON(t, res, 200, &r)
	if len(r.Options) != 0 || r.Explanation == nil || len(r.Explanation.Blockers) == 0 {
		t.Fatalf("windows in the past: want an explanation, got %s", res.Body)
	}
	page := c.Get(fmt.Sprintf("/candidates/%d/find-times", past))
	if page.StatusCode != 200 || !strings.Contains(page.Body, `id="explanation"`) || !strings.Contains(page.Body, "no availability inside") {
		t.Fatalf("page without windows: %d\n%s", page.StatusCode, page.Body)
	}

	// Only a Sunday offered: the explanation names the one day searched.
	ny, _ := time.LoadLocation("America/New_York")
	sunday := time.Now().In(ny).AddDate(0, 0, 2)
	for sunday.Weekday() != time.Sunday {
		sunday = sunday.AddDate(0, 0, 1)
	}
	sunStart := time.Date(sunday.Year(), sunday.Month(), sunday.Day(), 10, 0, 0, 0, ny)
	mustJSON(t, c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", past), fmt.Sprintf(`{"availability":[{"start":%q,"end":%q}]}`,
		sunStart.UTC().Format(time.RFC3339), sunStart.Add(6*time.Hour).UTC().Format(time.RFC3339))), 200, nil)
	var sr struct {
		Options     []json.RawMessage `json:"options"`
		Explanation *struct {
			DaysSearched []string `json:"days_searched"`
		} `json:"explanation"`
	}
	res = c.Get(path)
	validate(t, router, path, res)
	mustJSON(t, res, 200, &sr)
	if len(sr.Options) != 0 || sr.Explanation == nil || len(sr.Explanation.DaysSearched) != 1 || sr.Explanation.DaysSearched[0] != sunday.Format("2006-01-02") {
		t.Fatalf("only a Sunday offered: want an explanation searching %s only, got %s", sunday.Format("2006-01-02"), res.Body)
	}
	page = c.Get(fmt.Sprintf("/candidates/%d/find-times", past))
	if want := "Searched 1 day"; !strings.Contains(page.Body, want) || !strings.Contains(page.Body, sunday.Format("Monday 2 January")) {
		t.Fatalf("page with only a Sunday: want %q and the date, got\n%s", want, page.Body)
	}

	// Nobody in the phone screen's pool works at all any more.
	for _, id := range st.Interviews[0].Pool {
		mustJSON(t, c.JSON("PUT", fmt.Sprintf("/api/v1/interviewers/%d", id), `{"time_zone":"America/New_York","working_hours":{}}`), 200, nil)
	}
	booked := past
	mustJSON(t, c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", booked), `{"availability":[]}`), 200, nil)
	path = fmt.Sprintf("/api/v1/candidates/%d/find-times", booked)
	res = c.Get(path)
	validate(t, router, path, res)
	mustJSON(t, res, 200, &r)
	if len(r.Options) != 0 || r.Explanation == nil || len(r.Explanation.Blockers) == 0 {
		t.Fatalf("pool that never works: want an explanation, got %s", res.Body)
	}
	if r.Explanation.Blockers[0].Reason != "no_interviewer_free" {
		t.Errorf("blocker reason = %q, want no_interviewer_free", r.Explanation.Blockers[0].Reason)
	}
	if len(r.Explanation.Relaxations) == 0 || r.Explanation.Relaxations[0].Kind != "add_interviewer_to_pool" {
		t.Errorf("want adding an interviewer as the smallest relaxation, got %+v", r.Explanation.Relaxations)
	}
	page = c.Get(fmt.Sprintf("/candidates/%d/find-times", booked))
	if page.StatusCode != 200 || !strings.Contains(page.Body, `class="relaxation"`) {
		t.Fatalf("page with a blocked pool: %d\n%s", page.StatusCode, page.Body)
	}
}

func TestPageShowsOptionsWithTimelineAndScheduleFormLinksToIt(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, c, st.ID, "America/New_York")[0]
	form := c.Get(fmt.Sprintf("/candidates/%d/schedule", id))
	if !strings.Contains(form.Body, fmt.Sprintf(`href="/candidates/%d/find-times"`, id)) {
		t.Fatalf("the scheduling form does not link to Find times:\n%s", form.Body)
	}
	page := c.Get(fmt.Sprintf("/candidates/%d/find-times", id))
	if page.StatusCode != 200 {
		t.Fatalf("page: %d %s", page.StatusCode, page.Body)
	}
	for _, want := range []string{`id="option-1"`, `class="timeline"`, `class="blk window"`, `class="blk itv"`, "Use this option", "Score "} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "style=") {
		t.Error("page uses inline styles, which the CSP blocks")
	}
	// Every time names its zone: the viewer's and the candidate's.
	var me struct {
		TimeZone string `json:"time_zone"`
	}
	if err := json.Unmarshal([]byte(c.Get("/api/v1/me").Body), &me); err != nil || me.TimeZone == "" {
		t.Fatalf("me: %v", err)
	}
	for _, want := range []string{"your time (" + me.TimeZone + ")", "Your time (" + me.TimeZone + ")", "Candidate's time (America/New_York)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the page does not name the zone: lacks %q", want)
		}
	}
}

func TestOtherCompaniesAndInterviewersCannotSee(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	acme := a.SignIn(t, "admin@example.com")
	st := mustStage(t, acme, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, acme, st.ID, "America/New_York")[0]
	globex := a.SignIn(t, "admin@globex.example")
	for _, path := range []string{fmt.Sprintf("/api/v1/candidates/%d/find-times", id), fmt.Sprintf("/candidates/%d/find-times", id)} {
		if res := globex.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("another company: GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	interviewer := a.SignIn(t, "priya@example.com")
	if res := interviewer.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", id)); res.StatusCode != http.StatusForbidden {
		t.Errorf("interviewer: %d, want 403", res.StatusCode)
	}
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
