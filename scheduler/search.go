package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Item is one placed interview.
type Item struct {
	InterviewID  int64
	Start, End   time.Time
	Interviewers []int64 // ascending ids
	RoomID       int64   // 0 when no room was asked for
	ZoomHostID   int64   // 0 unless the interview is Video
}

// Breakdown is the score split by objective term.
type Breakdown struct {
	Day, Idle, Gaps, Load, InterviewerPref, CandidatePref int64
}

// Total sums the terms.
func (b Breakdown) Total() int64 {
	return b.Day + b.Idle + b.Gaps + b.Load + b.InterviewerPref + b.CandidatePref
}

// Option is one complete schedule, items in chronological order.
type Option struct {
	Items     []Item
	Score     int64
	Breakdown Breakdown
}

// Result is Find's answer.
type Result struct {
	Options []Option // best first, at most TopN
	// Exhaustive is true when the search finished: the options are the
	// optimal ones. False when the time budget or the context stopped it.
	Exhaustive  bool
	Explanation *Explanation // set when Options is empty
	Nodes       int64        // search nodes visited, for benchmarks
}

// Find returns the best schedules for p.
func Find(ctx context.Context, p Problem) (Result, error) {
	if err := Validate(p); err != nil {
		return Result{}, err
	}
	res, c, err := find(ctx, &p, now().Add(p.budget()))
	if errors.Is(err, ErrTooLarge) {
		return res, fmt.Errorf("%w: preparing %d interviewers' calendars over %d days took longer than the %v budget; narrow the interviewer pools or the search window",
			err, len(p.Interviewers), int(p.Window.End.Sub(p.Window.Start).Hours()/24+0.5), p.budget())
	}
	if err != nil {
		return res, err
	}
	if len(res.Options) == 0 && ctx.Err() == nil {
		res.Explanation = explain(ctx, c, res.Exhaustive, now().Add(p.budget()))
	}
	return res, ctx.Err()
}

// find prepares p and searches it until deadline; it also returns the
// prepared problem, for the explanation.
func find(ctx context.Context, p *Problem, deadline time.Time) (Result, *compiled, error) {
	c, err := prepare(p, &stopper{ctx: ctx, deadline: deadline})
	if err != nil {
		return Result{}, nil, err
	}
	s := &searcher{c: c, ctx: ctx, deadline: deadline, topN: p.topN(), worst: inf,
		seq: make([]placed, len(c.plans)), used: make([]bool, len(c.plans)),
		gmin: int64(c.gr.g / time.Minute), memo: make(map[uint64]int64, 64), subMin: inf}
	s.stopped = ctx.Err() != nil
	if !s.stopped {
		s.dfs(0, 0)
	}
	res := Result{Exhaustive: !s.stopped, Nodes: s.nodes}
	if len(s.top) > 0 {
		// One backing array for every option's items and one for their
		// interviewers, each item's share capped so appends cannot spill.
		res.Options = make([]Option, len(s.top))
		items := make([]Item, 0, len(s.top)*len(c.plans))
		ids := make([]int64, 0, len(s.top)*c.seats)
		for j, t := range s.top {
			res.Options[j], items, ids = s.option(&s.kept[t], items, ids)
		}
	}
	return res, c, nil
}

type placed struct {
	i, s     int // plan and slot index
	cell     int
	end      int // cell after the interview
	day      int
	idle     int64    // idle-minute and gap cost since the previous interview
	gap      int64    // the gap part of idle
	chosen   [4]int32 // indexes into the slot's cands; panels beyond 4 use extra
	extra    []int32
	nchosen  int
	personal int64 // interviewer costs
}

func (pl *placed) pick(j int) int32 {
	if j < len(pl.chosen) {
		return pl.chosen[j]
	}
	return pl.extra[j-len(pl.chosen)]
}

func (pl *placed) setPick(j int, v int32) {
	if j < len(pl.chosen) {
		pl.chosen[j] = v
		return
	}
	for len(pl.extra) <= j-len(pl.chosen) {
		pl.extra = append(pl.extra, 0)
	}
	pl.extra[j-len(pl.chosen)] = v
}

// found is a kept option.
type found struct {
	score int64
	times uint64 // timesKey of seq
	seq   []placed
	key   []int64 // rankKey of seq
}

type searcher struct {
	c        *compiled
	ctx      context.Context
	deadline time.Time
	topN     int
	top      []int32  // indexes into kept, best first
	topTimes []uint64 // times of the options in top, in the same order
	worst    int64
	seq      []placed
	used     []bool
	gmin     int64
	nodes    int64
	stopped  bool
	// memo holds, per partial loop (placed set, end of the last interview,
	// lunch state), a lower bound on the cost of completing it, learnt by
	// searching below it once. The same state recurs for every interviewer
	// choice and every order of the interviews already placed. Bounds are
	// only stored when no load cap cut the subtree, since caps depend on who
	// was chosen earlier.
	memo                       map[uint64]int64
	subMin                     int64   // best score found in the current subtree
	kept                       []found // options kept, and buffers of those no longer kept
	free                       []int32 // indexes into kept not in top
	key                        []int64 // rankKey of the schedule being recorded
	leaves, prunes, capRejects int64
}

func (s *searcher) tick() bool {
	s.nodes++
	if s.nodes&1023 == 0 && !s.stopped {
		if now().After(s.deadline) || s.ctx.Err() != nil {
			s.stopped = true
		}
	}
	return s.stopped
}

func (s *searcher) dfs(depth int, partial int64) {
	if s.tick() {
		return
	}
	c := s.c
	m := len(c.plans)
	if depth == m {
		if s.lunchOK(depth) {
			s.leaves++
			s.subMin = min(s.subMin, partial)
			s.record(partial)
		}
		return
	}
	key, memo := s.stateKey(depth)
	if memo {
		if lb, ok := s.memo[key]; ok && partial+lb >= s.worst {
			s.prunes++
			return
		}
		outer, cr := s.subMin, s.capRejects
		s.subMin = inf
		defer func() {
			found := s.subMin
			s.subMin = min(outer, found)
			if s.stopped || s.capRejects != cr {
				return
			}
			// Every completion below this state either was found or was
			// pruned against a worst score no lower than the current one.
			lb := inf
			if found < inf {
				lb = found - partial
			}
			if s.worst < inf {
				lb = min(lb, s.worst-partial)
			}
			s.memo[key] = lb
		}()
	}
	rules := &c.p.Rules
	var prev *placed
	closeOK := true
	if depth > 0 {
		prev = &s.seq[depth-1]
		if !rules.SameDay {
			closeOK = s.lunchOK(depth)
		}
	}
	for i := range c.plans {
		if s.used[i] {
			continue
		}
		if rules.FixedOrder && i != depth {
			continue
		}
		pl := &c.plans[i]
		if prev == nil {
			s.trySlots(depth, i, 0, len(pl.slots), -1, partial)
		} else {
			lo := pl.after(prev.end + c.buffer)
			hi := pl.after(c.dayFrom[prev.day+1])
			if c.maxGap > 0 {
				hi = min(hi, pl.after(prev.end+c.maxGap+1))
			}
			s.trySlots(depth, i, lo, hi, prev.day, partial)
			if !rules.SameDay && closeOK {
				// The next day may begin before prev ends plus the buffer,
				// when prev runs past the candidate's midnight.
				s.trySlots(depth, i, pl.after(max(c.dayFrom[prev.day+1], prev.end+c.buffer)), len(pl.slots), -1, partial)
			}
		}
		if s.stopped {
			return
		}
	}
}

// trySlots branches on slots [lo, hi) of plan i; sameDay is the day being
// continued, or -1 when the interview opens a new day.
func (s *searcher) trySlots(depth, i, lo, hi, sameDay int, partial int64) {
	c := s.c
	pl := &c.plans[i]
	s.used[i] = true
	defer func() { s.used[i] = false }()
	for si := lo; si < hi; si++ {
		sl := &pl.slots[si]
		var idle, gap int64
		if sameDay >= 0 {
			prev := &s.seq[depth-1]
			idle = int64(sl.cell-prev.end-c.buffer) * s.gmin * c.w.IdleMinute
			if sl.cell > prev.end+c.buffer {
				gap = c.w.Gap
				idle += gap
			}
		}
		rest := s.rest(sl.cell+pl.n+c.buffer, sl.day)
		if rest >= inf {
			if sameDay >= 0 {
				break // rest only grows with the cell, see below
			}
			continue
		}
		lb := partial + idle + sl.base + rest
		if lb >= s.worst {
			s.prunes++
			// Within a day the idle time and the bound on the rest only
			// grow with the cell, and sufDay is the cheapest base ahead:
			// no later slot can do better. On a new day only the bases
			// are known to be no lower than sufAll.
			if sameDay >= 0 && partial+idle+pl.sufDay[si]+rest >= s.worst || partial+pl.sufAll[si] >= s.worst {
				break
			}
			continue
		}
		if c.p.Rules.Lunch != nil && s.lunchDead(depth, sl.cell, sl.cell+pl.n, sl.day) {
			continue
		}
		cur := &s.seq[depth]
		*cur = placed{i: i, s: si, cell: sl.cell, end: sl.cell + pl.n, day: sl.day, idle: idle, gap: gap, extra: cur.extra[:0]}
		s.choose(depth, sl, 0, 0, partial+idle+sl.fixed, rest, 0)
		if s.stopped {
			return
		}
	}
}

// rest bounds the cost of the interviews not yet placed (other than the
// one being placed), all of which start at or after cell from.
func (s *searcher) rest(from, day int) int64 {
	c := s.c
	var sum int64
	for j := range c.plans {
		if s.used[j] {
			continue
		}
		pl := &c.plans[j]
		k := pl.after(from)
		var v int64
		if c.p.Rules.SameDay {
			if k >= len(pl.slots) || pl.slots[k].day != day {
				return inf
			}
			v = pl.sufDay[k]
		} else {
			v = pl.sufAll[k]
		}
		if v >= inf {
			return inf
		}
		sum += v
	}
	return sum
}

// choose picks interviewers for the slot at depth, cheapest first, then
// recurses into the next interview. It reports done when no other choice
// at this slot can matter: options with the same times are one option, so
// once the cheapest choice's subtree ran without any load limit turning
// someone away, every later choice only repeats its times at a higher
// cost (and loses the tie-break on ids).
func (s *searcher) choose(depth int, sl *slot, from, picked int, before, rest, costSoFar int64) (done bool) {
	c := s.c
	cur := &s.seq[depth]
	need := c.plans[cur.i].need
	if picked == need {
		cur.nchosen = need
		cur.personal = costSoFar
		cr := s.capRejects
		s.dfs(depth+1, before+costSoFar)
		return s.capRejects == cr && !s.stopped
	}
	left := need - picked
	for j := from; j+left <= len(sl.cands); j++ {
		lb := before + rest + costSoFar
		for q := j; q < j+left; q++ {
			lb += sl.cands[q].cost()
		}
		if lb >= s.worst {
			s.prunes++
			return false
		}
		if !s.capOK(depth, sl.cands[j]) {
			s.capRejects++
			continue
		}
		cur.setPick(picked, int32(j))
		if s.choose(depth, sl, j+1, picked+1, before, rest, costSoFar+sl.cands[j].cost()) {
			return true
		}
		if s.stopped {
			return false
		}
	}
	return false
}

// capOK checks cd's daily and weekly caps against the interviews already
// placed in this loop.
func (s *searcher) capOK(depth int, cd cand) bool {
	in := s.c.people[cd.p].in
	if in.DailyCap == 0 && in.WeeklyCap == 0 {
		return true
	}
	pd := &s.c.people[cd.p].days[cd.pday]
	day, week := pd.existing+1, pd.wk+1
	for d := 0; d < depth; d++ {
		pl := &s.seq[d]
		sl := &s.c.plans[pl.i].slots[pl.s]
		for j := 0; j < pl.nchosen; j++ {
			o := sl.cands[pl.pick(j)]
			if o.p != cd.p {
				continue
			}
			if o.day == cd.day {
				day++
			}
			if o.week == cd.week {
				week++
			}
		}
	}
	return (in.DailyCap == 0 || day <= in.DailyCap) && (in.WeeklyCap == 0 || week <= in.WeeklyCap)
}

// lunchOK checks the lunch rule for the day of the interviews ending at
// seq[depth-1].
func (s *searcher) lunchOK(depth int) bool {
	c := s.c
	if c.p.Rules.Lunch == nil || depth == 0 {
		return true
	}
	day := s.seq[depth-1].day
	from := depth - 1
	for from > 0 && s.seq[from-1].day == day {
		from--
	}
	ld := c.lunch[day]
	gr := &c.gr
	overlap := false
	for d := from; d < depth; d++ {
		if gr.nanos(s.seq[d].cell) < ld.hi && gr.nanos(s.seq[d].end) > ld.lo {
			overlap = true
		}
	}
	if !overlap {
		return true
	}
	cur := ld.lo
	for d := from; d < depth; d++ {
		if min(gr.nanos(s.seq[d].cell), ld.hi)-cur >= ld.n {
			return true
		}
		cur = max(cur, gr.nanos(s.seq[d].end))
	}
	return ld.hi-cur >= ld.n
}

// stateKey packs what the rest of the search depends on, apart from
// interviewer choices: placed set, last end and day, and lunch state.
func (s *searcher) stateKey(depth int) (uint64, bool) {
	if depth == 0 || len(s.c.plans) > 16 {
		return 0, false
	}
	var mask uint64
	for d := range depth {
		mask |= 1 << uint(s.seq[d].i)
	}
	last := &s.seq[depth-1]
	var flags uint64
	if s.c.p.Rules.Lunch != nil {
		ld := s.c.lunch[last.day]
		gr := &s.c.gr
		from := depth
		for from > 0 && s.seq[from-1].day == last.day {
			from--
		}
		cur := ld.lo
		for d := from; d < depth; d++ {
			if gr.nanos(s.seq[d].cell) < ld.hi && gr.nanos(s.seq[d].end) > ld.lo {
				flags |= 1
			}
			if min(gr.nanos(s.seq[d].cell), ld.hi)-cur >= ld.n {
				flags |= 2
			}
			cur = max(cur, gr.nanos(s.seq[d].end))
		}
	}
	return mask | uint64(last.end)<<16 | uint64(last.day)<<40 | flags<<56, true
}

// lunchDead reports whether placing [cell, end) on day after seq[:depth]
// leaves no way to keep a lunch stretch free that day: an interview overlaps
// the lunch window, no free stretch was left so far, and too little of the
// window remains after the new interview.
func (s *searcher) lunchDead(depth, cell, end, day int) bool {
	ld := s.c.lunch[day]
	gr := &s.c.gr
	from := depth
	for from > 0 && s.seq[from-1].day == day {
		from--
	}
	at, to := gr.nanos(cell), gr.nanos(end)
	overlap := at < ld.hi && to > ld.lo
	cur := ld.lo
	for d := from; d < depth; d++ {
		overlap = overlap || (gr.nanos(s.seq[d].cell) < ld.hi && gr.nanos(s.seq[d].end) > ld.lo)
		if min(gr.nanos(s.seq[d].cell), ld.hi)-cur >= ld.n {
			return false
		}
		cur = max(cur, gr.nanos(s.seq[d].end))
	}
	if !overlap || min(at, ld.hi)-cur >= ld.n {
		return false
	}
	cur = max(cur, to)
	return ld.hi-cur < ld.n
}

// record keeps the schedule just completed if it is among the topN. Two
// schedules with the same times (and rooms and hosts) that differ only in
// interviewers are one option: the better is kept, and Alternates lists who
// else could take each seat.
func (s *searcher) record(score int64) {
	s.key = s.rankKey(s.key[:0], score, s.seq)
	times := timesKey(s.seq)
	for j, h := range s.topTimes {
		if h != times {
			continue
		}
		t := s.top[j]
		f := &s.kept[t]
		if !sameTimes(f.seq, s.seq) {
			continue
		}
		if slices.Compare(s.key, f.key) >= 0 {
			return
		}
		s.free = append(s.free, t)
		s.top = slices.Delete(s.top, j, j+1)
		s.topTimes = slices.Delete(s.topTimes, j, j+1)
		break
	}
	// The search meets slots in time order, so a new option often sorts
	// last: one comparison with the last kept one settles it.
	pos := len(s.top)
	if pos > 0 && slices.Compare(s.key, s.kept[s.top[pos-1]].key) < 0 {
		pos, _ = slices.BinarySearchFunc(s.top[:pos-1], s.key, func(t int32, key []int64) int { return slices.Compare(s.kept[t].key, key) })
	}
	if pos >= s.topN {
		return
	}
	// Leaves outnumber options by far: copy only what is kept, into the
	// buffers of options pushed out of the list.
	t := s.keep(score, times)
	s.top = slices.Insert(s.top, pos, t)
	s.topTimes = slices.Insert(s.topTimes, pos, times)
	if len(s.top) > s.topN {
		s.free = append(s.free, s.top[s.topN])
		s.top = s.top[:s.topN]
		s.topTimes = s.topTimes[:s.topN]
	}
	if len(s.top) == s.topN {
		s.worst = s.kept[s.top[len(s.top)-1]].score
	}
}

// keep copies the schedule being recorded, with its score, times and
// ranking key, into the buffers of an option no longer kept, or new ones,
// and returns its index in kept.
func (s *searcher) keep(score int64, times uint64) int32 {
	if len(s.free) == 0 {
		s.grow()
	}
	n := len(s.free)
	t := s.free[n-1]
	s.free = s.free[:n-1]
	f := &s.kept[t]
	f.score, f.times = score, times
	f.key = append(f.key[:0], s.key...)
	for i := range s.seq {
		extra := append(f.seq[i].extra[:0], s.seq[i].extra...)
		f.seq[i] = s.seq[i]
		f.seq[i].extra = extra
	}
	return t
}

// grow adds buffers for up to 8 more kept options, allocated together,
// never more than the topN+1 that record can hold at once.
func (s *searcher) grow() {
	k := min(s.topN+1-len(s.kept), 8)
	if s.kept == nil {
		s.kept = make([]found, 0, min(s.topN+1, 32))
	}
	m, l := len(s.seq), len(s.key)
	seqs, keys := make([]placed, k*m), make([]int64, k*l)
	for j := range k {
		s.free = append(s.free, int32(len(s.kept)))
		s.kept = append(s.kept, found{seq: seqs[j*m : (j+1)*m : (j+1)*m], key: keys[j*l : j*l : (j+1)*l]})
	}
}

// timesKey hashes which slot each interview takes (FNV-1a), so record
// compares most options by one number instead of slot by slot.
func timesKey(seq []placed) uint64 {
	h := uint64(14695981039346656037)
	for k := range seq {
		h = (h ^ uint64(seq[k].i)) * 1099511628211
		h = (h ^ uint64(seq[k].s)) * 1099511628211
	}
	return h
}

// sameTimes reports whether a and b place the same interviews in the same
// slots: the same start times, rooms and Zoom hosts.
func sameTimes(a, b []placed) bool {
	for k := range a {
		if a[k].i != b[k].i || a[k].s != b[k].s {
			return false
		}
	}
	return true
}

// rankKey appends to buf what orders schedules, to be compared element by
// element: the score, then for each interview its start cell, its plan and
// its interviewers' ids in ascending order. Ties come out the same on every
// run. Two schedules that agree up to an interview's plan need as many
// interviewers there, so their keys stay aligned up to the first
// difference.
func (s *searcher) rankKey(buf []int64, score int64, seq []placed) []int64 {
	buf = append(buf, score)
	for k := range seq {
		pl := &seq[k]
		buf = append(buf, int64(pl.cell), int64(pl.i))
		buf = s.peopleInto(buf, pl)
	}
	return buf
}

// peopleInto appends pl's interviewer ids, ascending, to buf.
func (s *searcher) peopleInto(buf []int64, pl *placed) []int64 {
	sl := &s.c.plans[pl.i].slots[pl.s]
	from := len(buf)
	for j := range pl.nchosen {
		buf = append(buf, s.c.people[sl.cands[pl.pick(j)].p].id)
		// Candidates are sorted by cost, then id: mostly in order already.
		for q := len(buf) - 1; q > from && buf[q] < buf[q-1]; q-- {
			buf[q], buf[q-1] = buf[q-1], buf[q]
		}
	}
	return buf
}

// option turns f into an Option whose items and interviewer ids are
// appended to items and ids; it returns both, grown.
func (s *searcher) option(f *found, items []Item, ids []int64) (Option, []Item, []int64) {
	c := s.c
	o := Option{Score: f.score}
	from := len(items)
	for k := range f.seq {
		pl := &f.seq[k]
		plan := &c.plans[pl.i]
		sl := &plan.slots[pl.s]
		at := len(ids)
		ids = s.peopleInto(ids, pl)
		it := Item{InterviewID: plan.iv.ID, Start: c.gr.at(sl.cell), End: c.gr.at(sl.cell + plan.n), Interviewers: ids[at:len(ids):len(ids)]}
		if sl.room >= 0 {
			it.RoomID = c.rooms[sl.room].ID
		}
		if sl.host >= 0 {
			it.ZoomHostID = c.hosts[sl.host].ID
		}
		items = append(items, it)
		o.Breakdown.Day += c.w.Day * int64(sl.day)
		o.Breakdown.CandidatePref += sl.cpref
		o.Breakdown.Idle += pl.idle - pl.gap
		o.Breakdown.Gaps += pl.gap
		for j := 0; j < pl.nchosen; j++ {
			cd := sl.cands[pl.pick(j)]
			o.Breakdown.Load += cd.load
			o.Breakdown.InterviewerPref += cd.pref
		}
	}
	o.Items = items[from:len(items):len(items)]
	return o, items, ids
}
