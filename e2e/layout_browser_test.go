package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// layoutProblems lists what is wrong with the page's layout as a person
// would see it: a page wider than the screen, the navigation over the
// content, an input left with the browser's bare style or a select
// squeezed until its choice cannot be read.
const layoutProblems = `(() => {
  const out = [];
  const w = window.innerWidth;
  if (document.documentElement.scrollWidth > w + 1) out.push("page is " + document.documentElement.scrollWidth + " px wide on a " + w + " px screen");
  const nav = document.querySelector("header") || document.querySelector("nav.main");
  const main = document.querySelector("main");
  if (nav && main) {
    const a = nav.getBoundingClientRect(), b = main.getBoundingClientRect();
    if (a.bottom > b.top + 1) out.push("the navigation (bottom " + a.bottom + ") overlaps the content (top " + b.top + ")");
  }
  const bar = document.querySelector("nav.main");
  if (bar && bar.scrollWidth > bar.clientWidth + 1) out.push("the navigation scrolls sideways");
  const head = document.querySelector("header.top");
  if (head && w >= 1000 && head.getBoundingClientRect().height > 64) out.push("the top bar takes " + head.getBoundingClientRect().height + " px: it wraps onto a second line");
  for (const el of document.querySelectorAll("main input, main select, main textarea")) {
    const t = (el.getAttribute("type") || "").toLowerCase();
    if (["hidden", "checkbox", "radio", "submit", "button"].includes(t) || el.offsetParent === null) continue;
    const cs = getComputedStyle(el);
    if (parseFloat(cs.paddingLeft) < 4 || parseFloat(cs.borderTopWidth) < 1) out.push("unstyled " + el.tagName.toLowerCase() + " " + (el.name || t));
    const r = el.getBoundingClientRect();
    if (r.right > w + 1) out.push(el.tagName.toLowerCase() + " " + (el.name || t) + " runs off the screen");
    if (el.tagName === "SELECT" && r.width < 80) out.push("select " + el.name + " squeezed to " + Math.round(r.width) + " px");
  }
  return out;
})()`

// On a phone the navigation waits behind the Menu button and opens as a
// list that reaches every page, the Admin ones too.
func TestBrowserPhoneMenuOpensTheNavigation(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	b.Do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".navbutton")))
	const linkShown = `(() => { const l = document.querySelector('nav.main a[href="/candidates"]'); return !!l && l.offsetParent !== null; })()`
	if browsertest.Get(b, chromedp.Evaluate[bool](linkShown)) {
		t.Fatal("at 390 px the navigation is open before Menu is pressed")
	}
	b.Do(chromedp.Click(chromedp.CSS(".navbutton")), chromedp.WaitVisible(chromedp.CSS(`nav.main a[href="/candidates"]`)))
	if got := browsertest.Get(b, chromedp.AttributeValue(chromedp.CSS(".navbutton"), "aria-expanded")).Value; got != "true" {
		t.Errorf("Menu's aria-expanded = %q after opening", got)
	}
	b.Do(chromedp.Click(chromedp.CSS(`nav.main details.navmenu summary`)), chromedp.WaitVisible(chromedp.CSS(`nav.main a[href="/audit"]`)))
	if probs := browsertest.Get(b, chromedp.Evaluate[[]string](layoutProblems)); len(probs) > 0 {
		t.Errorf("open menu at 390 px: %s", strings.Join(probs, "; "))
	}
	b.Screenshot("layout-menu-open-390")
	b.Do(chromedp.Click(chromedp.CSS(`nav.main a[href="/audit"]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if h := b.Text("main h1"); !strings.Contains(h, "Audit log") {
		t.Errorf("the menu's Audit log link led to %q", h)
	}
}

// The main pages, at a phone's 390 px and at 1280 px: nothing wider than
// the screen, the navigation never over the content, every field styled.
// With IP_SCREENSHOTS=docs/screenshots the walk saves each page.
func TestBrowserPagesFitPhoneAndDesktop(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	id := scheduleOne(t, c, "2030-03-05T15:00:00Z", 2)
	var sc struct {
		CandidateID  int64  `json:"candidate_id"`
		StageID      int64  `json:"stage_id"`
		ItineraryURL string `json:"itinerary_url"`
		Items        []struct {
			Interviewers []int64 `json:"interviewers"`
		} `json:"items"`
	}
	mustDecode(t, c.Get(fmt.Sprintf("/api/v1/schedules/%d", id)), &sc)
	var jobs struct {
		Jobs []struct {
			ID int64 `json:"id"`
		} `json:"jobs"`
	}
	mustDecode(t, c.Get("/api/v1/jobs"), &jobs)
	itinerary := sc.ItineraryURL[strings.Index(sc.ItineraryURL, "/itinerary/"):]
	pages := []struct{ name, path, wait string }{
		{"home", "/", "main"},
		{"candidates", "/candidates", "main"},
		{"candidate", fmt.Sprintf("/candidates/%d", sc.CandidateID), "main"},
		{"candidate-new", "/candidates/new", "main form"},
		{"schedule", fmt.Sprintf("/schedules/%d", id), "#items"},
		{"schedule-form", fmt.Sprintf("/schedules/%d/edit", id), "main form"},
		{"find-times-page", fmt.Sprintf("/candidates/%d/find-times", sc.CandidateID), "main"},
		{"jobs", "/jobs", "main"},
		{"job", fmt.Sprintf("/jobs/%d", jobs.Jobs[0].ID), "main"},
		{"stage", fmt.Sprintf("/stages/%d", sc.StageID), "main form"},
		{"interviewers", "/interviewers", "main"},
		{"interviewer", fmt.Sprintf("/interviewers/%d", sc.Items[0].Interviewers[0]), "main"},
		{"calendars", fmt.Sprintf("/interviewers/%d/calendars", sc.Items[0].Interviewers[0]), "main"},
		{"integrations-page", "/integrations", "main"},
		{"integrations-calendars", "/integrations/calendars", "main"},
		{"zoom-faq", "/integrations/zoom/faq", "main"},
		{"audit", "/audit", "main"},
		{"users-page", "/users", "main"},
		{"settings", "/settings", "main"},
		{"tokens", "/settings/tokens", "main"},
		{"itinerary", itinerary, "main"},
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
			b.Screenshot("layout-" + p.name + size.tag)
		}
	}
	// An interviewer's own page, My interviews.
	b2 := browsertest.New(t)
	var u struct {
		Email string `json:"email"`
	}
	mustDecode(t, c.Get(fmt.Sprintf("/api/v1/users/%d", sc.Items[0].Interviewers[0])), &u)
	b2.SignIn(a.URL, u.Email)
	for _, size := range []int64{390, 1280} {
		b2.Do(chromedp.EmulateViewport(size, 844), chromedp.Navigate(a.URL+"/my/interviews"), chromedp.WaitVisible(chromedp.CSS("main")))
		if probs := browsertest.Get(b2, chromedp.Evaluate[[]string](layoutProblems)); len(probs) > 0 {
			t.Errorf("/my/interviews at %d px: %s", size, strings.Join(probs, "; "))
		}
		b2.Screenshot(fmt.Sprintf("layout-my-interviews-%d", size))
	}
	// A busy interviewer's My interviews: a page of 25 with the links to
	// the later ones and back.
	_, busy := a.SeedBusy(t, 300)
	b3 := browsertest.New(t)
	b3.SignIn(a.URL, busy.InterviewerEmail)
	for _, size := range []int64{390, 1280} {
		b3.Do(chromedp.EmulateViewport(size, 844), chromedp.Navigate(a.URL+"/my/interviews"), chromedp.WaitVisible(chromedp.CSS(`a[rel="next"]`)))
		b3.Screenshot(fmt.Sprintf("layout-my-interviews-busy-%d", size))
		b3.Do(chromedp.Click(chromedp.CSS(`a[rel="next"]`)), chromedp.WaitVisible(chromedp.CSS(`nav.pagination a[href="/my/interviews"]`)))
		b3.Screenshot(fmt.Sprintf("layout-my-interviews-later-%d", size))
		if probs := browsertest.Get(b3, chromedp.Evaluate[[]string](layoutProblems)); len(probs) > 0 {
			t.Errorf("later interviews at %d px: %s", size, strings.Join(probs, "; "))
		}
	}
}
