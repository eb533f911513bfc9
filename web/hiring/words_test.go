package hiring_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// Pages say "Zoom is not connected" once, not again in brackets after it.
func TestZoomNotConnectedSaidOnce(t *testing.T) {
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
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com") // Ada is in New York
	c.PostForm("/settings/tokens", url.Values{"name": {"audit me"}})
	page := c.Get("/audit")
	if page.StatusCode != 200 || strings.Contains(page.Body, "UTC") || !regexp.MustCompile(`\d\d:\d\d E[SD]T`).MatchString(page.Body) {
		t.Fatalf("audit log %d not in the viewer's zone:\n%s", page.StatusCode, page.Body)
	}
}
