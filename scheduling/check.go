package scheduling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/store"
)

// evaluation is a validated proposal with its conflicts.
type evaluation struct {
	candidate *domain.Candidate
	stage     *domain.Stage
	existing  *domain.Schedule
	conflicts []domain.Conflict
	video     bool
}

// maxItemSpan is the longest an interview may last.
const maxItemSpan = domain.MaxDurationMin * time.Minute

// limitsReach is how far around a proposal busy time is read: a week
// either side covers every day and ISO week the daily and weekly limits
// count.
const limitsReach = 8 * 24 * time.Hour

// evaluate validates p and lists its conflicts. With tx (a save) the
// schedule and the people are locked first and busy time is read inside
// tx; hosts are the video provider's, asked before the transaction.
func (s *Service) evaluate(ctx context.Context, tx *store.Tx, hosts []domain.VideoHost, accountID int64, p *Proposal, fresh *availability.Busy) (*evaluation, error) {
	ev := &evaluation{}
	var err error
	if ev.candidate, err = s.Store.GetCandidate(ctx, accountID, p.CandidateID); err != nil {
		return nil, err
	}
	stageID := ev.candidate.StageID
	if p.ScheduleID != 0 {
		if tx != nil {
			ev.existing, err = s.Store.GetScheduleTx(ctx, tx, accountID, p.ScheduleID, true)
		} else {
			ev.existing, err = s.Store.GetSchedule(ctx, accountID, p.ScheduleID)
		}
		if err != nil {
			return nil, err
		}
		if ev.existing.CandidateID != ev.candidate.ID {
			return nil, domain.Errorf(domain.ENOTFOUND, "Schedule not found.")
		}
		if !ev.existing.Status.Live() {
			return nil, domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", ev.existing.Status)
		}
		stageID = ev.existing.StageID
	}
	if ev.stage, err = s.Store.GetStage(ctx, accountID, stageID); err != nil {
		return nil, err
	}
	ev.video = videoOn(ev.stage, ev.existing, p.Video)
	rooms, err := s.Store.ListRooms(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if err := validate(p, ev, rooms); err != nil {
		return nil, err
	}
	var users []int64
	for _, it := range p.Items {
		users = append(users, it.Interviewers...)
	}
	if err := s.Store.CheckUsers(ctx, accountID, users, "interviewers"); err != nil {
		return nil, err
	}
	users, roomIDs, lo, hi := footprint(p.Items)
	if tx != nil {
		if err := s.Store.LockPeople(ctx, tx, accountID, users, roomIDs); err != nil {
			return nil, err
		}
	}
	input := domain.ConflictInput{Names: map[int64]string{}, RoomNames: map[int64]string{}, BufferMinutes: ev.stage.BufferMinutes,
		CandidateZone: ev.candidate.TimeZone,
		MaxGapMinutes: ev.stage.MaxGapMinutes, LunchMinutes: ev.stage.LunchMinutes, LunchStartMinute: ev.stage.LunchStartMinute, LunchEndMinute: ev.stage.LunchEndMinute}
	input.AllowedStartMinute, input.AllowedEndMinute = ev.stage.AllowedHours()
	if ev.existing == nil {
		input.EarliestDay, input.LatestDay = s.dayRange(ev.stage, ev.candidate.TimeZone)
	} else {
		input.ScheduleID = ev.existing.ID
	}
	if input.Profiles, err = s.Store.ListProfiles(ctx, accountID, users); err != nil {
		return nil, err
	}
	var emails map[int64]string
	if input.Names, emails, err = s.Store.ListUserContacts(ctx, accountID, users); err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if slices.Contains(roomIDs, r.ID) {
			input.RoomNames[r.ID] = r.Name
		}
	}
	if !ev.video {
		hosts = nil
	}
	req := availability.Request{AccountID: accountID, From: lo.Add(-limitsReach), To: hi.Add(limitsReach), Interviewers: users, Rooms: roomIDs,
		ExceptSchedule: input.ScheduleID, Tx: tx}
	for _, h := range hosts {
		req.Hosts = append(req.Hosts, h.ID)
	}
	busy, err := s.availability().Busy(ctx, req)
	if err != nil {
		return nil, err
	}
	if fresh != nil {
		busy.Merge(*fresh)
		byStart := func(a, c availability.Interval) int { return a.Start.Compare(c.Start) }
		for _, ivs := range busy.Interviewers {
			slices.SortStableFunc(ivs, byStart)
		}
		for _, ivs := range busy.Rooms {
			slices.SortStableFunc(ivs, byStart)
		}
	}
	input.Interviewers, input.Rooms, input.Hosts = bookings(busy)
	for _, it := range p.Items {
		item := domain.ProposedItem{Name: ev.stage.Interview(it.InterviewID).Name, Start: it.Start, End: it.End, Interviewers: it.Interviewers, RoomID: it.RoomID}
		item.HostID = likelyHost(it.Interviewers, emails, hosts)
		if it.HostID != "" {
			if !slices.ContainsFunc(hosts, func(h domain.VideoHost) bool { return h.ID == it.HostID }) {
				if ev.video && len(hosts) > 0 {
					return nil, domain.Errorf(domain.EINVALID, "The Zoom host picked for %s is not a user of the connected Zoom account.", item.Name)
				}
			} else {
				item.HostID = it.HostID
			}
		}
		input.Items = append(input.Items, item)
	}
	ev.conflicts = domain.CheckConflicts(input)
	ev.conflicts = append(ev.conflicts, unknownConflicts(busy.Unknown, p.Items, input.Names, input.RoomNames)...)
	return ev, nil
}

// videoOn is whether the schedule has video: as asked, else as the
// schedule has it, else the stage's default.
func videoOn(st *domain.Stage, existing *domain.Schedule, asked *bool) bool {
	switch {
	case asked != nil:
		return *asked
	case existing != nil:
		return existing.Video
	}
	return st.Video == domain.VideoZoom
}

// dayRange is the stage's range of days for a new schedule, counted from
// today in the candidate's zone, as Find times searches it. Zero when the
// zone is unknown, which checks nothing.
func (s *Service) dayRange(st *domain.Stage, zone string) (time.Time, time.Time) {
	cloc, err := domain.LoadLocation(zone)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	return st.AllowedDays(s.now(), cloc)
}

// footprint is who and what the items book, sorted (the order row locks
// are taken in), and the span they cover.
func footprint(items []Item) (users, rooms []int64, lo, hi time.Time) {
	for i, it := range items {
		users = append(users, it.Interviewers...)
		if it.RoomID != 0 {
			rooms = append(rooms, it.RoomID)
		}
		if i == 0 || it.Start.Before(lo) {
			lo = it.Start
		}
		if i == 0 || it.End.After(hi) {
			hi = it.End
		}
	}
	slices.Sort(users)
	slices.Sort(rooms)
	return slices.Compact(users), slices.Compact(rooms), lo, hi
}

// bookings turns busy time into the conflict rules' bookings.
func bookings(b availability.Busy) (users, rooms, hosts []domain.Booking) {
	for _, id := range sortedKeys(b.Interviewers) {
		for _, iv := range b.Interviewers[id] {
			users = append(users, domain.Booking{Key: id, ScheduleID: iv.ScheduleID, Start: iv.Start, End: iv.End, Title: iv.Title})
		}
	}
	for _, id := range sortedKeys(b.Rooms) {
		for _, iv := range b.Rooms[id] {
			rooms = append(rooms, domain.Booking{Key: id, ScheduleID: iv.ScheduleID, Start: iv.Start, End: iv.End, Title: iv.Title})
		}
	}
	for _, id := range sortedKeys(b.Hosts) {
		for _, iv := range b.Hosts[id] {
			hosts = append(hosts, domain.Booking{HostID: id, ScheduleID: iv.ScheduleID, Start: iv.Start, End: iv.End})
		}
	}
	return users, rooms, hosts
}

func sortedKeys[K int64 | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// unknownConflicts warns, on the first interview of each interviewer (or
// room) whose busy time a source could not read, that they may be busy
// then.
func unknownConflicts(unknown []availability.Unknown, items []Item, names, roomNames map[int64]string) []domain.Conflict {
	var out []domain.Conflict
	for _, u := range unknown {
		var first int
		var c domain.Conflict
		switch u.Resource {
		case availability.ResourceInterviewer:
			first = slices.IndexFunc(items, func(it Item) bool { return slices.Contains(it.Interviewers, u.ID) })
			c = domain.Conflict{UserID: u.ID, Message: fmt.Sprintf("%s's busy time from %s could not be read (%s); they may be busy then.", names[u.ID], u.Source, u.Reason)}
		case availability.ResourceRoom:
			first = slices.IndexFunc(items, func(it Item) bool { return it.RoomID == u.ID })
			c = domain.Conflict{Message: fmt.Sprintf("Room %s's busy time from %s could not be read (%s); it may be taken then.", roomNames[u.ID], u.Source, u.Reason)}
		default:
			continue
		}
		if first < 0 {
			continue
		}
		if u.Message != "" {
			c.Message = u.Message + " They may be busy then."
			if u.Resource == availability.ResourceRoom {
				c.Message = u.Message + " It may be taken then."
			}
		}
		c.Kind, c.Item = domain.ConflictBusyUnknown, first
		out = append(out, c)
	}
	return out
}

// validate refuses a proposal that is malformed whatever the calendars
// say: no interviews, an interview of another stage or placed twice, times
// out of range, too few interviewers or ones outside the pool, unknown
// rooms, items of another schedule.
func validate(p *Proposal, ev *evaluation, rooms []domain.Room) error {
	fields := map[string]string{}
	if len(p.Items) == 0 {
		return domain.Invalid(map[string]string{"items": "Place at least one interview."})
	}
	if len(p.Items) > domain.MaxScheduleItems {
		return domain.Invalid(map[string]string{"items": "Too many interviews."})
	}
	seen := map[int64]bool{}
	for i, it := range p.Items {
		key := fmt.Sprintf("items[%d]", i)
		iv := ev.stage.Interview(it.InterviewID)
		if iv == nil {
			fields[key+".interview_id"] = "That interview is not part of this stage."
			continue
		}
		if seen[iv.ID] {
			fields[key+".interview_id"] = fmt.Sprintf("%s is placed twice.", iv.Name)
		}
		seen[iv.ID] = true
		switch {
		case it.Start.IsZero() || it.End.IsZero():
			fields[key+".start"] = "Give a start and an end."
		case !it.End.After(it.Start):
			fields[key+".end"] = "The end must be after the start."
		case it.End.Sub(it.Start) > maxItemSpan:
			fields[key+".end"] = "An interview lasts at most 8 hours."
		case it.Start.Year() < 2000 || it.Start.Year() > 2100:
			fields[key+".start"] = "That date is out of range."
		}
		if len(it.Interviewers) < iv.InterviewersNeeded {
			fields[key+".interviewers"] = fmt.Sprintf("%s needs %d interviewer(s).", iv.Name, iv.InterviewersNeeded)
		}
		if len(it.Interviewers) > domain.MaxInterviewers {
			fields[key+".interviewers"] = "Too many interviewers."
		}
		dup := map[int64]bool{}
		for _, u := range it.Interviewers {
			if dup[u] {
				fields[key+".interviewers"] = "An interviewer is listed twice."
			}
			dup[u] = true
			if len(iv.Pool) > 0 && !iv.InPool(u) {
				fields[key+".interviewers"] = fmt.Sprintf("Interviewer %d is not in the pool for %s.", u, iv.Name)
			}
		}
		if it.RoomID != 0 && !slices.ContainsFunc(rooms, func(r domain.Room) bool { return r.ID == it.RoomID }) {
			fields[key+".room_id"] = "Unknown room."
		}
		if iv.RoomRequired && it.RoomID == 0 {
			fields[key+".room_id"] = fmt.Sprintf("%s needs a room.", iv.Name)
		}
		if it.ItemID != 0 && (ev.existing == nil || ev.existing.Item(it.ItemID) == nil) {
			fields[key+".item_id"] = "That item is not part of this schedule."
		}
	}
	if len(fields) > 0 {
		return domain.Invalid(fields)
	}
	return nil
}
