// Package lpmodel writes a scheduling problem as a time-indexed integer
// program in CPLEX LP format and solves it with COIN-OR CBC run as a
// separate process. It exists to check the engine against a solver nobody
// here wrote, so it computes availability on its own from the raw problem
// (intervals, not the engine's bitsets).
//
// Variables: x_i_k = 1 when interview i starts at grid cell k; y_i_k_p =
// 1 when interviewer p sits on it. Constraints: each interview once; each
// start gets exactly the needed interviewers, only free ones; clique
// inequalities (one per grid point) keep interviews, extended by the buffer,
// from overlapping; same-day by day indicators; the maximum gap through
// "ended by τ / starts after τ+gap ⇒ something in between"; lunch through
// lunch-start binaries sharing clique rows with the interviews; fixed order
// through cumulative start sums; load caps by interviewer-date and ISO-week
// sums. The idle term counts the day's span cell by cell (see idle).
//
// Solve proves a same-day loop's optimum day by day, and with a lunch rule
// splits each day into three cases (lunch after the loop, before it, inside
// it), because a relaxation that may blend a loop before lunch with one
// after it is what made CBC branch for tens of seconds per instance.
package lpmodel

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"interviewplanner/scheduler"
)

// Stats describes a written model.
type Stats struct {
	Vars, Rows int
}

type xvar struct {
	i, k int
	day  int
	cost int64
	ys   []yvar
}

type yvar struct {
	p          int
	cost       int64
	date, week int
}

func civil(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return int(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dateDays(d scheduler.Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

func covered(ivs []scheduler.Interval, s, e time.Time) bool {
	sorted := slices.Clone(ivs)
	slices.SortFunc(sorted, func(a, b scheduler.Interval) int { return a.Start.Compare(b.Start) })
	cur := s
	for _, iv := range sorted {
		if iv.Start.After(cur) {
			break
		}
		if iv.End.After(cur) {
			cur = iv.End
		}
		if !cur.Before(e) {
			return true
		}
	}
	return !cur.Before(e)
}

func overlapsAny(busy []scheduler.Interval, s, e time.Time) bool {
	for _, b := range busy {
		if b.Start.Before(b.End) && b.Start.Before(e) && b.End.After(s) {
			return true
		}
	}
	return false
}

type model struct {
	p        *scheduler.Problem
	w        scheduler.Weights
	g        time.Duration
	gmin     int
	t0       time.Time
	n        int
	cday     []int // candidate day index per cell
	dfirst   []int // first cell per day
	ndays    int
	dayShift int      // the window's first date is day 0; cday counts from the first grid point's
	xs       [][]xvar // per interview
	dur      []int    // cells per interview
	buf      int
	// variant restricts a same-day model to one side of the lunch
	// question; lunchCells is the lunch length in cells.
	variant    lunchCase
	lunchCells int
	dayVars    map[int]bool // days whose u_d exists
}

// lunchCase splits a same-day loop with a lunch rule into three models
// whose union holds every schedule: the loop ends early enough for lunch
// after it, starts late enough for lunch before it, or has the lunch
// inside, where its gap is at least the lunch. Each is much tighter for
// the solver than one model that leaves the lunch's side open, since a
// relaxation can then blend a loop before lunch with one after it.
type lunchCase int

const (
	lunchAny    lunchCase = iota
	lunchBefore           // every interview ends by the window's end minus the lunch
	lunchAfter            // every interview starts after the window's start plus the lunch
	lunchInside           // a free lunch between interviews
)

func build(p *scheduler.Problem, variant lunchCase) (*model, error) {
	if err := scheduler.Validate(*p); err != nil {
		return nil, err
	}
	m := &model{p: p, w: p.WeightsInEffect(), g: p.Grid(), t0: p.FirstStart(), variant: variant}
	if l := p.Rules.Lunch; l != nil {
		// The model counts lunch in whole cells; the engine is exact off the grid.
		gmin := int(m.g / time.Minute)
		if l.Length%m.g != 0 || l.Window.StartMin%gmin != 0 || l.Window.EndMin%gmin != 0 {
			return nil, fmt.Errorf("lpmodel: a lunch window or length off the %v grid is not modelled", m.g)
		}
		m.lunchCells = int(l.Length / m.g)
	}
	m.gmin = int(m.g / time.Minute)
	m.n = int(p.Window.End.Sub(m.t0) / m.g)
	m.buf = int(p.Rules.Buffer / m.g)
	cl := p.Candidate.Location
	base := civil(m.t0, cl)
	// The day term counts from the window's first date, which is the day
	// before the first grid point's when the window starts just before midnight.
	m.dayShift = base - civil(p.Window.Start, cl)
	m.cday = make([]int, m.n)
	for k := range m.n {
		m.cday[k] = civil(m.t0.Add(time.Duration(k)*m.g), cl) - base
		if k == 0 || m.cday[k] != m.cday[k-1] {
			for len(m.dfirst) <= m.cday[k] {
				m.dfirst = append(m.dfirst, k)
			}
		}
	}
	m.ndays = len(m.dfirst)
	lo, hi := -1, 1<<30
	if !p.Rules.EarliestDay.IsZero() {
		lo = dateDays(p.Rules.EarliestDay) - base
	}
	if !p.Rules.LatestDay.IsZero() {
		hi = dateDays(p.Rules.LatestDay) - base
	}
	people := map[int64]*scheduler.Interviewer{}
	index := map[int64]int{}
	for i := range p.Interviewers {
		people[p.Interviewers[i].ID] = &p.Interviewers[i]
		index[p.Interviewers[i].ID] = i
	}
	rooms := map[int64]*scheduler.Room{}
	for i := range p.Rooms {
		rooms[p.Rooms[i].ID] = &p.Rooms[i]
	}
	m.xs = make([][]xvar, len(p.Interviews))
	m.dur = make([]int, len(p.Interviews))
	for i, iv := range p.Interviews {
		m.dur[i] = int(iv.Duration / m.g)
		for k := 0; k+m.dur[i] <= m.n; k++ {
			s := m.t0.Add(time.Duration(k) * m.g)
			e := s.Add(iv.Duration)
			if !covered(p.Candidate.Windows, s, e) || m.cday[k] < lo || m.cday[k] > hi {
				continue
			}
			if len(iv.Rooms) > 0 && !slices.ContainsFunc(iv.Rooms, func(id int64) bool { return !overlapsAny(rooms[id].Busy, s, e) }) {
				continue
			}
			if iv.Video && !slices.ContainsFunc(p.ZoomHosts, func(h scheduler.ZoomHost) bool { return !overlapsAny(h.Busy, s, e) }) {
				continue
			}
			if !m.onLunchSide(s, e) {
				continue
			}
			x := xvar{i: i, k: k, day: m.cday[k], cost: m.w.Day * int64(m.cday[k]+m.dayShift)}
			if len(p.Candidate.Preferred) > 0 && !covered(p.Candidate.Preferred, s, e) {
				x.cost += m.w.CandidatePref
			}
			for _, id := range iv.Pool {
				in := people[id]
				if y, ok := m.free(in, s, e); ok {
					y.p = index[id]
					x.ys = append(x.ys, y)
				}
			}
			if len(x.ys) >= iv.Interviewers {
				m.xs[i] = append(m.xs[i], x)
			}
		}
	}
	return m, nil
}

// onLunchSide reports whether an interview at [s, e) belongs to the
// model's lunch case.
func (m *model) onLunchSide(s, e time.Time) bool {
	l := m.p.Rules.Lunch
	if l == nil || (m.variant != lunchBefore && m.variant != lunchAfter) {
		return true
	}
	cl := m.p.Candidate.Location
	win := l.Window.On(scheduler.DateOf(s, cl), cl)
	if m.variant == lunchBefore {
		return !e.After(win.End.Add(-l.Length))
	}
	return !s.Before(win.Start.Add(l.Length))
}

// free reports whether in can take [s, e) and at what cost.
func (m *model) free(in *scheduler.Interviewer, s, e time.Time) (yvar, bool) {
	loc := in.Location
	ls := s.In(loc)
	d := scheduler.Date{Year: ls.Year(), Month: ls.Month(), Day: ls.Day()}
	working := false
	for _, r := range in.Hours[ls.Weekday()] {
		iv := r.On(d, loc)
		if !iv.Start.After(s) && !iv.End.Before(e) {
			working = true
		}
	}
	if !working || overlapsAny(in.Busy, s, e) {
		return yvar{}, false
	}
	y, w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
	yv := yvar{date: dateDays(d), week: y*100 + w}
	day, week := 0, 0
	for _, ex := range in.Existing {
		ey, ew := time.Date(ex.Date.Year, ex.Date.Month, ex.Date.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		if ey*100+ew == yv.week {
			week += ex.Count
			if dateDays(ex.Date) == yv.date {
				day += ex.Count
			}
		}
	}
	if (in.DailyCap > 0 && day >= in.DailyCap) || (in.WeeklyCap > 0 && week >= in.WeeklyCap) {
		return yvar{}, false
	}
	yv.cost = m.w.Load * int64(week)
	if !in.Preferred.IsZero() {
		pr := in.Preferred.On(d, loc)
		if pr.Start.After(s) || pr.End.Before(e) {
			yv.cost += m.w.InterviewerPref
		}
	}
	return yv, true
}

// lp accumulates the text of the model.
type lp struct {
	obj   []string
	rows  []string
	bins  []string
	conts []string
}

type term struct {
	c int64
	v string
}

func (l *lp) row(ts []term, op string, rhs int64) {
	var b strings.Builder
	fmt.Fprintf(&b, " r%d:", len(l.rows)+1)
	n := 0
	for _, t := range ts {
		if t.c == 0 {
			continue
		}
		fmt.Fprintf(&b, " %+d %s", t.c, t.v)
		n++
		if n%8 == 0 {
			b.WriteString("\n  ")
		}
	}
	if n == 0 {
		if (op == "<=" && rhs >= 0) || (op == ">=" && rhs <= 0) || (op == "=" && rhs == 0) {
			return
		}
		b.WriteString(" 0 dummy")
	}
	fmt.Fprintf(&b, " %s %d", op, rhs)
	l.rows = append(l.rows, b.String())
}

func xn(x *xvar) string          { return fmt.Sprintf("x_%d_%d", x.i, x.k) }
func yn(x *xvar, y *yvar) string { return fmt.Sprintf("y_%d_%d_%d", x.i, x.k, y.p) }

// Write writes p as an LP model to w.
func Write(w io.Writer, p scheduler.Problem) (Stats, error) {
	return write(w, p, lunchAny)
}

func write(w io.Writer, p scheduler.Problem, variant lunchCase) (Stats, error) {
	m, err := build(&p, variant)
	if err != nil {
		return Stats{}, err
	}
	l := m.emit()
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "\\ interview loop scheduling, time-indexed")
	fmt.Fprintln(bw, "Minimize")
	fmt.Fprint(bw, " obj:")
	if len(l.obj) == 0 {
		fmt.Fprint(bw, " 0 dummy")
	}
	for i, t := range l.obj {
		fmt.Fprint(bw, " ", t)
		if i%8 == 7 {
			fmt.Fprint(bw, "\n  ")
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "Subject To")
	for _, r := range l.rows {
		fmt.Fprintln(bw, r)
	}
	fmt.Fprintln(bw, " dummyzero: dummy = 0")
	fmt.Fprintln(bw, "Binaries")
	for _, b := range l.bins {
		fmt.Fprintln(bw, " "+b)
	}
	fmt.Fprintln(bw, "End")
	return Stats{Vars: len(l.bins) + len(l.conts), Rows: len(l.rows)}, bw.Flush()
}

func (m *model) emit() *lp {
	l := &lp{}
	p := m.p
	rules := p.Rules
	// Coefficients are summed per variable: CBC rejects a variable named
	// twice in the objective.
	coef := map[string]int64{}
	var order []string
	obj := func(c int64, v string) {
		if _, ok := coef[v]; !ok {
			order = append(order, v)
		}
		coef[v] += c
	}
	defer func() {
		for _, v := range order {
			if c := coef[v]; c != 0 {
				l.obj = append(l.obj, fmt.Sprintf("%+d %s", c, v))
			}
		}
	}()
	idle, gap := m.w.IdleMinute, m.w.Gap
	if len(p.Interviews) < 2 {
		idle, gap = 0, 0
	}
	bufMin := int64(m.buf * m.gmin)
	// Variables, assignment and linking rows.
	for i := range m.xs {
		var assign []term
		for xi := range m.xs[i] {
			x := &m.xs[i][xi]
			l.bins = append(l.bins, xn(x))
			obj(x.cost-idle*(int64(m.dur[i]*m.gmin)+bufMin)+gap, xn(x))
			assign = append(assign, term{1, xn(x)})
			link := []term{{-int64(p.Interviews[i].Interviewers), xn(x)}}
			for yi := range x.ys {
				y := &x.ys[yi]
				l.bins = append(l.bins, yn(x, y))
				obj(y.cost, yn(x, y))
				link = append(link, term{1, yn(x, y)})
			}
			l.row(link, "=", 0)
		}
		l.row(assign, "=", 1)
	}
	// Candidate clique rows: interviews extended by the buffer do not overlap.
	cover := make([][]term, m.n+m.buf+1)
	for i := range m.xs {
		for xi := range m.xs[i] {
			x := &m.xs[i][xi]
			for t := x.k; t < x.k+m.dur[i]+m.buf; t++ {
				cover[t] = append(cover[t], term{1, xn(x)})
			}
		}
	}
	for _, ts := range cover {
		if len(ts) > 1 {
			l.row(ts, "<=", 1)
		}
	}
	onDay := func(i, d int) []*xvar {
		var out []*xvar
		for xi := range m.xs[i] {
			if m.xs[i][xi].day == d {
				out = append(out, &m.xs[i][xi])
			}
		}
		return out
	}
	used := make([]bool, m.ndays)
	for i := range m.xs {
		for _, x := range m.xs[i] {
			used[x.day] = true
		}
	}
	if rules.SameDay {
		var all []term
		for d := range m.ndays {
			if !used[d] {
				continue
			}
			dv := fmt.Sprintf("d_%d", d)
			l.bins = append(l.bins, dv)
			all = append(all, term{1, dv})
			for i := range m.xs {
				ts := []term{{-1, dv}}
				for _, x := range onDay(i, d) {
					ts = append(ts, term{1, xn(x)})
				}
				l.row(ts, "=", 0)
			}
		}
		l.row(all, "=", 1)
	}
	if g := int(rules.MaxGap / m.g); g > 0 {
		m.maxGap(l, g+1, used, onDay)
	}
	if rules.Lunch != nil && m.variant != lunchBefore && m.variant != lunchAfter {
		m.lunch(l, used, onDay)
	}
	if rules.FixedOrder {
		for i := 0; i+1 < len(m.xs); i++ {
			j := i + 1
			for _, xi := range m.xs[i] {
				var ts []term
				for _, a := range m.xs[i] {
					if a.k >= xi.k {
						ts = append(ts, term{1, xn(&a)})
					}
				}
				for _, b := range m.xs[j] {
					if b.k >= xi.k+m.dur[i]+m.buf {
						ts = append(ts, term{-1, xn(&b)})
					}
				}
				l.row(ts, "<=", 0)
			}
		}
	}
	m.caps(l)
	if idle > 0 {
		m.idle(l, used, onDay, idle, bufMin, obj)
	}
	if gap > 0 {
		m.gaps(l, used, onDay, gap, obj)
	}
	return l
}

// dayUsed returns the variable u_d, equal to 1 exactly when some
// interview is on day d, creating it and its rows on first use.
func (m *model) dayUsed(l *lp, d int, onDay func(i, d int) []*xvar) string {
	u := fmt.Sprintf("u_%d", d)
	if m.dayVars == nil {
		m.dayVars = map[int]bool{}
	}
	if m.dayVars[d] {
		return u
	}
	m.dayVars[d] = true
	l.conts = append(l.conts, u)
	l.row([]term{{1, u}}, "<=", 1)
	some := []term{{1, u}}
	for i := range m.xs {
		xs := onDay(i, d)
		at := []term{{1, u}}
		for _, x := range xs {
			at = append(at, term{-1, xn(x)})
			some = append(some, term{-1, xn(x)})
		}
		if len(xs) > 0 {
			l.row(at, ">=", 0)
		}
	}
	l.row(some, "<=", 0)
	return u
}

// gaps prices each gap as W.Gap: a day with n interviews has n−1 gaps
// less one for every interview followed exactly a buffer later. Each x
// already carries +W.Gap; u_d takes one back, and w_i_k (at most x_i_k and
// at most the starts a buffer after it) one per back-to-back pair.
func (m *model) gaps(l *lp, used []bool, onDay func(i, d int) []*xvar, gap int64, obj func(int64, string)) {
	for d := range m.ndays {
		if !used[d] {
			continue
		}
		u := m.dayUsed(l, d, onDay)
		obj(-gap, u)
		// With the lunch inside the loop and longer than the buffer, the
		// interviews either side of it are not back to back: at most n−2
		// pairs are.
		pairs := []term{}
		if m.variant == lunchInside && m.lunchCells > m.buf {
			pairs = append(pairs, term{2, u})
			for i := range m.xs {
				for _, x := range onDay(i, d) {
					pairs = append(pairs, term{-1, xn(x)})
				}
			}
		}
		starts := map[int][]*xvar{}
		for i := range m.xs {
			for _, x := range onDay(i, d) {
				starts[x.k] = append(starts[x.k], x)
			}
		}
		into := map[int][]term{} // follower cell → the pairs ending there
		var all []term
		for i := range m.xs {
			for _, x := range onDay(i, d) {
				next := []term{}
				for _, y := range starts[x.k+m.dur[i]+m.buf] {
					if y.i != i {
						next = append(next, term{-1, xn(y)})
					}
				}
				if len(next) == 0 {
					continue
				}
				w := fmt.Sprintf("w_%d_%d", x.i, x.k)
				l.conts = append(l.conts, w)
				obj(-gap, w)
				l.row([]term{{1, w}, {-1, xn(x)}}, "<=", 0)
				l.row(append([]term{{1, w}}, next...), "<=", 0)
				k := x.k + m.dur[i] + m.buf
				into[k] = append(into[k], term{1, w})
				all = append(all, term{1, w})
				if len(pairs) > 0 {
					pairs = append(pairs, term{1, w})
				}
			}
		}
		if len(pairs) > 0 {
			l.row(pairs, "<=", 0)
		}
		// A start follows at most one interview, and a day of n
		// interviews has at most n−1 back-to-back pairs.
		for _, k := range slices.Sorted(maps.Keys(into)) {
			if ts := into[k]; len(ts) > 1 {
				for _, y := range starts[k] {
					ts = append(ts, term{-1, xn(y)})
				}
				l.row(ts, "<=", 0)
			}
		}
		if len(all) > 0 {
			all = append(all, term{1, u})
			for i := range m.xs {
				for _, x := range onDay(i, d) {
					all = append(all, term{-1, xn(x)})
				}
			}
			l.row(all, "<=", 0)
		}
	}
}

// idle prices the idle minutes of each day as span minus interview time.
// The span is counted cell by cell: z_t ≥ a_t + b_t − 1, where a_t is at
// least every interview's cumulative start probability by t and b_t at
// least every interview's probability of ending after t. Unlike big-M
// first-start/last-end variables, this stays tight when the solver's
// relaxation spreads an interview over many start times; two valid
// inequalities (the span covers every interview cell, and it is at least
// the interviews plus the buffers between them) close most of the rest.
func (m *model) idle(l *lp, used []bool, onDay func(i, d int) []*xvar, idle, bufMin int64, obj func(int64, string)) {
	for d := range m.ndays {
		if !used[d] {
			continue
		}
		u := m.dayUsed(l, d, onDay)
		obj(idle*bufMin, u)
		from, to := m.dfirst[d], m.dfirst[d]
		for i := range m.xs {
			for _, x := range onDay(i, d) {
				to = max(to, x.k+m.dur[i])
			}
		}
		var span, least []term
		spare := int64(m.buf)
		if m.variant == lunchInside {
			// The gap holding the lunch is at least the lunch, not the buffer.
			spare -= int64(max(0, m.lunchCells-m.buf))
		}
		least = append(least, term{spare, u})
		for t := from; t < to; t++ {
			z, a, b := fmt.Sprintf("z_%d", t), fmt.Sprintf("a_%d", t), fmt.Sprintf("b_%d", t)
			l.conts = append(l.conts, z, a, b)
			obj(idle*int64(m.gmin), z)
			span = append(span, term{1, z})
			occ := []term{{1, z}}
			for i := range m.xs {
				started, running := []term{{1, a}}, []term{{1, b}}
				for _, x := range onDay(i, d) {
					if x.k <= t {
						started = append(started, term{-1, xn(x)})
					}
					if x.k+m.dur[i] > t {
						running = append(running, term{-1, xn(x)})
						if x.k <= t {
							occ = append(occ, term{-1, xn(x)})
						}
					}
				}
				if len(started) > 1 {
					l.row(started, ">=", 0)
				}
				if len(running) > 1 {
					l.row(running, ">=", 0)
				}
			}
			l.row([]term{{1, z}, {-1, a}, {-1, b}}, ">=", -1)
			l.row(occ, ">=", 0)
		}
		for i := range m.xs {
			for _, x := range onDay(i, d) {
				least = append(least, term{-int64(m.dur[i] + m.buf), xn(x)})
			}
		}
		l.row(append(span, least...), ">=", 0)
	}
}

func (m *model) maxGap(l *lp, span int, used []bool, onDay func(i, d int) []*xvar) {
	for d := range m.ndays {
		if !used[d] {
			continue
		}
		last := m.n
		if d+1 < len(m.dfirst) {
			last = m.dfirst[d+1]
		}
		for tau := m.dfirst[d]; tau < last; tau++ {
			a, b := fmt.Sprintf("a_%d_%d", d, tau), fmt.Sprintf("b_%d_%d", d, tau)
			var before, after [][]term
			var occ []term
			for i := range m.xs {
				var bt, at []term
				for _, x := range onDay(i, d) {
					if x.k+m.dur[i] <= tau {
						bt = append(bt, term{1, xn(x)})
					}
					if x.k >= tau+span {
						at = append(at, term{1, xn(x)})
					}
					if x.k < tau+span && x.k+m.dur[i] > tau {
						occ = append(occ, term{-1, xn(x)})
					}
				}
				if len(bt) > 0 {
					before = append(before, bt)
				}
				if len(at) > 0 {
					after = append(after, at)
				}
			}
			if len(before) == 0 || len(after) == 0 {
				continue
			}
			l.conts = append(l.conts, a, b)
			for _, bt := range before {
				l.row(append(bt, term{-1, a}), "<=", 0)
			}
			for _, at := range after {
				l.row(append(at, term{-1, b}), "<=", 0)
			}
			l.row(append([]term{{1, a}, {1, b}}, occ...), "<=", 1)
		}
	}
}

func (m *model) lunch(l *lp, used []bool, onDay func(i, d int) []*xvar) {
	lu := m.p.Rules.Lunch
	cl := m.p.Candidate.Location
	n := int(lu.Length / m.g)
	for d := range m.ndays {
		if !used[d] {
			continue
		}
		day := m.t0.Add(time.Duration(m.dfirst[d]) * m.g).In(cl)
		win := lu.Window.On(scheduler.Date{Year: day.Year(), Month: day.Month(), Day: day.Day()}, cl)
		lo := int((win.Start.Sub(m.t0) + m.g - 1) / m.g)
		if win.Start.Before(m.t0) {
			lo = -int(m.t0.Sub(win.Start) / m.g)
		}
		hi := int(win.End.Sub(m.t0) / m.g)
		if win.End.Before(m.t0) {
			continue
		}
		var any []term
		occ := map[int][]term{}
		for lam := lo; lam+n <= hi; lam++ {
			v := fmt.Sprintf("l_%d_%d", d, lam-lo)
			l.bins = append(l.bins, v)
			any = append(any, term{1, v})
			for t := lam; t < lam+n; t++ {
				occ[t] = append(occ[t], term{1, v})
			}
		}
		if len(any) > 0 {
			l.row(any, "<=", 1)
		}
		for i := range m.xs {
			var ts []term
			for _, x := range onDay(i, d) {
				if x.k < hi && x.k+m.dur[i] > lo {
					ts = append(ts, term{1, xn(x)})
				}
			}
			if len(ts) == 0 {
				continue
			}
			for _, a := range any {
				ts = append(ts, term{-1, a.v})
			}
			l.row(ts, "<=", 0)
		}
		for t := max(lo, 0); t < hi; t++ {
			if len(occ[t]) == 0 {
				continue
			}
			ts := slices.Clone(occ[t])
			for i := range m.xs {
				for _, x := range onDay(i, d) {
					if x.k <= t && t < x.k+m.dur[i] {
						ts = append(ts, term{1, xn(x)})
					}
				}
			}
			if len(ts) > 1 {
				l.row(ts, "<=", 1)
			}
		}
	}
}

func (m *model) caps(l *lp) {
	type key struct{ p, period int }
	type group struct {
		terms []term
		ivs   map[int]bool
	}
	daily, weekly := map[key]*group{}, map[key]*group{}
	var dkeys, wkeys []key
	for i := range m.xs {
		for xi := range m.xs[i] {
			x := &m.xs[i][xi]
			for yi := range x.ys {
				y := &x.ys[yi]
				for _, gk := range []struct {
					g    map[key]*group
					k    key
					keys *[]key
				}{{daily, key{y.p, y.date}, &dkeys}, {weekly, key{y.p, y.week}, &wkeys}} {
					g := gk.g[gk.k]
					if g == nil {
						g = &group{ivs: map[int]bool{}}
						gk.g[gk.k] = g
						*gk.keys = append(*gk.keys, gk.k)
					}
					g.terms = append(g.terms, term{1, yn(x, y)})
					g.ivs[i] = true
				}
			}
		}
	}
	existing := func(p int, match func(scheduler.Date) bool) int {
		n := 0
		for _, e := range m.p.Interviewers[p].Existing {
			if match(e.Date) {
				n += e.Count
			}
		}
		return n
	}
	for _, k := range dkeys {
		in := &m.p.Interviewers[k.p]
		if in.DailyCap == 0 {
			continue
		}
		left := in.DailyCap - existing(k.p, func(d scheduler.Date) bool { return dateDays(d) == k.period })
		if g := daily[k]; len(g.ivs) > left {
			l.row(g.terms, "<=", int64(left))
		}
	}
	for _, k := range wkeys {
		in := &m.p.Interviewers[k.p]
		if in.WeeklyCap == 0 {
			continue
		}
		left := in.WeeklyCap - existing(k.p, func(d scheduler.Date) bool {
			y, w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
			return y*100+w == k.period
		})
		if g := weekly[k]; len(g.ivs) > left {
			l.row(g.terms, "<=", int64(left))
		}
	}
}

// Status is the solver's verdict.
type Status string

// Statuses.
const (
	Optimal    Status = "optimal"
	Infeasible Status = "infeasible"
	Stopped    Status = "stopped"
)

// Solution is CBC's answer.
type Solution struct {
	Status    Status
	Objective int64
	Elapsed   time.Duration // solver wall time, including reading the model
	Stats     Stats
	// Days is how many days CBC searched for a same-day loop, Runs how many
	// models it solved (three per day with a lunch rule), and Pruned how
	// many days were skipped because their day term alone could not beat
	// the best schedule already proven.
	Days, Runs, Pruned int
}

// SolveOptions configure Solve.
type SolveOptions struct {
	CBC     string        // binary; "" = "cbc" on PATH
	Timeout time.Duration // default 120 s
}

// ErrNoCBC means the cbc binary was not found.
var ErrNoCBC = errors.New("cbc not found (install Debian package coinor-cbc)")

// Solve finds the proven optimum of p with CBC. Same-day loops are split by
// day: the optimum is the least of the per-day optima, each proven by CBC
// on a model holding only that day's start times. The per-day models are
// much tighter than one model with fractional day indicators. Days are
// solved in order; once a schedule is known, each later day is asked only
// for a strictly better one (CBC's cutoff), and a day whose day term alone
// reaches the best score is skipped: every other term is non-negative.
func Solve(ctx context.Context, p scheduler.Problem, opts SolveOptions) (Solution, error) {
	if !p.Rules.SameDay {
		return solveOne(ctx, p, opts, lunchAny, nil)
	}
	m, err := build(&p, lunchAny)
	if err != nil {
		return Solution{}, err
	}
	w := m.w
	nonNegative := w.Day >= 0 && w.IdleMinute >= 0 && w.Gap >= 0 && w.Load >= 0 && w.InterviewerPref >= 0 && w.CandidatePref >= 0
	var best Solution
	haveOpt, stopped := false, false
	base := m.t0.In(p.Candidate.Location)
	for d := range m.ndays {
		used := false
		for i := range m.xs {
			used = used || slices.ContainsFunc(m.xs[i], func(x xvar) bool { return x.day == d })
		}
		if !used {
			continue
		}
		if haveOpt && nonNegative && w.Day*int64(d*len(p.Interviews)) >= best.Objective {
			best.Pruned++
			continue
		}
		t := time.Date(base.Year(), base.Month(), base.Day()+d, 12, 0, 0, 0, time.UTC)
		q := p
		q.Rules.EarliestDay = scheduler.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
		q.Rules.LatestDay = q.Rules.EarliestDay
		best.Days++
		cases := []lunchCase{lunchAny}
		if p.Rules.Lunch != nil {
			cases = []lunchCase{lunchBefore, lunchAfter, lunchInside}
		}
		for _, c := range cases {
			var cutoff *int64
			if haveOpt {
				cutoff = &best.Objective
			}
			sol, err := solveOne(ctx, q, opts, c, cutoff)
			if err != nil {
				return Solution{}, err
			}
			best.Elapsed += sol.Elapsed
			best.Stats.Vars += sol.Stats.Vars
			best.Stats.Rows += sol.Stats.Rows
			best.Runs++
			if sol.Status == Stopped {
				stopped = true
			}
			if sol.Status != Infeasible && (!haveOpt || sol.Objective < best.Objective) {
				best.Objective, haveOpt = sol.Objective, true
			}
		}
	}
	switch {
	case stopped:
		best.Status = Stopped
	case haveOpt:
		best.Status = Optimal
	default:
		best.Status = Infeasible
	}
	return best, nil
}

// solveOne runs CBC on one model. With a cutoff, CBC looks only for
// solutions strictly better than it and answers infeasible when none exists.
func solveOne(ctx context.Context, p scheduler.Problem, opts SolveOptions, variant lunchCase, cutoff *int64) (Solution, error) {
	bin := cmp.Or(opts.CBC, "cbc")
	path, err := exec.LookPath(bin)
	if err != nil {
		return Solution{}, fmt.Errorf("%w: %w", ErrNoCBC, err)
	}
	timeout := cmp.Or(opts.Timeout, 120*time.Second)
	dir, err := os.MkdirTemp("", "lpmodel-")
	if err != nil {
		return Solution{}, err
	}
	defer os.RemoveAll(dir)
	model, sol := filepath.Join(dir, "model.lp"), filepath.Join(dir, "solution.txt")
	f, err := os.Create(model)
	if err != nil {
		return Solution{}, err
	}
	stats, err := write(f, p, variant)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Solution{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+10*time.Second)
	defer cancel()
	args := []string{model, "-sec", strconv.Itoa(int(timeout / time.Second)), "-threads", "1"}
	if cutoff != nil {
		// Objectives are integers: anything below best−0.5 is strictly better.
		args = append(args, "-cutoff", strconv.FormatFloat(float64(*cutoff)-0.5, 'f', 1, 64))
	}
	cmd := exec.CommandContext(ctx, path, append(args, "-solve", "-solu", sol)...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	el := time.Since(start)
	if err != nil {
		return Solution{}, fmt.Errorf("cbc: %v: %s", err, tail(out))
	}
	res, err := parseSolution(sol)
	if err != nil {
		return Solution{}, fmt.Errorf("%w; cbc said: %s", err, tail(out))
	}
	res.Elapsed, res.Stats, res.Runs = el, stats, 1
	return res, nil
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 800 {
		s = s[len(s)-800:]
	}
	return s
}

func parseSolution(path string) (Solution, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Solution{}, fmt.Errorf("reading cbc solution: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	var s Solution
	switch {
	case strings.HasPrefix(first, "Optimal"):
		s.Status = Optimal
	case strings.Contains(first, "nfeasible"):
		s.Status = Infeasible
		return s, nil
	default:
		s.Status = Stopped
	}
	_, v, ok := strings.Cut(first, "objective value")
	if !ok {
		return s, fmt.Errorf("unexpected cbc solution header %q", first)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return s, fmt.Errorf("cbc objective %q: %w", v, err)
	}
	if f < 0 {
		s.Objective = int64(f - 0.5)
	} else {
		s.Objective = int64(f + 0.5)
	}
	return s, nil
}
