package scheduler

import (
	"cmp"
	"slices"
	"time"
)

// Alternates lists, for each item of o, the interviewers who could take
// one of its seats at exactly that time, everything else in o unchanged:
// in the interview's pool, not already on the item, within working hours,
// free of busy time (as given: callers pad it with any buffer they need),
// and within their daily and weekly caps counting o's other interviews.
// Which seat they take does not matter, so there is one list per item.
// Each list is ordered by the person's load term (the lightest week
// first), then by id. o is expected to come from Find on p; only the
// seat being swapped is re-checked.
func Alternates(p Problem, o Option) ([][]int64, error) {
	if err := Validate(p); err != nil {
		return nil, err
	}
	w := p.WeightsInEffect()
	g := p.Grid()
	people := make(map[int64]*Interviewer, len(p.Interviewers))
	for i := range p.Interviewers {
		people[p.Interviewers[i].ID] = &p.Interviewers[i]
	}
	out := make([][]int64, len(o.Items))
	for k, it := range o.Items {
		i := slices.IndexFunc(p.Interviews, func(iv Interview) bool { return iv.ID == it.InterviewID })
		if i < 0 {
			return nil, invalid("the option places unknown interview %d", it.InterviewID)
		}
		type alt struct{ id, load int64 }
		var alts []alt
		for _, id := range p.Interviews[i].Pool {
			in := people[id]
			if slices.Contains(it.Interviewers, id) || !seatWorks(in, it.Start, it.End, g) || seatBusy(in.Busy, it.Start, it.End) {
				continue
			}
			date := DateOf(it.Start, in.Location)
			day, week := seatExisting(in, date)
			load := w.Load * int64(week)
			// The seat itself, then the option's other interviews.
			day, week = day+1, week+1
			for j, other := range o.Items {
				if j == k || !slices.Contains(other.Interviewers, id) {
					continue
				}
				od := DateOf(other.Start, in.Location)
				if seatNoon(od).Equal(seatNoon(date)) {
					day++
				}
				if seatWeek(od) == seatWeek(date) {
					week++
				}
			}
			if (in.DailyCap > 0 && day > in.DailyCap) || (in.WeeklyCap > 0 && week > in.WeeklyCap) {
				continue
			}
			alts = append(alts, alt{id, load})
		}
		slices.SortFunc(alts, func(a, b alt) int {
			if d := cmp.Compare(a.load, b.load); d != 0 {
				return d
			}
			return cmp.Compare(a.id, b.id)
		})
		out[k] = make([]int64, 0, len(alts))
		for _, a := range alts {
			out[k] = append(out[k], a.id)
		}
	}
	return out, nil
}

// seatWorks reports whether [s, e) lies inside in's working hours, each
// range cut inward to the grid as Find cuts it, so both agree on ranges
// that start or end between grid points.
func seatWorks(in *Interviewer, s, e time.Time, g time.Duration) bool {
	var spans []Interval
	first, last := seatNoon(DateOf(s, in.Location)), seatNoon(DateOf(e, in.Location))
	for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
		d := Date{t.Year(), t.Month(), t.Day()}
		for _, r := range in.Hours[t.Weekday()] {
			iv := r.On(d, in.Location)
			lo, hi := iv.Start.Truncate(g), iv.End.Truncate(g)
			if lo.Before(iv.Start) {
				lo = lo.Add(g)
			}
			if hi.After(lo) {
				spans = append(spans, Interval{Start: lo, End: hi})
			}
		}
	}
	slices.SortFunc(spans, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	cur := s
	for _, sp := range spans {
		if sp.Start.After(cur) {
			break
		}
		if sp.End.After(cur) {
			cur = sp.End
		}
		if !cur.Before(e) {
			return true
		}
	}
	return false
}

// seatBusy reports whether a non-empty busy interval overlaps [s, e).
func seatBusy(busy []Interval, s, e time.Time) bool {
	for _, b := range busy {
		if b.End.After(b.Start) && b.Start.Before(e) && b.End.After(s) {
			return true
		}
	}
	return false
}

// seatExisting counts in's existing interviews on date d and in its ISO week.
func seatExisting(in *Interviewer, d Date) (day, week int) {
	wk := seatWeek(d)
	for _, e := range in.Existing {
		if seatNoon(e.Date).Equal(seatNoon(d)) {
			day += e.Count
		}
		if seatWeek(e.Date) == wk {
			week += e.Count
		}
	}
	return day, week
}

// seatWeek is d's ISO year and week as one number.
func seatWeek(d Date) int {
	y, w := seatNoon(d).ISOWeek()
	return y*100 + w
}

// seatNoon is noon UTC on d, for calendar arithmetic free of time zones.
func seatNoon(d Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }
