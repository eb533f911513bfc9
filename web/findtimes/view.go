package findtimes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/scheduling"
)

// view is the Find times page.
type view struct {
	Candidate      *domain.Candidate
	Stage          *domain.Stage
	Replacing      int64  // the schedule being rescheduled, 0 for a new one
	Zone           string // the viewer's zone
	From, To       time.Time
	AssumedWindows bool
	Exhaustive     bool
	Options        []optionView
	Blockers       []string
	Relaxations    []string
	NoWindows      bool
	Allowed        string // the stage's hours, "08:00–19:00"
	// Searched names the candidate-local days the search could use: those
	// with the candidate's availability inside the stage's days and hours.
	Searched []string
	// Video is the Zoom choice the options were found with, and the one
	// "Use this option" carries to the scheduling form.
	Video bool
	// Unread says whose calendars cannot be read: they are not proposed.
	Unread []string
}

type optionView struct {
	Rank      int
	Score     int64
	Breakdown scheduler.Breakdown
	Day       string // the candidate's date
	// The one-line summary: first start to last end in the viewer's and
	// the candidate's zones, and who sits on the loop.
	WhenYours, WhenCandidate string
	People                   string
	Sequence                 string // "05:00 Coding · 06:15 Design", the viewer's clock
	Items                    []itemView
	Lanes                    []lane
	Marks                    []mark // the timeline's hours
	SpanFrom                 string // candidate-local clock at the timeline's left edge
	SpanTo                   string
	// Action is the scheduling form "Use this option" opens (a GET form:
	// the option's fields, with the seats as chosen, become its prefill).
	Action string
}

type itemView struct {
	Key        string // "p<interview id>_", the prefix of the form's fields
	Name       string
	Start, End time.Time
	StartValue string // RFC 3339, for the prefill
	Seats      []seat
	Room       string
	RoomValue  string // "r:<room id>" or ""
}

// seat is one interviewer of an item and who could take their place.
type seat struct {
	ID         int64
	Name       string
	Alternates []person
}

// person is an interviewer as the page and the API list them.
type person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// lane is one row of the day timeline.
type lane struct {
	Label  string
	Blocks []block
}

// block is one rectangle; Kind is window, off, busy or itv. X and Width
// are percentages of the timeline: SVG takes them as attributes, so
// nothing needs an inline style under the CSP, and the hour labels keep
// their shape at any width.
type block struct {
	Kind     string
	X, Width string
	Title    string
	// Label is the title written on the block when it is wide enough.
	Label string
}

// mark is a whole hour on the timeline, at X percent.
type mark struct {
	X     string
	Label string
}

func newView(sr *search, zone string) *view {
	in, res := sr.in, sr.res
	v := &view{Candidate: in.Candidate, Stage: in.Stage, Replacing: sr.replacing, Zone: zone, From: in.Problem.Window.Start, To: in.Problem.Window.End,
		AssumedWindows: in.AssumedWindows, Exhaustive: res.Exhaustive, NoWindows: len(in.Problem.Candidate.Windows) == 0,
	}
	from, to := in.Stage.AllowedHours()
	v.Allowed = domain.FormatClock(from) + "–" + domain.FormatClock(to)
	for _, u := range in.Unknown {
		v.Unread = append(v.Unread, unreadText(in, u))
	}
	v.Video = in.Video
	v.Searched = searchedDays(in)
	for i, o := range res.Options {
		v.Options = append(v.Options, newOption(in, zone, i+1, o, sr.alternates[i], formAction(in.Candidate.ID, sr.replacing)))
	}
	if e := res.Explanation; e != nil && len(res.Options) == 0 {
		for _, b := range e.Blockers {
			v.Blockers = append(v.Blockers, b.Message)
		}
		for _, r := range e.Relaxations {
			v.Relaxations = append(v.Relaxations, relaxationText(in, r))
		}
	}
	return v
}

// unreadText says whose busy time could not be read, and that they (or
// it, a room) are left out meanwhile.
func unreadText(in *scheduling.FindInput, u availability.Unknown) string {
	msg, room := u.Message, u.Resource == availability.ResourceRoom
	if msg == "" {
		name := fmt.Sprintf("Interviewer %d", u.ID)
		if p, ok := in.Users[u.ID]; ok && !room {
			name = p.Name
		}
		if room {
			name = "Room " + in.Rooms[u.ID].Name
		}
		msg = fmt.Sprintf("%s's busy time from %s could not be read (%s).", name, u.Source, u.Reason)
	}
	if room {
		return msg + " It is not proposed until it is read again."
	}
	return msg + " They are not proposed until it is read again."
}

func newOption(in *scheduling.FindInput, zone string, rank int, o scheduler.Option, alts [][]int64, action string) optionView {
	loc := in.CandLoc
	items := realItems(in, o)
	ov := optionView{Rank: rank, Score: o.Score, Breakdown: o.Breakdown, Action: action}
	if len(items) == 0 {
		return ov
	}
	first, last := items[0].Start.In(loc), items[len(items)-1].End
	ov.Day = first.Format("Monday 2 January 2006")
	viewer, err := domain.LoadLocation(zone)
	if err != nil {
		viewer = loc
	}
	ov.WhenYours = when(items[0].Start, last, viewer)
	ov.WhenCandidate = when(items[0].Start, last, loc)
	// The timeline spans the stage's allowed hours (07:00–20:00 when the
	// stage allows any hour), widened to whole candidate-local hours
	// around the interviews.
	from, to := in.Stage.AllowedHours()
	if from == 0 && to == 24*60 {
		from, to = 7*60, 20*60
	}
	y, m, d := first.Date()
	lo, hi := time.Date(y, m, d, 0, from, 0, 0, loc), time.Date(y, m, d, 0, to, 0, 0, loc)
	if f := hourFloor(items[0].Start, loc); f.Before(lo) {
		lo = f
	}
	if l := last.In(loc); l.After(hi) {
		hi = hourFloor(l, loc)
		if hi.Before(l) {
			hi = hi.Add(time.Hour)
		}
	}
	var people []int64
	var names []string
	for k, it := range items {
		iv := itemView{Key: "p" + strconv.FormatInt(it.InterviewID, 10) + "_", Name: it.Name, Start: it.Start, End: it.End,
			StartValue: it.Start.UTC().Format(time.RFC3339)}
		var others []person
		for _, id := range alts[k] {
			others = append(others, person{ID: id, Name: in.UserName(id)})
		}
		for _, id := range it.Interviewers {
			iv.Seats = append(iv.Seats, seat{ID: id, Name: in.UserName(id), Alternates: others})
			if !slices.Contains(people, id) {
				people = append(people, id)
				names = append(names, in.UserName(id))
			}
		}
		if it.RoomID != 0 {
			iv.Room = in.Rooms[it.RoomID].Name
			iv.RoomValue = "r:" + strconv.FormatInt(it.RoomID, 10)
		}
		ov.Items = append(ov.Items, iv)
	}
	ov.People = strings.Join(names, ", ")
	var seq []string
	for _, it := range items {
		seq = append(seq, it.Start.In(viewer).Format("15:04")+" "+it.Name)
	}
	ov.Sequence = strings.Join(seq, " · ")
	ov.SpanFrom, ov.SpanTo = lo.In(loc).Format("15:04"), hi.In(loc).Format("15:04")
	span := scheduler.Interval{Start: lo, End: hi}
	for h := hourFloor(lo, loc); !h.After(hi); h = h.Add(time.Hour) {
		if h.Before(lo) {
			continue
		}
		ov.Marks = append(ov.Marks, mark{X: pct(h.Sub(lo), hi.Sub(lo)), Label: h.In(loc).Format("15")})
	}
	cand := lane{Label: in.Candidate.Name + " (candidate)"}
	for _, w := range in.Problem.Candidate.Windows {
		cand.Blocks = appendBlock(cand.Blocks, span, "window", w, "Available")
	}
	for _, it := range items {
		cand.Blocks = appendBlock(cand.Blocks, span, "itv", scheduler.Interval{Start: it.Start, End: it.End}, it.Name)
	}
	ov.Lanes = append(ov.Lanes, cand)
	for _, id := range people {
		l := lane{Label: in.UserName(id)}
		for _, off := range offHours(in, id, span) {
			l.Blocks = appendBlock(l.Blocks, span, "off", off, "Outside working hours")
		}
		for i, b := range in.Busy[id] {
			title := "Busy"
			if labels := in.BusyLabels[id]; i < len(labels) {
				title = labels[i]
			}
			l.Blocks = appendBlock(l.Blocks, span, "busy", b, title)
		}
		for _, it := range items {
			if slices.Contains(it.Interviewers, id) {
				l.Blocks = appendBlock(l.Blocks, span, "itv", scheduler.Interval{Start: it.Start, End: it.End}, it.Name)
			}
		}
		ov.Lanes = append(ov.Lanes, l)
	}
	return ov
}

// when is "Tue 8 Dec 10:00–13:15" in loc, with the end's date when it
// falls on another day there.
func when(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	out := s.Format("Mon 2 Jan 15:04") + "–"
	if y, m, d := s.Date(); e.Day() != d || e.Month() != m || e.Year() != y {
		return out + e.Format("Mon 2 Jan 15:04")
	}
	return out + e.Format("15:04")
}

// hourFloor is the start of t's hour on loc's wall clock (zones such as
// +05:30 do not start hours on UTC's).
func hourFloor(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), 0, 0, 0, loc)
}

// offHours is the part of span outside interviewer id's working hours, on
// each of their own dates the span touches.
func offHours(in *scheduling.FindInput, id int64, span scheduler.Interval) []scheduler.Interval {
	var iv *scheduler.Interviewer
	for i := range in.Problem.Interviewers {
		if in.Problem.Interviewers[i].ID == id {
			iv = &in.Problem.Interviewers[i]
		}
	}
	if iv == nil || iv.Location == nil {
		return nil
	}
	var out []scheduler.Interval
	cur := span.Start
	l := span.Start.In(iv.Location)
	for d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, iv.Location); d.Before(span.End); d = d.AddDate(0, 0, 1) {
		date := scheduler.DateOf(d, iv.Location)
		for _, r := range iv.Hours[d.Weekday()] {
			w := r.On(date, iv.Location)
			if w.Start.After(cur) {
				end := w.Start
				if span.End.Before(end) {
					end = span.End
				}
				out = append(out, scheduler.Interval{Start: cur, End: end})
			}
			if w.End.After(cur) {
				cur = w.End
			}
		}
	}
	if cur.Before(span.End) {
		out = append(out, scheduler.Interval{Start: cur, End: span.End})
	}
	return out
}

// searchedDays names the candidate-local dates the search could use.
func searchedDays(in *scheduling.FindInput) []string {
	var out []string
	for _, d := range searchedDates(in) {
		out = append(out, time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, in.CandLoc).Format("Monday 2 January"))
	}
	return out
}

// searchedDates are the candidate-local dates with the candidate's
// availability inside the stage's days and hours: the days the search
// could use.
func searchedDates(in *scheduling.FindInput) []scheduler.Date {
	var out []scheduler.Date
	seen := map[scheduler.Date]bool{}
	for _, w := range in.Problem.Candidate.Windows {
		for t := w.Start; t.Before(w.End); {
			d := scheduler.DateOf(t, in.CandLoc)
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
			t = time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, in.CandLoc)
		}
	}
	return out
}

// appendBlock adds iv clipped to span, in percent of the span.
func appendBlock(bs []block, span scheduler.Interval, kind string, iv scheduler.Interval, title string) []block {
	s, e := iv.Start, iv.End
	if span.Start.After(s) {
		s = span.Start
	}
	if span.End.Before(e) {
		e = span.End
	}
	if !e.After(s) {
		return bs
	}
	total := span.End.Sub(span.Start)
	b := block{Kind: kind, X: pct(s.Sub(span.Start), total), Width: pct(e.Sub(s), total), Title: title}
	if kind == "busy" || kind == "itv" {
		// About one character per 0.8% of a 700 px wide timeline.
		b.Label = fit(title, int(100*float64(e.Sub(s))/float64(total)/0.8)-1)
	}
	return append(bs, b)
}

// fit shortens s to n characters with an ellipsis; "" when too narrow.
func fit(s string, n int) string {
	r := []rune(s)
	switch {
	case n < 4:
		return ""
	case len(r) <= n:
		return s
	}
	return string(r[:n-1]) + "…"
}

// pct is part/total in percent with two decimals, for SVG attributes.
func pct(part, total time.Duration) string {
	return strconv.FormatFloat(100*float64(part)/float64(total), 'f', 2, 64)
}

// formAction is the scheduling form an option opens: a new schedule's,
// or the edit form of the schedule being rescheduled.
func formAction(candidateID, replacing int64) string {
	if replacing != 0 {
		return fmt.Sprintf("/schedules/%d/edit", replacing)
	}
	return fmt.Sprintf("/candidates/%d/schedule", candidateID)
}
