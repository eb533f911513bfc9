package hiring_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// newBrowser starts headless Chromium through the shared launcher.
func newBrowser(tb testing.TB) context.Context { return browsertest.New(tb).Ctx }

func TestBrowserSchedulesZoomInterviewAndOpensItinerary(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	ctx := newBrowser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("browser: %s: %v", sel, err)
		}
		return v
	}
	z.control(t, "POST", "/_emulator/faults", `{"method":"POST","path_pattern":"/v2/users/*/meetings","latency_ms":3000,"times":1}`, nil)
	do(
		chromedp.Navigate(z.a.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "sam@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main`)),
		chromedp.Navigate(fmt.Sprintf("%s/candidates/%d", z.a.URL, z.d.candidateID)),
		chromedp.Click(chromedp.CSS(`a[href$="/schedule"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#video-toggle`)),
		chromedp.Click(chromedp.CSS(`input[name=accept]`)),
		chromedp.Click(chromedp.CSS(`button[value=confirm]`)),
		chromedp.WaitVisible(chromedp.CSS(`#items`)),
	)
	// The meeting is created in the background (Zoom answers slowly); the
	// page shows it by itself, without a reload.
	if got := text(`#items`); strings.Contains(got, "Created") {
		t.Fatalf("the meeting shows as created before Zoom answered: %q", got)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(text(`#items`), "Created") {
		if time.Now().After(deadline) {
			t.Fatalf("meeting not created; the schedule shows %q", text(`#items`))
		}
		time.Sleep(300 * time.Millisecond)
	}
	join := text(`#items a.join`)
	link := text(`#itinerary-link`)
	do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.itinerary-item`)))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.itinerary-item a.join`), "href"))
	if err != nil || href.Value != join {
		t.Fatalf("itinerary join link %q (%v), want %q", href.Value, err, join)
	}
	if ms := z.meetings(t); len(ms) != 1 || ms[0].JoinURL != join {
		t.Fatalf("Zoom holds %+v, want one meeting with %s", ms, join)
	}
}

// TestBrowserFindTimesSwapAndReschedule walks a coordinator through Find
// times from the candidate's page: swap the proposed interviewer for
// another who is free, use the option, confirm; then "Find new times" on
// the schedule moves it through the edit form.
func TestBrowserFindTimesSwapAndReschedule(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	api := a.SignIn(t, "sam@example.com")
	d := mustDemo(t, api)
	// An afternoon a few weekdays ahead, so the options do not move with the clock.
	day := time.Now().UTC().AddDate(0, 0, 3)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	from := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, time.UTC)
	mustJSON(t, api.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID),
		fmt.Sprintf(`{"availability":[{"start":%q,"end":%q}]}`, from.Format(time.RFC3339), from.Add(6*time.Hour).Format(time.RFC3339))), 200, nil)

	ctx := newBrowser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("browser: %s: %v", js, err)
		}
		return v
	}
	do(
		chromedp.Navigate(a.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "sam@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main`)),
		chromedp.Navigate(fmt.Sprintf("%s/candidates/%d", a.URL, d.candidateID)),
		chromedp.Click(chromedp.CSS(`a#find-times`)),
		chromedp.WaitVisible(chromedp.CSS(`#option-1`)),
	)
	// The first option's seat offers others; pick the last one.
	swap := eval(`(() => { const s = document.querySelector('#option-1 select.swap'); return s ? s.options[s.options.length - 1].value : '' })()`)
	if swap == "" {
		t.Fatal("the first option offers nobody to swap in")
	}
	proposed := eval(`document.querySelector('#option-1 select.swap').value`)
	if swap == proposed {
		t.Fatalf("the swap list's last entry is the proposed interviewer %s", proposed)
	}
	start := eval(`document.querySelector('#option-1 input[name$="_start"]').value`)
	do(
		chromedp.SetValue(chromedp.CSS(`#option-1 select.swap`), swap),
		chromedp.Click(chromedp.CSS(`#option-1 button.use-option`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value=confirm]`)),
	)
	if got := eval(`[...document.querySelectorAll('input[name$="_interviewers"]:checked')].map(o => o.value).join(',')`); got != swap {
		t.Fatalf("the scheduling form selects %q, want the swapped interviewer %s", got, swap)
	}
	do(
		chromedp.Click(chromedp.CSS(`button[value=confirm]`)),
		chromedp.WaitVisible(chromedp.CSS(`#items`)),
	)
	var scID int64
	if _, err := fmt.Sscanf(eval(`location.pathname`), "/schedules/%d", &scID); err != nil {
		t.Fatalf("confirming led to %s", eval(`location.pathname`))
	}
	type saved struct {
		Status string `json:"status"`
		Items  []struct {
			ID           int64     `json:"id"`
			Start        time.Time `json:"start"`
			Interviewers []int64   `json:"interviewers"`
		} `json:"items"`
	}
	var sc saved
	mustJSON(t, api.Get(fmt.Sprintf("/api/v1/schedules/%d", scID)), 200, &sc)
	if len(sc.Items) != 1 || fmt.Sprint(sc.Items[0].Interviewers) != "["+swap+"]" || sc.Items[0].Start.Format(time.RFC3339) != start {
		t.Fatalf("saved %+v, want [%s] at %s", sc.Items, swap, start)
	}

	// Reschedule: the schedule's Find new times, option 2, save.
	do(
		chromedp.Click(chromedp.CSS(`a#find-new-times`)),
		chromedp.WaitVisible(chromedp.CSS(`#option-2`)),
	)
	newStart := eval(`document.querySelector('#option-2 input[name$="_start"]').value`)
	newPeople := eval(`[...document.querySelectorAll('#option-2 [name$="_interviewers"]')].map(e => e.value).join(',')`)
	do(
		chromedp.Click(chromedp.CSS(`#option-2 button.use-option`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value=confirm]`)),
	)
	if path := eval(`location.pathname`); path != fmt.Sprintf("/schedules/%d/edit", scID) {
		t.Fatalf("Use this option opened %s, want the schedule's edit form", path)
	}
	do(
		chromedp.Click(chromedp.CSS(`button[value=confirm]`)),
		chromedp.WaitVisible(chromedp.CSS(`#items`)),
	)
	var moved saved
	mustJSON(t, api.Get(fmt.Sprintf("/api/v1/schedules/%d", scID)), 200, &moved)
	if len(moved.Items) != 1 || moved.Items[0].ID != sc.Items[0].ID {
		t.Fatalf("items %+v, want item %d moved in place", moved.Items, sc.Items[0].ID)
	}
	got := moved.Items[0]
	if got.Start.Format(time.RFC3339) != newStart || strings.Trim(strings.ReplaceAll(fmt.Sprint(got.Interviewers), " ", ","), "[]") != newPeople {
		t.Fatalf("rescheduled to %v %v, want %s [%s]", got.Start, got.Interviewers, newStart, newPeople)
	}
	want := "scheduled" // a new interviewer alone is not a new time
	if newStart != start {
		want = "rescheduled"
	}
	if moved.Status != want {
		t.Errorf("status %q, want %s", moved.Status, want)
	}
}
