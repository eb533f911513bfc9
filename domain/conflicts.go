package domain

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// ConflictKind names a reason a placement is a problem.
type ConflictKind string

const (
	ConflictInterviewerBooked ConflictKind = "interviewer_booked"
	ConflictOutsideHours      ConflictKind = "outside_working_hours"
	ConflictDailyLimit        ConflictKind = "over_daily_limit"
	ConflictWeeklyLimit       ConflictKind = "over_weekly_limit"
	ConflictHostBusy          ConflictKind = "zoom_host_busy"
	ConflictRoomTaken         ConflictKind = "room_taken"
	ConflictAllowedHours      ConflictKind = "outside_allowed_hours"
	ConflictDateRange         ConflictKind = "outside_date_range"
	ConflictLongGap           ConflictKind = "gap_too_long"
	ConflictNoLunch           ConflictKind = "no_lunch_break"
	ConflictNoBreak           ConflictKind = "candidate_no_break"
	// ConflictBusyUnknown warns that a source of busy time (a calendar)
	// could not be read for an interviewer, so a clash may be unseen.
	ConflictBusyUnknown ConflictKind = "busy_unknown"
)

// Conflict is one problem with a proposed schedule. Blocking conflicts
// (double bookings) refuse the save; the others are warnings the
// coordinator may accept.
type Conflict struct {
	Kind     ConflictKind `json:"kind"`
	Item     int          `json:"item"` // index into the proposal's items
	UserID   int64        `json:"user_id,omitempty"`
	Message  string       `json:"message"`
	Blocking bool         `json:"blocking"`
}

// Booking is an existing interviewer booking, a room booking or a video
// host's meeting — something a proposal must not overlap.
type Booking struct {
	Key        int64  // user id or room id
	HostID     string // video host id (host bookings)
	ScheduleID int64  // 0: busy time from elsewhere (a calendar), not one of our interviews
	Start, End time.Time
	Title      string // a calendar event's title ("Busy" when private); "" for our own
}

// Interview reports whether the booking is one of our interviews, which
// daily and weekly limits count.
func (b Booking) Interview() bool { return b.ScheduleID != 0 }

// own reports whether b belongs to the schedule being edited, which never
// clashes with itself.
func (in ConflictInput) own(b Booking) bool {
	return b.ScheduleID != 0 && b.ScheduleID == in.ScheduleID
}

// ProposedItem is one interview as the coordinator placed it.
type ProposedItem struct {
	Name         string
	Start, End   time.Time
	Interviewers []int64
	RoomID       int64
	HostID       string // predicted video host, "" when none
}

// ConflictInput is everything the pure conflict check needs.
type ConflictInput struct {
	ScheduleID    int64 // the schedule being edited (its own bookings are ignored); 0 for new
	Items         []ProposedItem
	Profiles      map[int64]InterviewerProfile
	Names         map[int64]string
	BufferMinutes int
	Interviewers  []Booking // other schedules' interviewer bookings near the proposal
	Rooms         []Booking
	Hosts         []Booking
	RoomNames     map[int64]string
	// The stage's allowed hours (minutes, in the candidate's zone) and the
	// days the schedule may use; zero values check nothing.
	CandidateZone          string
	AllowedStartMinute     int
	AllowedEndMinute       int
	EarliestDay, LatestDay time.Time // [EarliestDay, LatestDay)
	// The stage's loop rules: the longest gap between interviews on a day
	// and a lunch break inside a window, both in the candidate's zone;
	// zero values check nothing.
	MaxGapMinutes                    int
	LunchMinutes                     int
	LunchStartMinute, LunchEndMinute int
}

// CheckConflicts lists the problems of a proposal, deterministic order.
func CheckConflicts(in ConflictInput) []Conflict {
	var out []Conflict
	buffer := time.Duration(in.BufferMinutes) * time.Minute
	name := func(id int64) string {
		if n, ok := in.Names[id]; ok {
			return n
		}
		return fmt.Sprintf("Interviewer %d", id)
	}
	for i, it := range in.Items {
		for _, uid := range it.Interviewers {
			for _, b := range in.Interviewers {
				if b.Key == uid && !in.own(b) && Overlaps(it.Start.Add(-buffer), it.End.Add(buffer), b.Start, b.End) {
					msg := fmt.Sprintf("%s is already booked for another interview at that time.", name(uid))
					if !b.Interview() {
						msg = fmt.Sprintf("%s is busy at that time.", name(uid))
						if b.Title != "" {
							msg = fmt.Sprintf("%s: “%s” %s in their calendar.", name(uid), b.Title, in.span(uid, b.Start, b.End))
						}
					}
					out = append(out, Conflict{Kind: ConflictInterviewerBooked, Item: i, UserID: uid, Blocking: true, Message: msg})
					break
				}
			}
			for j, other := range in.Items[:i] {
				if slices.Contains(other.Interviewers, uid) && Overlaps(it.Start.Add(-buffer), it.End.Add(buffer), other.Start, other.End) {
					out = append(out, Conflict{Kind: ConflictInterviewerBooked, Item: i, UserID: uid, Blocking: true,
						Message: fmt.Sprintf("%s is placed in %q and %q at the same time.", name(uid), other.Name, it.Name)})
					_ = j
					break
				}
			}
			if p, ok := in.Profiles[uid]; ok && !p.Works(it.Start, it.End) {
				out = append(out, Conflict{Kind: ConflictOutsideHours, Item: i, UserID: uid,
					Message: fmt.Sprintf("%s is outside %s's working hours (%s).", it.Name, name(uid), p.TimeZone)})
			}
		}
		if it.RoomID != 0 {
			for _, b := range in.Rooms {
				if b.Key == it.RoomID && !in.own(b) && Overlaps(it.Start, it.End, b.Start, b.End) {
					msg := fmt.Sprintf("Room %s is taken at that time.", in.RoomNames[it.RoomID])
					if !b.Interview() && b.Title != "" {
						msg = fmt.Sprintf("Room %s: “%s” %s in its calendar.", in.RoomNames[it.RoomID], b.Title, in.span(0, b.Start, b.End))
					}
					out = append(out, Conflict{Kind: ConflictRoomTaken, Item: i, Blocking: true, Message: msg})
					break
				}
			}
			for _, other := range in.Items[:i] {
				if other.RoomID == it.RoomID && Overlaps(it.Start, it.End, other.Start, other.End) {
					out = append(out, Conflict{Kind: ConflictRoomTaken, Item: i, Blocking: true,
						Message: fmt.Sprintf("Room %s is used by %q at the same time.", in.RoomNames[it.RoomID], other.Name)})
					break
				}
			}
		}
		if it.HostID != "" {
			for _, b := range in.Hosts {
				if b.HostID == it.HostID && !in.own(b) && Overlaps(it.Start, it.End, b.Start, b.End) {
					out = append(out, Conflict{Kind: ConflictHostBusy, Item: i,
						Message: fmt.Sprintf("The Zoom host for %q is already hosting another meeting at that time; another host will be used if one is free.", it.Name)})
					break
				}
			}
		}
	}
	out = append(out, stageConflicts(in)...)
	out = append(out, breakConflicts(in)...)
	out = append(out, loopConflicts(in)...)
	out = append(out, loadConflicts(in)...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Item < out[b].Item })
	return out
}

// loadConflicts counts each interviewer's interviews per day and per ISO
// week in their own zone, existing plus proposed.
func loadConflicts(in ConflictInput) []Conflict {
	var out []Conflict
	type dayKey struct {
		user int64
		day  string
	}
	daily := map[dayKey]int{}
	weekly := map[dayKey]int{}
	keys := func(uid int64, t time.Time) (dayKey, dayKey) {
		loc := time.UTC
		if p, ok := in.Profiles[uid]; ok {
			if l, err := LoadLocation(p.TimeZone); err == nil {
				loc = l
			}
		}
		lt := t.In(loc)
		y, w := lt.ISOWeek()
		return dayKey{uid, lt.Format("2006-01-02")}, dayKey{uid, fmt.Sprintf("%d-W%02d", y, w)}
	}
	for _, b := range in.Interviewers {
		if in.own(b) || !b.Interview() {
			continue
		}
		d, w := keys(b.Key, b.Start)
		daily[d]++
		weekly[w]++
	}
	reported := map[dayKey]bool{}
	for i, it := range in.Items {
		for _, uid := range it.Interviewers {
			d, w := keys(uid, it.Start)
			daily[d]++
			weekly[w]++
			p := in.Profiles[uid]
			name := in.Names[uid]
			if p.MaxPerDay > 0 && daily[d] > p.MaxPerDay && !reported[d] {
				reported[d] = true
				out = append(out, Conflict{Kind: ConflictDailyLimit, Item: i, UserID: uid,
					Message: fmt.Sprintf("%s would have %d interviews on %s (limit %d a day).", name, daily[d], d.day, p.MaxPerDay)})
			}
			if p.MaxPerWeek > 0 && weekly[w] > p.MaxPerWeek && !reported[w] {
				reported[w] = true
				out = append(out, Conflict{Kind: ConflictWeeklyLimit, Item: i, UserID: uid,
					Message: fmt.Sprintf("%s would have %d interviews in week %s (limit %d a week).", name, weekly[w], w.day, p.MaxPerWeek)})
			}
		}
	}
	return out
}

// HasBlocking reports whether any conflict refuses the save.
func HasBlocking(cs []Conflict) bool {
	for _, c := range cs {
		if c.Blocking {
			return true
		}
	}
	return false
}

// stageConflicts warns about interviews outside the stage's allowed hours
// (in the candidate's zone) or its range of days.
func stageConflicts(in ConflictInput) []Conflict {
	var out []Conflict
	loc, err := LoadLocation(in.CandidateZone)
	if err != nil || in.CandidateZone == "" {
		loc = time.UTC
	}
	for i, it := range in.Items {
		if in.AllowedEndMinute > 0 && (in.AllowedStartMinute > 0 || in.AllowedEndMinute < 24*60) {
			if !WithinHours(in.AllowedStartMinute, in.AllowedEndMinute, it.Start, it.End, loc) {
				out = append(out, Conflict{Kind: ConflictAllowedHours, Item: i,
					Message: fmt.Sprintf("%s is outside the stage's hours (%s–%s for the candidate).", it.Name, FormatClock(in.AllowedStartMinute), FormatClock(in.AllowedEndMinute))})
			}
		}
		if !in.EarliestDay.IsZero() && (it.Start.Before(in.EarliestDay) || !it.Start.Before(in.LatestDay)) {
			out = append(out, Conflict{Kind: ConflictDateRange, Item: i,
				Message: fmt.Sprintf("%s is outside the days this stage allows (%s to %s).", it.Name, in.EarliestDay.In(loc).Format("2 Jan"), in.LatestDay.In(loc).AddDate(0, 0, -1).Format("2 Jan"))})
		}
	}
	return out
}

// breakConflicts warns about interviews the candidate cannot attend one
// after the other: overlapping, or closer than the stage's buffer, which
// Find times also keeps between the candidate's interviews.
func breakConflicts(in ConflictInput) []Conflict {
	order := byStart(in.Items)
	buffer := time.Duration(in.BufferMinutes) * time.Minute
	var out []Conflict
	for k := 1; k < len(order); k++ {
		prev, cur := in.Items[order[k-1]], in.Items[order[k]]
		switch gap := cur.Start.Sub(prev.End); {
		case gap < 0:
			out = append(out, Conflict{Kind: ConflictNoBreak, Item: order[k],
				Message: fmt.Sprintf("%s overlaps %s; the candidate cannot attend both.", cur.Name, prev.Name)})
		case gap < buffer:
			out = append(out, Conflict{Kind: ConflictNoBreak, Item: order[k],
				Message: fmt.Sprintf("%s starts %d minutes after %s ends; this stage gives the candidate at least %d minutes between interviews.", cur.Name, int(gap.Minutes()), prev.Name, in.BufferMinutes)})
		}
	}
	return out
}

// byStart is the items' indexes by start time.
func byStart(items []ProposedItem) []int {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return items[order[a]].Start.Before(items[order[b]].Start) })
	return order
}

// loopConflicts warns, per candidate-local day, about a gap between
// consecutive interviews longer than the stage allows, and about a day
// whose interviews reach into the lunch window without leaving the lunch
// free inside it. These are the rules "Find times" never breaks; a
// coordinator placing interviews by hand may accept them.
func loopConflicts(in ConflictInput) []Conflict {
	if in.MaxGapMinutes <= 0 && in.LunchMinutes <= 0 {
		return nil
	}
	loc, err := LoadLocation(in.CandidateZone)
	if err != nil || in.CandidateZone == "" {
		loc = time.UTC
	}
	order := byStart(in.Items)
	day := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	var out []Conflict
	for k := 1; k < len(order) && in.MaxGapMinutes > 0; k++ {
		prev, cur := in.Items[order[k-1]], in.Items[order[k]]
		if !day(prev.Start).Equal(day(cur.Start)) {
			continue
		}
		if gap := cur.Start.Sub(prev.End); gap > time.Duration(in.MaxGapMinutes)*time.Minute {
			out = append(out, Conflict{Kind: ConflictLongGap, Item: order[k],
				Message: fmt.Sprintf("%s starts %d minutes after %s ends; this stage allows at most %d.", cur.Name, int(gap.Minutes()), prev.Name, in.MaxGapMinutes)})
		}
	}
	if in.LunchMinutes <= 0 || in.LunchEndMinute <= in.LunchStartMinute {
		return out
	}
	lunch := time.Duration(in.LunchMinutes) * time.Minute
	for k := 0; k < len(order); {
		d := day(in.Items[order[k]].Start)
		// Wall-clock times on the date: on a day clocks change, minutes
		// after midnight are not elapsed minutes.
		y, m, dd := d.Date()
		from, to := time.Date(y, m, dd, 0, in.LunchStartMinute, 0, 0, loc), time.Date(y, m, dd, 0, in.LunchEndMinute, 0, 0, loc)
		first := -1 // the first interview reaching into the window
		free, longest := from, time.Duration(0)
		for ; k < len(order) && day(in.Items[order[k]].Start).Equal(d); k++ {
			it := in.Items[order[k]]
			if first < 0 && it.Start.Before(to) && it.End.After(from) {
				first = order[k]
			}
			if it.Start.After(free) {
				end := it.Start
				if to.Before(end) {
					end = to
				}
				longest = max(longest, end.Sub(free))
			}
			if it.End.After(free) {
				free = it.End
			}
		}
		if to.After(free) {
			longest = max(longest, to.Sub(free))
		}
		if first >= 0 && longest < lunch {
			out = append(out, Conflict{Kind: ConflictNoLunch, Item: first,
				Message: fmt.Sprintf("No %d-minute lunch break between %s and %s on %s.", in.LunchMinutes, FormatClock(in.LunchStartMinute), FormatClock(in.LunchEndMinute), d.Format("Mon 2 Jan"))})
		}
	}
	return out
}

// span formats [start, end) on the interviewer's wall clock, "10:00–10:30 EST".
func (in ConflictInput) span(uid int64, start, end time.Time) string {
	loc := time.UTC
	if p, ok := in.Profiles[uid]; ok {
		if l, err := time.LoadLocation(p.TimeZone); err == nil {
			loc = l
		}
	}
	return start.In(loc).Format("15:04") + "–" + end.In(loc).Format("15:04 MST")
}
