package scheduler

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Reason names the constraint that blocks an interview.
type Reason string

// Reasons, from the most to the least fundamental.
const (
	ReasonCandidateUnavailable Reason = "candidate_unavailable" // no window long enough
	ReasonNoInterviewerFree    Reason = "no_interviewer_free"   // nobody qualified is free in the candidate's windows
	ReasonPoolAtLimit          Reason = "pool_at_limit"         // the free ones are at their daily or weekly limit
	ReasonNoRoom               Reason = "no_room"
	ReasonNoZoomHost           Reason = "no_zoom_host"
	ReasonLoopRules            Reason = "loop_rules" // each fits alone, not together
	ReasonSearchStopped        Reason = "search_stopped"
)

// Blocker says why an interview (0 for the loop as a whole) cannot be placed.
type Blocker struct {
	InterviewID int64
	Reason      Reason
	Message     string
}

// RelaxKind names a relaxation of the problem.
type RelaxKind string

// Relaxations Find tries, in this order.
const (
	RelaxExtendWindow   RelaxKind = "extend_window_one_day"
	RelaxAddInterviewer RelaxKind = "add_interviewer_to_pool"
	RelaxDropSameDay    RelaxKind = "drop_same_day"
)

// Relaxation is a change that, re-run through the engine, yields a schedule.
type Relaxation struct {
	Kind          RelaxKind
	InterviewID   int64 // for RelaxAddInterviewer
	InterviewerID int64 // for RelaxAddInterviewer
	Message       string
	BestScore     int64 // score of the best schedule under the relaxation
}

// Explanation tells a coordinator why nothing fits and what would.
type Explanation struct {
	Blockers    []Blocker
	Relaxations []Relaxation // each verified by a re-run; the first is the smallest
}

// explain reads the blockers off the prepared problem c and tries the
// relaxations until deadline.
func explain(ctx context.Context, c *compiled, exhaustive bool, deadline time.Time) *Explanation {
	e := &Explanation{}
	p := c.p
	for i := range c.plans {
		pl := &c.plans[i]
		b := Blocker{InterviewID: pl.iv.ID}
		mins := int(pl.iv.Duration / time.Minute)
		switch {
		case !pl.candidateFits:
			b.Reason, b.Message = ReasonCandidateUnavailable, fmt.Sprintf("the candidate's availability has no %d-minute stretch for %s on any allowed day", mins, label(pl.iv))
		case !pl.interviewerFree:
			b.Reason, b.Message = ReasonNoInterviewerFree, fmt.Sprintf("no %d of the %d qualified interviewers for %s are free in the candidate's windows on any day", pl.need, len(pl.iv.Pool), label(pl.iv))
		case !pl.capOK:
			b.Reason, b.Message = ReasonPoolAtLimit, fmt.Sprintf("everyone in the pool for %s who is free then is at their daily or weekly interview limit", label(pl.iv))
		case !pl.roomOK:
			b.Reason, b.Message = ReasonNoRoom, fmt.Sprintf("no suitable room is free whenever interviewers for %s are", label(pl.iv))
		case !pl.hostOK:
			b.Reason, b.Message = ReasonNoZoomHost, fmt.Sprintf("every Zoom host already has a meeting whenever %s could happen", label(pl.iv))
		default:
			continue
		}
		e.Blockers = append(e.Blockers, b)
	}
	if len(e.Blockers) == 0 {
		if exhaustive {
			e.Blockers = append(e.Blockers, Blocker{Reason: ReasonLoopRules,
				Message: "each interview fits on its own, but not together under the loop rules (same day, order, gaps, buffers, lunch, load limits)"})
		} else {
			e.Blockers = append(e.Blockers, Blocker{Reason: ReasonSearchStopped,
				Message: "the search ran out of time before finding a schedule"})
		}
	}
	e.Relaxations = relax(ctx, p, e.Blockers, deadline)
	return e
}

func label(iv *Interview) string {
	if iv.Name != "" {
		return fmt.Sprintf("%q", iv.Name)
	}
	return fmt.Sprintf("interview %d", iv.ID)
}

// relax re-runs the search under each single relaxation and keeps those that
// produce a schedule. Each re-run gets a quarter of the budget, and all of
// them end by deadline.
func relax(ctx context.Context, p *Problem, blockers []Blocker, deadline time.Time) []Relaxation {
	var out []Relaxation
	budget := p.budget() / 4
	try := func(q Problem) (Option, bool) {
		q.TopN = 1
		end := now().Add(budget)
		if end.After(deadline) {
			end = deadline
		}
		r, _, err := find(ctx, &q, end)
		if err != nil || len(r.Options) == 0 {
			return Option{}, false
		}
		return r.Options[0], true
	}

	q := *p
	q.Window.End = q.Window.End.Add(24 * time.Hour)
	if !q.Rules.LatestDay.IsZero() {
		d := q.Rules.LatestDay
		t := time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC)
		q.Rules.LatestDay = Date{t.Year(), t.Month(), t.Day()}
	}
	if o, ok := try(q); ok {
		out = append(out, Relaxation{Kind: RelaxExtendWindow, BestScore: o.Score,
			Message: "extend the search window by one day"})
	}

	// Add one interviewer to the pool of a blocked interview: first all
	// outsiders at once, then the one the best schedule used, alone. When
	// only the loop rules block, more interviewers rarely help and trying
	// every interview would cost a search each.
	blocked := map[int64]bool{}
	for _, b := range blockers {
		blocked[b.InterviewID] = true
	}
	for i := range p.Interviews {
		iv := &p.Interviews[i]
		if !blocked[iv.ID] {
			continue
		}
		inPool := map[int64]bool{}
		for _, id := range iv.Pool {
			inPool[id] = true
		}
		var outsiders []int64
		for _, in := range p.Interviewers {
			if !inPool[in.ID] {
				outsiders = append(outsiders, in.ID)
			}
		}
		if len(outsiders) == 0 {
			continue
		}
		withPool := func(pool []int64) Problem {
			q := *p
			q.Interviews = slices.Clone(p.Interviews)
			q.Interviews[i].Pool = pool
			return q
		}
		o, ok := try(withPool(append(slices.Clone(iv.Pool), outsiders...)))
		if !ok {
			continue
		}
		var added int64
		for _, it := range o.Items {
			if it.InterviewID != iv.ID {
				continue
			}
			for _, id := range it.Interviewers {
				if !inPool[id] {
					added = id
				}
			}
		}
		if added == 0 {
			continue
		}
		if o, ok := try(withPool(append(slices.Clone(iv.Pool), added))); ok {
			out = append(out, Relaxation{Kind: RelaxAddInterviewer, InterviewID: iv.ID, InterviewerID: added, BestScore: o.Score,
				Message: fmt.Sprintf("add interviewer %d to the pool of %s", added, label(iv))})
		}
	}

	if p.Rules.SameDay {
		q := *p
		q.Rules.SameDay = false
		if o, ok := try(q); ok {
			out = append(out, Relaxation{Kind: RelaxDropSameDay, BestScore: o.Score,
				Message: "let the loop span more than one day"})
		}
	}
	return out
}
