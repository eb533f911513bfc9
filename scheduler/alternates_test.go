package scheduler_test

// Alternates is checked from outside: each pool member is substituted
// into the option and the people rules are re-checked with plain interval
// code (minute by minute, wall clocks, no grid), so an alternate is listed
// exactly when the swapped option still keeps every hard rule.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
)

// errSeatCap marks a swap refused only by a daily or weekly cap.
var errSeatCap = errors.New("over a cap")

// seatDate is the wall-clock date of t in loc, as a UTC midnight.
func seatDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// seatWorking walks [s, e) minute by minute on in's wall clock.
func seatWorking(in *scheduler.Interviewer, s, e time.Time) bool {
	for t := s; t.Before(e); t = t.Add(time.Minute) {
		lt := t.In(in.Location)
		m := lt.Hour()*60 + lt.Minute()
		ok := false
		for _, r := range in.Hours[lt.Weekday()] {
			if r.StartMin <= m && m < r.EndMin {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func seatOverlaps(busy []scheduler.Interval, s, e time.Time) bool {
	for _, b := range busy {
		if b.Start.Before(e) && s.Before(b.End) && b.Start.Before(b.End) {
			return true
		}
	}
	return false
}

// seatCounts is in's existing interviews on date and in date's ISO week.
func seatCounts(in *scheduler.Interviewer, date time.Time) (day, week int) {
	y, w := date.ISOWeek()
	for _, e := range in.Existing {
		d := time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 0, 0, 0, 0, time.UTC)
		if d.Equal(date) {
			day += e.Count
		}
		if ey, ew := d.ISOWeek(); ey == y && ew == w {
			week += e.Count
		}
	}
	return day, week
}

// seatRules checks who sits on items: seat counts, pools, working hours,
// busy time and caps. Times, rooms and hosts do not depend on who sits.
func seatRules(p *scheduler.Problem, items []scheduler.Item) error {
	byID := map[int64]*scheduler.Interviewer{}
	for i := range p.Interviewers {
		byID[p.Interviewers[i].ID] = &p.Interviewers[i]
	}
	type use struct {
		id   int64
		date time.Time
	}
	var uses []use
	for _, it := range items {
		iv := p.Interviews[slices.IndexFunc(p.Interviews, func(x scheduler.Interview) bool { return x.ID == it.InterviewID })]
		if len(it.Interviewers) != iv.Interviewers {
			return fmt.Errorf("interview %d has %d interviewers, needs %d", iv.ID, len(it.Interviewers), iv.Interviewers)
		}
		for k, id := range it.Interviewers {
			in := byID[id]
			switch {
			case slices.Contains(it.Interviewers[:k], id):
				return fmt.Errorf("interviewer %d twice on interview %d", id, iv.ID)
			case !slices.Contains(iv.Pool, id):
				return fmt.Errorf("interviewer %d not in the pool of %d", id, iv.ID)
			case !seatWorking(in, it.Start, it.End):
				return fmt.Errorf("interviewer %d not working at %v", id, it.Start)
			case seatOverlaps(in.Busy, it.Start, it.End):
				return fmt.Errorf("interviewer %d busy at %v", id, it.Start)
			}
			uses = append(uses, use{id, seatDate(it.Start, in.Location)})
		}
	}
	for _, u := range uses {
		in := byID[u.id]
		day, week := seatCounts(in, u.date)
		y, w := u.date.ISOWeek()
		for _, v := range uses {
			if v.id != u.id {
				continue
			}
			if v.date.Equal(u.date) {
				day++
			}
			if vy, vw := v.date.ISOWeek(); vy == y && vw == w {
				week++
			}
		}
		if (in.DailyCap > 0 && day > in.DailyCap) || (in.WeeklyCap > 0 && week > in.WeeklyCap) {
			return fmt.Errorf("interviewer %d on %v: %w", u.id, u.date.Format("2006-01-02"), errSeatCap)
		}
	}
	return nil
}

// swapped returns a copy of items with seat j of item k given to id.
func swapped(items []scheduler.Item, k, j int, id int64) []scheduler.Item {
	out := slices.Clone(items)
	out[k].Interviewers = slices.Clone(items[k].Interviewers)
	out[k].Interviewers[j] = id
	return out
}

type seatTally struct{ listed, refused, capped int }

// checkAlternates compares Alternates with substitution and re-checking,
// for every item, every pool member and every seat.
func checkAlternates(t *testing.T, p *scheduler.Problem, o scheduler.Option, tally *seatTally) {
	t.Helper()
	if err := seatRules(p, o.Items); err != nil {
		t.Fatalf("the engine's option already breaks a rule: %v", err)
	}
	alts, err := scheduler.Alternates(*p, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(alts) != len(o.Items) {
		t.Fatalf("%d lists for %d items", len(alts), len(o.Items))
	}
	w := p.WeightsInEffect()
	for k, it := range o.Items {
		iv := p.Interviews[slices.IndexFunc(p.Interviews, func(x scheduler.Interview) bool { return x.ID == it.InterviewID })]
		for _, id := range iv.Pool {
			if slices.Contains(it.Interviewers, id) {
				if slices.Contains(alts[k], id) {
					t.Fatalf("interview %d: %d is listed but already sits on it", iv.ID, id)
				}
				continue
			}
			listed := slices.Contains(alts[k], id)
			for j := range it.Interviewers {
				err := seatRules(p, swapped(o.Items, k, j, id))
				if listed && err != nil {
					t.Fatalf("interview %d at %v: alternate %d for seat %d breaks a rule: %v", iv.ID, it.Start, id, j, err)
				}
				if !listed && err == nil {
					t.Fatalf("interview %d at %v: %d could take seat %d but is not listed (%v)", iv.ID, it.Start, id, j, alts[k])
				}
				if j == 0 && err != nil {
					tally.refused++
					if errors.Is(err, errSeatCap) {
						tally.capped++
					}
				}
			}
			if listed {
				tally.listed++
			}
		}
		// Lightest week first, then id.
		load := func(id int64) int64 {
			in := p.Interviewers[slices.IndexFunc(p.Interviewers, func(x scheduler.Interviewer) bool { return x.ID == id })]
			_, week := seatCounts(&in, seatDate(it.Start, in.Location))
			return w.Load * int64(week)
		}
		for a := 1; a < len(alts[k]); a++ {
			x, y := alts[k][a-1], alts[k][a]
			if lx, ly := load(x), load(y); lx > ly || (lx == ly && x >= y) {
				t.Fatalf("interview %d: alternates %v out of order at %d (loads %d, %d)", iv.ID, alts[k], a, lx, ly)
			}
		}
	}
}

func TestAlternatesAreExactlyTheValidSwaps(t *testing.T) {
	type instance struct {
		name string
		p    scheduler.Problem
	}
	var cases []instance
	n := 24
	if testing.Short() || raceEnabled {
		n = 8
	}
	for seed := range uint64(n) {
		p := vary(instancegen.MustGenerate(instancegen.Small, seed), seed)
		if seed%3 == 0 {
			// Tight daily caps make the option's other interviews count.
			for i := range p.Interviewers {
				p.Interviewers[i].DailyCap = 1
			}
		}
		cases = append(cases, instance{fmt.Sprintf("small/%d", seed), p})
	}
	for seed := range uint64(2) {
		cases = append(cases, instance{fmt.Sprintf("adversarial/%d", seed), instancegen.MustGenerate(instancegen.Adversarial, seed)})
		cases = append(cases, instance{fmt.Sprintf("medium/%d", seed), instancegen.MustGenerate(instancegen.Medium, seed)})
	}
	var tally seatTally
	options := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := MustFind(t, c.p)
			for _, o := range res.Options {
				checkAlternates(t, &c.p, o, &tally)
				options++
			}
		})
	}
	t.Logf("%d options, %+v", options, tally)
	// The property must have been exercised both ways, caps included.
	if options < 20 || tally.listed == 0 || tally.refused == 0 || tally.capped == 0 {
		t.Fatalf("too little exercised: %d options, %+v", options, tally)
	}
}

func TestAlternatesCountTheOptionsOtherInterviewsAndOrderByLoad(t *testing.T) {
	ny := MustLoad(t, "America/New_York")
	mon := time.Date(2026, 4, 6, 0, 0, 0, 0, ny)
	at := func(h, m int) time.Time { return mon.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	var hours [7][]scheduler.ClockRange
	for d := time.Monday; d <= time.Friday; d++ {
		hours[d] = []scheduler.ClockRange{{StartMin: 9 * 60, EndMin: 17 * 60}}
	}
	person := func(id int64) scheduler.Interviewer {
		return scheduler.Interviewer{ID: id, Location: ny, Hours: hours}
	}
	base := func() scheduler.Problem {
		return scheduler.Problem{
			Interviews: []scheduler.Interview{
				{ID: 1, Name: "Coding", Duration: time.Hour, Interviewers: 1, Pool: []int64{10, 11}},
				{ID: 2, Name: "Design", Duration: time.Hour, Interviewers: 1, Pool: []int64{10, 12, 13, 14, 15, 16}},
			},
			Rules:        scheduler.Rules{SameDay: true},
			Interviewers: []scheduler.Interviewer{person(10), person(11), person(12), person(13), person(14), person(15), person(16)},
			Candidate:    scheduler.Candidate{Location: ny, Windows: []scheduler.Interval{{Start: at(9, 0), End: at(17, 0)}}},
			Window:       scheduler.Interval{Start: mon, End: mon.AddDate(0, 0, 1)},
		}
	}
	option := scheduler.Option{Items: []scheduler.Item{
		{InterviewID: 1, Start: at(10, 0), End: at(11, 0), Interviewers: []int64{10}},
		{InterviewID: 2, Start: at(11, 0), End: at(12, 0), Interviewers: []int64{12}},
	}}
	tests := []struct {
		name   string
		change func(p *scheduler.Problem)
		want   []int64 // alternates for Design
	}{
		{"everyone free", func(*scheduler.Problem) {}, []int64{10, 13, 14, 15, 16}},
		{"daily cap counts the coding interview", func(p *scheduler.Problem) { p.Interviewers[0].DailyCap = 1 }, []int64{13, 14, 15, 16}},
		{"weekly cap counts existing and the option", func(p *scheduler.Problem) {
			p.Interviewers[0].WeeklyCap = 3
			p.Interviewers[0].Existing = []scheduler.DayCount{{Date: scheduler.Date{Year: 2026, Month: 4, Day: 8}, Count: 1}}
		}, []int64{13, 14, 15, 16, 10}}, // one existing interview that week: listed last
		{"weekly cap reached with the option", func(p *scheduler.Problem) {
			p.Interviewers[0].WeeklyCap = 2
			p.Interviewers[0].Existing = []scheduler.DayCount{{Date: scheduler.Date{Year: 2026, Month: 4, Day: 8}, Count: 1}}
		}, []int64{13, 14, 15, 16}},
		{"busy, out of hours, or busy only next to it", func(p *scheduler.Problem) {
			p.Interviewers[3].Busy = []scheduler.Interval{{Start: at(11, 45), End: at(12, 15)}}
			p.Interviewers[4].Hours[time.Monday] = []scheduler.ClockRange{{StartMin: 11*60 + 30, EndMin: 17 * 60}}
			p.Interviewers[5].Busy = []scheduler.Interval{{Start: at(10, 0), End: at(11, 0)}, {Start: at(12, 0), End: at(13, 0)}}
		}, []int64{10, 15, 16}},
		{"heavier weeks last, then by id", func(p *scheduler.Problem) {
			last := scheduler.DayCount{Date: scheduler.Date{Year: 2026, Month: 4, Day: 3}, Count: 4} // the week before
			p.Interviewers[0].Existing = []scheduler.DayCount{{Date: scheduler.Date{Year: 2026, Month: 4, Day: 7}, Count: 2}, last}
			p.Interviewers[3].Existing = []scheduler.DayCount{{Date: scheduler.Date{Year: 2026, Month: 4, Day: 10}, Count: 1}}
			p.Interviewers[6].Existing = []scheduler.DayCount{last}
		}, []int64{14, 15, 16, 13, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.change(&p)
			alts, err := scheduler.Alternates(p, option)
			if err != nil {
				t.Fatal(err)
			}
			if len(alts) != 2 || !slices.Equal(alts[1], tt.want) {
				t.Fatalf("alternates %v, want Design: %v", alts, tt.want)
			}
			if !slices.Equal(alts[0], []int64{11}) {
				t.Errorf("Coding alternates %v, want [11]", alts[0])
			}
			var tally seatTally
			checkAlternates(t, &p, option, &tally)
		})
	}
}

func TestAlternatesRefuseAForeignOption(t *testing.T) {
	p := instancegen.MustGenerate(instancegen.Small, 1)
	o := scheduler.Option{Items: []scheduler.Item{{InterviewID: 999, Start: p.Window.Start, End: p.Window.Start.Add(time.Hour)}}}
	if _, err := scheduler.Alternates(p, o); !errors.Is(err, scheduler.ErrInvalid) || !strings.Contains(err.Error(), "999") {
		t.Fatalf("unknown interview: err = %v", err)
	}
	p.Interviews = nil
	if _, err := scheduler.Alternates(p, scheduler.Option{}); !errors.Is(err, scheduler.ErrInvalid) {
		t.Fatalf("invalid problem: err = %v", err)
	}
}
