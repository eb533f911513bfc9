package scheduling_test

// The conflict rules (domain.CheckConflicts, what the scheduling form and
// API check) and the engine's hard rules (scheduler.Find, what Find times
// proposes) are written twice, once for a proposal and once for a search.
// This test holds them to one meaning: random proposals — on days when
// clocks change, with buffers, daily and weekly limits, rooms, Zoom hosts,
// the stage's hours and days, longest gap and lunch break — get the same
// verdict from both. The engine is asked about exactly one proposal: each
// interview's pool is its interviewers, its room the proposed one, the
// candidate free exactly when the proposal has them interviewing, in the
// proposal's order; it accepts when it returns that placement.
//
// Rules only one side has are left out on purpose and listed in
// docs/architecture.md: the engine's same-day and fixed-order rules and
// the candidate's availability (the manual form lets a coordinator go
// beyond them; here every loop is on one day, in its own order, inside the
// candidate's time), and the engine's choice among several Zoom hosts (the
// check warns about the likely host only; here there is one).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
)

const grid = 15 * time.Minute

// ruleCase is one random stage, world and proposal.
type ruleCase struct {
	candZone    *time.Location
	buffer      int // minutes, on the grid
	allowed     [2]int
	maxGap      int
	lunch       int
	lunchWindow [2]int
	earliest    time.Time // [earliest, latest) candidate-local midnights; zero: open
	latest      time.Time
	people      []person
	roomBusy    []domain.Booking
	hostBusy    []domain.Booking
	items       []domain.ProposedItem
	video       bool
}

type person struct {
	id       int64
	zone     *time.Location
	hours    domain.WorkingHours
	perDay   int
	perWeek  int
	bookings []domain.Booking
}

// Days clocks change somewhere, and one when they do not.
var ruleDays = []string{"2030-03-10", "2030-03-31", "2030-10-27", "2030-11-03", "2030-04-07", "2030-10-06", "2030-06-12"}

var ruleZones = []string{"America/New_York", "Europe/Berlin", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "Australia/Lord_Howe", "UTC"}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func randomHours(r *rand.Rand) domain.WorkingHours {
	var h domain.WorkingHours
	shapes := [][]domain.Span{
		{{Start: 9 * 60, End: 17 * 60}},
		{{Start: 0, End: 24 * 60}},
		{{Start: 0, End: 24 * 60}},
		{{Start: 0, End: 24 * 60}},
		{{Start: 0, End: 3 * 60}, {Start: 8 * 60, End: 24 * 60}},
		{{Start: 60, End: 4 * 60}, {Start: 10 * 60, End: 14 * 60}},
		{{Start: 7*60 + 30, End: 12 * 60}, {Start: 13 * 60, End: 19 * 60}},
		nil,
	}
	for d := range h {
		h[d] = pick(r, shapes...)
	}
	return h
}

// randomCase builds a case around one of ruleDays.
func randomCase(r *rand.Rand) ruleCase {
	c := ruleCase{candZone: mustZone(pick(r, ruleZones...))}
	day, _ := time.ParseInLocation("2006-01-02", pick(r, ruleDays...), c.candZone)
	c.buffer = pick(r, 0, 0, 15, 30)
	c.allowed = pick(r, [2]int{0, 0}, [2]int{0, 0}, [2]int{8 * 60, 18 * 60}, [2]int{60, 23 * 60}, [2]int{0, 3 * 60})
	c.lunch = pick(r, 0, 0, 30, 60)
	c.lunchWindow = pick(r, [2]int{11*60 + 30, 13*60 + 30}, [2]int{12 * 60, 13 * 60}, [2]int{60, 4 * 60})
	if c.lunchWindow[1]-c.lunchWindow[0] < c.lunch {
		c.lunch = 0
	}
	c.maxGap = pick(r, 0, 0, 30, 60, 120)
	if c.maxGap > 0 && (c.maxGap < c.buffer || c.maxGap < c.lunch) {
		c.maxGap = max(c.buffer, c.lunch)
	}
	if r.IntN(3) == 0 {
		c.earliest = day.AddDate(0, 0, r.IntN(3)-1)
		c.latest = c.earliest.AddDate(0, 0, 1+r.IntN(2))
	}
	schedule := int64(100)
	booking := func(at time.Time) (time.Time, time.Time) {
		s := at.Add(time.Duration(r.IntN(12*24)) * 5 * time.Minute)
		return s, s.Add(time.Duration(1+r.IntN(24)) * 5 * time.Minute)
	}
	for i := range 3 {
		p := person{id: int64(i + 1), zone: mustZone(pick(r, ruleZones...)), hours: randomHours(r), perDay: pick(r, 0, 0, 1, 2, 3), perWeek: pick(r, 0, 0, 2, 4)}
		for range r.IntN(4) {
			schedule++
			s, e := booking(day.AddDate(0, 0, r.IntN(5)-2))
			p.bookings = append(p.bookings, domain.Booking{Key: p.id, ScheduleID: schedule, Start: s, End: e})
		}
		c.people = append(c.people, p)
	}
	for range r.IntN(3) {
		schedule++
		s, e := booking(day.AddDate(0, 0, r.IntN(2)))
		c.roomBusy = append(c.roomBusy, domain.Booking{Key: 1, ScheduleID: schedule, Start: s, End: e})
	}
	c.video = r.IntN(2) == 0
	for range r.IntN(3) {
		schedule++
		s, e := booking(day.AddDate(0, 0, r.IntN(2)))
		c.hostBusy = append(c.hostBusy, domain.Booking{HostID: "h", ScheduleID: schedule, Start: s, End: e})
	}
	// One to three interviews on the grid, mostly one after another on
	// one day, sometimes overlapping or on the next day.
	at := day.Add(time.Duration(r.IntN(4*24)) * grid)
	for i := range 1 + r.IntN(3) {
		d := time.Duration(pick(r, 2, 3, 4, 6)) * grid
		it := domain.ProposedItem{Name: fmt.Sprintf("I%d", i), Start: at, End: at.Add(d)}
		it.Interviewers = []int64{int64(1 + r.IntN(3))}
		if r.IntN(4) == 0 {
			other := int64(1 + r.IntN(3))
			if other != it.Interviewers[0] {
				it.Interviewers = append(it.Interviewers, other)
			}
		}
		if r.IntN(3) == 0 {
			it.RoomID = 1
		}
		if c.video {
			it.HostID = "h"
		}
		c.items = append(c.items, it)
		at = it.End.Add(time.Duration(pick(r, -2, 0, 0, 1, 2, 4, 8, 40)) * grid)
	}
	return c
}

// oneDay reports whether the interviews start on one candidate-local
// date, as every loop Find times proposes does.
func (c ruleCase) oneDay() bool {
	for _, it := range c.items {
		if scheduler.DateOf(it.Start, c.candZone) != scheduler.DateOf(c.items[0].Start, c.candZone) {
			return false
		}
	}
	return true
}

// domainVerdict is what the scheduling form would say: no conflict at all.
func (c ruleCase) domainVerdict() []domain.Conflict {
	in := domain.ConflictInput{Items: c.items, Profiles: map[int64]domain.InterviewerProfile{}, Names: map[int64]string{},
		BufferMinutes: c.buffer, Rooms: c.roomBusy, Hosts: c.hostBusy, RoomNames: map[int64]string{1: "Everest"},
		CandidateZone: c.candZone.String(), AllowedStartMinute: c.allowed[0], AllowedEndMinute: c.allowed[1],
		EarliestDay: c.earliest, LatestDay: c.latest, MaxGapMinutes: c.maxGap, LunchMinutes: c.lunch,
		LunchStartMinute: c.lunchWindow[0], LunchEndMinute: c.lunchWindow[1]}
	for _, p := range c.people {
		in.Profiles[p.id] = domain.InterviewerProfile{UserID: p.id, TimeZone: p.zone.String(), Hours: p.hours, MaxPerDay: p.perDay, MaxPerWeek: p.perWeek}
		in.Interviewers = append(in.Interviewers, p.bookings...)
	}
	return domain.CheckConflicts(in)
}

// engineVerdict asks the engine about exactly this proposal.
func (c ruleCase) engineVerdict(t *testing.T) bool {
	t.Helper()
	items := slices.Clone(c.items)
	slices.SortStableFunc(items, func(a, b domain.ProposedItem) int { return a.Start.Compare(b.Start) })
	lo, hi := items[0].Start, items[0].End
	for _, it := range items {
		lo, hi = minT(lo, it.Start), maxT(hi, it.End)
	}
	buffer := time.Duration(c.buffer) * time.Minute
	p := scheduler.Problem{Granularity: grid, TopN: 1, Budget: 200 * time.Millisecond,
		Window:    scheduler.Interval{Start: lo.Add(-48 * time.Hour), End: hi.Add(48 * time.Hour)},
		Rules:     scheduler.Rules{SameDay: true, FixedOrder: true, Buffer: buffer, MaxGap: time.Duration(c.maxGap) * time.Minute},
		Candidate: scheduler.Candidate{Location: c.candZone}}
	if c.lunch > 0 {
		p.Rules.Lunch = &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: c.lunchWindow[0], EndMin: c.lunchWindow[1]}, Length: time.Duration(c.lunch) * time.Minute}
	}
	if !c.earliest.IsZero() {
		p.Rules.EarliestDay = scheduler.DateOf(c.earliest, c.candZone)
		p.Rules.LatestDay = scheduler.DateOf(c.latest.AddDate(0, 0, -1), c.candZone)
	}
	allowed := scheduler.ClockRange{StartMin: c.allowed[0], EndMin: c.allowed[1]}
	if allowed.EndMin == 0 {
		allowed.EndMin = 24 * 60
	}
	for i, it := range items {
		iv := scheduler.Interview{ID: int64(i + 1), Name: it.Name, Duration: it.End.Sub(it.Start), Interviewers: len(it.Interviewers), Pool: it.Interviewers, Video: c.video}
		if it.RoomID != 0 {
			iv.Rooms = []int64{it.RoomID}
		}
		p.Interviews = append(p.Interviews, iv)
		// The candidate is free exactly then, inside the stage's hours.
		p.Candidate.Windows = append(p.Candidate.Windows, onDates(scheduler.Interval{Start: it.Start, End: it.End}, allowed, c.candZone)...)
	}
	for _, pr := range c.people {
		in := scheduler.Interviewer{ID: pr.id, Location: pr.zone, DailyCap: pr.perDay, WeeklyCap: pr.perWeek}
		for d, spans := range pr.hours {
			for _, s := range spans {
				in.Hours[d] = append(in.Hours[d], scheduler.ClockRange{StartMin: s.Start, EndMin: s.End})
			}
		}
		counts := map[scheduler.Date]int{}
		for _, b := range pr.bookings {
			in.Busy = append(in.Busy, scheduler.Interval{Start: b.Start.Add(-buffer), End: b.End.Add(buffer)})
			counts[scheduler.DateOf(b.Start, pr.zone)]++
		}
		for d, n := range counts {
			in.Existing = append(in.Existing, scheduler.DayCount{Date: d, Count: n})
		}
		p.Interviewers = append(p.Interviewers, in)
	}
	room := scheduler.Room{ID: 1}
	for _, b := range c.roomBusy {
		room.Busy = append(room.Busy, scheduler.Interval{Start: b.Start, End: b.End})
	}
	p.Rooms = []scheduler.Room{room}
	host := scheduler.ZoomHost{ID: 1}
	for _, b := range c.hostBusy {
		host.Busy = append(host.Busy, scheduler.Interval{Start: b.Start, End: b.End})
	}
	p.ZoomHosts = []scheduler.ZoomHost{host}
	res, err := scheduler.Find(context.Background(), p)
	if err != nil {
		t.Fatalf("engine refused the problem: %v\n%s", err, c)
	}
	if !res.Exhaustive && len(res.Options) == 0 {
		t.Fatalf("engine ran out of time on a one-answer problem\n%s", c)
	}
	if len(res.Options) == 0 {
		return false
	}
	for i, got := range res.Options[0].Items {
		if !got.Start.Equal(items[i].Start) || !got.End.Equal(items[i].End) {
			t.Fatalf("engine placed interview %d at %v–%v, not as proposed: %+v\nwindows %v\n%s", i, got.Start, got.End, res.Options[0].Items, p.Candidate.Windows, c)
		}
	}
	return true
}

// onDates cuts iv to the wall-clock range r on each candidate-local date
// it touches, as Find times clips the candidate's windows to the stage's
// hours.
func onDates(iv scheduler.Interval, r scheduler.ClockRange, loc *time.Location) []scheduler.Interval {
	var out []scheduler.Interval
	st := iv.Start.In(loc)
	for d := time.Date(st.Year(), st.Month(), st.Day(), 0, 0, 0, 0, loc); d.Before(iv.End); d = d.AddDate(0, 0, 1) {
		day := r.On(scheduler.DateOf(d, loc), loc)
		a, z := maxT(iv.Start, day.Start), minT(iv.End, day.End)
		if z.After(a) {
			out = append(out, scheduler.Interval{Start: a, End: z})
		}
	}
	return out
}

func minT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (c ruleCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "candidate %s, buffer %d, allowed %v, max gap %d, lunch %d in %v, days [%v, %v)\n", c.candZone, c.buffer, c.allowed, c.maxGap, c.lunch, c.lunchWindow, c.earliest, c.latest)
	for _, it := range c.items {
		fmt.Fprintf(&b, "  item %s %s–%s (%s) interviewers %v room %d host %q\n", it.Name, it.Start.In(c.candZone).Format("Mon 2006-01-02 15:04 MST"), it.End.In(c.candZone).Format("15:04 MST"), it.Start.UTC().Format("15:04Z"), it.Interviewers, it.RoomID, it.HostID)
	}
	for _, p := range c.people {
		fmt.Fprintf(&b, "  person %d %s day≤%d week≤%d hours %v\n", p.id, p.zone, p.perDay, p.perWeek, p.hours)
		for _, bk := range p.bookings {
			fmt.Fprintf(&b, "    booked %s–%s\n", bk.Start.In(p.zone).Format("Mon 01-02 15:04 MST"), bk.End.In(p.zone).Format("15:04 MST"))
		}
	}
	for _, bk := range c.roomBusy {
		fmt.Fprintf(&b, "  room booked %s–%s\n", bk.Start.UTC().Format("01-02 15:04Z"), bk.End.UTC().Format("15:04Z"))
	}
	for _, bk := range c.hostBusy {
		fmt.Fprintf(&b, "  host busy %s–%s\n", bk.Start.UTC().Format("01-02 15:04Z"), bk.End.UTC().Format("15:04Z"))
	}
	return b.String()
}

func TestConflictRulesAndEngineAgree(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(10, 2026))
	n := 3000
	if testing.Short() {
		n = 300
	}
	accepted, rejected := 0, 0
	seen := map[domain.ConflictKind]int{}
	for i := range n {
		c := randomCase(r)
		for !c.oneDay() {
			c = randomCase(r)
		}
		conflicts := c.domainVerdict()
		engine := c.engineVerdict(t)
		if engine != (len(conflicts) == 0) {
			t.Fatalf("case %d: the engine says %v, the conflict check lists %d conflicts %v\n%s", i, engine, len(conflicts), kinds(conflicts), c)
		}
		if engine {
			accepted++
		} else {
			rejected++
		}
		for _, k := range conflicts {
			seen[k.Kind]++
		}
	}
	// Both verdicts must be common, or the test proves little.
	if accepted < n/10 || rejected < n/10 {
		t.Fatalf("accepted %d, rejected %d of %d: the cases are too one-sided", accepted, rejected, n)
	}
	// And every rule must have refused some.
	for _, k := range []domain.ConflictKind{domain.ConflictInterviewerBooked, domain.ConflictOutsideHours, domain.ConflictDailyLimit, domain.ConflictWeeklyLimit,
		domain.ConflictHostBusy, domain.ConflictRoomTaken, domain.ConflictAllowedHours, domain.ConflictDateRange, domain.ConflictLongGap,
		domain.ConflictNoLunch, domain.ConflictNoBreak} {
		if seen[k] == 0 {
			t.Errorf("no proposal broke %s", k)
		}
	}
	t.Logf("%d proposals: %d accepted by both, %d refused by both; conflicts seen %v", n, accepted, rejected, seen)
}

func kinds(cs []domain.Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind)+": "+c.Message)
	}
	return out
}
