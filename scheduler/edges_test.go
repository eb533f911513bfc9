package scheduler_test

// Properties at the edges of the model: loops across the candidate's
// midnight in zones far from the interviewers' during DST weeks, instants
// centuries away, lunch windows off the grid, weights near the limit, and
// windows that start late in a day. Every instance is generated here and
// checked against the independent checker and exhaustive search of
// check_test.go.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"interviewplanner/scheduler"
)

// dstWeeks are dates in weeks when some of the zones below change clocks.
var dstWeeks = []time.Time{
	time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC),   // US spring forward (8 Mar)
	time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC),  // Europe (29 Mar)
	time.Date(2026, 4, 4, 0, 0, 0, 0, time.UTC),   // Sydney and Auckland fall back (5 Apr)
	time.Date(2026, 9, 26, 0, 0, 0, 0, time.UTC),  // Auckland springs forward (27 Sep)
	time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC),  // Sydney springs forward (4 Oct)
	time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), // US falls back (1 Nov)
}

var (
	farCandidates   = []string{"Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland", "Asia/Kathmandu", "Asia/Tokyo"}
	farInterviewers = []string{"America/Los_Angeles", "America/New_York", "America/Chicago", "Europe/London"}
)

// acrossMidnight generates a small multi-day loop whose candidate windows
// run from late evening past midnight on two or three nights, with
// interviewers whose working hours (in their own zone, often a different
// date) overlap those nights.
func acrossMidnight(t *testing.T, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 1524))
	cl := MustLoad(t, farCandidates[r.IntN(len(farCandidates))])
	week := dstWeeks[r.IntN(len(dstWeeks))]
	first := week.AddDate(0, 0, r.IntN(3))
	nights := 2 + r.IntN(2)
	var p scheduler.Problem
	for n := range nights {
		d := first.AddDate(0, 0, n)
		// 21:00–23:45 start, 2½–4 hours long: always past midnight.
		start := time.Date(d.Year(), d.Month(), d.Day(), 21, 15*r.IntN(12), 0, 0, cl)
		p.Candidate.Windows = append(p.Candidate.Windows, scheduler.Interval{Start: start, End: start.Add(time.Duration(150+15*r.IntN(7)) * time.Minute)})
	}
	p.Candidate.Location = cl
	p.Window = scheduler.Interval{Start: p.Candidate.Windows[0].Start.Add(-2 * time.Hour), End: p.Candidate.Windows[nights-1].End.Add(time.Hour)}
	p.Rules.SameDay = false
	p.Rules.Buffer = time.Duration(15*r.IntN(3)) * time.Minute
	if r.IntN(2) == 0 {
		p.Rules.MaxGap = p.Rules.Buffer + time.Duration(15*(1+r.IntN(4)))*time.Minute
	}
	p.Rules.FixedOrder = r.IntN(3) == 0
	for i := range 4 {
		il := MustLoad(t, farInterviewers[r.IntN(len(farInterviewers))])
		in := scheduler.Interviewer{ID: int64(10 + i), Location: il, DailyCap: r.IntN(3)}
		// Broad hours so the nights overlap them: 00:00–24:00, 05:00–22:00 or two shifts.
		switch r.IntN(3) {
		case 0:
			in.Hours = allWeek(0, 24*60)
		case 1:
			in.Hours = allWeek(5*60, 22*60)
		default:
			for d := range in.Hours {
				in.Hours[d] = []scheduler.ClockRange{{StartMin: 0, EndMin: 11 * 60}, {StartMin: 13 * 60, EndMin: 24 * 60}}
			}
		}
		for range 1 + r.IntN(3) {
			w := p.Candidate.Windows[r.IntN(nights)]
			s := w.Start.Add(time.Duration(15*r.IntN(16)) * time.Minute)
			in.Busy = append(in.Busy, scheduler.Interval{Start: s, End: s.Add(time.Duration(15+15*r.IntN(4)) * time.Minute)})
		}
		p.Interviewers = append(p.Interviewers, in)
	}
	m := 2 + r.IntN(2)
	for i := range m {
		iv := scheduler.Interview{ID: int64(i + 1), Name: fmt.Sprint("I", i+1), Duration: time.Duration(30+15*r.IntN(3)) * time.Minute, Interviewers: 1}
		pool := r.Perm(4)[:2+r.IntN(2)]
		for _, k := range pool {
			iv.Pool = append(iv.Pool, int64(10+k))
		}
		p.Interviews = append(p.Interviews, iv)
	}
	switch r.IntN(3) {
	case 0:
		// One Zoom host, busy at random: loops that overlap double-book it.
		s := p.Candidate.Windows[0].Start.Add(time.Duration(15*r.IntN(12)) * time.Minute)
		p.ZoomHosts = []scheduler.ZoomHost{{ID: 1, Busy: []scheduler.Interval{{Start: s, End: s.Add(30 * time.Minute)}}}}
		for i := range p.Interviews {
			p.Interviews[i].Video = true
		}
	case 1:
		p.Rooms = []scheduler.Room{{ID: 1}}
		for i := range p.Interviews {
			p.Interviews[i].Rooms = []int64{1}
		}
	}
	p.TopN = 5
	return p
}

// crossesMidnight reports whether consecutive items of o fall on two
// candidate dates less than a day apart.
func crossesMidnight(p *scheduler.Problem, o scheduler.Option) bool {
	for k := 1; k < len(o.Items); k++ {
		a, b := o.Items[k-1], o.Items[k]
		if !civilDate(a.Start, p.Candidate.Location).Equal(civilDate(b.Start, p.Candidate.Location)) && b.Start.Sub(a.End) < 3*time.Hour {
			return true
		}
	}
	return false
}

// assertMatchesExhaustive runs Find on p and checks every option against
// the checker and the scores against the exhaustive search.
func assertMatchesExhaustive(t *testing.T, p scheduler.Problem) scheduler.Result {
	t.Helper()
	res := MustFind(t, p)
	if !res.Exhaustive {
		t.Fatal("small instance not searched exhaustively")
	}
	for k, o := range res.Options {
		if err := checkOption(&p, o); err != nil {
			t.Fatalf("option %d breaks a rule: %v\n%s", k, err, describe(&p, o))
		}
	}
	want := exhaustive(&p)
	var got []int64
	for _, o := range res.Options {
		got = append(got, o.Score)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("scores %v, exhaustive search says %v", got, want)
	}
	return res
}

func describe(p *scheduler.Problem, o scheduler.Option) string {
	var b strings.Builder
	for _, it := range o.Items {
		fmt.Fprintf(&b, "  interview %d %s–%s (candidate) %v\n", it.InterviewID,
			it.Start.In(p.Candidate.Location).Format("Mon 2 Jan 15:04"), it.End.In(p.Candidate.Location).Format("15:04"), it.Interviewers)
	}
	return b.String()
}

func TestLoopsAcrossMidnightAgainstExhaustiveSearch(t *testing.T) {
	t.Parallel() // exhaustive searches: CPU only, no clock
	n := 60
	if testing.Short() || raceEnabled {
		n = 15
	}
	crossing := 0
	for seed := range uint64(n) {
		p := acrossMidnight(t, seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			res := assertMatchesExhaustive(t, p)
			for _, o := range res.Options {
				if crossesMidnight(&p, o) {
					crossing++
					break
				}
			}
		})
	}
	if crossing < n/4 {
		t.Errorf("only %d of %d instances have an option across the candidate's midnight; the generator no longer exercises it", crossing, n)
	}
}

// farOff puts instants centuries away into an ordinary problem: someone
// busy until 9999-12-31 from a moment inside the window, busy since year
// 1, a candidate available from year 1 or until 9999.
func farOff(t *testing.T, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 9999))
	loc := MustLoad(t, []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"}[r.IntN(4)])
	day := time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, loc)
	year1 := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	year9999 := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	p := scheduler.Problem{
		Window:    scheduler.Interval{Start: day, End: day.AddDate(0, 0, 2)},
		Candidate: scheduler.Candidate{Location: loc},
		TopN:      4,
	}
	mid := func() time.Time { return day.Add(time.Duration(8*60+15*r.IntN(40)) * time.Minute) }
	switch r.IntN(3) {
	case 0:
		p.Candidate.Windows = []scheduler.Interval{{Start: year1, End: year9999}}
	case 1:
		p.Candidate.Windows = []scheduler.Interval{{Start: year1, End: mid().AddDate(0, 0, 1)}}
	default:
		p.Candidate.Windows = []scheduler.Interval{{Start: mid(), End: year9999}}
	}
	for i := range 3 {
		in := scheduler.Interviewer{ID: int64(20 + i), Location: loc, Hours: allWeek(9*60, 17*60)}
		switch r.IntN(3) {
		case 0:
			in.Busy = []scheduler.Interval{{Start: mid(), End: year9999}} // left the company
		case 1:
			in.Busy = []scheduler.Interval{{Start: year1, End: mid()}} // joins later
		}
		p.Interviewers = append(p.Interviewers, in)
	}
	for i := range 2 {
		p.Interviews = append(p.Interviews, scheduler.Interview{ID: int64(i + 1), Duration: 45 * time.Minute, Interviewers: 1, Pool: []int64{20, 21, 22}})
	}
	p.Rules.SameDay = true
	if r.IntN(2) == 0 {
		p.Rooms = []scheduler.Room{{ID: 1, Busy: []scheduler.Interval{{Start: mid(), End: year9999}}}}
		p.Interviews[0].Rooms = []int64{1}
	}
	return p
}

func TestFarOffInstantsMeanWhatTheySay(t *testing.T) {
	t.Parallel()
	feasible := 0
	for seed := range uint64(40) {
		p := farOff(t, seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			if len(assertMatchesExhaustive(t, p).Options) > 0 {
				feasible++
			}
		})
	}
	if feasible < 10 {
		t.Errorf("only %d of 40 instances feasible", feasible)
	}
}

func TestWindowsAtTheEndsOfTime(t *testing.T) {
	utc := time.UTC
	for _, tt := range []struct {
		name  string
		start time.Time
	}{
		{"year 9999", time.Date(9999, 12, 20, 0, 0, 0, 0, utc)},
		{"year 1", time.Date(1, 1, 3, 0, 0, 0, 0, utc)},
		{"year 3000", time.Date(3000, 6, 1, 0, 0, 0, 0, utc)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			win := scheduler.Interval{Start: tt.start, End: tt.start.AddDate(0, 0, 3)}
			p := single(utc, utc, time.Hour, []scheduler.Interval{win}, []scheduler.Interval{{Start: tt.start.Add(9 * time.Hour), End: tt.start.Add(10 * time.Hour)}}, win)
			res := assertMatchesExhaustive(t, p)
			if len(res.Options) == 0 || !res.Options[0].Items[0].Start.Equal(tt.start.Add(10*time.Hour)) {
				t.Fatalf("options %+v, want the first at 10:00 on the first day", res.Options)
			}
		})
	}
	win := scheduler.Interval{Start: time.Date(1, 1, 1, 0, 0, 0, 0, utc), End: time.Date(9999, 12, 31, 0, 0, 0, 0, utc)}
	_, err := scheduler.Find(t.Context(), single(utc, utc, time.Hour, []scheduler.Interval{win}, nil, win))
	if !errors.Is(err, scheduler.ErrInvalid) || !strings.Contains(err.Error(), "longer than 120 days") {
		t.Fatalf("a window from year 1 to 9999: err = %v, want it refused as longer than 120 days", err)
	}
}

// offGridLunch is a same-day loop with a lunch window and length in whole
// minutes, rarely on the 15-minute grid.
func offGridLunch(t *testing.T, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 1200))
	loc := MustLoad(t, []string{"America/Denver", "Asia/Kathmandu", "Australia/Adelaide", "Europe/Paris"}[r.IntN(4)])
	day := dstWeeks[r.IntN(len(dstWeeks))].AddDate(0, 0, r.IntN(3))
	d0 := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	p := scheduler.Problem{
		Window:    scheduler.Interval{Start: d0, End: d0.AddDate(0, 0, 2)},
		Candidate: scheduler.Candidate{Location: loc},
		TopN:      5,
	}
	for n := range 2 {
		s := time.Date(d0.Year(), d0.Month(), d0.Day()+n, 10, 15*r.IntN(4), 0, 0, loc)
		p.Candidate.Windows = append(p.Candidate.Windows, scheduler.Interval{Start: s, End: s.Add(time.Duration(4*60+15*r.IntN(5)) * time.Minute)})
	}
	ws := 11*60 + r.IntN(120)
	length := 20 + r.IntN(50)
	we := ws + length + r.IntN(40)
	p.Rules = scheduler.Rules{SameDay: true, Buffer: time.Duration(15*r.IntN(2)) * time.Minute,
		Lunch: &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: ws, EndMin: we}, Length: time.Duration(length) * time.Minute}}
	for i := range 3 {
		in := scheduler.Interviewer{ID: int64(30 + i), Location: loc, Hours: allWeek(8*60, 18*60)}
		if r.IntN(2) == 0 {
			s := p.Candidate.Windows[r.IntN(2)].Start.Add(time.Duration(15*r.IntN(12)) * time.Minute)
			in.Busy = []scheduler.Interval{{Start: s, End: s.Add(45 * time.Minute)}}
		}
		p.Interviewers = append(p.Interviewers, in)
	}
	for i := range 2 + r.IntN(2) {
		p.Interviews = append(p.Interviews, scheduler.Interview{ID: int64(i + 1), Duration: time.Duration(45+15*r.IntN(2)) * time.Minute, Interviewers: 1, Pool: []int64{30, 31, 32}})
	}
	return p
}

func TestLunchOffTheGridHoldsExactly(t *testing.T) {
	n := 60
	if testing.Short() || raceEnabled {
		n = 20
	}
	feasible := 0
	for seed := range uint64(n) {
		p := offGridLunch(t, seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			if len(assertMatchesExhaustive(t, p).Options) > 0 {
				feasible++
			}
		})
	}
	if feasible < n/3 {
		t.Errorf("only %d of %d instances feasible", feasible, n)
	}
}

func TestLunchThatCannotHoldIsRefused(t *testing.T) {
	utc := time.UTC
	day := scheduler.Interval{Start: time.Date(2026, 5, 4, 0, 0, 0, 0, utc), End: time.Date(2026, 5, 5, 0, 0, 0, 0, utc)}
	for _, l := range []scheduler.Lunch{
		{Window: scheduler.ClockRange{StartMin: 12*60 + 10, EndMin: 13*60 + 5}, Length: time.Hour},
		{Window: scheduler.ClockRange{StartMin: 12 * 60, EndMin: 13 * 60}, Length: 0},
		{Window: scheduler.ClockRange{StartMin: -10, EndMin: 13 * 60}, Length: 30 * time.Minute},
		{Window: scheduler.ClockRange{StartMin: 23 * 60, EndMin: 25 * 60}, Length: 30 * time.Minute},
	} {
		p := single(utc, utc, time.Hour, []scheduler.Interval{day}, nil, day)
		p.Rules.Lunch = &l
		_, err := scheduler.Find(t.Context(), p)
		if !errors.Is(err, scheduler.ErrInvalid) || !strings.Contains(err.Error(), "lunch") {
			t.Errorf("lunch %v in %v: err = %v, want a validation error about the lunch", l.Length, l.Window, err)
		}
	}
}

// weighted scales a generated instance's weights: sometimes huge (but
// within the limit), sometimes zero.
func weighted(p scheduler.Problem, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 4))
	pick := func() int64 {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return 1 + r.Int64N(100)
		default:
			return 1 + r.Int64N(1_000_000_000)
		}
	}
	p.Weights = &scheduler.Weights{Day: pick(), IdleMinute: pick(), Gap: pick(), Load: pick(), InterviewerPref: pick(), CandidatePref: pick()}
	for i := range p.Interviewers {
		p.Interviewers[i].Preferred = scheduler.ClockRange{StartMin: 10 * 60, EndMin: 15 * 60}
	}
	return p
}

func TestLargeWeightsKeepTheOptimum(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		p := weighted(acrossMidnight(t, seed+500), seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			assertMatchesExhaustive(t, p)
		})
	}
}

func TestWeightsOutOfRangeAreRefused(t *testing.T) {
	base := acrossMidnight(t, 1)
	for _, tt := range []struct {
		name string
		w    scheduler.Weights
		want string
	}{
		{"negative day", scheduler.Weights{Day: -1}, "day weight is -1"},
		{"negative idle", scheduler.Weights{Day: 100, IdleMinute: -5}, "idle minute weight is -5"},
		{"negative load", scheduler.Weights{Load: -10}, "load weight"},
		{"negative candidate preference", scheduler.Weights{CandidatePref: -1}, "candidate preference weight"},
		{"huge day", scheduler.Weights{Day: 1 << 62}, "too large"},
		{"huge idle minute", scheduler.Weights{IdleMinute: 1 << 50}, "too large"},
		{"max int64", scheduler.Weights{Gap: 1<<63 - 1, InterviewerPref: 1<<63 - 1}, "too large"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			p.Weights = &tt.w
			_, err := scheduler.Find(t.Context(), p)
			if !errors.Is(err, scheduler.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
	// A load weight that is fine alone overflows with absurd existing counts.
	p := base
	p.Interviewers = slices.Clone(p.Interviewers)
	p.Interviewers[0].Existing = []scheduler.DayCount{{Date: scheduler.DateOf(p.Window.Start, time.UTC), Count: 1 << 40}}
	p.Weights = &scheduler.Weights{Load: 1 << 20}
	if _, err := scheduler.Find(t.Context(), p); !errors.Is(err, scheduler.ErrInvalid) {
		t.Fatalf("huge load × huge existing count: err = %v, want ErrInvalid", err)
	}
}

// lateStart is a problem whose search window starts late in the
// candidate's day, often after the day's last grid point.
func lateStart(t *testing.T, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 2350))
	p := acrossMidnight(t, seed+1000)
	w0 := p.Candidate.Windows[0].Start.In(p.Candidate.Location)
	p.Window.Start = time.Date(w0.Year(), w0.Month(), w0.Day(), 23, 46+r.IntN(14), 0, 0, p.Candidate.Location)
	if r.IntN(3) == 0 {
		p.Granularity = 5 * time.Minute
		for i := range p.Interviews {
			p.Interviews[i].Pool = p.Interviews[i].Pool[:2]
		}
		p.Candidate.Windows = p.Candidate.Windows[:2]
		p.Window.End = p.Candidate.Windows[1].End
	}
	return p
}

func TestDayTermCountsFromTheWindowsFirstDate(t *testing.T) {
	for seed := range uint64(20) {
		p := lateStart(t, seed)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			res := MustFind(t, p)
			if len(res.Options) == 0 {
				t.Skip("nothing fits")
			}
			for k, o := range res.Options {
				// checkOption recomputes the day term from the
				// documentation: days since the window's first date.
				if err := checkOption(&p, o); err != nil {
					t.Fatalf("option %d: %v\n%s", k, err, describe(&p, o))
				}
			}
		})
	}
}

func TestOptionsDifferInTimes(t *testing.T) {
	for seed := range uint64(30) {
		p := acrossMidnight(t, seed+2000)
		p.TopN = 10
		res := MustFind(t, p)
		seen := map[string]int{}
		for k, o := range res.Options {
			key := ""
			for _, it := range o.Items {
				key += fmt.Sprintf("%d@%d/%d/%d;", it.InterviewID, it.Start.Unix(), it.RoomID, it.ZoomHostID)
			}
			if j, ok := seen[key]; ok {
				t.Fatalf("seed %d: options %d and %d have the same times and differ only in interviewers", seed, j, k)
			}
			seen[key] = k
		}
	}
}
