package scheduler

import (
	"errors"
	"fmt"
	"time"
)

// Interval is a half-open span of absolute time [Start, End).
type Interval struct {
	Start, End time.Time
}

// Date is a calendar date without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// DateOf returns the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, dd := t.In(loc).Date()
	return Date{y, m, dd}
}

// days is the number of days since 1970-01-01, for date arithmetic.
func (d Date) days() int {
	return int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ClockRange is a wall-clock range on a date, in minutes after local
// midnight: {540, 1020} is 09:00–17:00.
type ClockRange struct {
	StartMin, EndMin int
}

// IsZero reports whether r is unset.
func (r ClockRange) IsZero() bool { return r.StartMin == 0 && r.EndMin == 0 }

// On returns the absolute interval of r on date d in loc.
func (r ClockRange) On(d Date, loc *time.Location) Interval {
	return Interval{
		Start: time.Date(d.Year, d.Month, d.Day, 0, r.StartMin, 0, 0, loc),
		End:   time.Date(d.Year, d.Month, d.Day, 0, r.EndMin, 0, 0, loc),
	}
}

// Interview is one session of the loop.
type Interview struct {
	ID       int64
	Name     string
	Duration time.Duration
	// Interviewers is how many distinct interviewers from Pool it needs.
	Interviewers int
	Pool         []int64
	// Rooms lists acceptable rooms; empty means no room is needed.
	Rooms []int64
	// Video asks for a Zoom host free during the interview.
	Video bool
}

// Lunch asks for a free stretch of Length inside Window (candidate's wall
// clock) on every day whose interviews overlap Window.
type Lunch struct {
	Window ClockRange
	Length time.Duration
}

// Rules are the loop's hard rules.
type Rules struct {
	SameDay    bool
	FixedOrder bool          // interviews in the order of Problem.Interviews
	MaxGap     time.Duration // between consecutive interviews on a day; 0 = no limit
	Buffer     time.Duration // minimum gap between consecutive interviews
	Lunch      *Lunch
	// EarliestDay and LatestDay bound the candidate-local dates; zero = open.
	EarliestDay, LatestDay Date
}

// Candidate is the person being interviewed.
type Candidate struct {
	Location  *time.Location
	Windows   []Interval
	Preferred []Interval // soft; empty = no preference
}

// DayCount is a number of existing interviews on a date (interviewer-local).
type DayCount struct {
	Date  Date
	Count int
}

// Interviewer is a person who can sit on interviews.
type Interviewer struct {
	ID       int64
	Name     string
	Location *time.Location
	// Hours holds working hours per weekday (index time.Weekday).
	Hours     [7][]ClockRange
	Busy      []Interval
	Existing  []DayCount // existing interviews per date
	DailyCap  int        // 0 = no cap
	WeeklyCap int        // 0 = no cap
	Preferred ClockRange // preferred hours each day; zero = none
}

// Room is a bookable room.
type Room struct {
	ID   int64
	Name string
	Busy []Interval
}

// ZoomHost is a Zoom user that can run one meeting at a time.
type ZoomHost struct {
	ID   int64
	Busy []Interval // its scheduled meetings
}

// Weights of the objective terms; see the package documentation.
type Weights struct {
	Day, IdleMinute, Gap, Load, InterviewerPref, CandidatePref int64
}

// DefaultWeights makes the day dominate, then load and preferences, then
// gaps and idle minutes: two 15-minute gaps (50) cost more than one of 30
// minutes (40).
func DefaultWeights() Weights {
	return Weights{Day: 100, IdleMinute: 1, Gap: 10, Load: 10, InterviewerPref: 15, CandidatePref: 15}
}

// Problem is everything Find needs.
type Problem struct {
	Interviews   []Interview
	Rules        Rules
	Candidate    Candidate
	Interviewers []Interviewer
	Rooms        []Room
	ZoomHosts    []ZoomHost
	Window       Interval
	Granularity  time.Duration // 15 min default; 5 allowed
	TopN         int           // default 10
	Budget       time.Duration // default 500 ms
	Weights      *Weights      // nil = DefaultWeights
}

// Defaults returned by the Problem accessors.
const (
	DefaultGranularity = 15 * time.Minute
	DefaultTopN        = 10
	DefaultBudget      = 500 * time.Millisecond
)

// Grid returns the granularity in effect.
func (p *Problem) Grid() time.Duration {
	if p.Granularity == 0 {
		return DefaultGranularity
	}
	return p.Granularity
}

// WeightsInEffect returns the weights in effect.
func (p *Problem) WeightsInEffect() Weights {
	if p.Weights == nil {
		return DefaultWeights()
	}
	return *p.Weights
}

func (p *Problem) topN() int {
	if p.TopN <= 0 {
		return DefaultTopN
	}
	return p.TopN
}

func (p *Problem) budget() time.Duration {
	if p.Budget <= 0 {
		return DefaultBudget
	}
	return p.Budget
}

// FirstStart returns the first grid point at or after the window start; all
// interview starts are FirstStart + k·Grid.
func (p *Problem) FirstStart() time.Time {
	g := p.Grid()
	t := p.Window.Start.Truncate(g)
	if t.Before(p.Window.Start) {
		t = t.Add(g)
	}
	return t
}

// ErrInvalid wraps every validation error.
var ErrInvalid = errors.New("invalid scheduling problem")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Validate reports the first problem with p, or nil.
func Validate(p Problem) error {
	g := p.Grid()
	if g != 5*time.Minute && g != 15*time.Minute {
		return invalid("granularity %v: use 5m or 15m", g)
	}
	if len(p.Interviews) == 0 {
		return invalid("no interviews")
	}
	if !p.Window.End.After(p.Window.Start) {
		return invalid("search window ends before it starts")
	}
	if p.Window.End.Sub(p.Window.Start) > 120*24*time.Hour {
		return invalid("search window longer than 120 days")
	}
	if p.Candidate.Location == nil {
		return invalid("candidate has no time zone")
	}
	onGrid := func(d time.Duration) bool { return d%g == 0 }
	if p.Rules.Buffer < 0 || !onGrid(p.Rules.Buffer) {
		return invalid("buffer %v must be a non-negative multiple of %v", p.Rules.Buffer, g)
	}
	if p.Rules.MaxGap < 0 || !onGrid(p.Rules.MaxGap) {
		return invalid("max gap %v must be a non-negative multiple of %v", p.Rules.MaxGap, g)
	}
	if p.Rules.MaxGap > 0 && p.Rules.MaxGap < p.Rules.Buffer {
		return invalid("max gap %v is shorter than the buffer %v", p.Rules.MaxGap, p.Rules.Buffer)
	}
	if l := p.Rules.Lunch; l != nil {
		// Neither needs to lie on the grid: the search keeps the stated
		// minutes free inside the stated window.
		if l.Length <= 0 {
			return invalid("lunch length %v must be positive", l.Length)
		}
		if l.Window.StartMin < 0 || l.Window.EndMin > 24*60 || time.Duration(l.Window.EndMin-l.Window.StartMin)*time.Minute < l.Length {
			return invalid("lunch window %s does not hold a %v lunch", l.Window, l.Length)
		}
		if p.Rules.MaxGap > 0 && p.Rules.MaxGap < l.Length {
			return invalid("max gap %v leaves no room for a %v lunch", p.Rules.MaxGap, l.Length)
		}
	}
	if err := validateWeights(p); err != nil {
		return err
	}
	people := make(map[int64]bool, len(p.Interviewers))
	for _, iv := range p.Interviewers {
		if people[iv.ID] {
			return invalid("interviewer %d listed twice", iv.ID)
		}
		people[iv.ID] = true
		if iv.Location == nil {
			return invalid("interviewer %d has no time zone", iv.ID)
		}
		if iv.DailyCap < 0 || iv.WeeklyCap < 0 {
			return invalid("interviewer %d has a negative cap", iv.ID)
		}
		for _, e := range iv.Existing {
			if e.Count < 0 {
				return invalid("interviewer %d has %d existing interviews on %v", iv.ID, e.Count, e.Date)
			}
		}
		for wd, rs := range iv.Hours {
			for _, r := range rs {
				if r.StartMin < 0 || r.EndMin > 24*60 || r.EndMin < r.StartMin {
					return invalid("interviewer %d: working hours %v on %v", iv.ID, r, time.Weekday(wd))
				}
			}
		}
	}
	rooms := make(map[int64]bool, len(p.Rooms))
	for _, r := range p.Rooms {
		if rooms[r.ID] {
			return invalid("room %d listed twice", r.ID)
		}
		rooms[r.ID] = true
	}
	videos := false
	seen := make(map[int64]bool, len(p.Interviews))
	for _, in := range p.Interviews {
		if seen[in.ID] {
			return invalid("interview %d listed twice", in.ID)
		}
		seen[in.ID] = true
		if in.Duration <= 0 {
			return invalid("interview %d: duration %v must be positive", in.ID, in.Duration)
		}
		if !onGrid(in.Duration) {
			return invalid("interview %d: duration %v is not a multiple of %v", in.ID, in.Duration, g)
		}
		if in.Interviewers <= 0 {
			return invalid("interview %d needs at least one interviewer", in.ID)
		}
		inPool := make(map[int64]bool, len(in.Pool))
		for _, id := range in.Pool {
			if !people[id] {
				return invalid("interview %d: pool has unknown interviewer %d", in.ID, id)
			}
			if inPool[id] {
				return invalid("interview %d: interviewer %d is in the pool twice", in.ID, id)
			}
			inPool[id] = true
		}
		if len(in.Pool) < in.Interviewers {
			return invalid("interview %d needs %d interviewers but its pool has %d", in.ID, in.Interviewers, len(in.Pool))
		}
		for _, id := range in.Rooms {
			if !rooms[id] {
				return invalid("interview %d: unknown room %d", in.ID, id)
			}
		}
		videos = videos || in.Video
	}
	if videos && len(p.ZoomHosts) == 0 {
		return invalid("video interviews but no Zoom hosts")
	}
	return nil
}

// String formats r as "12:00–13:30".
func (r ClockRange) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", r.StartMin/60, r.StartMin%60, r.EndMin/60, r.EndMin%60)
}

// maxScore is the largest score Validate lets a problem reach; the search
// adds a few such sums below its "infinite" cost of 2⁶⁰.
const maxScore = 1 << 56

// validateWeights refuses negative weights, which would make the search's
// bounds wrong (it prunes assuming every term only adds), and weights so
// large that a schedule's score could overflow the search's arithmetic.
func validateWeights(p Problem) error {
	w := p.WeightsInEffect()
	for _, t := range []struct {
		name string
		v    int64
	}{{"day", w.Day}, {"idle minute", w.IdleMinute}, {"gap", w.Gap}, {"load", w.Load},
		{"interviewer preference", w.InterviewerPref}, {"candidate preference", w.CandidatePref}} {
		if t.v < 0 {
			return invalid("the %s weight is %d: weights must not be negative", t.name, t.v)
		}
	}
	// The largest each term can be, in floating point so the bound itself
	// cannot overflow.
	m := float64(len(p.Interviews))
	seats := 0.0
	for _, in := range p.Interviews {
		seats += float64(max(in.Interviewers, 0))
	}
	span := p.Window.End.Sub(p.Window.Start)
	days, minutes := span.Hours()/24+2, span.Minutes()
	week := 0.0
	for _, in := range p.Interviewers {
		n := 0.0
		for _, e := range in.Existing {
			n += float64(max(e.Count, 0))
		}
		week = max(week, n)
	}
	worst := float64(w.Day)*days*m + float64(w.IdleMinute)*minutes + float64(w.Gap)*m +
		float64(w.Load)*week*seats + float64(w.InterviewerPref)*seats + float64(w.CandidatePref)*m
	if worst >= maxScore {
		return invalid("weights %+v are too large: a schedule's score could reach %.3g, above the limit of %d", w, worst, int64(maxScore))
	}
	return nil
}
