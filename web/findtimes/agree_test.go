package findtimes_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// rawResult keeps each option's items as the API sent them, to post them
// back unchanged.
type rawResult struct {
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Video       bool      `json:"video"`
	Options     []struct {
		Items json.RawMessage `json:"items"`
	} `json:"options"`
}

type checkResult struct {
	Conflicts []domain.Conflict `json:"conflicts"`
}

// mustAgree finds times for the candidate and posts every option's items,
// as they are, to the schedule check: none may be outside the stage's
// hours or days. It returns the result.
func mustAgree(t *testing.T, c *apptest.Client, candidateID int64) rawResult {
	t.Helper()
	var r rawResult
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", candidateID)), 200, &r)
	for k, o := range r.Options {
		body := fmt.Sprintf(`{"candidate_id":%d,"video":%t,"items":%s}`, candidateID, r.Video, o.Items)
		var cr checkResult
		mustJSON(t, c.JSON("POST", "/api/v1/schedules/check", body), 200, &cr)
		for _, cf := range cr.Conflicts {
			if cf.Kind == domain.ConflictAllowedHours || cf.Kind == domain.ConflictDateRange {
				t.Errorf("candidate %d, option %d: Find times proposed it, confirming says: %s", candidateID, k+1, cf.Message)
			}
		}
	}
	return r
}

// TestFindTimesAndConfirmAgreeOnTheStagesDaysAndHours sets a stage's days
// and hours several ways, including a range of days that is today only
// and hours that end at midnight, and checks Find times' options for
// candidates in zones far apart against the schedule check.
func TestFindTimesAndConfirmAgreeOnTheStagesDaysAndHours(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	ctx := t.Context()
	acct, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	hs := hiringstore.New(a.Main.DB)
	zones := []string{"America/New_York", "Europe/London"}
	var cands []int64
	for _, zone := range zones {
		cands = append(cands, mustCandidates(t, c, st.ID, zone)[0])
	}
	// The single day is a weekday in both zones, when the demo's
	// interviewers work: two days from a Thursday is a Saturday.
	single := 2
	for ; single < 7; single++ {
		weekday := true
		for _, zone := range zones {
			loc, _ := time.LoadLocation(zone)
			if d := time.Now().In(loc).AddDate(0, 0, single).Weekday(); d == time.Saturday || d == time.Sunday {
				weekday = false
			}
		}
		if weekday {
			break
		}
	}
	for _, tt := range []struct {
		name                 string
		startMin, endMin     int
		earliest, latest     int
		wantOptionsSomewhere bool
	}{
		{"today only, any hour", 0, 24 * 60, 0, 0, false},
		{"today only, business hours", 9 * 60, 17 * 60, 0, 0, false},
		{"evenings to midnight", 18 * 60, 24 * 60, 1, 4, true},
		{"early mornings, a single day", 6 * 60, 9*60 + 30, single, single, true},
		{"any hour, two weeks", 0, 24 * 60, 0, 14, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stage, err := hs.GetStage(ctx, acct.ID, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			stage.AllowedStartMinute, stage.AllowedEndMinute = tt.startMin, tt.endMin
			stage.EarliestDayOffset, stage.LatestDayOffset = tt.earliest, tt.latest
			if _, err := hs.UpdateStage(ctx, acct.ID, *stage); err != nil {
				t.Fatal(err)
			}
			any := false
			for _, id := range cands {
				cand, err := hs.GetCandidate(ctx, acct.ID, id)
				if err != nil {
					t.Fatal(err)
				}
				loc, _ := time.LoadLocation(cand.TimeZone)
				y, m, d := time.Now().In(loc).Date()
				from := time.Date(y, m, d+tt.earliest, 0, 0, 0, 0, loc)
				to := time.Date(y, m, d+tt.latest+1, 0, 0, 0, 0, loc)
				r := mustAgree(t, c, id)
				if r.WindowStart.Before(from.Add(-time.Minute)) || r.WindowEnd.After(to) {
					t.Errorf("candidate %d in %s: Find times searches %v to %v, the stage allows %v to %v", id, cand.TimeZone, r.WindowStart, r.WindowEnd, from, to)
				}
				any = any || len(r.Options) > 0
			}
			if tt.wantOptionsSomewhere && !any {
				t.Error("no options for any candidate; the check proved nothing")
			}
		})
	}
}

// TestNewStageHasBusinessHoursAndTwoWeeks creates a stage by name only,
// as the job page does, and through the API without hours or days.
func TestNewStageHasBusinessHoursAndTwoWeeks(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	var jobs struct {
		Jobs []struct {
			ID     int64       `json:"id"`
			Title  string      `json:"title"`
			Stages []stageInfo `json:"stages"`
		} `json:"jobs"`
	}
	mustJSON(t, c.Get("/api/v1/jobs"), 200, &jobs)
	job := jobs.Jobs[0].ID
	page := c.Get(fmt.Sprintf("/jobs/%d", job))
	v := url.Values{"name": {"Culture chat"}}
	if m := tokenRe.FindStringSubmatch(page.Body); m != nil {
		v.Set("form_token", m[1])
	}
	if res := c.PostForm(fmt.Sprintf("/jobs/%d/stages", job), v); res.StatusCode >= 400 {
		t.Fatalf("create stage: %d %s", res.StatusCode, res.Body)
	}
	type stage struct {
		Name         string `json:"name"`
		AllowedStart string `json:"allowed_start"`
		AllowedEnd   string `json:"allowed_end"`
		Earliest     int    `json:"earliest_day_offset"`
		Latest       int    `json:"latest_day_offset"`
	}
	var sj struct {
		Stages []stage `json:"stages"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/jobs/%d", job)), 200, &sj)
	found := false
	for _, s := range sj.Stages {
		if s.Name != "Culture chat" {
			continue
		}
		found = true
		if s.AllowedStart != "09:00" || s.AllowedEnd != "17:00" || s.Earliest != 0 || s.Latest != 14 {
			t.Errorf("new stage from the job page: %+v, want 09:00–17:00, days 0 to 14", s)
		}
	}
	if !found {
		t.Fatalf("the new stage is not on the job: %+v", sj.Stages)
	}
	res := c.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", job), `{"name":"Take-home review","position":9}`)
	if res.StatusCode != 201 && res.StatusCode != 200 {
		if !strings.Contains(res.Body, "not found") {
			t.Fatalf("create stage by API: %d %s", res.StatusCode, res.Body)
		}
		return
	}
	var s stage
	mustJSON(t, res, res.StatusCode, &s)
	if s.AllowedStart != "09:00" || s.AllowedEnd != "17:00" || s.Latest != 14 {
		t.Errorf("new stage from the API: %+v, want 09:00–17:00, days 0 to 14", s)
	}
}

// TestFindTimesItemsPostAsTheyAre books option 1 by posting its items,
// unchanged, with the result's video choice, and checks interviewer_ids
// and interviewers are one field.
func TestFindTimesItemsPostAsTheyAre(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	st := mustStage(t, c, "Senior Backend Engineer", "Phone Screen")
	ids := mustCandidates(t, c, st.ID, "America/New_York")
	r := mustAgree(t, c, ids[0])
	if len(r.Options) == 0 {
		t.Fatal("no options")
	}
	body := fmt.Sprintf(`{"candidate_id":%d,"video":%t,"idempotency_key":"as-is-1","items":%s}`, ids[0], r.Video, r.Options[0].Items)
	var sc struct {
		Video bool `json:"video"`
		Items []struct {
			InterviewID  int64     `json:"interview_id"`
			Start        time.Time `json:"start"`
			Interviewers []int64   `json:"interviewers"`
		} `json:"items"`
	}
	mustJSON(t, c.JSON("POST", "/api/v1/schedules", body), 201, &sc)
	var items []struct {
		InterviewID  int64     `json:"interview_id"`
		Start        time.Time `json:"start"`
		Interviewers []int64   `json:"interviewer_ids"`
	}
	if err := json.Unmarshal(r.Options[0].Items, &items); err != nil {
		t.Fatal(err)
	}
	if len(sc.Items) != len(items) || sc.Video != r.Video {
		t.Fatalf("booked %+v, posted %s (video %t)", sc, r.Options[0].Items, r.Video)
	}
	for k := range items {
		if !sc.Items[k].Start.Equal(items[k].Start) || fmt.Sprint(sc.Items[k].Interviewers) != fmt.Sprint(items[k].Interviewers) {
			t.Errorf("item %d booked %+v, posted %+v", k, sc.Items[k], items[k])
		}
	}
	// The old field name still works; the two names disagreeing, or an end
	// that is not start plus the interview's length, is a clear 422.
	at := items[0].Start.Add(48 * time.Hour).UTC().Format(time.RFC3339)
	for _, tt := range []struct {
		item, want string
		status     int
	}{
		{fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewers":[%d]}`, items[0].InterviewID, at, items[0].Interviewers[0]), "", 200},
		{fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewer_ids":[%d],"room_id":null,"name":"x","alternates":[{"id":1,"name":"y"}]}`, items[0].InterviewID, at, items[0].Interviewers[0]), "", 200},
		{fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewers":[%d],"interviewer_ids":[%d]}`, items[0].InterviewID, at, items[0].Interviewers[0], items[0].Interviewers[0]+1000), "name different people", 422},
		{fmt.Sprintf(`{"interview_id":%d,"start":%q,"end":%q,"interviewers":[%d]}`, items[0].InterviewID, at, at, items[0].Interviewers[0]), "end must be the start plus", 422},
	} {
		res := c.JSON("POST", "/api/v1/schedules/check", fmt.Sprintf(`{"candidate_id":%d,"items":[%s]}`, ids[1%len(ids)], tt.item))
		if res.StatusCode != tt.status || !strings.Contains(res.Body, tt.want) {
			t.Errorf("check %s: %d %s, want %d saying %q", tt.item, res.StatusCode, res.Body, tt.status, tt.want)
		}
	}
}
