package scheduler

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// crowd is a problem with many interviewers over many days, every one in
// every pool: the size at which preparation, not the search, is the work.
func crowd(people, days int) Problem {
	r := rand.New(rand.NewPCG(uint64(people), uint64(days)))
	la, _ := time.LoadLocation("America/Los_Angeles")
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, la)
	p := Problem{Window: Interval{Start: start, End: start.AddDate(0, 0, days)}, Candidate: Candidate{Location: la}, Rules: Rules{SameDay: true}}
	var ids []int64
	for i := range people {
		in := Interviewer{ID: int64(i + 1), Location: la, DailyCap: 3}
		for d := range in.Hours {
			in.Hours[d] = []ClockRange{{StartMin: 9 * 60, EndMin: 17 * 60}}
		}
		for range 40 {
			s := start.AddDate(0, 0, r.IntN(days)).Add(time.Duration(9*60+15*r.IntN(30)) * time.Minute)
			in.Busy = append(in.Busy, Interval{Start: s, End: s.Add(time.Hour)})
		}
		p.Interviewers = append(p.Interviewers, in)
		ids = append(ids, in.ID)
	}
	for d := range days {
		s := start.AddDate(0, 0, d)
		p.Candidate.Windows = append(p.Candidate.Windows, Interval{Start: s.Add(9 * time.Hour), End: s.Add(17 * time.Hour)})
	}
	for i := range 4 {
		p.Interviews = append(p.Interviews, Interview{ID: int64(i + 1), Duration: 45 * time.Minute, Interviewers: 1 + i%2, Pool: ids})
	}
	return p
}

// fakeClock advances by step on every read, so "how long" is counted in
// clock reads rather than waited for.
type fakeClock struct {
	t     time.Time
	step  time.Duration
	reads int
	after func(reads int) // called on every read
}

func (c *fakeClock) now() time.Time {
	c.reads++
	c.t = c.t.Add(c.step)
	if c.after != nil {
		c.after(c.reads)
	}
	return c.t
}

func useClock(t *testing.T, c *fakeClock) {
	old := now
	now = c.now
	t.Cleanup(func() { now = old })
}

// TestPreparationHonoursTheBudget: 10,000 interviewers over 90 days. The
// clock moves 1 ms per read and the budget is 50 ms, so preparation must
// stop at its 51st read — after at most 64 units of work since the one
// before — and say the problem is too large, long before it would finish.
func TestPreparationHonoursTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 calendars")
	}
	p := crowd(10_000, 90)
	p.Budget = 50 * time.Millisecond
	clock := &fakeClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond}
	useClock(t, clock)
	res, err := Find(t.Context(), p)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	for _, want := range []string{"10000 interviewers", "90 days", "50ms budget", "narrow"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(res.Options) != 0 || res.Exhaustive {
		t.Errorf("result %+v after refusing", res)
	}
	// One read to set the deadline, then one per 64 units of work until
	// the first read past it.
	if clock.reads != 52 {
		t.Errorf("%d clock reads, want 52: preparation did not stop at the budget", clock.reads)
	}
}

// TestPreparationHonoursTheContext: the context ends during preparation
// (at the 10th clock read, with a budget of an hour); Find returns at the
// next check with the context's error.
func TestPreparationHonoursTheContext(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 calendars")
	}
	p := crowd(10_000, 90)
	p.Budget = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := &fakeClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond,
		after: func(n int) {
			if n == 10 {
				cancel()
			}
		}}
	useClock(t, clock)
	_, err := Find(ctx, p)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if clock.reads > 11 {
		t.Errorf("%d clock reads after cancelling at the 10th: preparation went on", clock.reads)
	}
}

// TestExplanationEndsWithinItsBudget: nothing fits, every relaxation
// needs a search, and the clock runs fast; the explanation's re-runs all
// end by one budget after the search.
func TestExplanationEndsWithinItsBudget(t *testing.T) {
	p := crowd(40, 5)
	for i := range p.Interviews {
		p.Interviews[i].Pool = []int64{int64(i + 1), int64(i + 2)}
		p.Interviews[i].Interviewers = 2
	}
	for i := range 6 {
		p.Interviewers[i].Busy = []Interval{p.Window} // the pools are never free
	}
	p.Budget = 40 * time.Millisecond
	clock := &fakeClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond}
	useClock(t, clock)
	start := clock.t
	res, err := Find(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Explanation == nil {
		t.Fatal("no explanation")
	}
	if took := clock.t.Sub(start); took > 2*p.Budget+10*time.Millisecond {
		t.Errorf("search and explanation took %v of clock, want at most two budgets of %v", took, p.Budget)
	}
}
