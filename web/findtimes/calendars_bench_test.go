package findtimes_test

import (
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// BenchmarkFindTimesCalendars runs Find times on the demo with every
// interviewer's (and a room's) calendar and on the same demo without
// calendars: the same candidate, the same stage, the two requests
// interleaved so both see the same load on a shared machine. Calendars add
// busy time from the cache (no calendar server in the request path), so
// the two should cost about the same; it reports each one's median and
// 95th percentile and their ratios:
//
//	go test ./web/findtimes -run '^$' -bench FindTimesCalendars -benchtime 200x
func BenchmarkFindTimesCalendars(b *testing.B) {
	type side struct {
		c    *apptest.Client
		path string
		took []time.Duration // wall time
		cpu  []time.Duration // this process's CPU time: the server's work, less the shared machine's load
	}
	start := func(calendars string) *side {
		a := apptest.Start(b, apptest.Options{Env: map[string]string{"IP_DEMO_CALENDARS": calendars}})
		c := a.SignIn(b, "sam@example.com")
		// The demo calendars are read by the sweep that runs at start.
		apptest.WaitFor(b, "the demo calendars read", func() bool {
			page := a.SignIn(b, "admin@example.com").Get("/integrations/calendars")
			return page.StatusCode == 200 && !strings.Contains(page.Body, "Not read yet")
		})
		cand := mustCandidates(b, c, mustStage(b, c, "Senior Backend Engineer", "Onsite").ID, "America/New_York")[0]
		if r := findTimes(b, c, cand); len(r.Options) == 0 {
			b.Fatal("no options")
		}
		return &side{c: c, path: fmt.Sprintf("/api/v1/candidates/%d/find-times", cand)}
	}
	without, with := start("false"), start("true")
	get := func(s *side) {
		t0, c0 := time.Now(), cpuTime(b)
		if res := s.c.Get(s.path); res.StatusCode != 200 {
			b.Fatalf("find times: %d", res.StatusCode)
		}
		s.took, s.cpu = append(s.took, time.Since(t0)), append(s.cpu, cpuTime(b)-c0)
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			get(without)
			get(with)
		} else {
			get(with)
			get(without)
		}
		i++
	}
	q := func(ds []time.Duration, p float64) float64 {
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[int(p*float64(len(s)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(without.cpu, 0.5), "without-p50-cpu-ms")
	b.ReportMetric(q(with.cpu, 0.5), "with-p50-cpu-ms")
	b.ReportMetric(q(with.cpu, 0.5)/q(without.cpu, 0.5), "p50-cpu-ratio")
	b.ReportMetric(q(with.cpu, 0.95)/q(without.cpu, 0.95), "p95-cpu-ratio")
	b.ReportMetric(q(without.took, 0.5), "without-p50-ms")
	b.ReportMetric(q(without.took, 0.95), "without-p95-ms")
	b.ReportMetric(q(with.took, 0.5), "with-p50-ms")
	b.ReportMetric(q(with.took, 0.95), "with-p95-ms")
	b.ReportMetric(q(with.took, 0.5)/q(without.took, 0.5), "p50-ratio")
	b.ReportMetric(q(with.took, 0.95)/q(without.took, 0.95), "p95-ratio")
}

// cpuTime is the CPU time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
