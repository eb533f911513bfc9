package scheduler_test

// An independent checker and exhaustive reference search. They work on
// absolute times and the raw Problem, never on the engine's grid or
// bitsets, so a bug in the engine's precomputation cannot hide here.

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"interviewplanner/scheduler"
)

func overlaps(a, b scheduler.Interval) bool {
	return a.Start.Before(a.End) && b.Start.Before(b.End) && a.Start.Before(b.End) && b.Start.Before(a.End)
}

func coveredBy(ivs []scheduler.Interval, s, e time.Time) bool {
	// Walk forward from s, jumping to the end of any interval covering the point.
	cur := s
	for progress := true; progress && cur.Before(e); {
		progress = false
		for _, iv := range ivs {
			if !iv.Start.After(cur) && iv.End.After(cur) {
				cur, progress = iv.End, true
			}
		}
	}
	return !cur.Before(e)
}

func civilDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func wall(day time.Time, mins int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), mins/60, mins%60, 0, 0, loc)
}

func interviewer(p *scheduler.Problem, id int64) *scheduler.Interviewer {
	for i := range p.Interviewers {
		if p.Interviewers[i].ID == id {
			return &p.Interviewers[i]
		}
	}
	return nil
}

func working(in *scheduler.Interviewer, s, e time.Time) bool {
	day := civilDate(s, in.Location)
	for _, r := range in.Hours[day.Weekday()] {
		from := wall(day, r.StartMin, in.Location)
		to := wall(day, r.EndMin, in.Location)
		if r.EndMin == 24*60 {
			to = wall(day.AddDate(0, 0, 1), 0, in.Location)
		}
		if !from.After(s) && !to.Before(e) {
			return true
		}
	}
	return false
}

func busyAt(busy []scheduler.Interval, s, e time.Time) bool {
	for _, b := range busy {
		if overlaps(b, scheduler.Interval{Start: s, End: e}) {
			return true
		}
	}
	return false
}

func existing(in *scheduler.Interviewer, match func(time.Time) bool) int {
	n := 0
	for _, e := range in.Existing {
		if match(time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 0, 0, 0, 0, time.UTC)) {
			n += e.Count
		}
	}
	return n
}

func sameWeek(a, b time.Time) bool {
	ay, aw := a.ISOWeek()
	by, bw := b.ISOWeek()
	return ay == by && aw == bw
}

func dayIndex(p *scheduler.Problem, t time.Time) int {
	// Days since the window's first day, as the package documents, even
	// when the first grid point falls on the next date.
	first := civilDate(p.Window.Start, p.Candidate.Location)
	return int(civilDate(t, p.Candidate.Location).Sub(first).Hours() / 24)
}

// timeRules checks the rules that depend on start times only. Items must be
// in chronological order.
func timeRules(p *scheduler.Problem, items []scheduler.Item) error {
	g := p.Grid()
	for k, it := range items {
		iv := p.Interviews[slices.IndexFunc(p.Interviews, func(x scheduler.Interview) bool { return x.ID == it.InterviewID })]
		if !it.End.Equal(it.Start.Add(iv.Duration)) {
			return fmt.Errorf("interview %d lasts %v, want %v", iv.ID, it.End.Sub(it.Start), iv.Duration)
		}
		if !it.Start.Truncate(g).Equal(it.Start) {
			return fmt.Errorf("interview %d starts off the %v grid at %v", iv.ID, g, it.Start)
		}
		if it.Start.Before(p.Window.Start) || it.End.After(p.Window.End) {
			return fmt.Errorf("interview %d outside the search window", iv.ID)
		}
		if !coveredBy(p.Candidate.Windows, it.Start, it.End) {
			return fmt.Errorf("interview %d outside the candidate's windows", iv.ID)
		}
		d := civilDate(it.Start, p.Candidate.Location)
		if e := p.Rules.EarliestDay; !e.IsZero() && d.Before(time.Date(e.Year, e.Month, e.Day, 0, 0, 0, 0, time.UTC)) {
			return fmt.Errorf("interview %d before the earliest day", iv.ID)
		}
		if l := p.Rules.LatestDay; !l.IsZero() && d.After(time.Date(l.Year, l.Month, l.Day, 0, 0, 0, 0, time.UTC)) {
			return fmt.Errorf("interview %d after the latest day", iv.ID)
		}
		if k == 0 {
			continue
		}
		prev := items[k-1]
		if it.Start.Before(prev.End.Add(p.Rules.Buffer)) {
			return fmt.Errorf("interviews %d and %d closer than the %v buffer", prev.InterviewID, it.InterviewID, p.Rules.Buffer)
		}
		sameDay := civilDate(prev.Start, p.Candidate.Location).Equal(d)
		if p.Rules.SameDay && !sameDay {
			return fmt.Errorf("loop spans days")
		}
		if sameDay && p.Rules.MaxGap > 0 && it.Start.Sub(prev.End) > p.Rules.MaxGap {
			return fmt.Errorf("gap of %v before interview %d exceeds %v", it.Start.Sub(prev.End), it.InterviewID, p.Rules.MaxGap)
		}
	}
	if p.Rules.FixedOrder {
		for k, it := range items {
			if it.InterviewID != p.Interviews[k].ID {
				return fmt.Errorf("order broken at position %d", k)
			}
		}
	}
	if l := p.Rules.Lunch; l != nil {
		byDay := map[time.Time][]scheduler.Item{}
		var days []time.Time
		for _, it := range items {
			d := civilDate(it.Start, p.Candidate.Location)
			if _, ok := byDay[d]; !ok {
				days = append(days, d)
			}
			byDay[d] = append(byDay[d], it)
		}
		for _, d := range days {
			win := scheduler.Interval{Start: wall(d, l.Window.StartMin, p.Candidate.Location), End: wall(d, l.Window.EndMin, p.Candidate.Location)}
			touched := false
			for _, it := range byDay[d] {
				touched = touched || overlaps(win, scheduler.Interval{Start: it.Start, End: it.End})
			}
			if !touched {
				continue
			}
			ok := false
			for s := win.Start; !s.Add(l.Length).After(win.End); s = s.Add(time.Minute) {
				if !busyAt(itemsAsBusy(byDay[d]), s, s.Add(l.Length)) {
					ok = true
					break
				}
			}
			if !ok {
				return fmt.Errorf("no %v lunch on %v", l.Length, d.Format("2006-01-02"))
			}
		}
	}
	return nil
}

func itemsAsBusy(items []scheduler.Item) []scheduler.Interval {
	var out []scheduler.Interval
	for _, it := range items {
		out = append(out, scheduler.Interval{Start: it.Start, End: it.End})
	}
	return out
}

// peopleRules checks interviewers, caps, rooms and hosts.
func peopleRules(p *scheduler.Problem, items []scheduler.Item) error {
	type use struct {
		id  int64
		day time.Time
	}
	var uses []use
	for _, it := range items {
		iv := p.Interviews[slices.IndexFunc(p.Interviews, func(x scheduler.Interview) bool { return x.ID == it.InterviewID })]
		if len(it.Interviewers) != iv.Interviewers {
			return fmt.Errorf("interview %d has %d interviewers, needs %d", iv.ID, len(it.Interviewers), iv.Interviewers)
		}
		for k, id := range it.Interviewers {
			if slices.Contains(it.Interviewers[:k], id) {
				return fmt.Errorf("interviewer %d twice on interview %d", id, iv.ID)
			}
			if !slices.Contains(iv.Pool, id) {
				return fmt.Errorf("interviewer %d not in the pool of interview %d", id, iv.ID)
			}
			in := interviewer(p, id)
			if !working(in, it.Start, it.End) {
				return fmt.Errorf("interviewer %d outside working hours at %v", id, it.Start.In(in.Location))
			}
			if busyAt(in.Busy, it.Start, it.End) {
				return fmt.Errorf("interviewer %d busy at %v", id, it.Start)
			}
			uses = append(uses, use{id, civilDate(it.Start, in.Location)})
		}
		if len(iv.Rooms) == 0 {
			if it.RoomID != 0 {
				return fmt.Errorf("interview %d got a room it did not ask for", iv.ID)
			}
		} else {
			if !slices.Contains(iv.Rooms, it.RoomID) {
				return fmt.Errorf("interview %d got room %d, not one of %v", iv.ID, it.RoomID, iv.Rooms)
			}
			for _, r := range p.Rooms {
				if r.ID == it.RoomID && busyAt(r.Busy, it.Start, it.End) {
					return fmt.Errorf("room %d busy", r.ID)
				}
			}
		}
		if iv.Video {
			okHost := false
			for _, h := range p.ZoomHosts {
				if h.ID == it.ZoomHostID && !busyAt(h.Busy, it.Start, it.End) {
					okHost = true
				}
			}
			if !okHost {
				return fmt.Errorf("interview %d has no free Zoom host", iv.ID)
			}
		}
	}
	for _, u := range uses {
		in := interviewer(p, u.id)
		day, week := 0, 0
		for _, v := range uses {
			if v.id == u.id && v.day.Equal(u.day) {
				day++
			}
			if v.id == u.id && sameWeek(v.day, u.day) {
				week++
			}
		}
		day += existing(in, func(d time.Time) bool { return d.Equal(u.day) })
		week += existing(in, func(d time.Time) bool { return sameWeek(d, u.day) })
		if in.DailyCap > 0 && day > in.DailyCap {
			return fmt.Errorf("interviewer %d over the daily cap on %v", u.id, u.day.Format("2006-01-02"))
		}
		if in.WeeklyCap > 0 && week > in.WeeklyCap {
			return fmt.Errorf("interviewer %d over the weekly cap", u.id)
		}
	}
	return nil
}

// score recomputes the objective from its documented definition.
func score(p *scheduler.Problem, items []scheduler.Item) scheduler.Breakdown {
	w := p.WeightsInEffect()
	var b scheduler.Breakdown
	for k, it := range items {
		b.Day += w.Day * int64(dayIndex(p, it.Start))
		if len(p.Candidate.Preferred) > 0 && !coveredBy(p.Candidate.Preferred, it.Start, it.End) {
			b.CandidatePref += w.CandidatePref
		}
		if k > 0 && civilDate(items[k-1].Start, p.Candidate.Location).Equal(civilDate(it.Start, p.Candidate.Location)) {
			gap := it.Start.Sub(items[k-1].End) - p.Rules.Buffer
			b.Idle += w.IdleMinute * int64(gap/time.Minute)
			if gap > 0 {
				b.Gaps += w.Gap
			}
		}
		for _, id := range it.Interviewers {
			in := interviewer(p, id)
			d := civilDate(it.Start, in.Location)
			b.Load += w.Load * int64(existing(in, func(x time.Time) bool { return sameWeek(x, d) }))
			if pr := in.Preferred; !pr.IsZero() {
				if it.Start.Before(wall(d, pr.StartMin, in.Location)) || it.End.After(wall(d, pr.EndMin, in.Location)) {
					b.InterviewerPref += w.InterviewerPref
				}
			}
		}
	}
	return b
}

// checkOption returns the first broken hard rule or score mismatch.
func checkOption(p *scheduler.Problem, o scheduler.Option) error {
	if len(o.Items) != len(p.Interviews) {
		return fmt.Errorf("%d items for %d interviews", len(o.Items), len(p.Interviews))
	}
	seen := map[int64]bool{}
	for k, it := range o.Items {
		if seen[it.InterviewID] {
			return fmt.Errorf("interview %d twice", it.InterviewID)
		}
		seen[it.InterviewID] = true
		if k > 0 && !it.Start.After(o.Items[k-1].Start) {
			return fmt.Errorf("items not in chronological order")
		}
	}
	if err := timeRules(p, o.Items); err != nil {
		return err
	}
	if err := peopleRules(p, o.Items); err != nil {
		return err
	}
	if want := score(p, o.Items); want != o.Breakdown || want.Total() != o.Score {
		return fmt.Errorf("score %d %+v, recomputed %d %+v", o.Score, o.Breakdown, want.Total(), want)
	}
	return nil
}

// exhaustive enumerates every complete schedule of a small problem and
// returns the sorted scores of the best topN, one per set of start times
// (schedules differing only in interviewers are one option).
func exhaustive(p *scheduler.Problem) []int64 {
	g := p.Grid()
	starts := make([][]time.Time, len(p.Interviews))
	for i, iv := range p.Interviews {
		for t := p.Window.Start.Truncate(g); !t.Add(iv.Duration).After(p.Window.End); t = t.Add(g) {
			if t.Before(p.Window.Start) || !coveredBy(p.Candidate.Windows, t, t.Add(iv.Duration)) {
				continue
			}
			free := 0
			for _, id := range iv.Pool {
				in := interviewer(p, id)
				if working(in, t, t.Add(iv.Duration)) && !busyAt(in.Busy, t, t.Add(iv.Duration)) {
					free++
				}
			}
			if free < iv.Interviewers {
				continue
			}
			starts[i] = append(starts[i], t)
		}
	}
	best := map[string]int64{}
	items := make([]scheduler.Item, len(p.Interviews))
	var people func(k int, sorted []scheduler.Item)
	people = func(k int, sorted []scheduler.Item) {
		if k == len(sorted) {
			if peopleRules(p, sorted) == nil {
				key := ""
				for _, it := range sorted {
					key += fmt.Sprintf("%d@%d;", it.InterviewID, it.Start.Unix())
				}
				if v, ok := best[key]; !ok || score(p, sorted).Total() < v {
					best[key] = score(p, sorted).Total()
				}
			}
			return
		}
		iv := p.Interviews[slices.IndexFunc(p.Interviews, func(x scheduler.Interview) bool { return x.ID == sorted[k].InterviewID })]
		for _, set := range combinations(iv.Pool, iv.Interviewers) {
			sorted[k].Interviewers = set
			sorted[k].RoomID, sorted[k].ZoomHostID = 0, 0
			for _, r := range iv.Rooms {
				if room := roomByID(p, r); !busyAt(room.Busy, sorted[k].Start, sorted[k].End) {
					sorted[k].RoomID = r
					break
				}
			}
			if iv.Video {
				for _, h := range p.ZoomHosts {
					if !busyAt(h.Busy, sorted[k].Start, sorted[k].End) {
						sorted[k].ZoomHostID = h.ID
						break
					}
				}
			}
			people(k+1, sorted)
		}
	}
	var place func(i int)
	place = func(i int) {
		if i == len(p.Interviews) {
			sorted := slices.Clone(items)
			sort.Slice(sorted, func(a, b int) bool { return sorted[a].Start.Before(sorted[b].Start) })
			if timeRules(p, sorted) == nil {
				people(0, sorted)
			}
			return
		}
		for _, t := range starts[i] {
			it := scheduler.Item{InterviewID: p.Interviews[i].ID, Start: t, End: t.Add(p.Interviews[i].Duration)}
			clash := false
			for _, o := range items[:i] {
				if it.Start.Before(o.End.Add(p.Rules.Buffer)) && o.Start.Before(it.End.Add(p.Rules.Buffer)) {
					clash = true
				}
				if p.Rules.SameDay && !civilDate(o.Start, p.Candidate.Location).Equal(civilDate(t, p.Candidate.Location)) {
					clash = true
				}
			}
			if clash {
				continue
			}
			items[i] = it
			place(i + 1)
		}
	}
	place(0)
	var scores []int64
	for _, v := range best {
		scores = append(scores, v)
	}
	slices.Sort(scores)
	n := p.TopN
	if n <= 0 {
		n = scheduler.DefaultTopN
	}
	if len(scores) > n {
		scores = scores[:n]
	}
	return scores
}

func roomByID(p *scheduler.Problem, id int64) scheduler.Room {
	for _, r := range p.Rooms {
		if r.ID == id {
			return r
		}
	}
	return scheduler.Room{}
}

func combinations(pool []int64, k int) [][]int64 {
	var out [][]int64
	var rec func(from int, cur []int64)
	rec = func(from int, cur []int64) {
		if len(cur) == k {
			s := slices.Clone(cur)
			slices.Sort(s)
			out = append(out, s)
			return
		}
		for i := from; i < len(pool); i++ {
			rec(i+1, append(cur, pool[i]))
		}
	}
	rec(0, nil)
	return out
}
