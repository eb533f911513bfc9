package findtimes_test

import (
	"fmt"
	"testing"

	"interviewplanner/app/apptest"
)

// BenchmarkFindTimesCalendars runs Find times on the demo with every
// interviewer's calendar and on the same demo without calendars: the same
// candidate, the same stage. Calendars add busy time from the cache (no
// calendar server in the request path), so the two should cost about the
// same:
//
//	go test ./web/findtimes -run '^$' -bench FindTimesCalendars -count 6 | benchstat -
func BenchmarkFindTimesCalendars(b *testing.B) {
	for _, bc := range []struct {
		name      string
		calendars string
	}{{"without", "false"}, {"with", "true"}} {
		b.Run(bc.name, func(b *testing.B) {
			a := apptest.Start(b, apptest.Options{Env: map[string]string{"IP_DEMO_CALENDARS": bc.calendars}})
			c := a.SignIn(b, "sam@example.com")
			cand := mustCandidates(b, c, mustStage(b, c, "Senior Backend Engineer", "Onsite").ID, "America/New_York")[0]
			if r := findTimes(b, c, cand); len(r.Options) == 0 {
				b.Fatal("no options")
			}
			path := fmt.Sprintf("/api/v1/candidates/%d/find-times", cand)
			for b.Loop() {
				if res := c.Get(path); res.StatusCode != 200 {
					b.Fatalf("find times: %d", res.StatusCode)
				}
			}
		})
	}
}
