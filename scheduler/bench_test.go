package scheduler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// freeBusyProblem has 50 interviewers with 300 busy events each over 14
// days and one interview whose pool is all of them.
func freeBusyProblem(tb testing.TB) Problem { return freeBusyEvents(tb, 300) }

// freeBusyEvents is freeBusyProblem with a given number of busy events per
// interviewer.
func freeBusyEvents(tb testing.TB, events int) Problem {
	tb.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(50, 300))
	start := time.Date(2026, 4, 6, 0, 0, 0, 0, ny)
	p := Problem{
		Interviews: []Interview{{ID: 1, Duration: 45 * time.Minute, Interviewers: 1}},
		Candidate:  Candidate{Location: ny},
		Window:     Interval{Start: start, End: start.AddDate(0, 0, 14)},
	}
	for d := range 14 {
		p.Candidate.Windows = append(p.Candidate.Windows, Interval{Start: start.AddDate(0, 0, d).Add(9 * time.Hour), End: start.AddDate(0, 0, d).Add(17 * time.Hour)})
	}
	for i := range 50 {
		in := Interviewer{ID: int64(i + 1), Location: ny}
		for wd := range in.Hours {
			in.Hours[wd] = []ClockRange{{StartMin: 540, EndMin: 1020}}
		}
		for range events {
			s := start.Add(time.Duration(r.IntN(14*24*4)) * 15 * time.Minute).Add(time.Duration(r.IntN(3)) * 5 * time.Minute)
			in.Busy = append(in.Busy, Interval{Start: s, End: s.Add(time.Duration(15+15*r.IntN(4)) * time.Minute)})
		}
		p.Interviewers = append(p.Interviewers, in)
		p.Interviews[0].Pool = append(p.Interviews[0].Pool, in.ID)
	}
	return p
}

func TestFreeBusyIntersection(t *testing.T) {
	p := freeBusyProblem(t)
	c := compile(&p)
	pl := &c.plans[0]
	if len(pl.slots) == 0 {
		t.Fatal("no free slot in 50 calendars")
	}
	// Spot-check every slot against the raw intervals.
	for _, sl := range pl.slots {
		s := c.gr.at(sl.cell)
		for _, cd := range sl.cands {
			for _, b := range p.Interviewers[cd.p].Busy {
				if b.Start.Before(s.Add(45*time.Minute)) && b.End.After(s) {
					t.Fatalf("interviewer %d offered at %v while busy %v–%v", cd.p, s, b.Start, b.End)
				}
			}
		}
	}
}

// BenchmarkFreeBusyIntersection measures the free/busy step alone: each of
// 50 interviewers' working hours (local wall-clock, per date) minus 300 busy
// events as a bitset, intersected with the candidate's windows.
func BenchmarkFreeBusyIntersection(b *testing.B) { benchIntersection(b, freeBusyProblem(b)) }

// BenchmarkFreeBusyScaling runs the same step with 75 to 1,200 busy events
// per interviewer: the cost grows about linearly with the events.
func BenchmarkFreeBusyScaling(b *testing.B) {
	for _, n := range []int{75, 150, 300, 600, 1200} {
		p := freeBusyEvents(b, n)
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) { benchIntersection(b, p) })
	}
}

func benchIntersection(b *testing.B, p Problem) {
	c := compile(&p)
	cand := newBitset(c.gr.n)
	for _, w := range p.Candidate.Windows {
		lo, hi := c.gr.inside(w)
		cand.setRange(lo, hi)
	}
	b.ReportAllocs()
	free := 0
	for b.Loop() {
		free = 0
		for i := range p.Interviewers {
			ps := c.compilePerson(&p.Interviewers[i])
			for w := range ps.free {
				ps.free[w] &= cand[w]
			}
			free += ps.free.count()
		}
	}
	if free == 0 {
		b.Fatal("no interviewer is ever free")
	}
}

// BenchmarkFreeBusy50x300 measures the whole compile step: merging 15,000 busy events into free
// bitsets and intersecting them with the candidate's windows for every
// start time.
func BenchmarkFreeBusy50x300(b *testing.B) {
	p := freeBusyProblem(b)
	b.ReportAllocs()
	for b.Loop() {
		compile(&p)
	}
}

func BenchmarkFindTies(b *testing.B) {
	p := freeBusyProblem(b)
	p.TopN = 20
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
