package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// The demo's interviewers have their own calendars from the first start,
// read in the background just after it into busy time Find times and the conflict check use: standups
// block, focus time is soft (a conflict keyword), a private event is
// "Busy", a declined meeting is absent.
func TestDemoInterviewersHaveCalendars(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_DEMO_CALENDARS": "true"}})
	ctx := t.Context()
	acme, err := a.Main.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	priya, err := a.Main.DB.GetUserByEmail(ctx, acme.ID, "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	admin := a.SignIn(t, "admin@example.com")
	from := time.Now().UTC().Truncate(time.Hour)
	to := from.Add(35 * 24 * time.Hour)
	path := fmt.Sprintf("/api/v1/interviewers/%d/busy?from=%s&to=%s", priya.ID, url.QueryEscape(from.Format(time.RFC3339)), url.QueryEscape(to.Format(time.RFC3339)))
	// The calendars are read in the background, by the sweep that runs at
	// start; until then Priya's time is unknown, never free.
	var res apptest.Response
	apptest.WaitFor(t, "the demo calendars read", func() bool {
		res = admin.Get(path)
		var b struct {
			Known bool `json:"known"`
		}
		return json.Unmarshal([]byte(res.Body), &b) == nil && b.Known
	})
	var busy struct {
		Known  bool `json:"known"`
		Events []struct {
			Title   string `json:"title"`
			Blocks  bool   `json:"blocks"`
			Keyword string `json:"keyword"`
			AllDay  bool   `json:"all_day"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(res.Body), &busy); err != nil || res.StatusCode != 200 {
		t.Fatalf("busy: %d %v\n%s", res.StatusCode, err, res.Body)
	}
	if !busy.Known {
		t.Fatalf("Priya's demo calendar is not known: %s", res.Body)
	}
	seen := map[string]bool{}
	for _, e := range busy.Events {
		seen[e.Title] = true
		switch e.Title {
		case "Team standup", "Busy", "Out of office", "1:1 Priya / Elena":
			if !e.Blocks {
				t.Fatalf("%q does not block", e.Title)
			}
		case "Focus time":
			if e.Blocks || e.Keyword != "focus time" {
				t.Fatalf("focus time: blocks %v, keyword %q", e.Blocks, e.Keyword)
			}
		case "Company all-hands", "Lunch walk", "Dentist":
			t.Fatalf("%q shows although declined, free or private", e.Title)
		}
	}
	for _, want := range []string{"Team standup", "Busy", "Out of office", "1:1 Priya / Elena", "Focus time", "Architecture review"} {
		if !seen[want] {
			t.Fatalf("no %q in five weeks of Priya's calendar: %v", want, seen)
		}
	}
	if page := admin.Get("/integrations/calendars"); page.StatusCode != 200 {
		t.Fatalf("integrations → calendars: %d", page.StatusCode)
	}
}
