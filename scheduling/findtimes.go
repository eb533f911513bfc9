package scheduling

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// Grid is the step interview starts are placed on.
const Grid = 15 * time.Minute

// FindInput is what the adapter reads from the database for one candidate at
// their current stage, kept beside the problem so pages can draw it.
type FindInput struct {
	Candidate *domain.Candidate
	Stage     *domain.Stage
	CandLoc   *time.Location
	Video     bool // the stage has video conferencing on
	// AssumedWindows is true when the candidate gave no availability and
	// the stage's allowed hours on business days stand in for it.
	AssumedWindows bool
	Users          map[int64]*domain.User
	Profiles       map[int64]domain.InterviewerProfile
	Busy           map[int64][]scheduler.Interval // interviewer id → busy time (unpadded)
	// BusyLabels names each of Busy's intervals, in the same order, for
	// the day timeline: a calendar event's title ("Busy" when private),
	// "Another interview" for our own bookings.
	BusyLabels map[int64][]string
	// Unknown lists whose busy time a source could not read; the options
	// may clash with it.
	Unknown []availability.Unknown
	Rooms   map[int64]domain.Room
	// Hosts are the video hosts the engine's ZoomHosts stand for (ZoomHost
	// i+1 is Hosts[i]), with the meetings each already hosts.
	Hosts    []domain.VideoHost
	HostBusy map[string][]scheduler.Interval
	Problem  scheduler.Problem
}

// Builder turns database rows into a scheduler.Problem.
type Builder struct {
	Store *hiringstore.Store
	// Availability answers who is busy when; nil reads our own bookings
	// only.
	Availability *availability.Service
	// Hosts lists the account's video hosts (Zoom users); nil or empty
	// when video is not connected, in which case hosts are not a constraint
	// (the meetings wait for Zoom).
	Hosts func(ctx context.Context, accountID int64) []domain.VideoHost
	Now   func() time.Time
	// Replacing is the schedule being rescheduled (0: a new one): its own
	// interviews free their people, rooms and Zoom hosts, and its stage is
	// the one planned.
	Replacing int64
	// Video, when set, is the coordinator's case-by-case choice of a Zoom
	// meeting for this schedule; nil keeps the stage's setting (or, when
	// rescheduling, the schedule's).
	Video *bool
}

// Build loads the candidate and their stage and fills the problem:
// interviews with their pools, rules from the stage, the candidate's
// windows inside the stage's allowed hours, each interviewer's hours,
// bookings and limits, rooms, and Zoom hosts' meetings when video is on.
func (b *Builder) Build(ctx context.Context, accountID, candidateID int64) (*FindInput, error) {
	c, err := b.Store.GetCandidate(ctx, accountID, candidateID)
	if err != nil {
		return nil, err
	}
	st, video, err := b.stage(ctx, accountID, c)
	if err != nil {
		return nil, err
	}
	if b.Video != nil {
		video = *b.Video
	}
	if len(st.Interviews) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "The stage %q has no interviews to schedule.", st.Name)
	}
	loc, err := domain.CheckTimeZone(c.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	in := &FindInput{Candidate: c, Stage: st, CandLoc: loc, Video: video,
		Users: map[int64]*domain.User{}, Busy: map[int64][]scheduler.Interval{}, BusyLabels: map[int64][]string{}, Rooms: map[int64]domain.Room{}}
	// Only the people who could take a seat: the stage's pools and, for
	// suggestions when nothing fits, the job's other pools. Everyone in
	// the company only when a pool is left empty (open to anyone).
	var active []int64
	if in.Users, active, err = b.people(ctx, accountID, st.JobID, st); err != nil {
		return nil, err
	}

	now := b.Now().UTC()
	from, to := searchWindow(st, now, loc)
	p := &in.Problem
	p.Window = scheduler.Interval{Start: from, End: to}
	p.Granularity = Grid
	p.TopN = scheduler.DefaultTopN
	buffer := roundUp(time.Duration(st.BufferMinutes)*time.Minute, Grid)
	p.Rules = scheduler.Rules{SameDay: true, Buffer: buffer}
	p.Rules.MaxGap, p.Rules.Lunch = loopRules(st, buffer)

	// Interviews, in the stage's order; a fixed order only when every
	// interview has a position (the engine's order rule covers all).
	ivs := slices.Clone(st.Interviews)
	ordered := true
	for _, iv := range ivs {
		if iv.Position == 0 {
			ordered = false
		}
	}
	if ordered {
		sort.SliceStable(ivs, func(i, j int) bool { return ivs[i].Position < ivs[j].Position })
		p.Rules.FixedOrder = true
	}
	rooms, err := b.Store.ListRooms(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var roomIDs []int64
	for _, r := range rooms {
		in.Rooms[r.ID] = r
		roomIDs = append(roomIDs, r.ID)
	}
	var hosts []domain.VideoHost
	if in.Video && b.Hosts != nil {
		hosts = b.Hosts(ctx, accountID)
	}
	var people []int64
	for _, iv := range ivs {
		pool := iv.Pool
		if len(pool) == 0 {
			pool = active // the scheduling form offers everyone then, too
		}
		var usable []int64
		for _, id := range pool {
			if u, ok := in.Users[id]; ok && u.Active {
				usable = append(usable, id)
			}
		}
		siv := scheduler.Interview{ID: iv.ID, Name: iv.Name, Duration: roundUp(time.Duration(iv.DurationMinutes)*time.Minute, Grid),
			Interviewers: iv.InterviewersNeeded, Pool: usable, Video: len(hosts) > 0}
		if iv.RoomRequired {
			siv.Rooms = roomIDs
		}
		p.Interviews = append(p.Interviews, siv)
		people = append(people, usable...)
	}
	// Interviewers outside every pool are still in the problem, with no
	// interview to sit on: when nothing fits, the engine tries adding one of
	// them to a blocked pool and names who would make it work.
	for _, id := range active {
		if u := in.Users[id]; u != nil && u.Role == domain.RoleInterviewer {
			people = append(people, id)
		}
	}
	slices.Sort(people)
	people = slices.Compact(people)

	if in.Profiles, err = b.Store.ListProfiles(ctx, accountID, people); err != nil {
		return nil, err
	}
	// A week either side of the window covers every day and ISO week the
	// limits count.
	req := availability.Request{AccountID: accountID, From: from.Add(-8 * 24 * time.Hour), To: to.Add(8 * 24 * time.Hour),
		Interviewers: people, Rooms: roomIDs, ExceptSchedule: b.Replacing}
	for _, h := range hosts {
		req.Hosts = append(req.Hosts, h.ID)
	}
	busy, err := b.availability().Busy(ctx, req)
	if err != nil {
		return nil, err
	}
	in.Unknown = busy.Unknown
	// Fail closed: someone whose calendar cannot be read is not proposed
	// at all (the page says why), never taken as free.
	unread, unreadRooms := map[int64]bool{}, map[int64]bool{}
	for _, u := range busy.Unknown {
		switch u.Resource {
		case availability.ResourceInterviewer:
			unread[u.ID] = true
		case availability.ResourceRoom:
			unreadRooms[u.ID] = true
		}
	}
	pad := time.Duration(st.BufferMinutes) * time.Minute
	for _, id := range people {
		prof := in.Profiles[id]
		ploc, err := domain.CheckTimeZone(prof.TimeZone)
		if err != nil {
			ploc = time.UTC
		}
		si := scheduler.Interviewer{ID: id, Name: in.Users[id].Name, Location: ploc, DailyCap: prof.MaxPerDay, WeeklyCap: prof.MaxPerWeek,
			Preferred: scheduler.ClockRange{StartMin: prof.PreferredStartMinute, EndMin: prof.PreferredEndMinute}}
		for d, spans := range prof.Hours {
			for _, s := range spans {
				si.Hours[d] = append(si.Hours[d], scheduler.ClockRange{StartMin: s.Start, EndMin: s.End})
			}
		}
		if unread[id] {
			si.Busy = append(si.Busy, scheduler.Interval{Start: req.From, End: req.To})
		}
		counts := map[scheduler.Date]int{}
		for _, bk := range busy.Interviewers[id] {
			if !bk.Interview() && (!bk.End.Add(pad).After(from) || !bk.Start.Add(-pad).Before(to)) {
				// A calendar event outside the window blocks nothing
				// there and counts toward no limit: the engine is spared it.
				continue
			}
			in.Busy[id] = append(in.Busy[id], engineInterval(bk))
			in.BusyLabels[id] = append(in.BusyLabels[id], busyLabel(bk))
			// The interviewer needs the stage's buffer around other interviews.
			si.Busy = append(si.Busy, scheduler.Interval{Start: bk.Start.Add(-pad), End: bk.End.Add(pad)})
			if bk.Interview() {
				counts[scheduler.DateOf(bk.Start, ploc)]++
			}
		}
		for d, n := range counts {
			si.Existing = append(si.Existing, scheduler.DayCount{Date: d, Count: n})
		}
		sort.Slice(si.Existing, func(i, j int) bool { return dateLess(si.Existing[i].Date, si.Existing[j].Date) })
		p.Interviewers = append(p.Interviewers, si)
	}
	for _, r := range rooms {
		room := scheduler.Room{ID: r.ID, Name: r.Name, Busy: engineIntervals(busy.Rooms[r.ID])}
		if unreadRooms[r.ID] {
			// Likewise a room whose calendar cannot be read.
			room.Busy = append(room.Busy, scheduler.Interval{Start: req.From, End: req.To})
		}
		p.Rooms = append(p.Rooms, room)
	}
	in.Hosts, in.HostBusy = hosts, map[string][]scheduler.Interval{}
	for i, h := range hosts {
		in.HostBusy[h.ID] = engineIntervals(busy.Hosts[h.ID])
		p.ZoomHosts = append(p.ZoomHosts, scheduler.ZoomHost{ID: int64(i + 1), Busy: in.HostBusy[h.ID]})
	}

	p.Candidate = scheduler.Candidate{Location: loc}
	if pr := (scheduler.ClockRange{StartMin: c.PreferredStartMinute, EndMin: c.PreferredEndMinute}); !pr.IsZero() {
		p.Candidate.Preferred = onEachDate([]scheduler.Interval{{Start: from, End: to}}, pr, from, to, loc)
	}
	windows := make([]scheduler.Interval, 0, len(c.Availability))
	for _, w := range c.Availability {
		windows = append(windows, scheduler.Interval{Start: w.Start, End: w.End})
	}
	if len(windows) == 0 {
		in.AssumedWindows = true
		windows = businessDays(from, to, loc)
	}
	p.Candidate.Windows = clipToAllowed(windows, st, from, to, loc)
	return in, nil
}

func (b *Builder) availability() *availability.Service {
	if b.Availability != nil {
		return b.Availability
	}
	return availability.New(availability.Bookings{Store: b.Store})
}

func engineInterval(iv availability.Interval) scheduler.Interval {
	return scheduler.Interval{Start: iv.Start, End: iv.End}
}

func engineIntervals(ivs []availability.Interval) []scheduler.Interval {
	var out []scheduler.Interval
	for _, iv := range ivs {
		out = append(out, engineInterval(iv))
	}
	return out
}

// stage is the stage to plan: the candidate's current one, or the
// replaced schedule's own (the candidate may have moved on since). A
// replaced schedule must be the candidate's, in the account, and live.
// video is whether the schedule gets a Zoom meeting unless the coordinator
// chooses otherwise: the stage's setting, or the replaced schedule's.
func (b *Builder) stage(ctx context.Context, accountID int64, c *domain.Candidate) (st *domain.Stage, video bool, err error) {
	stageID := c.StageID
	var sc *domain.Schedule
	if b.Replacing != 0 {
		if sc, err = b.Store.GetSchedule(ctx, accountID, b.Replacing); err != nil {
			return nil, false, err
		}
		if sc.CandidateID != c.ID {
			return nil, false, domain.Errorf(domain.ENOTFOUND, "Schedule not found.")
		}
		if !sc.Status.Live() {
			return nil, false, domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", sc.Status)
		}
		stageID = sc.StageID
	}
	if st, err = b.Store.GetStage(ctx, accountID, stageID); err != nil {
		return nil, false, err
	}
	if sc != nil {
		return st, sc.Video, nil
	}
	return st, st.Video == domain.VideoZoom, nil
}

// loopRules turns the stage's longest gap and lunch break into the
// engine's rules. The gap rounds up to the grid, like the buffer; the
// lunch goes as the stage states it (the engine keeps it to the minute,
// as confirming checks it). The longest gap is never below the buffer or
// the lunch, which the engine would reject.
func loopRules(st *domain.Stage, buffer time.Duration) (time.Duration, *scheduler.Lunch) {
	var lunch *scheduler.Lunch
	if st.LunchMinutes > 0 {
		ws, we := st.LunchWindow()
		lunch = &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: ws, EndMin: we}, Length: time.Duration(st.LunchMinutes) * time.Minute}
	}
	var maxGap time.Duration
	if st.MaxGapMinutes > 0 {
		maxGap = max(roundUp(time.Duration(st.MaxGapMinutes)*time.Minute, Grid), buffer)
		if lunch != nil {
			maxGap = max(maxGap, roundUp(lunch.Length, Grid))
		}
	}
	return maxGap, lunch
}

// searchWindow is the stage's allowed days (the definition confirming
// checks too), from the next grid point when they start today.
func searchWindow(st *domain.Stage, now time.Time, loc *time.Location) (time.Time, time.Time) {
	from, to := st.AllowedDays(now, loc)
	if from.Before(now) {
		from = now.Truncate(Grid).Add(Grid)
	}
	return from.UTC(), to.UTC()
}

// businessDays is every Monday–Friday in [from, to), whole days.
func businessDays(from, to time.Time, loc *time.Location) []scheduler.Interval {
	var out []scheduler.Interval
	ft := from.In(loc)
	for d := time.Date(ft.Year(), ft.Month(), ft.Day(), 0, 0, 0, 0, loc); d.Before(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		out = append(out, scheduler.Interval{Start: d, End: d.AddDate(0, 0, 1)})
	}
	return out
}

// clipToAllowed cuts windows to the stage's allowed hours on each
// candidate-local date and to the search window.
func clipToAllowed(windows []scheduler.Interval, st *domain.Stage, from, to time.Time, loc *time.Location) []scheduler.Interval {
	var allowed scheduler.ClockRange
	allowed.StartMin, allowed.EndMin = st.AllowedHours()
	return onEachDate(windows, allowed, from, to, loc)
}

// onEachDate cuts windows to the wall-clock range r on each local date
// and to [from, to), sorted.
func onEachDate(windows []scheduler.Interval, r scheduler.ClockRange, from, to time.Time, loc *time.Location) []scheduler.Interval {
	var out []scheduler.Interval
	for _, w := range windows {
		s, e, ok := domain.Intersect(w.Start, w.End, from, to)
		if !ok {
			continue
		}
		st := s.In(loc)
		for d := time.Date(st.Year(), st.Month(), st.Day(), 0, 0, 0, 0, loc); d.Before(e); d = d.AddDate(0, 0, 1) {
			day := r.On(scheduler.DateOf(d, loc), loc)
			if a, z, ok := domain.Intersect(s, e, day.Start, day.End); ok {
				out = append(out, scheduler.Interval{Start: a.UTC(), End: z.UTC()})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func roundUp(d, g time.Duration) time.Duration {
	if r := d % g; r != 0 {
		return d + g - r
	}
	return d
}

func dateLess(a, b scheduler.Date) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.Month != b.Month {
		return a.Month < b.Month
	}
	return a.Day < b.Day
}

// maxSuggested bounds the interviewers outside the stage's pools that a
// search considers for "add someone to the pool" suggestions.
const maxSuggested = 60

// people loads the users a search may place or suggest, and lists the
// active ones: with every pool named, the pools' members and the job's
// other pools (up to maxSuggested); with a pool open to anyone, also the
// first domain.MaxOpenPool active people by name.
func (b *Builder) people(ctx context.Context, accountID, jobID int64, st *domain.Stage) (map[int64]*domain.User, []int64, error) {
	var byID map[int64]*domain.User
	var ids []int64
	open := false
	for _, iv := range st.Interviews {
		open = open || len(iv.Pool) == 0
		ids = append(ids, iv.Pool...)
	}
	if open {
		// Open to anyone: the first domain.MaxOpenPool active people by
		// name, as the scheduling form offers, and the named pools'.
		page, err := b.Store.DB.ListUsersPage(ctx, accountID, store.UserFilter{ActiveOnly: true, Limit: domain.MaxOpenPool})
		if err != nil {
			return nil, nil, err
		}
		if byID, err = b.Store.DB.ListUsersByID(ctx, accountID, ids); err != nil {
			return nil, nil, err
		}
		var active []int64
		for _, u := range byID {
			if u.Active {
				active = append(active, u.ID)
			}
		}
		for _, u := range page.Users {
			if byID[u.ID] == nil {
				byID[u.ID] = u
				active = append(active, u.ID)
			}
		}
		slices.Sort(active)
		return byID, active, nil
	}
	more, err := b.Store.ListJobPoolUsers(ctx, accountID, jobID, maxSuggested+len(ids))
	if err != nil {
		return nil, nil, err
	}
	ids = append(ids, more...)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if byID, err = b.Store.DB.ListUsersByID(ctx, accountID, ids); err != nil {
		return nil, nil, err
	}
	var active []int64
	for _, id := range ids {
		if u := byID[id]; u != nil && u.Active {
			active = append(active, id)
		}
	}
	return byID, active, nil
}

// UserName is the name of a user of the search, for pages.
func (in *FindInput) UserName(id int64) string {
	if u, ok := in.Users[id]; ok {
		return u.Name
	}
	return fmt.Sprintf("Interviewer %d", id)
}

// EngineError is the engine refusing a problem built from stored data:
// our bug or odd data, to log and explain plainly.
type EngineError struct{ Err error }

func (e *EngineError) Error() string { return "find times: " + e.Err.Error() }
func (e *EngineError) Unwrap() error { return e.Err }

// Search is one run of Find times: the problem, the engine's answer and,
// per option and item, the interviewers who could swap in.
type Search struct {
	In         *FindInput
	Result     scheduler.Result
	Alternates [][][]int64
}

// Run builds the problem for the candidate and runs the engine. What no
// search can fix is explained without running it; an error from the
// engine means the problem was malformed.
func (b *Builder) Run(ctx context.Context, accountID, candidateID int64) (*Search, error) {
	in, err := b.Build(ctx, accountID, candidateID)
	if err != nil {
		return nil, err
	}
	sr := &Search{In: in}
	if e := Precheck(in); e != nil {
		sr.Result = scheduler.Result{Exhaustive: true, Explanation: e}
		return sr, nil
	}
	if sr.Result, err = scheduler.Find(ctx, in.Problem); err != nil {
		return nil, &EngineError{Err: err}
	}
	found, problem := len(sr.Result.Options), in.Problem
	sr.Result = planHosts(in, sr.Result)
	if len(sr.Result.Options) < found {
		// The worker would find no free host for some of the options: search
		// again knowing, per interviewer, when their meetings have none.
		if p, ok := withOwnHostsBusy(in); ok {
			res, err := scheduler.Find(ctx, p)
			if err != nil {
				return nil, &EngineError{Err: err}
			}
			if res = planHosts(in, res); len(res.Options) > len(sr.Result.Options) {
				sr.Result, problem = res, p
			}
		}
	}
	for _, o := range sr.Result.Options {
		alts, err := scheduler.Alternates(problem, o)
		if err != nil {
			return nil, &EngineError{Err: err}
		}
		sr.Alternates = append(sr.Alternates, alts)
	}
	return sr, nil
}

// planHosts gives each video interview of each option the host the
// meeting worker will give it — domain.HostOrder (the interviewers' own
// Zoom users, then the user who connected Zoom) and the first of them free
// then, counting the option's own earlier meetings — and drops an option
// where that order has nobody free. The engine only knows that some host
// is free; the worker does not take just any host.
func planHosts(in *FindInput, res scheduler.Result) scheduler.Result {
	if len(in.Hosts) == 0 {
		return res
	}
	index := map[string]int64{}
	for i, h := range in.Hosts {
		index[h.ID] = int64(i + 1)
	}
	video := map[int64]bool{}
	for _, iv := range in.Problem.Interviews {
		video[iv.ID] = iv.Video
	}
	kept := res.Options[:0:0]
	var blocked *scheduler.Blocker
	for _, o := range res.Options {
		o.Items = slices.Clone(o.Items)
		taken := map[string][]scheduler.Interval{} // this option's own meetings
		ok := true
		for k := range o.Items {
			it := &o.Items[k]
			if !video[it.InterviewID] {
				continue
			}
			emails := make([]string, 0, len(it.Interviewers))
			for _, id := range it.Interviewers {
				if u := in.Users[id]; u != nil {
					emails = append(emails, u.Email)
				}
			}
			free := func(host string) bool {
				return !overlaps(in.HostBusy[host], it.Start, it.End) && !overlaps(taken[host], it.Start, it.End)
			}
			host := domain.FirstFreeHost(domain.HostOrder(emails, "", in.Hosts), free)
			if host == "" {
				ok = false
				if blocked == nil {
					names := make([]string, 0, len(it.Interviewers))
					for _, id := range it.Interviewers {
						names = append(names, in.UserName(id))
					}
					blocked = &scheduler.Blocker{InterviewID: it.InterviewID, Reason: scheduler.ReasonNoZoomHost,
						Message: fmt.Sprintf("at the times found, the Zoom users who may host %s's meeting (their own Zoom user, else the one who connected Zoom) already host other meetings; give them Zoom users or free the host",
							strings.Join(names, " and "))}
				}
				break
			}
			it.ZoomHostID = index[host]
			taken[host] = append(taken[host], scheduler.Interval{Start: it.Start, End: it.End})
		}
		if ok {
			kept = append(kept, o)
		}
	}
	res.Options = kept
	if len(kept) == 0 && res.Explanation == nil && blocked != nil {
		res.Explanation = &scheduler.Explanation{Blockers: []scheduler.Blocker{*blocked}}
	}
	return res
}

// withOwnHostsBusy is the problem with, when each interview is a meeting of
// its own with one interviewer, the times an interviewer cannot be given
// a meeting added to their busy time: whenever every host the worker
// would try for them (domain.HostOrder: their own Zoom user, then the user
// who connected Zoom) hosts another meeting. The engine itself only knows
// that some host is free, so at a large customer whose connecting user
// hosts all day its best options were all people without a Zoom user,
// planHosts dropped every one and Find times proposed nothing although an
// interviewer with a free Zoom user of their own was there. ok is false
// when the interviews are not of that shape.
func withOwnHostsBusy(in *FindInput) (p scheduler.Problem, ok bool) {
	if len(in.Hosts) == 0 || in.Stage == nil || in.Stage.MeetingMode == domain.MeetingPerSchedule {
		return p, false
	}
	for _, iv := range in.Problem.Interviews {
		if !iv.Video || iv.Interviewers != 1 {
			return p, false
		}
	}
	p = in.Problem
	p.Interviewers = slices.Clone(p.Interviewers)
	for k := range p.Interviewers {
		si := &p.Interviewers[k]
		u := in.Users[si.ID]
		if u == nil {
			continue
		}
		var blocked []scheduler.Interval
		for n, host := range domain.HostOrder([]string{u.Email}, "", in.Hosts) {
			if n == 0 {
				blocked = in.HostBusy[host]
			} else {
				blocked = intersectIntervals(blocked, in.HostBusy[host])
			}
		}
		si.Busy = slices.Concat(si.Busy, blocked)
	}
	return p, true
}

// intersectIntervals is the time both a and b cover.
func intersectIntervals(a, b []scheduler.Interval) []scheduler.Interval {
	var out []scheduler.Interval
	for _, x := range a {
		for _, y := range b {
			if s, e, ok := domain.Intersect(x.Start, x.End, y.Start, y.End); ok {
				out = append(out, scheduler.Interval{Start: s, End: e})
			}
		}
	}
	return out
}

func overlaps(busy []scheduler.Interval, start, end time.Time) bool {
	for _, b := range busy {
		if b.Start.Before(end) && b.End.After(start) {
			return true
		}
	}
	return false
}

// Precheck explains what no search can fix: an interview whose pool has
// fewer active interviewers than it needs, or one that needs a room when
// the company has none. The engine would reject such a problem as
// malformed; the coordinator should read why instead.
func Precheck(in *FindInput) *scheduler.Explanation {
	var e scheduler.Explanation
	if w := in.Problem.Window; !w.End.After(w.Start) {
		e.Blockers = append(e.Blockers, scheduler.Blocker{Reason: scheduler.ReasonCandidateUnavailable,
			Message: fmt.Sprintf("the stage allows interviews only until %s (its latest day is %d days from today), and that time has passed; widen the stage's days",
				w.End.In(in.CandLoc).Format("Monday 2 January 15:04"), in.Stage.LatestDayOffset)})
		return &e
	}
	for i, iv := range in.Problem.Interviews {
		if len(iv.Pool) < iv.Interviewers {
			e.Blockers = append(e.Blockers, scheduler.Blocker{InterviewID: iv.ID, Reason: scheduler.ReasonNoInterviewerFree,
				Message: fmt.Sprintf("%q needs %d interviewer(s) but its pool has %d active", iv.Name, iv.Interviewers, len(iv.Pool))})
		}
		if st := in.Stage.Interview(iv.ID); st != nil && st.RoomRequired && len(in.Problem.Interviews[i].Rooms) == 0 {
			e.Blockers = append(e.Blockers, scheduler.Blocker{InterviewID: iv.ID, Reason: scheduler.ReasonNoRoom,
				Message: fmt.Sprintf("%q needs a room and the company has no rooms", iv.Name)})
		}
	}
	if len(e.Blockers) == 0 {
		return nil
	}
	return &e
}

// busyLabel is how the day timeline names a busy interval.
func busyLabel(bk availability.Interval) string {
	switch {
	case bk.Title != "":
		return bk.Title
	case bk.Interview():
		return "Another interview"
	}
	return "Busy"
}
