package hiring_test

import (
	"fmt"
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
