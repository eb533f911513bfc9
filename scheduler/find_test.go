package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
)

func MustFind(tb testing.TB, p scheduler.Problem) scheduler.Result {
	tb.Helper()
	res, err := scheduler.Find(contextOf(tb), p)
	if err != nil {
		tb.Fatalf("Find: %v", err)
	}
	return res
}

func MustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

// vary turns a generated small instance into one of several rule mixes, so
// the properties cover multi-day loops, fixed order, panels, rooms and video.
func vary(p scheduler.Problem, seed uint64) scheduler.Problem {
	r := rand.New(rand.NewPCG(seed, 99))
	switch seed % 5 {
	case 1:
		// Multi-day loops multiply the exhaustive search; keep them small.
		p.Rules.SameDay = false
		p.Rules.MaxGap = 60 * time.Minute
		for i := range p.Interviews {
			p.Interviews[i].Pool = p.Interviews[i].Pool[:3]
		}
		p.Candidate.Windows = p.Candidate.Windows[:min(2, len(p.Candidate.Windows))]
	case 2:
		p.Rules.FixedOrder = true
	case 3:
		p.Interviews[r.IntN(len(p.Interviews))].Interviewers = 2
	case 4:
		p.Rooms = []scheduler.Room{{ID: 1, Busy: p.Interviewers[0].Busy}, {ID: 2, Busy: p.Interviewers[1].Busy}}
		p.Interviews[0].Rooms = []int64{1, 2}
		p.ZoomHosts = []scheduler.ZoomHost{{ID: 7, Busy: p.Interviewers[2].Busy}}
		p.Interviews[1].Video = true
	}
	return p
}

func TestPropertiesAgainstExhaustiveSearch(t *testing.T) {
	n := 40
	if testing.Short() || raceEnabled {
		n = 10
	}
	var feasible atomic.Int64
	t.Cleanup(func() {
		if feasible.Load() < int64(n/3) {
			t.Errorf("only %d of %d instances feasible; the generator no longer exercises the engine", feasible.Load(), n)
		}
	})
	for seed := range uint64(n) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			p := vary(instancegen.MustGenerate(instancegen.Small, seed), seed)
			res := MustFind(t, p)
			if !res.Exhaustive {
				t.Fatal("small instance not searched exhaustively")
			}
			for k, o := range res.Options {
				if err := checkOption(&p, o); err != nil {
					t.Fatalf("option %d breaks a rule: %v", k, err)
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
			if len(want) > 0 {
				feasible.Add(1)
			} else if res.Explanation == nil || len(res.Explanation.Blockers) == 0 {
				t.Fatal("no schedule and no explanation")
			}
		})
	}
}

func TestGeneratedFamiliesSatisfyEveryRule(t *testing.T) {
	for _, f := range []instancegen.Family{instancegen.Medium, instancegen.Adversarial, instancegen.ManyTies, instancegen.ExactlyOne} {
		for seed := range uint64(2) {
			t.Run(fmt.Sprintf("%s/%d", f, seed), func(t *testing.T) {
				p := instancegen.MustGenerate(f, seed)
				res := MustFind(t, p)
				for k, o := range res.Options {
					if err := checkOption(&p, o); err != nil {
						t.Fatalf("option %d: %v", k, err)
					}
				}
				assertDistinct(t, res.Options)
			})
		}
	}
}

func assertDistinct(t *testing.T, opts []scheduler.Option) {
	t.Helper()
	seen := map[string]int{}
	for k, o := range opts {
		key := ""
		for _, it := range o.Items {
			key += fmt.Sprintf("%d@%d%v;", it.InterviewID, it.Start.Unix(), it.Interviewers)
		}
		if j, ok := seen[key]; ok {
			t.Fatalf("options %d and %d are the same schedule", j, k)
		}
		seen[key] = k
	}
	for k := 1; k < len(opts); k++ {
		if opts[k].Score < opts[k-1].Score {
			t.Fatalf("option %d scores %d after %d", k, opts[k].Score, opts[k-1].Score)
		}
	}
}

func TestManyTiesAreDeterministic(t *testing.T) {
	p := instancegen.MustGenerate(instancegen.ManyTies, 3)
	first := MustFind(t, p)
	if len(first.Options) != p.TopN {
		t.Fatalf("%d options, want %d", len(first.Options), p.TopN)
	}
	if first.Options[0].Score != first.Options[len(first.Options)-1].Score {
		t.Fatalf("expected ties, got scores %d..%d", first.Options[0].Score, first.Options[len(first.Options)-1].Score)
	}
	assertDistinct(t, first.Options)
	for range 3 {
		again := MustFind(t, p)
		if fmt.Sprint(again.Options) != fmt.Sprint(first.Options) {
			t.Fatal("same input, different options")
		}
	}
}

func TestExactlyOneFeasibleLoopIsFound(t *testing.T) {
	for seed := range uint64(3) {
		p := instancegen.MustGenerate(instancegen.ExactlyOne, seed)
		res := MustFind(t, p)
		if len(res.Options) != 1 {
			t.Fatalf("seed %d: %d options, want exactly 1 (%+v)", seed, len(res.Options), res.Explanation)
		}
		if got := res.Options[0].Items[0].Start; !got.Equal(p.Candidate.Windows[0].Start) {
			t.Fatalf("seed %d: loop starts %v, want %v", seed, got, p.Candidate.Windows[0].Start)
		}
	}
}

func TestValidationErrors(t *testing.T) {
	ny := MustLoad(t, "America/New_York")
	base := func() scheduler.Problem {
		day := time.Date(2026, 4, 6, 0, 0, 0, 0, ny)
		return scheduler.Problem{
			Interviews:   []scheduler.Interview{{ID: 1, Duration: 30 * time.Minute, Interviewers: 1, Pool: []int64{10}}},
			Interviewers: []scheduler.Interviewer{{ID: 10, Location: ny}},
			Candidate:    scheduler.Candidate{Location: ny},
			Window:       scheduler.Interval{Start: day, End: day.AddDate(0, 0, 1)},
		}
	}
	tests := []struct {
		name   string
		change func(*scheduler.Problem)
	}{
		{"zero duration", func(p *scheduler.Problem) { p.Interviews[0].Duration = 0 }},
		{"negative duration", func(p *scheduler.Problem) { p.Interviews[0].Duration = -time.Hour }},
		{"off-grid duration", func(p *scheduler.Problem) { p.Interviews[0].Duration = 20 * time.Minute }},
		{"unknown pool id", func(p *scheduler.Problem) { p.Interviews[0].Pool = []int64{99} }},
		{"pool smaller than panel", func(p *scheduler.Problem) { p.Interviews[0].Interviewers = 2 }},
		{"no interviewers needed", func(p *scheduler.Problem) { p.Interviews[0].Interviewers = 0 }},
		{"duplicate interview", func(p *scheduler.Problem) { p.Interviews = append(p.Interviews, p.Interviews[0]) }},
		{"unknown room", func(p *scheduler.Problem) { p.Interviews[0].Rooms = []int64{5} }},
		{"video without hosts", func(p *scheduler.Problem) { p.Interviews[0].Video = true }},
		{"window backwards", func(p *scheduler.Problem) { p.Window.End = p.Window.Start }},
		{"candidate without zone", func(p *scheduler.Problem) { p.Candidate.Location = nil }},
		{"interviewer without zone", func(p *scheduler.Problem) { p.Interviewers[0].Location = nil }},
		{"granularity 10m", func(p *scheduler.Problem) { p.Granularity = 10 * time.Minute }},
		{"lunch longer than max gap", func(p *scheduler.Problem) {
			p.Rules.MaxGap = 15 * time.Minute
			p.Rules.Lunch = &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 690, EndMin: 810}, Length: 30 * time.Minute}
		}},
		{"no interviews", func(p *scheduler.Problem) { p.Interviews = nil }},
	}
	if err := scheduler.Validate(base()); err != nil {
		t.Fatalf("base problem invalid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.change(&p)
			_, err := scheduler.Find(t.Context(), p)
			if !errors.Is(err, scheduler.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func contextOf(tb testing.TB) context.Context {
	if c, ok := tb.(interface{ Context() context.Context }); ok {
		return c.Context()
	}
	return context.Background()
}

func TestInfeasibleFamilyIsExplained(t *testing.T) {
	for seed := range uint64(3) {
		p := instancegen.MustGenerate(instancegen.Infeasible, seed)
		res := MustFind(t, p)
		if len(res.Options) != 0 {
			t.Fatalf("seed %d: infeasible instance has %d options", seed, len(res.Options))
		}
		if res.Explanation == nil || len(res.Explanation.Blockers) == 0 {
			t.Fatalf("seed %d: no explanation", seed)
		}
		last := p.Interviews[len(p.Interviews)-1].ID
		blocked := false
		for _, b := range res.Explanation.Blockers {
			blocked = blocked || b.InterviewID == last
		}
		if !blocked {
			t.Errorf("seed %d: blockers %+v do not name interview %d, whose pool is at its limit", seed, res.Explanation.Blockers, last)
		}
	}
}

func TestCancelledContextStopsTheSearch(t *testing.T) {
	p := instancegen.MustGenerate(instancegen.Large, 1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := scheduler.Find(ctx, p)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Exhaustive {
		t.Fatal("a cancelled search claims to be exhaustive")
	}
}
