package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
)

// TestBrowserFindTimesProposesAndBooksAnOption walks the coordinator's
// path: the scheduling form's "Find times", the ranked options with their
// timelines, "Use this option", and confirming the prefilled form.
func TestBrowserFindTimesProposesAndBooksAnOption(t *testing.T) {
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

	b := NewBrowser(t)
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
	if n := Get(b, chromedp.Evaluate[int](`document.querySelectorAll('#option-1 svg.timeline rect.itv').length`)); n == 0 {
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
