package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// answerDialogs answers every confirm() with accept's value at that moment
// and reports each dialog's message.
func answerDialogs(b *browsertest.Browser, accept *atomic.Bool) <-chan string {
	msgs := make(chan string, 8)
	opening := chromedp.Events(b.Ctx, page.JavascriptDialogOpening)
	go func() {
		for e, err := range opening {
			if err != nil {
				return
			}
			msgs <- e.Message
			go chromedp.Do(b.Ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept.Load()})
				return err
			}))
		}
	}()
	return msgs
}

// Disconnect asks first: dismissing keeps Zoom connected, confirming
// disconnects.
func TestBrowserDisconnectAsksFirst(t *testing.T) {
	t.Parallel()
	a, z := startWithZoom(t)
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	connectZoomAs(b, a, z, "admin@example.com")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-disconnect`)))
	var accept atomic.Bool
	msgs := answerDialogs(b, &accept)
	b.Do(chromedp.Click(chromedp.CSS(`#zoom-disconnect`)))
	if m := <-msgs; m == "" {
		t.Fatal("no confirmation shown")
	}
	b.Do(chromedp.Navigate(a.URL+"/integrations?edit=1"), chromedp.WaitVisible(chromedp.CSS(`#zoom-state`)))
	if got := b.Text(`#zoom-state`); got != "Connected" {
		t.Fatalf("after dismissing, state = %q", got)
	}
	accept.Store(true)
	b.Do(chromedp.Click(chromedp.CSS(`#zoom-disconnect`)))
	<-msgs
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-connect`)))
	if got := b.Text(`#zoom-state`); got != "Not connected" {
		t.Fatalf("after confirming, state = %q", got)
	}
}

// scheduleOne books the demo's first phone-screen candidate through the
// API and returns the schedule's id.
func scheduleOne(t *testing.T, c *apptest.Client, start string, interviews int) int64 {
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
	var stage int64
	var items []string
	for _, j := range jobs.Jobs {
		if j.Title != "Senior Backend Engineer" || stage != 0 {
			continue
		}
		for _, s := range j.Stages {
			if len(s.Interviews) >= interviews {
				stage = s.ID
				for i := 0; i < interviews; i++ {
					iv := s.Interviews[i]
					at, _ := time.Parse(time.RFC3339, start)
					items = append(items, fmt.Sprintf(`{"interview_id":%d,"start":%q,"interviewers":[%d]}`, iv.ID, at.Add(time.Duration(i)*2*time.Hour).Format(time.RFC3339), iv.Pool[0]))
				}
				break
			}
		}
	}
	var list struct {
		Candidates []struct {
			ID int64 `json:"id"`
		} `json:"candidates"`
	}
	mustDecode(t, c.Get(fmt.Sprintf("/api/v1/candidates?stage_id=%d&limit=1", stage)), &list)
	if len(list.Candidates) == 0 {
		t.Fatal("no demo candidate at that stage")
	}
	var sc struct {
		ID int64 `json:"id"`
	}
	res := c.JSON("POST", "/api/v1/schedules", fmt.Sprintf(`{"candidate_id":%d,"video":false,"accept_warnings":true,"items":[%s]}`, list.Candidates[0].ID, strings.Join(items, ",")))
	if res.StatusCode != 201 {
		t.Fatalf("schedule: %d %s", res.StatusCode, res.Body)
	}
	mustDecode(t, res, &sc)
	return sc.ID
}

func mustDecode(t *testing.T, res apptest.Response, out any) {
	t.Helper()
	if err := json.Unmarshal([]byte(res.Body), out); err != nil {
		t.Fatalf("%v: %s", err, res.Body)
	}
}

// "Remove" and "Cancel this schedule" ask first: dismissing keeps the
// interview and the schedule, confirming removes and cancels.
func TestBrowserRemoveAndCancelAskFirst(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	id := scheduleOne(t, a.SignIn(t, "admin@example.com"), "2030-03-05T15:00:00Z", 2)
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	page := fmt.Sprintf("%s/schedules/%d", a.URL, id)
	rows := func() int {
		return browsertest.Get(b, chromedp.Evaluate[int](`document.querySelectorAll('#items tbody tr').length`))
	}
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#items`)))
	if n := rows(); n != 2 {
		t.Fatalf("rows = %d", n)
	}
	var accept atomic.Bool
	msgs := answerDialogs(b, &accept)

	// Remove, dismissed: both interviews stay.
	b.Do(chromedp.Click(chromedp.CSS(`#items tbody tr:first-child button.danger`)))
	if m := <-msgs; !strings.Contains(m, "Remove this interview") {
		t.Fatalf("Remove asked %q", m)
	}
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#items`)))
	if n := rows(); n != 2 {
		t.Fatalf("after dismissing Remove, rows = %d", n)
	}
	// Remove, confirmed: one interview left.
	accept.Store(true)
	b.Do(chromedp.Click(chromedp.CSS(`#items tbody tr:first-child button.danger`)))
	<-msgs
	apptest.WaitFor(t, "one interview left", func() bool { return rows() == 1 })

	// Cancel, dismissed: still scheduled.
	accept.Store(false)
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#cancel-schedule`)))
	b.Do(chromedp.Click(chromedp.CSS(`#cancel-schedule`)))
	if m := <-msgs; !strings.Contains(m, "Cancel this whole schedule") {
		t.Fatalf("Cancel asked %q", m)
	}
	b.Do(chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#schedule-status`)))
	if s := b.Text(`#schedule-status`); s == "cancelled" {
		t.Fatal("dismissing Cancel cancelled the schedule")
	}
	// Cancel, confirmed.
	accept.Store(true)
	b.Do(chromedp.Click(chromedp.CSS(`#cancel-schedule`)))
	<-msgs
	apptest.WaitFor(t, "the schedule cancelled", func() bool {
		return browsertest.Get(b, chromedp.Evaluate[string](`(document.querySelector('#schedule-status')||{}).textContent||''`)) == "cancelled"
	})
}
