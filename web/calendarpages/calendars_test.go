package calendarpages_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// feed serves an .ics, or fails with status when set.
type feed struct {
	mu     sync.Mutex
	body   string
	status int
}

func (f *feed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status != 0 {
		http.Error(w, "no", f.status)
		return
	}
	w.Header().Set("Content-Type", "text/calendar")
	fmt.Fprint(w, f.body)
}

func (f *feed) fail(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

// daily is a feed with a daily 15:00–15:30 UTC standup from today on.
func daily(title string) string {
	start := time.Now().UTC().Truncate(24 * time.Hour).Add(15 * time.Hour)
	return strings.Join([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN",
		"BEGIN:VEVENT", "UID:standup@test", "SUMMARY:" + title,
		"DTSTART:" + start.Format("20060102T150405Z"), "DTEND:" + start.Add(30*time.Minute).Format("20060102T150405Z"),
		"RRULE:FREQ=DAILY", "END:VEVENT", "END:VCALENDAR"}, "\r\n") + "\r\n"
}

func mustDecode(t *testing.T, res apptest.Response, status int, v any) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, res.Body)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(res.Body), v); err != nil {
			t.Fatalf("decode: %v: %s", err, res.Body)
		}
	}
}

type source struct {
	ID         int64  `json:"id"`
	State      string `json:"state"`
	Error      string `json:"error"`
	EventCount int    `json:"event_count"`
	Address    string `json:"address"`
}

func TestCalendarsEndToEnd(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	admin := a.SignIn(t, "admin@example.com")
	priya, err := a.Main.DB.GetUserByEmail(ctx, mustAcme(t, a), "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	f := &feed{body: daily("Team standup")}
	srv := httptest.NewServer(f)
	defer srv.Close()

	var src source
	mustDecode(t, admin.JSON("POST", fmt.Sprintf("/api/v1/interviewers/%d/calendars", priya.ID),
		fmt.Sprintf(`{"kind":"feed","name":"Work","url":%q}`, srv.URL+"/private-abc/basic.ics")), 201, &src)
	if src.State != "ok" || src.EventCount != 1 || strings.Contains(src.Address, "private-abc") {
		t.Fatalf("source = %+v", src)
	}
	from := time.Now().UTC().Truncate(24 * time.Hour)
	var busy struct {
		Known  bool `json:"known"`
		Events []struct {
			Title  string `json:"title"`
			Blocks bool   `json:"blocks"`
		} `json:"events"`
		Unknown []struct {
			Message string `json:"message"`
		} `json:"unknown"`
	}
	busyPath := fmt.Sprintf("/api/v1/interviewers/%d/busy?from=%s&to=%s", priya.ID, from.Format(time.RFC3339), from.Add(72*time.Hour).Format(time.RFC3339))
	mustDecode(t, admin.Get(busyPath), 200, &busy)
	if !busy.Known || len(busy.Events) != 3 || busy.Events[0].Title != "Team standup" || !busy.Events[0].Blocks {
		t.Fatalf("busy = %+v", busy)
	}
	page := admin.Get(fmt.Sprintf("/interviewers/%d/calendars", priya.ID))
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Team standup, ") || !strings.Contains(page.Body, `id="source-`) {
		t.Fatalf("calendars page: %d %s", page.StatusCode, page.Body)
	}

	// Placing Priya by hand over her standup is refused, naming the event.
	cand, interview := phoneScreenCandidate(t, admin, priya.ID)
	standupAt := from.Add(24*time.Hour + 15*time.Hour).Format(time.RFC3339)
	checkBody := fmt.Sprintf(`{"candidate_id":%d,"items":[{"interview_id":%d,"start":%q,"interviewers":[%d]}]}`, cand, interview, standupAt, priya.ID)
	check := admin.JSON("POST", "/api/v1/schedules/check", checkBody)
	if check.StatusCode != 200 || !strings.Contains(check.Body, "Priya Patel: “Team standup” 10:00–10:30 EST in their calendar.") {
		t.Fatalf("check over the standup: %d %s", check.StatusCode, check.Body)
	}

	// Another interviewer neither sees nor changes Priya's calendars; Priya does.
	marcus := a.SignIn(t, "marcus@example.com")
	if res := marcus.Get(fmt.Sprintf("/api/v1/interviewers/%d/calendars", priya.ID)); res.StatusCode != 404 {
		t.Fatalf("marcus reads priya's calendars: %d", res.StatusCode)
	}
	if res := marcus.Do("DELETE", fmt.Sprintf("/api/v1/calendars/%d", src.ID), nil, nil); res.StatusCode != 404 {
		t.Fatalf("marcus deletes priya's calendar: %d", res.StatusCode)
	}
	globex := a.SignIn(t, "admin@globex.example")
	if res := globex.Get(fmt.Sprintf("/api/v1/interviewers/%d/busy?from=%s&to=%s", priya.ID, from.Format(time.RFC3339), from.Add(time.Hour).Format(time.RFC3339))); res.StatusCode != 404 {
		t.Fatalf("another company reads priya's busy time: %d %s", res.StatusCode, res.Body)
	}
	self := a.SignIn(t, "priya@example.com")
	mustDecode(t, self.Get(fmt.Sprintf("/api/v1/interviewers/%d/calendars", priya.ID)), 200, nil)

	// Bad input is refused plainly and changes nothing.
	for _, body := range []string{`{"kind":"ftp"}`, `{"kind":"feed","url":"file:///etc/passwd"}`, `{"kind":"upload","ics":"not a calendar"}`} {
		res := admin.JSON("POST", fmt.Sprintf("/api/v1/interviewers/%d/calendars", priya.ID), body)
		if res.StatusCode != 422 || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
			t.Fatalf("%s: %d %s", body, res.StatusCode, res.Body)
		}
	}
	if res := admin.Get(fmt.Sprintf("/api/v1/interviewers/%d/busy?from=yesterday&to=now", priya.ID)); res.StatusCode != 422 {
		t.Fatalf("bad range: %d", res.StatusCode)
	}
	var list struct {
		Calendars []source `json:"calendars"`
	}
	mustDecode(t, admin.Get(fmt.Sprintf("/api/v1/interviewers/%d/calendars", priya.ID)), 200, &list)
	if len(list.Calendars) != 1 {
		t.Fatalf("calendars after bad input = %+v", list.Calendars)
	}

	// The feed starts answering 401: Priya's availability is unknown, the
	// admins see a banner, the Integrations section shows the error, and
	// Find times does not propose her and says why.
	f.fail(http.StatusUnauthorized)
	if err := a.Main.Calendars.Sync(ctx, priya.AccountID, src.ID); err != nil {
		t.Fatal(err)
	}
	mustDecode(t, admin.Get(busyPath), 200, &busy)
	if busy.Known || len(busy.Unknown) != 1 || !strings.Contains(busy.Unknown[0].Message, `Priya Patel's calendar "Work" could not be read since`) ||
		!strings.Contains(busy.Unknown[0].Message, "the server answered 401") {
		t.Fatalf("busy after failure = %+v", busy)
	}
	// Placing her by hand there is a warning to accept, naming why.
	check = admin.JSON("POST", "/api/v1/schedules/check", checkBody)
	if check.StatusCode != 200 || !strings.Contains(check.Body, `Priya Patel's calendar \"Work\" could not be read since`) || !strings.Contains(check.Body, "They may be busy then.") {
		t.Fatalf("check with an unreadable calendar: %d %s", check.StatusCode, check.Body)
	}
	home := admin.Get("/")
	if !strings.Contains(home.Body, "A calendar cannot be read") {
		t.Fatalf("no banner on the home page: %s", home.Body)
	}
	if strings.Contains(marcus.Get("/").Body, "A calendar cannot be read") {
		t.Fatal("banner shown to an interviewer")
	}
	integ := admin.Get("/integrations/calendars")
	if integ.StatusCode != 200 || !strings.Contains(integ.Body, "Failing") || !strings.Contains(integ.Body, "the server answered 401") {
		t.Fatalf("integrations calendars: %d %s", integ.StatusCode, integ.Body)
	}
	ft := admin.Get(fmt.Sprintf("/candidates/%d/find-times", cand))
	if ft.StatusCode != 200 || !strings.Contains(ft.Body, `id="unread-calendars"`) || !strings.Contains(ft.Body, "Priya Patel&#39;s calendar") {
		t.Fatalf("find times does not say why: %d %s", ft.StatusCode, ft.Body)
	}
	if i := strings.Index(ft.Body, `id="options"`); i < 0 || strings.Contains(ft.Body[i:], "Priya Patel") {
		t.Fatalf("find times proposes Priya although her calendar cannot be read")
	}

	// Removing the source removes the unknown state.
	if res := admin.Do("DELETE", fmt.Sprintf("/api/v1/calendars/%d", src.ID), nil, nil); res.StatusCode != 204 {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Body)
	}
	mustDecode(t, admin.Get(busyPath), 200, &busy)
	if !busy.Known || len(busy.Events) != 0 {
		t.Fatalf("after delete busy = %+v", busy)
	}
}

// phoneScreenCandidate is a demo candidate at the first job's phone
// screen, whose pool includes Priya.
func phoneScreenCandidate(t *testing.T, c *apptest.Client, interviewer int64) (candidate, interview int64) {
	t.Helper()
	var jobs struct {
		Jobs []struct {
			Stages []struct {
				ID         int64  `json:"id"`
				Name       string `json:"name"`
				Interviews []struct {
					ID   int64   `json:"id"`
					Pool []int64 `json:"pool"`
				} `json:"interviews"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	mustDecode(t, c.Get("/api/v1/jobs"), 200, &jobs)
	for _, j := range jobs.Jobs {
		for _, s := range j.Stages {
			if s.Name != "Phone Screen" || len(s.Interviews) == 0 || !slices.Contains(s.Interviews[0].Pool, interviewer) {
				continue
			}
			if cand, ok := firstCandidate(t, c, s.ID); ok {
				return cand, s.Interviews[0].ID
			}
		}
	}
	t.Fatal("no phone screen candidate in the demo")
	return 0, 0
}

// firstCandidate is a demo candidate at the stage, if it has one.
func firstCandidate(t *testing.T, c *apptest.Client, stageID int64) (int64, bool) {
	t.Helper()
	var list struct {
		Candidates []struct {
			ID int64 `json:"id"`
		} `json:"candidates"`
	}
	mustDecode(t, c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d&limit=1", stageID)), 200, &list)
	if len(list.Candidates) == 0 {
		return 0, false
	}
	return list.Candidates[0].ID, true
}

func mustAcme(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	acc, err := a.Main.DB.GetAccountByName(t.Context(), "Acme")
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID
}
