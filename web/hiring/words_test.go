package hiring_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// Pages say "Zoom is not connected" once, not again in brackets after it.
func TestZoomNotConnectedSaidOnce(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	for _, path := range []string{fmt.Sprintf("/stages/%d", d.phoneStage), fmt.Sprintf("/candidates/%d/schedule", d.candidateID)} {
		res := c.Get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if n := strings.Count(res.Body, "Zoom is not connected"); n != 1 {
			t.Errorf("%s says \"Zoom is not connected\" %d times", path, n)
		}
		if strings.Contains(res.Body, "..") && strings.Contains(res.Body, "connected..") {
			t.Errorf("%s has a doubled dot", path)
		}
	}
}

// A warning on the scheduling form is shown once, at its interview.
func TestScheduleWarningShownOnce(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	form := c.Get(fmt.Sprintf("/candidates/%d/schedule", d.candidateID))
	tok := regexp.MustCompile(`name="form_token" value="([^"]+)"`).FindStringSubmatch(form.Body)
	if tok == nil {
		t.Fatal("no form token")
	}
	k := fmt.Sprintf("p%d_", d.phoneInterview)
	v := url.Values{"form_token": {tok[1]}, "zone": {"America/New_York"}, "action": {"confirm"},
		k + "place": {"on"}, k + "date": {"2030-03-05"}, k + "time": {"10:00"}, k + "interviewers": {fmt.Sprint(d.pool[0])}}
	res := c.PostForm(fmt.Sprintf("/candidates/%d/schedule", d.candidateID), v)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("confirm with a warning: %d", res.StatusCode)
	}
	if n := strings.Count(res.Body, "outside the days this stage allows"); n != 1 {
		t.Fatalf("the warning appears %d times, want once", n)
	}
}

// The audit log shows times in the viewer's zone, named.
func TestAuditLogInViewersZone(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com") // Ada is in New York
	c.PostForm("/settings/tokens", url.Values{"name": {"audit me"}})
	page := c.Get("/audit")
	if page.StatusCode != 200 || strings.Contains(page.Body, "UTC") || !regexp.MustCompile(`\d\d:\d\d E[SD]T`).MatchString(page.Body) {
		t.Fatalf("audit log %d not in the viewer's zone:\n%s", page.StatusCode, page.Body)
	}
}

// After a reschedule the meeting shows "Updating" until Zoom has the new
// time, and the page keeps reading meeting states while one is changing.
func TestRescheduledMeetingShowsUpdating(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "upd-1"))
	z.waitMeetings(t, sc.ID, "created", 60*time.Second)
	page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID))
	if strings.Contains(page.Body, "data-live") || strings.Contains(page.Body, "Updating") {
		t.Fatal("a settled schedule page keeps polling or says Updating")
	}
	// Zoom answers the update slowly: the page must not claim it is done.
	z.control(t, "POST", "/_emulator/faults", `{"method":"PATCH","path_pattern":"/v2/meetings/*","latency_ms":4000,"times":1}`, nil)
	body := fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":"2030-03-05T16:00:00Z","interviewers":[%d]}]}`, sc.Items[0].ID, z.d.phoneInterview, z.d.pool[0])
	if res := z.admin.JSON("PUT", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), body); res.StatusCode != 200 {
		t.Fatalf("reschedule: %d %s", res.StatusCode, res.Body)
	}
	page = z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID))
	if !strings.Contains(page.Body, `<span class="badge warn">Updating</span>`) || !strings.Contains(page.Body, fmt.Sprintf(`data-live="/schedules/%d"`, sc.ID)) {
		t.Fatalf("right after the reschedule the page does not say Updating:\n%s", page.Body)
	}
	apptest.WaitFor(t, "the Zoom meeting to move", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].StartTime.Equal(time.Date(2030, 3, 5, 16, 0, 0, 0, time.UTC))
	})
	apptest.WaitFor(t, "the page to show the meeting updated", func() bool {
		p := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID)).Body
		return strings.Contains(p, `<span class="badge ok">Created</span>`) && !strings.Contains(p, "data-live")
	})
}
