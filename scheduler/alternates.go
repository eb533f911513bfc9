package scheduler

import (
	"cmp"
	"slices"
)

// Alternates lists, for each item of o, the interviewers who could take
// one of its seats at exactly that time, everything else in o unchanged:
// in the interview's pool, not already on the item, within working hours,
// free of busy time (as given: callers pad it with any buffer they need),
// and within their daily and weekly caps counting o's other interviews.
// Which seat they take does not matter, so there is one list per item.
// Each list is ordered by the person's load term (the lightest week
// first), then by id. o is expected to come from Find on p; only the
// seat being swapped is re-checked, on the same free-time bitsets and
// per-date counts Find uses, so both agree on every edge.
func Alternates(p Problem, o Option) ([][]int64, error) {
	if err := Validate(p); err != nil {
		return nil, err
	}
	c := &compiled{p: &p, w: p.WeightsInEffect(), gr: gridOf(&p)}
	people := make(map[int64]*person, len(p.Interviewers))
	personOf := func(id int64) *person {
		if ps, ok := people[id]; ok {
			return ps
		}
		i := slices.IndexFunc(p.Interviewers, func(in Interviewer) bool { return in.ID == id })
		ps := c.compilePerson(&p.Interviewers[i])
		people[id] = &ps
		return &ps
	}
	out := make([][]int64, len(o.Items))
	for k, it := range o.Items {
		i := slices.IndexFunc(p.Interviews, func(iv Interview) bool { return iv.ID == it.InterviewID })
		if i < 0 {
			return nil, invalid("the option places unknown interview %d", it.InterviewID)
		}
		lo, hi := c.gr.floor(it.Start), c.gr.ceil(it.End)
		if lo < 0 || hi > c.gr.n {
			return nil, invalid("the option's %v lies outside the search window", it.Start)
		}
		type alt struct{ id, load int64 }
		var alts []alt
		for _, id := range p.Interviews[i].Pool {
			ps := personOf(id)
			if slices.Contains(it.Interviewers, id) || !ps.free.allSet(lo, hi) {
				continue
			}
			pd := ps.days[ps.dayAt(lo)]
			// The seat itself, then the option's other interviews.
			day, week := pd.existing+1, pd.wk+1
			for j, other := range o.Items {
				if j == k || !slices.Contains(other.Interviewers, id) {
					continue
				}
				od := ps.days[ps.dayAt(c.gr.floor(other.Start))]
				if od.key == pd.key {
					day++
				}
				if od.week == pd.week {
					week++
				}
			}
			in := ps.in
			if (in.DailyCap > 0 && day > in.DailyCap) || (in.WeeklyCap > 0 && week > in.WeeklyCap) {
				continue
			}
			alts = append(alts, alt{id, c.w.Load * int64(pd.wk)})
		}
		slices.SortFunc(alts, func(a, b alt) int {
			return cmp.Or(cmp.Compare(a.load, b.load), cmp.Compare(a.id, b.id))
		})
		out[k] = make([]int64, 0, len(alts))
		for _, a := range alts {
			out[k] = append(out[k], a.id)
		}
	}
	return out, nil
}
