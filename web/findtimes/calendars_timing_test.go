package findtimes_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// Find times with every demo interviewer's calendar against the same
// demo without calendars: the same candidate, requests interleaved so
// both see the same machine load. Calendars add busy time from the cache
// (no calendar server in the request path); the medians and 95th
// percentiles are logged, and the one with calendars must stay close.
func TestFindTimesWithCalendarsCostsAboutTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("timing comparison: not in -short")
	}
	without := apptest.Start(t, apptest.Options{})
	with := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_DEMO_CALENDARS": "true"}})
	cw, cc := without.SignIn(t, "sam@example.com"), with.SignIn(t, "sam@example.com")
	st := mustStage(t, cw, "Senior Backend Engineer", "Onsite")
	cand := mustCandidates(t, cw, st.ID, "America/New_York")[0]
	if mustCandidates(t, cc, mustStage(t, cc, "Senior Backend Engineer", "Onsite").ID, "America/New_York")[0] != cand {
		t.Fatal("the two demos differ")
	}
	r1, r2 := findTimes(t, cw, cand), findTimes(t, cc, cand)
	if len(r1.Options) == 0 || len(r2.Options) == 0 {
		t.Fatalf("options without calendars %d, with %d", len(r1.Options), len(r2.Options))
	}
	const n = 40
	var dw, dc []time.Duration
	path := fmt.Sprintf("/api/v1/candidates/%d/find-times", cand)
	for range n {
		for _, x := range []struct {
			c  *apptest.Client
			ds *[]time.Duration
		}{{cw, &dw}, {cc, &dc}} {
			start := time.Now()
			if res := x.c.Get(path); res.StatusCode != 200 {
				t.Fatalf("find times: %d", res.StatusCode)
			}
			*x.ds = append(*x.ds, time.Since(start))
		}
	}
	slices.Sort(dw)
	slices.Sort(dc)
	med := func(ds []time.Duration) time.Duration { return ds[len(ds)/2] }
	p95 := func(ds []time.Duration) time.Duration { return ds[len(ds)*95/100] }
	t.Logf("Find times, %d requests each, interleaved: without calendars median %v p95 %v; with every interviewer's calendar median %v p95 %v (ratio of medians %.2f)",
		n, med(dw), p95(dw), med(dc), p95(dc), float64(med(dc))/float64(med(dw)))
	// On a quiet machine the medians are within 10%; a loaded one adds
	// noise, so the test fails only on a clear regression.
	if med(dc) > med(dw)*3/2+2*time.Millisecond {
		t.Fatalf("Find times with calendars: median %v, without %v", med(dc), med(dw))
	}
}
