package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// The calendar pages and the Outbox in the demo with its calendars, at
// 390 and 1280 px: an interviewer's week with their standups, 1:1s and
// focus time; a room's week with its board meetings, and the rooms;
// Integrations → Calendars; the Outbox with a confirmed schedule's
// invitations, and one of them. Nothing wider than the screen.
// With IP_SCREENSHOTS=docs/screenshots the walk saves each page.
func TestBrowserCalendarPagesAndOutbox(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_DEMO_CALENDARS": "true"}})
	c := a.SignIn(t, "admin@example.com")
	// The demo calendars are read by the sweep that runs at start.
	apptest.WaitFor(t, "the demo calendars read", func() bool {
		page := c.Get("/integrations/calendars")
		return page.StatusCode == 200 && !strings.Contains(page.Body, "Not read yet")
	})
	// The first weekday hour from tomorrow that the interviewers' own
	// calendars leave free (the check refuses the others).
	var id int64
	var day time.Time
	for d := 1; id == 0 && d < 14; d++ {
		day = time.Now().UTC().AddDate(0, 0, d)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		for _, h := range []int{15, 17, 13, 16} {
			if id = tryScheduleTwo(t, c, time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, time.UTC)); id != 0 {
				break
			}
		}
	}
	if id == 0 {
		t.Fatal("no free hour in two weeks for the demo interviewers")
	}
	var sc struct {
		Items []struct {
			Interviewers []int64 `json:"interviewers"`
		} `json:"items"`
	}
	mustDecode(t, c.Get(fmt.Sprintf("/api/v1/schedules/%d", id)), &sc)
	apptest.WaitFor(t, "the invitations in the outbox", func() bool {
		return strings.Count(c.Get("/outbox").Body, "Interview scheduled") >= 3
	})
	list := c.Get("/outbox").Body
	i := strings.Index(list, `href="/outbox/`)
	email := list[i+6 : i+6+strings.Index(list[i+6:], `"`)]
	var rooms struct {
		Rooms []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"rooms"`
	}
	mustDecode(t, c.Get("/api/v1/rooms"), &rooms)
	var hopper int64
	for _, r := range rooms.Rooms {
		if r.Name == "Hopper (2nd floor)" {
			hopper = r.ID
		}
	}
	pages := []struct{ name, path, wait string }{
		{"calendars-interviewer", fmt.Sprintf("/interviewers/%d/calendars?week=%s", sc.Items[0].Interviewers[0], day.Format("2006-01-02")), "main svg"},
		{"calendars-room", fmt.Sprintf("/rooms/%d?week=%s", hopper, day.Format("2006-01-02")), "main svg"},
		{"rooms", "/rooms", "#rooms"},
		{"calendars-integrations", "/integrations/calendars", "#calendar-sources"},
		{"outbox", "/outbox", "#outbox"},
		{"outbox-email", email, "#email"},
	}
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	for _, size := range []struct {
		w, h int
		tag  string
	}{{390, 844, "-390"}, {1280, 900, "-1280"}} {
		b.Do(chromedp.EmulateViewport(int64(size.w), int64(size.h)))
		for _, p := range pages {
			b.Do(chromedp.Navigate(a.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
			if probs := browsertest.Get(b, chromedp.Evaluate[[]string](layoutProblems)); len(probs) > 0 {
				t.Errorf("%s at %d px: %s", p.path, size.w, strings.Join(probs, "; "))
			}
			b.Screenshot(p.name + size.tag)
		}
	}
	// The week shows the calendar's events by name and the interview.
	week := c.Get(pages[0].path).Body
	for _, want := range []string{"Team standup", "Focus time"} {
		if !strings.Contains(week, want) {
			t.Errorf("the interviewer's week does not show %q", want)
		}
	}
	// The room's week shows its own calendar's meetings, and the room's
	// page is reached from the navigation and offers its calendar forms.
	if room := c.Get(pages[1].path).Body; !strings.Contains(room, "Board meeting") || !strings.Contains(room, `id="add-feed"`) {
		t.Errorf("the room's week does not show its board meeting, or offers no calendar form")
	}
	b.Do(chromedp.Navigate(a.URL+"/"), chromedp.Click(chromedp.CSS(`nav.main a[href="/rooms"]`)), chromedp.WaitVisible(chromedp.CSS("#rooms")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#rooms a[href="/rooms/%d"]`, hopper))), chromedp.WaitVisible(chromedp.CSS("#add-feed")))
	if title := browsertest.Get(b, chromedp.Evaluate[string](`document.querySelector("h1").textContent`)); title != "Room Hopper (2nd floor)" {
		t.Errorf("the room page's title is %q", title)
	}
	// The email page shows the times in the recipient's zone and offers
	// the invitation's .ics.
	if body := c.Get(email).Body; !strings.Contains(body, "Download invite.ics") {
		t.Errorf("the email page has no invitation to download:\n%s", body)
	}
}

// tryScheduleTwo books the first two interviews of a Senior Backend
// Engineer stage for its first candidate from at, two hours apart; 0 when
// a calendar clashes.
func tryScheduleTwo(t *testing.T, c *apptest.Client, at time.Time) int64 {
	t.Helper()
	var jobs struct {
		Jobs []struct {
			Title  string `json:"title"`
			Stages []struct {
				ID         int64 `json:"id"`
				Interviews []struct {
					ID   int64   `json:"id"`
					Pool []int64 `json:"pool"`
				} `json:"interviews"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	mustDecode(t, c.Get("/api/v1/jobs"), &jobs)
	for _, j := range jobs.Jobs {
		if j.Title != "Senior Backend Engineer" {
			continue
		}
		for _, s := range j.Stages {
			if len(s.Interviews) < 2 {
				continue
			}
			var list struct {
				Candidates []struct {
					ID int64 `json:"id"`
				} `json:"candidates"`
			}
			mustDecode(t, c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d&limit=1", s.ID)), &list)
			if len(list.Candidates) == 0 {
				continue
			}
			var items []string
			for i, iv := range s.Interviews[:2] {
				items = append(items, fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewers":[%d]}`, iv.ID, at.Add(time.Duration(i)*2*time.Hour).Format(time.RFC3339), iv.Pool[0]))
			}
			res := c.JSON("POST", "/api/v1/schedules", fmt.Sprintf(`{"candidate_id":%d,"video":false,"accept_warnings":true,"items":[%s]}`, list.Candidates[0].ID, strings.Join(items, ",")))
			if res.StatusCode != 201 {
				return 0
			}
			var sc struct {
				ID int64 `json:"id"`
			}
			mustDecode(t, res, &sc)
			return sc.ID
		}
	}
	t.Fatal("no demo stage with two interviews")
	return 0
}
