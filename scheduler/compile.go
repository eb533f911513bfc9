package scheduler

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"
)

// grid maps absolute time to cells of width g starting at t0.
type grid struct {
	t0     time.Time
	g      time.Duration
	n      int
	t0s    int64 // t0 in Unix seconds and its nanoseconds, for cheap arithmetic
	t0ns   int64
	lo, hi int64 // Unix seconds one cell before t0 and one after the last cell
}

func newGrid(t0 time.Time, g time.Duration, n int) grid {
	gs := int64(g / time.Second)
	return grid{t0: t0, g: g, n: n, t0s: t0.Unix(), t0ns: int64(t0.Nanosecond()), lo: t0.Unix() - gs, hi: t0.Unix() + int64(n+1)*gs}
}

func (gr grid) at(k int) time.Time { return gr.t0.Add(time.Duration(k) * gr.g) }

// offset is t − t0 in nanoseconds with t clamped to about one cell beyond
// either end of the grid: every instant outside means the same as that
// cell, and instants centuries away (busy until 9999, a window from year
// 1) would overflow time.Duration and Unix nanoseconds. Unix seconds
// cover every year time.Time can print.
func (gr grid) offset(t time.Time) int64 {
	s := t.Unix()
	if s < gr.lo {
		return -int64(gr.g)
	}
	if s > gr.hi {
		return int64(gr.n+1) * int64(gr.g)
	}
	return (s-gr.t0s)*int64(time.Second) + int64(t.Nanosecond()) - gr.t0ns
}

func (gr grid) floor(t time.Time) int {
	d := gr.offset(t)
	k := int(d / int64(gr.g))
	if d%int64(gr.g) < 0 {
		k--
	}
	return k
}

func (gr grid) ceil(t time.Time) int {
	d := gr.offset(t)
	k := int(d / int64(gr.g))
	if d%int64(gr.g) > 0 {
		k++
	}
	return k
}

// nanos is the offset of cell k from t0.
func (gr grid) nanos(k int) int64 { return int64(k) * int64(gr.g) }

// inside returns the cells lying fully inside iv.
func (gr grid) inside(iv Interval) (int, int) { return gr.ceil(iv.Start), gr.floor(iv.End) }

// touching returns the cells that overlap iv (none for an empty interval).
func (gr grid) touching(iv Interval) (int, int) {
	if !iv.End.After(iv.Start) {
		return 0, 0
	}
	return gr.floor(iv.Start), gr.ceil(iv.End)
}

// personDay is one local date of an interviewer inside the grid.
type personDay struct {
	firstCell      int
	key, week      int // days since epoch; ISO year*100+week
	existing, wk   int // existing interviews that day / that ISO week
	prefLo, prefHi int // preferred cells [prefLo, prefHi); empty when none
}

type person struct {
	id   int64
	free bitset
	days []personDay
	in   *Interviewer
}

// dayAt returns the index in days of the date holding cell k.
func (ps *person) dayAt(k int) int {
	i, found := slices.BinarySearchFunc(ps.days, k, func(d personDay, k int) int { return cmp.Compare(d.firstCell, k) })
	if found {
		return i
	}
	return i - 1
}

// cand is an interviewer who could take an interview at a slot.
type cand struct {
	p         int32 // index into compiled.people
	load      int64
	pref      int64
	day, week int32 // date and ISO week keys for cap checks within a loop
	pday      int32 // index into the person's days
}

func (c cand) cost() int64 { return c.load + c.pref }

// slot is one feasible start cell of an interview.
type slot struct {
	cell  int
	day   int   // candidate day index
	fixed int64 // day + candidate preference terms
	cpref int64
	base  int64 // fixed + cheapest interviewer set
	cands []cand
	room  int // index into compiled.rooms or -1
	host  int // index into compiled.hosts or -1
}

type plan struct {
	iv         *Interview
	n          int // cells
	need       int
	slots      []slot
	firstAfter []int32 // firstAfter[c] = first slot index with cell >= c
	sufAll     []int64 // min base over slots[s:]
	sufDay     []int64 // min base over slots[s:] on the same day
	// diagnostics
	candidateFits, interviewerFree, capOK, roomOK, hostOK bool
}

// lunchDay is a day's lunch window and length in nanoseconds from the
// grid's start: exact, since neither needs to lie on the grid.
type lunchDay struct{ lo, hi, n int64 }

type compiled struct {
	// runs caches person.free.runs(n) by person index and n: interviews of
	// one length share it.
	runs    map[[2]int]bitset
	p       *Problem
	w       Weights
	gr      grid
	buffer  int
	maxGap  int // cells; 0 = none
	candDay []int16
	// firstDay is the candidate's date of the window's start: day 0.
	firstDay Date
	dayFrom  []int // first cell of each candidate day, plus a sentinel
	lunch    []lunchDay
	people   []person
	rooms    []Room
	roomBit  []bitset
	hosts    []ZoomHost
	hostBit  []bitset
	plans    []plan
	stop     *stopper
	seats    int // interviewers the loop needs, over all interviews
}

const inf = int64(1) << 60

// gridOf is the grid of p's search window.
func gridOf(p *Problem) grid {
	g := p.Grid()
	t0 := p.FirstStart()
	n := int(p.Window.End.Sub(t0) / g)
	if n < 0 {
		n = 0
	}
	return newGrid(t0, g, n)
}

// stopper ends preparation at the context's end or the time budget, the
// same two limits the search honours: compiling calendars, pools and
// bitsets is most of the work for large inputs.
type stopper struct {
	ctx      context.Context
	deadline time.Time
	calls    int
	err      error
}

// stop reports whether preparation must end; it reads the clock only
// every 64 calls.
func (st *stopper) stop() bool {
	if st == nil {
		return false
	}
	if st.err != nil {
		return true
	}
	st.calls++
	if st.calls&63 != 0 {
		return false
	}
	if err := st.ctx.Err(); err != nil {
		st.err = err
	} else if now().After(st.deadline) {
		st.err = ErrTooLarge
	}
	return st.err != nil
}

// ErrTooLarge means preparing the search alone took longer than the time
// budget; Find returns it wrapped with the problem's size.
var ErrTooLarge = errors.New("scheduling problem too large for the time budget")

// compile prepares p without a time limit (benchmarks, alternates).
func compile(p *Problem) *compiled {
	c, _ := prepare(p, nil)
	return c
}

// prepare compiles p, stopping with st's error when st says so.
func prepare(p *Problem, st *stopper) (*compiled, error) {
	c := &compiled{p: p, w: p.WeightsInEffect(), gr: gridOf(p), stop: st}
	g, n := c.gr.g, c.gr.n
	c.buffer, c.maxGap = int(p.Rules.Buffer/g), int(p.Rules.MaxGap/g)
	c.candidateDays()
	byID := make(map[int64]int, len(p.Interviewers))
	c.people = make([]person, len(p.Interviewers))
	for i := range p.Interviewers {
		c.people[i] = c.compilePerson(&p.Interviewers[i])
		byID[p.Interviewers[i].ID] = i
		if st.stop() {
			return nil, st.err
		}
	}
	// Only the cheapest few candidates of a slot can be in a best
	// schedule for its times: see keepCheapest.
	for _, iv := range p.Interviews {
		c.seats += iv.Interviewers
	}
	c.rooms = slices.Clone(p.Rooms)
	slices.SortFunc(c.rooms, func(a, b Room) int { return cmp.Compare(a.ID, b.ID) })
	roomIdx := make(map[int64]int, len(c.rooms))
	for i, r := range c.rooms {
		roomIdx[r.ID] = i
		c.roomBit = append(c.roomBit, c.freeOf(r.Busy))
	}
	c.hosts = slices.Clone(p.ZoomHosts)
	slices.SortFunc(c.hosts, func(a, b ZoomHost) int { return cmp.Compare(a.ID, b.ID) })
	for _, h := range c.hosts {
		c.hostBit = append(c.hostBit, c.freeOf(h.Busy))
	}
	candFree := newBitset(n)
	for _, w := range p.Candidate.Windows {
		lo, hi := c.gr.inside(w)
		candFree.setRange(lo, hi)
	}
	var pref bitset
	if len(p.Candidate.Preferred) > 0 {
		pref = newBitset(n)
		for _, w := range p.Candidate.Preferred {
			lo, hi := c.gr.inside(w)
			pref.setRange(lo, hi)
		}
	}
	first, last := -1, 1<<30
	if d := p.Rules.EarliestDay; !d.IsZero() {
		first = d.days() - c.firstDay.days()
	}
	if d := p.Rules.LatestDay; !d.IsZero() {
		last = d.days() - c.firstDay.days()
	}
	c.plans = make([]plan, len(p.Interviews))
	for i := range p.Interviews {
		c.plans[i] = c.compilePlan(&p.Interviews[i], byID, roomIdx, candFree, pref, first, last)
		if st.stop() {
			return nil, st.err
		}
	}
	return c, nil
}

func (c *compiled) candidateDays() {
	loc := c.p.Candidate.Location
	// Day 0 is the date the window starts on, as documented, even when
	// its first grid point falls after midnight.
	base := DateOf(c.p.Window.Start, loc)
	c.firstDay = base
	c.candDay = make([]int16, c.gr.n)
	for j := 0; ; j++ {
		mid := time.Date(base.Year, base.Month, base.Day+j, 0, 0, 0, 0, loc)
		lo := max(c.gr.ceil(mid), 0)
		if lo >= c.gr.n {
			c.dayFrom = append(c.dayFrom, c.gr.n)
			break
		}
		if j == 0 {
			lo = 0
		}
		c.dayFrom = append(c.dayFrom, lo)
		d := Date{base.Year, base.Month, base.Day + j}
		ld := lunchDay{}
		if l := c.p.Rules.Lunch; l != nil {
			iv := l.Window.On(d, loc)
			ld = lunchDay{lo: c.gr.offset(iv.Start), hi: c.gr.offset(iv.End), n: int64(l.Length)}
		}
		c.lunch = append(c.lunch, ld)
	}
	for j := 0; j+1 < len(c.dayFrom); j++ {
		for k := c.dayFrom[j]; k < c.dayFrom[j+1]; k++ {
			c.candDay[k] = int16(j)
		}
	}
}

// freeOf returns a bitset of cells untouched by busy.
func (c *compiled) freeOf(busy []Interval) bitset {
	b := newBitset(c.gr.n)
	b.setRange(0, c.gr.n)
	for _, iv := range busy {
		lo, hi := c.gr.touching(iv)
		b.clearRange(lo, hi)
	}
	return b
}

func (c *compiled) compilePerson(in *Interviewer) person {
	ps := person{id: in.ID, in: in, free: newBitset(c.gr.n)}
	loc := in.Location
	base := DateOf(c.gr.t0, loc)
	existing := make(map[int]int, len(in.Existing))
	weekly := make(map[int]int, len(in.Existing))
	for _, e := range in.Existing {
		existing[e.Date.days()] += e.Count
		y, w := time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		weekly[y*100+w] += e.Count
	}
	end := c.gr.at(c.gr.n)
	ps.days = make([]personDay, 0, int(c.gr.g)/int(time.Minute)*c.gr.n/(24*60)+2)
	for j := 0; ; j++ {
		mid := time.Date(base.Year, base.Month, base.Day+j, 0, 0, 0, 0, loc)
		if !mid.Before(end) {
			break
		}
		dt := time.Date(base.Year, base.Month, base.Day+j, 12, 0, 0, 0, time.UTC)
		yy, mm, dd := dt.Date()
		d := Date{yy, mm, dd}
		y, w := dt.ISOWeek()
		// dt is noon UTC on d, so this is d.days().
		pd := personDay{firstCell: max(c.gr.ceil(mid), 0), key: int(dt.Unix() / 86400), week: y*100 + w}
		if j == 0 {
			pd.firstCell = 0
		}
		if len(in.Existing) > 0 {
			pd.existing, pd.wk = existing[pd.key], weekly[pd.week]
		}
		if !in.Preferred.IsZero() {
			pd.prefLo, pd.prefHi = c.gr.inside(in.Preferred.On(d, loc))
		}
		ps.days = append(ps.days, pd)
		for _, r := range in.Hours[dt.Weekday()] {
			lo, hi := c.gr.inside(r.On(d, loc))
			ps.free.setRange(lo, hi)
		}
	}
	for _, iv := range in.Busy {
		lo, hi := c.gr.touching(iv)
		ps.free.clearRange(lo, hi)
	}
	return ps
}

// runsOf returns the cells where person pi is free for n cells.
func (c *compiled) runsOf(pi, n int) bitset {
	key := [2]int{pi, n}
	if r, ok := c.runs[key]; ok {
		return r
	}
	if c.runs == nil {
		c.runs = map[[2]int]bitset{}
	}
	r := c.people[pi].free.runs(n)
	c.runs[key] = r
	return r
}

func (c *compiled) compilePlan(iv *Interview, byID, roomIdx map[int64]int, candFree, pref bitset, firstDay, lastDay int) plan {
	pl := plan{iv: iv, n: int(iv.Duration / c.gr.g), need: iv.Interviewers}
	pool := make([]int, 0, len(iv.Pool))
	for _, id := range iv.Pool {
		pool = append(pool, byID[id])
	}
	slices.Sort(pool) // index order is input order; sorted for determinism
	rooms := make([]int, 0, len(iv.Rooms))
	for _, id := range iv.Rooms {
		rooms = append(rooms, roomIdx[id])
	}
	slices.Sort(rooms)
	backing := make([]cand, 0, candFree.count()*len(pool)/2+len(pool))
	// cursor[j] is the index of pool[j]'s local date holding cell k; k only grows.
	cursor := make([]int, len(pool))
	fits := make([]bitset, len(pool))
	for j, pi := range pool {
		fits[j] = c.runsOf(pi, pl.n)
	}
	starts := candFree.runs(pl.n)
	pl.slots = make([]slot, 0, starts.count())
	for k := starts.next(0); k >= 0 && k+pl.n <= c.gr.n; k = starts.next(k + 1) {
		if len(pool) > 64 && c.stop.stop() {
			break
		}
		day := int(c.candDay[k])
		if day < firstDay || day > lastDay {
			continue
		}
		pl.candidateFits = true
		start := len(backing)
		free := 0
		for j, pi := range pool {
			ps := &c.people[pi]
			if !fits[j].has(k) {
				continue
			}
			free++
			di := cursor[j]
			for di+1 < len(ps.days) && ps.days[di+1].firstCell <= k {
				di++
			}
			cursor[j] = di
			pd := &ps.days[di]
			if (ps.in.DailyCap > 0 && pd.existing >= ps.in.DailyCap) || (ps.in.WeeklyCap > 0 && pd.wk >= ps.in.WeeklyCap) {
				continue
			}
			cd := cand{p: int32(pi), load: c.w.Load * int64(pd.wk), day: int32(pd.key), week: int32(pd.week), pday: int32(di)}
			if !ps.in.Preferred.IsZero() && (k < pd.prefLo || k+pl.n > pd.prefHi) {
				cd.pref = c.w.InterviewerPref
			}
			backing = append(backing, cd)
		}
		if free >= pl.need {
			pl.interviewerFree = true
		}
		if len(backing)-start < pl.need {
			backing = backing[:start]
			continue
		}
		pl.capOK = true
		if len(backing)-start > c.seats {
			backing = backing[:start+c.keepCheapest(backing[start:])]
		}
		room := -1
		if len(rooms) > 0 {
			for _, r := range rooms {
				if c.roomBit[r].allSet(k, k+pl.n) {
					room = r
					break
				}
			}
			if room < 0 {
				backing = backing[:start]
				continue
			}
		}
		pl.roomOK = true
		host := -1
		if iv.Video {
			for h := range c.hosts {
				if c.hostBit[h].allSet(k, k+pl.n) {
					host = h
					break
				}
			}
			if host < 0 {
				backing = backing[:start]
				continue
			}
		}
		pl.hostOK = true
		s := slot{cell: k, day: day, room: room, host: host}
		s.fixed = c.w.Day * int64(day)
		if pref != nil && !pref.allSet(k, k+pl.n) {
			s.cpref = c.w.CandidatePref
			s.fixed += s.cpref
		}
		// Remember the range; the backing array may still move.
		s.cands = backing[start:len(backing):len(backing)]
		pl.slots = append(pl.slots, s)
	}
	// Re-slice into the final backing array and sort each slot's candidates.
	off := 0
	for si := range pl.slots {
		m := len(pl.slots[si].cands)
		cs := backing[off : off+m : off+m]
		off += m
		slices.SortFunc(cs, func(a, b cand) int {
			if d := cmp.Compare(a.cost(), b.cost()); d != 0 {
				return d
			}
			return cmp.Compare(c.people[a.p].id, c.people[b.p].id)
		})
		pl.slots[si].cands = cs
		base := pl.slots[si].fixed
		for _, cd := range cs[:pl.need] {
			base += cd.cost()
		}
		pl.slots[si].base = base
	}
	pl.firstAfter = make([]int32, c.gr.n+2)
	k := 0
	for si := range pl.slots {
		for ; k <= pl.slots[si].cell; k++ {
			pl.firstAfter[k] = int32(si)
		}
	}
	for ; k < len(pl.firstAfter); k++ {
		pl.firstAfter[k] = int32(len(pl.slots))
	}
	pl.sufAll = make([]int64, len(pl.slots)+1)
	pl.sufDay = make([]int64, len(pl.slots)+1)
	pl.sufAll[len(pl.slots)] = inf
	pl.sufDay[len(pl.slots)] = inf
	for s := len(pl.slots) - 1; s >= 0; s-- {
		pl.sufAll[s] = min(pl.slots[s].base, pl.sufAll[s+1])
		pl.sufDay[s] = pl.slots[s].base
		if s+1 < len(pl.slots) && pl.slots[s+1].day == pl.slots[s].day {
			pl.sufDay[s] = min(pl.sufDay[s], pl.sufDay[s+1])
		}
	}
	return pl
}

// keepCheapest moves the c.seats cheapest of cs (by cost, then id) to its
// front and returns how many it kept. Nothing else can be in the best
// schedule for a given set of start times: if one used a person q outside
// these, some kept person r sits on none of its interviews (the loop has
// only c.seats seats), is free then and within the limits (every
// candidate is, alone), and costs no more than q — with a lower id on a
// tie — so swapping q for r is at least as good. It keeps slots short
// when pools hold thousands of people.
func (c *compiled) keepCheapest(cs []cand) int {
	k := c.seats
	less := func(a, b cand) bool {
		if a.cost() != b.cost() {
			return a.cost() < b.cost()
		}
		return c.people[a.p].id < c.people[b.p].id
	}
	// Insertion-sort the first k, then let each later one displace the
	// worst kept when cheaper.
	for i := 1; i < k; i++ {
		for j := i; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	for i := k; i < len(cs); i++ {
		if !less(cs[i], cs[k-1]) {
			continue
		}
		cs[k-1] = cs[i]
		for j := k - 1; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	return k
}

// after returns the first slot index of pl starting at or after cell k.
func (pl *plan) after(k int) int {
	if k < 0 {
		k = 0
	}
	if k >= len(pl.firstAfter) {
		return len(pl.slots)
	}
	return int(pl.firstAfter[k])
}

// now reads the clock for the time budget; tests replace it to prove the
// budget holds without waiting.
var now = time.Now
