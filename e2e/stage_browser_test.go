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

// The stage editor's interviewer pools are searchable lists of checkboxes;
// the page fits a 390 px screen.
func TestBrowserStagePoolIsASearchableChecklist(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	var jobs struct {
		Jobs []struct {
			Stages []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"stages"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(c.Get("/api/v1/jobs").Body), &jobs); err != nil || len(jobs.Jobs) == 0 {
		t.Fatalf("jobs: %v", err)
	}
	stage := jobs.Jobs[0].Stages[0].ID
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	b.Do(
		chromedp.Navigate(fmt.Sprintf("%s/stages/%d", a.URL, stage)),
		chromedp.WaitVisible(chromedp.CSS(`#pool-0`)),
	)
	if n := browsertest.Get(b, chromedp.Evaluate[int](`document.querySelectorAll('select[multiple]').length`)); n != 0 {
		t.Fatalf("%d multi-selects left on the stage editor", n)
	}
	all := browsertest.Get(b, chromedp.Evaluate[int](`document.querySelectorAll('#pool-0 label').length`))
	b.Do(chromedp.SendKeys(chromedp.CSS(`input[data-filter="#pool-0"]`), "priya"))
	visible := browsertest.Get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('#pool-0 label')].filter(l => l.offsetParent !== null).map(l => l.textContent.trim()).join("|")`))
	if visible != "Priya Patel" || all < 5 {
		t.Fatalf("after searching \"priya\": %q (of %d)", visible, all)
	}
	b.Screenshot("stage-editor")
	b.Do(chromedp.EmulateViewport(390, 844))
	if w := browsertest.Get(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		wide := browsertest.Get(b, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 390).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
		t.Errorf("the stage editor is %d px wide on a 390 px screen: %s", w, wide)
	}
	b.Screenshot("stage-editor-390")
	if strings.Contains(b.Text(`form`), "Ctrl") {
		t.Error("the page still asks for Ctrl-click")
	}
}
