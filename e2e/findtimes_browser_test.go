package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// TestBrowserFindTimesProposesAndBooksAnOption walks the coordinator's
// path: the scheduling form's "Find times", the ranked options with their
// timelines, "Use this option", and confirming the prefilled form.
func TestBrowserFindTimesProposesAndBooksAnOption(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	var list struct {
		Candidates []struct {
			ID int64 `json:"id"`
		} `json:"candidates"`
	}
	res := a.SignIn(t, "sam@example.com").Get("/api/v1/candidates?limit=1")
	if err := json.Unmarshal([]byte(res.Body), &list); err != nil || len(list.Candidates) == 0 {
		t.Fatalf("demo candidates: %v %s", err, res.Body)
	}
	id := list.Candidates[0].ID

	b := browsertest.New(t)
	b.SignIn(a.URL, "sam@example.com")
	b.Do(
		chromedp.Navigate(fmt.Sprintf("%s/candidates/%d/schedule", a.URL, id)),
		chromedp.WaitVisible(chromedp.CSS(`#find-times a`)),
		chromedp.Click(chromedp.CSS(`#find-times a`)),
		chromedp.WaitVisible(chromedp.CSS(`#option-1`)),
	)
	if h := b.Text(`#option-1 h2`); !strings.Contains(h, "Option 1") {
		t.Errorf("first option heading = %q", h)
	}
	if n := browsertest.Get(b, chromedp.Evaluate[int](`document.querySelectorAll('#option-1 svg.timeline rect.itv').length`)); n == 0 {
		t.Error("the first option's timeline shows no interview")
	}
	b.Screenshot("find-times")
	b.Do(
		chromedp.Click(chromedp.CSS(`#option-1 button.use-option`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value=confirm]`)),
		chromedp.Click(chromedp.CSS(`button[value=confirm]`)),
		chromedp.WaitVisible(chromedp.CSS(`#items`)),
	)
	if status := b.Text(`#schedule-status`); status != "scheduled" {
		t.Errorf("schedule status = %q, want scheduled", status)
	}
}

// TestBrowserFindTimesListIsCompactWithDetailsOnDemand checks the page a
// coordinator compares options on, at desktop width and at 390 px: one
// short card per option, the interviews, swaps and day timeline (hour
// marks, working hours, busy time) behind a click, nothing wider than the
// screen, and the Zoom switch carried into the scheduling form.
func TestBrowserFindTimesListIsCompactWithDetailsOnDemand(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	var jobs struct {
		Jobs []struct {
			Title  string `json:"title"`
			Stages []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(c.Get("/api/v1/jobs").Body), &jobs); err != nil {
		t.Fatal(err)
	}
	var stageID int64
	for _, j := range jobs.Jobs {
		for _, s := range j.Stages {
			if j.Title == "Senior Backend Engineer" && s.Name == "Onsite" {
				stageID = s.ID
			}
		}
	}
	var list struct {
		Candidates []struct {
			ID int64 `json:"id"`
		} `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d&limit=20", stageID)).Body), &list); err != nil {
		t.Fatal(err)
	}
	// The first onsite candidate with options to compare.
	var id int64
	for _, cd := range list.Candidates {
		var r struct {
			Options []json.RawMessage `json:"options"`
		}
		if json.Unmarshal([]byte(c.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", cd.ID)).Body), &r) == nil && len(r.Options) >= 2 {
			id = cd.ID
			break
		}
	}
	if id == 0 {
		t.Fatal("no onsite candidate with options")
	}
	page := fmt.Sprintf("%s/candidates/%d/find-times", a.URL, id)

	b := browsertest.New(t)
	b.SignIn(a.URL, "sam@example.com")
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#option-1`)))
	count := func(sel string) int {
		return browsertest.Get(b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	}
	if n := count(`#options > li`); n < 2 {
		t.Fatalf("%d options, want several to compare", n)
	}
	if n := count(`#options details[open]`); n != 0 {
		t.Errorf("%d options open at first; the list should be compact", n)
	}
	if h := browsertest.Get(b, chromedp.Evaluate[float64](`document.querySelector('#option-1').getBoundingClientRect().height`)); h > 200 {
		t.Errorf("a closed option is %.0f px tall, want at most 200", h)
	}
	if n := count(`#option-1 svg.hours text.hour`); n < 3 {
		t.Errorf("the timeline has %d hour marks", n)
	}
	if n := count(`#option-1 svg.timeline rect.off`); n == 0 {
		t.Error("the timeline does not show the interviewers' working hours")
	}
	b.Screenshot("find-times")
	b.Do(chromedp.Click(chromedp.CSS(`#option-1 summary`)), chromedp.WaitVisible(chromedp.CSS(`#option-1 svg.hours`)))
	b.Screenshot("find-times-open")

	b.Do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#option-1`)))
	b.Do(chromedp.Click(chromedp.CSS(`#option-1 summary`)), chromedp.WaitVisible(chromedp.CSS(`#option-1 svg.hours`)))
	if w := browsertest.Get(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at 390 px the page is %d px wide", w)
	}
	b.Screenshot("find-times-390")
	b.Do(chromedp.EmulateViewport(1280, 900))

	// Flip the Zoom switch, find again, use option 1: the form keeps it.
	was := browsertest.Get(b, chromedp.Evaluate[bool](`document.querySelector('#video-switch input[type=checkbox]').checked`))
	want := "on"
	if was {
		want = "off"
	}
	b.Do(
		chromedp.Click(chromedp.CSS(`#video-switch input[type=checkbox]`)),
		chromedp.Click(chromedp.CSS(`#video-switch button`)),
		// Only the new page's options carry the new choice.
		chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`#option-1 input[name=video][value=%s]`, want))),
	)
	if now := browsertest.Get(b, chromedp.Evaluate[bool](`document.querySelector('#video-switch input[type=checkbox]').checked`)); now == was {
		t.Fatal("the Zoom switch did not change")
	}
	b.Do(chromedp.Click(chromedp.CSS(`#option-1 button.use-option`)), chromedp.WaitVisible(chromedp.CSS(`button[value=confirm]`)))
	if got := browsertest.Get(b, chromedp.Evaluate[bool](`document.querySelector('input[name=video]').checked`)); got == was {
		t.Errorf("the scheduling form's Zoom box is %v; Find times chose %v", got, !was)
	}
}
