// Package instancegen builds deterministic scheduling problems with
// realistic calendars for tests and benchmarks. The same family and seed
// always give the same problem: a fixed PCG generator is seeded explicitly
// and nothing depends on map order or global state.
package instancegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"interviewplanner/scheduler"
)

// Family names a kind of instance.
type Family string

// The families of issue 5.
const (
	Small       Family = "small"       // oracle-sized: exhaustive search and CBC agree
	Medium      Family = "medium"      // the target: 50 interviewers, 5 interviews, top-20
	Large       Family = "large"       // 500 interviewers, 6 interviews in any order, rooms, a panel
	Adversarial Family = "adversarial" // 70–85% busy, DST, +5:30/+5:45, tiny pools
	Infeasible  Family = "infeasible"  // adversarial with one interview that cannot be placed
	ManyTies    Family = "many-ties"   // identical costs everywhere
	ExactlyOne  Family = "exactly-one" // exactly one feasible loop
)

// Families lists every family in benchmark order.
var Families = []Family{Small, Medium, Large, Adversarial, Infeasible, ManyTies, ExactlyOne}

// Generate returns instance seed of family f.
func Generate(f Family, seed uint64) (scheduler.Problem, error) {
	g := &gen{r: rand.New(rand.NewPCG(seed, familySalt(f)))}
	switch f {
	case Small:
		return g.small(), nil
	case Medium:
		return g.medium(), nil
	case Large:
		return g.large(), nil
	case Adversarial:
		return g.adversarial(), nil
	case Infeasible:
		return g.infeasible(), nil
	case ManyTies:
		return g.manyTies(), nil
	case ExactlyOne:
		return g.exactlyOne(), nil
	}
	return scheduler.Problem{}, fmt.Errorf("unknown instance family %q", f)
}

// MustGenerate is Generate for known families.
func MustGenerate(f Family, seed uint64) scheduler.Problem {
	p, err := Generate(f, seed)
	if err != nil {
		panic(err)
	}
	return p
}

func familySalt(f Family) uint64 {
	var h uint64 = 1469598103934665603
	for _, c := range []byte(f) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

type gen struct{ r *rand.Rand }

func (g *gen) loc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("time zone %s: %v (tzdata missing?)", name, err))
	}
	return l
}

func (g *gen) poisson(lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *gen) pick(xs []int) int { return xs[g.r.IntN(len(xs))] }

// calendar describes how busy people are.
type calendar struct {
	from      scheduler.Date // first date of the calendar
	days      int
	icRate    float64 // meetings per business day for individual contributors
	mgrRate   float64
	allDay    float64 // chance per person of an all-day or out-of-office block
	wild      bool    // nested, zero-length, midnight-crossing events
	busyShare float64 // if > 0, add blocks until about this share of working time is busy
}

var businessHours = scheduler.ClockRange{StartMin: 9 * 60, EndMin: 17 * 60}

func workweek(r scheduler.ClockRange) [7][]scheduler.ClockRange {
	var h [7][]scheduler.ClockRange
	for d := time.Monday; d <= time.Friday; d++ {
		h[d] = []scheduler.ClockRange{r}
	}
	return h
}

func dateAdd(d scheduler.Date, n int) scheduler.Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return scheduler.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func weekday(d scheduler.Date) time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

func at(d scheduler.Date, min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, min, 0, 0, loc)
}

func (g *gen) duration() int {
	switch x := g.r.IntN(20); {
	case x < 9:
		return 30
	case x < 18:
		return 60
	default:
		return 90
	}
}

func (g *gen) startMin() int {
	if g.r.IntN(10) < 8 {
		return 8*60 + 30*g.r.IntN(20) // :00 or :30 between 08:00 and 17:30
	}
	return 8*60 + 5*g.r.IntN(120) // off-grid
}

// busy returns one person's calendar: one-off meetings plus expanded
// recurring series (about half), all-day and out-of-office blocks.
func (g *gen) busy(cal calendar, loc *time.Location, manager bool) []scheduler.Interval {
	rate := cal.icRate
	if manager {
		rate = cal.mgrRate
	}
	var out []scheduler.Interval
	add := func(d scheduler.Date, startMin, mins int) {
		s := at(d, startMin, loc)
		out = append(out, scheduler.Interval{Start: s, End: s.Add(time.Duration(mins) * time.Minute)})
	}
	// Recurring series carry about half of the meetings: a daily stand-up
	// and weekly meetings.
	type series struct {
		wd          time.Weekday
		daily       bool
		start, mins int
	}
	var ss []series
	if g.r.IntN(2) == 0 {
		ss = append(ss, series{daily: true, start: 9*60 + 30*g.r.IntN(3), mins: 15 + 15*g.r.IntN(2)})
	}
	weekly := max(0, int(math.Round((rate/2-0.5*float64(len(ss)))*5)))
	for range weekly {
		ss = append(ss, series{wd: time.Weekday(1 + g.r.IntN(5)), start: g.startMin(), mins: g.duration()})
	}
	for i := range cal.days {
		d := dateAdd(cal.from, i)
		wd := weekday(d)
		if wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for _, s := range ss {
			if s.daily || s.wd == wd {
				add(d, s.start, s.mins)
			}
		}
		for range g.poisson(rate / 2) {
			add(d, g.startMin(), g.duration())
		}
		if cal.wild {
			switch g.r.IntN(6) {
			case 0: // zero-length
				add(d, g.startMin(), 0)
			case 1: // nested inside a long block
				st := g.startMin()
				add(d, st, 120)
				add(d, st+30, 30)
			case 2: // crosses midnight
				add(d, 22*60+30*g.r.IntN(3), 180)
			}
		}
	}
	if g.r.Float64() < cal.allDay {
		d := dateAdd(cal.from, g.r.IntN(cal.days))
		n := 1
		if g.r.IntN(4) == 0 {
			n = 2 + g.r.IntN(3) // out of office
		}
		out = append(out, scheduler.Interval{Start: at(d, 0, loc), End: at(dateAdd(d, n), 0, loc)})
	}
	if cal.busyShare > 0 {
		for i := range cal.days {
			d := dateAdd(cal.from, i)
			for m := businessHours.StartMin; m < businessHours.EndMin; m += 30 {
				if g.r.Float64() < cal.busyShare {
					add(d, m, 30)
				}
			}
		}
	}
	return out
}

type shape struct {
	people      int
	zones       []string
	cal         calendar
	window      int // business days in the search window
	interviews  []int
	panel       int // index of an interview needing 2 interviewers, or -1
	poolMin     int
	poolMax     int
	rooms       int
	blocks      [2]int // candidate windows
	blockHours  [2]int
	buffer      []int
	maxGap      []int
	dailyCap    int
	weeklyCap   int
	topN        int
	sameDay     bool
	fixedOrder  bool
	lunch       bool
	candZones   []string
	existingPer float64
}

func (g *gen) build(s shape) scheduler.Problem {
	start := s.cal.from
	var people []scheduler.Interviewer
	for i := range s.people {
		loc := g.loc(s.zones[i%len(s.zones)])
		in := scheduler.Interviewer{
			ID: int64(100 + i), Name: fmt.Sprintf("Interviewer %d", i+1), Location: loc,
			Hours:    workweek(businessHours),
			Busy:     g.busy(s.cal, loc, g.r.IntN(5) == 0),
			DailyCap: s.dailyCap, WeeklyCap: s.weeklyCap,
		}
		switch g.r.IntN(10) {
		case 0, 1:
			in.Preferred = scheduler.ClockRange{StartMin: 9 * 60, EndMin: 12 * 60}
		case 2:
			in.Preferred = scheduler.ClockRange{StartMin: 13 * 60, EndMin: 17 * 60}
		}
		for d := range s.cal.days {
			if n := g.poisson(s.existingPer); n > 0 {
				in.Existing = append(in.Existing, scheduler.DayCount{Date: dateAdd(start, d), Count: n})
			}
		}
		people = append(people, in)
	}
	var rooms []scheduler.Room
	for i := range s.rooms {
		rooms = append(rooms, scheduler.Room{ID: int64(900 + i), Name: fmt.Sprintf("Room %d", i+1),
			Busy: g.busy(calendar{from: start, days: s.cal.days, icRate: 3, mgrRate: 3}, g.loc(s.zones[0]), false)})
	}
	var ivs []scheduler.Interview
	for i, mins := range s.interviews {
		size := s.poolMin + g.r.IntN(s.poolMax-s.poolMin+1)
		perm := g.r.Perm(s.people)[:size]
		pool := make([]int64, 0, size)
		for _, x := range perm {
			pool = append(pool, int64(100+x))
		}
		iv := scheduler.Interview{ID: int64(i + 1), Name: fmt.Sprintf("Interview %d", i+1),
			Duration: time.Duration(mins) * time.Minute, Interviewers: 1, Pool: pool}
		if i == s.panel {
			iv.Interviewers = 2
		}
		for _, r := range rooms {
			iv.Rooms = append(iv.Rooms, r.ID)
		}
		ivs = append(ivs, iv)
	}
	candLoc := g.loc(s.candZones[g.r.IntN(len(s.candZones))])
	businessDays := []scheduler.Date{}
	for d := 0; len(businessDays) < s.window; d++ {
		dd := dateAdd(start, d)
		if wd := weekday(dd); wd != time.Saturday && wd != time.Sunday {
			businessDays = append(businessDays, dd)
		}
	}
	var windows []scheduler.Interval
	nb := s.blocks[0] + g.r.IntN(s.blocks[1]-s.blocks[0]+1)
	for _, di := range g.r.Perm(len(businessDays))[:min(nb, len(businessDays))] {
		d := businessDays[di]
		hours := s.blockHours[0] + g.r.IntN(s.blockHours[1]-s.blockHours[0]+1)
		from := 8*60 + 30*g.r.IntN(max(1, (18-8-hours)*2+1))
		windows = append(windows, scheduler.Interval{Start: at(d, from, candLoc), End: at(d, from+hours*60, candLoc)})
	}
	slices.SortFunc(windows, func(a, b scheduler.Interval) int { return a.Start.Compare(b.Start) })
	cand := scheduler.Candidate{Location: candLoc, Windows: windows}
	if len(windows) > 1 {
		cand.Preferred = windows[:1]
	}
	p := scheduler.Problem{
		Interviews: ivs, Interviewers: people, Rooms: rooms, Candidate: cand,
		Rules: scheduler.Rules{SameDay: s.sameDay, FixedOrder: s.fixedOrder,
			Buffer: time.Duration(g.pick(s.buffer)) * time.Minute, MaxGap: time.Duration(g.pick(s.maxGap)) * time.Minute},
		Window: scheduler.Interval{Start: at(start, 0, candLoc), End: at(dateAdd(businessDays[len(businessDays)-1], 1), 0, candLoc)},
		TopN:   s.topN,
	}
	if s.lunch {
		p.Rules.Lunch = &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 11*60 + 30, EndMin: 13*60 + 30}, Length: 30 * time.Minute}
	}
	return p
}

func (g *gen) durations(n int, choices ...int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = g.pick(choices)
	}
	return out
}

func (g *gen) small() scheduler.Problem {
	return g.build(shape{
		people: 12, zones: []string{"America/New_York", "America/Chicago"},
		cal:    calendar{from: scheduler.Date{Year: 2026, Month: 4, Day: 6}, days: 7, icRate: 2, mgrRate: 4.5, allDay: 0.05},
		window: 5, interviews: g.durations(3, 30, 45, 60), panel: -1, poolMin: 4, poolMax: 6,
		blocks: [2]int{2, 4}, blockHours: [2]int{2, 5}, buffer: []int{0, 15}, maxGap: []int{30, 60},
		dailyCap: 2, weeklyCap: 5, topN: 5, sameDay: true, lunch: g.r.IntN(2) == 0,
		candZones: []string{"America/New_York", "America/Chicago"}, existingPer: 0.4,
	})
}

func (g *gen) medium() scheduler.Problem {
	return g.build(shape{
		people: 50, zones: []string{"America/New_York", "America/Chicago", "America/Los_Angeles"},
		cal:    calendar{from: scheduler.Date{Year: 2026, Month: 4, Day: 6}, days: 14, icRate: 2, mgrRate: 4.5, allDay: 0.1},
		window: 10, interviews: g.durations(5, 30, 45, 60), panel: -1, poolMin: 10, poolMax: 30,
		blocks: [2]int{3, 6}, blockHours: [2]int{3, 7}, buffer: []int{0, 15}, maxGap: []int{30, 60},
		dailyCap: 2, weeklyCap: 5, topN: 20, sameDay: true, lunch: true,
		candZones: []string{"America/New_York", "America/Chicago"}, existingPer: 0.4,
	})
}

func (g *gen) large() scheduler.Problem {
	return g.build(shape{
		people: 500, zones: []string{"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London", "Europe/Berlin"},
		cal:    calendar{from: scheduler.Date{Year: 2026, Month: 4, Day: 6}, days: 28, icRate: 2, mgrRate: 4.5, allDay: 0.1},
		window: 15, interviews: g.durations(6, 30, 45, 60), panel: 2, poolMin: 30, poolMax: 50, rooms: 10,
		blocks: [2]int{3, 6}, blockHours: [2]int{3, 7}, buffer: []int{0, 15}, maxGap: []int{30, 60},
		dailyCap: 2, weeklyCap: 5, topN: 50, sameDay: true, lunch: true,
		candZones: []string{"America/New_York", "Europe/London"}, existingPer: 0.4,
	})
}

func (g *gen) adversarialShape() shape {
	return shape{
		people: 16, zones: []string{"Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Europe/London"},
		cal: calendar{from: scheduler.Date{Year: 2026, Month: 3, Day: 2}, days: 14, icRate: 3, mgrRate: 5, allDay: 0.3,
			wild: true, busyShare: 0.4 + 0.15*g.r.Float64()},
		window: 10, interviews: g.durations(4, 30, 45, 60), panel: -1, poolMin: 3, poolMax: 5,
		blocks: [2]int{4, 6}, blockHours: [2]int{4, 8}, buffer: []int{0, 15}, maxGap: []int{30, 60, 120},
		dailyCap: 2, weeklyCap: 5, topN: 10, sameDay: false, lunch: false,
		candZones: []string{"America/New_York", "Asia/Kolkata", "Asia/Kathmandu"}, existingPer: 0.5,
	}
}

func (g *gen) adversarial() scheduler.Problem {
	p := g.build(g.adversarialShape())
	p.Granularity = 5 * time.Minute
	return p
}

// infeasible makes the last interview's pool sit at its weekly limit.
func (g *gen) infeasible() scheduler.Problem {
	p := g.build(g.adversarialShape())
	last := &p.Interviews[len(p.Interviews)-1]
	for i := range p.Interviewers {
		in := &p.Interviewers[i]
		if !slices.Contains(last.Pool, in.ID) {
			continue
		}
		in.WeeklyCap = 2
		in.Existing = nil
		for d := 0; d < 14; d += 7 {
			for k := range 5 {
				if k < 2 {
					in.Existing = append(in.Existing, scheduler.DayCount{Date: dateAdd(scheduler.Date{Year: 2026, Month: 3, Day: 2}, d+k), Count: 1})
				}
			}
		}
	}
	return p
}

// manyTies gives everyone identical, empty calendars and no preferences.
func (g *gen) manyTies() scheduler.Problem {
	p := g.build(shape{
		people: 10, zones: []string{"America/New_York"},
		cal:    calendar{from: scheduler.Date{Year: 2026, Month: 4, Day: 6}, days: 7},
		window: 5, interviews: []int{30, 30, 30}, panel: -1, poolMin: 4, poolMax: 4,
		blocks: [2]int{1, 1}, blockHours: [2]int{4, 4}, buffer: []int{0}, maxGap: []int{0},
		topN: 25, sameDay: true, candZones: []string{"America/New_York"},
	})
	for i := range p.Interviewers {
		p.Interviewers[i].Busy = nil
		p.Interviewers[i].Preferred = scheduler.ClockRange{}
		p.Interviewers[i].Existing = nil
	}
	p.Candidate.Preferred = nil
	return p
}

// exactlyOne leaves a single loop: fixed order, one window exactly as long
// as the loop, a single interviewer per pool who is free only then.
func (g *gen) exactlyOne() scheduler.Problem {
	p := g.build(g.adversarialShape())
	p.Rules = scheduler.Rules{SameDay: true, FixedOrder: true}
	w := p.Candidate.Windows[0]
	var total time.Duration
	for i := range p.Interviews {
		p.Interviews[i].Interviewers = 1
		total += p.Interviews[i].Duration
	}
	// Start on the hour in the candidate's zone, 10:00 local on that date.
	d := scheduler.DateOf(w.Start, p.Candidate.Location)
	start := at(d, 10*60, p.Candidate.Location)
	p.Candidate.Windows = []scheduler.Interval{{Start: start, End: start.Add(total)}}
	p.Candidate.Preferred = nil
	t := start
	for i := range p.Interviews {
		iv := &p.Interviews[i]
		who := &p.Interviewers[i]
		iv.Pool = []int64{who.ID}
		who.Hours = [7][]scheduler.ClockRange{}
		for wd := range who.Hours {
			who.Hours[wd] = []scheduler.ClockRange{{StartMin: 0, EndMin: 24 * 60}}
		}
		who.DailyCap, who.WeeklyCap = 0, 0
		slot := scheduler.Interval{Start: t, End: t.Add(iv.Duration)}
		who.Busy = []scheduler.Interval{{Start: p.Window.Start.Add(-24 * time.Hour), End: slot.Start}, {Start: slot.End, End: p.Window.End.Add(24 * time.Hour)}}
		t = slot.End
	}
	return p
}
