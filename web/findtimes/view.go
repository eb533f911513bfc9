package findtimes

import (
	"fmt"
	"strconv"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
)

// timelineWidth is the SVG user-space width of a day timeline; rectangles
// are placed with x/width attributes (no inline styles under the CSP).
const timelineWidth = 1000

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
	// Unread says whose calendars cannot be read: they are not proposed.
	Unread []string
}

type optionView struct {
	Rank      int
	Score     int64
	Breakdown scheduler.Breakdown
	Day       string // the candidate's date
	Items     []itemView
	Lanes     []lane
	SpanFrom  string // candidate-local clock at the timeline's left edge
	SpanTo    string
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

// block is one rectangle; Kind is window, busy or itv.
type block struct {
	Kind     string
	X, Width int
	Title    string
}

func newView(sr *search, zone string) *view {
	in, res := sr.in, sr.res
	v := &view{Candidate: in.Candidate, Stage: in.Stage, Replacing: sr.replacing, Zone: zone, From: in.Problem.Window.Start, To: in.Problem.Window.End,
		AssumedWindows: in.AssumedWindows, Exhaustive: res.Exhaustive, NoWindows: len(in.Problem.Candidate.Windows) == 0,
	}
	from, to := in.Stage.AllowedHours()
	v.Allowed = domain.FormatClock(from) + "–" + domain.FormatClock(to)
	for _, u := range in.Unknown {
		v.Unread = append(v.Unread, u.Reason+" They are not proposed until it is read again.")
	}
	for i, o := range res.Options {
		v.Options = append(v.Options, newOption(in, i+1, o, sr.alternates[i], formAction(in.Candidate.ID, sr.replacing)))
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

func newOption(in *Input, rank int, o scheduler.Option, alts [][]int64, action string) optionView {
	loc := in.CandLoc
	items := realItems(in, o)
	ov := optionView{Rank: rank, Score: o.Score, Breakdown: o.Breakdown, Action: action}
	if len(items) == 0 {
		return ov
	}
	first := items[0].Start.In(loc)
	ov.Day = first.Format("Monday 2 January 2006")
	dayStart := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc)
	// The timeline spans the stage's allowed hours (07:00–20:00 when the
	// stage allows any hour), widened to whole hours around the interviews.
	from, to := in.Stage.AllowedHours()
	if from == 0 && to == 24*60 {
		from, to = 7*60, 20*60
	}
	lo, hi := dayStart.Add(time.Duration(from)*time.Minute), dayStart.Add(time.Duration(to)*time.Minute)
	var people []int64
	for k, it := range items {
		if it.Start.Before(lo) {
			lo = it.Start.Truncate(time.Hour)
		}
		if it.End.After(hi) {
			hi = it.End.Truncate(time.Hour).Add(time.Hour)
		}
		iv := itemView{Key: "p" + strconv.FormatInt(it.InterviewID, 10) + "_", Name: it.Name, Start: it.Start, End: it.End,
			StartValue: it.Start.UTC().Format(time.RFC3339)}
		var others []person
		for _, id := range alts[k] {
			others = append(others, person{ID: id, Name: in.userName(id)})
		}
		for _, id := range it.Interviewers {
			iv.Seats = append(iv.Seats, seat{ID: id, Name: in.userName(id), Alternates: others})
			if !contains(people, id) {
				people = append(people, id)
			}
		}
		if it.RoomID != 0 {
			iv.Room = in.Rooms[it.RoomID].Name
			iv.RoomValue = "r:" + strconv.FormatInt(it.RoomID, 10)
		}
		ov.Items = append(ov.Items, iv)
	}
	ov.SpanFrom, ov.SpanTo = lo.In(loc).Format("15:04"), hi.In(loc).Format("15:04")
	span := scheduler.Interval{Start: lo, End: hi}
	cand := lane{Label: in.Candidate.Name + " (candidate)"}
	for _, w := range in.Problem.Candidate.Windows {
		cand.Blocks = appendBlock(cand.Blocks, span, "window", w, "Available")
	}
	for _, it := range items {
		cand.Blocks = appendBlock(cand.Blocks, span, "itv", scheduler.Interval{Start: it.Start, End: it.End}, it.Name)
	}
	ov.Lanes = append(ov.Lanes, cand)
	for _, id := range people {
		l := lane{Label: in.userName(id)}
		for _, b := range in.Busy[id] {
			l.Blocks = appendBlock(l.Blocks, span, "busy", b, "Another interview")
		}
		for _, it := range items {
			if contains(it.Interviewers, id) {
				l.Blocks = appendBlock(l.Blocks, span, "itv", scheduler.Interval{Start: it.Start, End: it.End}, it.Name)
			}
		}
		ov.Lanes = append(ov.Lanes, l)
	}
	return ov
}

// appendBlock adds iv clipped to span, scaled to the timeline's width.
func appendBlock(bs []block, span scheduler.Interval, kind string, iv scheduler.Interval, title string) []block {
	s, e := maxTime(iv.Start, span.Start), minTime(iv.End, span.End)
	if !e.After(s) {
		return bs
	}
	total := span.End.Sub(span.Start)
	x := int(int64(timelineWidth) * int64(s.Sub(span.Start)) / int64(total))
	w := int(int64(timelineWidth) * int64(e.Sub(s)) / int64(total))
	if w < 1 {
		w = 1
	}
	return append(bs, block{Kind: kind, X: x, Width: w, Title: title})
}

// formAction is the scheduling form an option opens: a new schedule's,
// or the edit form of the schedule being rescheduled.
func formAction(candidateID, replacing int64) string {
	if replacing != 0 {
		return fmt.Sprintf("/schedules/%d/edit", replacing)
	}
	return fmt.Sprintf("/candidates/%d/schedule", candidateID)
}

func (in *Input) userName(id int64) string {
	if u, ok := in.Users[id]; ok {
		return u.Name
	}
	return fmt.Sprintf("Interviewer %d", id)
}

func contains(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
