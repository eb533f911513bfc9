package scheduling_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/hiringstore/hiringstoretest"
)

// fixture is a company with interviewers, a job with a Zoom stage and a
// candidate.
type fixture struct {
	s         *hiringstore.Store
	sched     *scheduling.Service
	account   *domain.Account
	other     *domain.Account
	users     []*domain.User
	outsider  *domain.User
	job       *domain.Job
	stage     *domain.Stage
	candidate *domain.Candidate
	enqueued  []int64
}

func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	c := hiringstoretest.MustCompany(tb)
	f := &fixture{s: c.Store, account: c.Account, other: c.Other, users: c.Users, outsider: c.Outsider,
		job: c.Job, stage: c.Stage, candidate: c.Candidate}
	f.sched = scheduling.New(f.s)
	f.sched.Enqueue = func(ctx context.Context, tx *store.Tx, accountID int64, ids []int64) error {
		f.enqueued = append(f.enqueued, ids...)
		return nil
	}
	return f
}

// monday10 is a Monday 10:00 in New York (inside default working hours)
// one to two weeks from now, inside the stage's range of days.
var monday10 = func() time.Time {
	d := time.Now().UTC().AddDate(0, 0, 8)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	ny, _ := time.LoadLocation("America/New_York")
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, ny).UTC()
}()

func (f *fixture) input(start time.Time, interviewer int64) scheduling.Proposal {
	return scheduling.Proposal{CandidateID: f.candidate.ID, Items: []scheduling.Item{
		{InterviewID: f.stage.Interviews[0].ID, Start: start, End: start.Add(time.Hour), Interviewers: []int64{interviewer}},
	}}
}

func TestSaveCreatesMeetingRows(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	in := f.input(monday10, f.users[0].ID)
	in.FormToken = "tok-1"
	sc, conflicts, err := f.sched.Save(t.Context(), f.account.ID, in)
	if err != nil {
		t.Fatalf("save: %v (%v)", err, conflicts)
	}
	if !sc.Video || len(sc.Items) != 1 || sc.Items[0].Meeting.State != domain.MeetingPending {
		t.Fatalf("schedule = %+v", sc)
	}
	if len(f.enqueued) != 1 {
		t.Fatalf("enqueued %v, want one meeting", f.enqueued)
	}
	// The same confirm again returns the same schedule.
	again, _, err := f.sched.Save(t.Context(), f.account.ID, in)
	if err != nil || again.ID != sc.ID {
		t.Fatalf("second confirm: %v, id %v want %d", err, again, sc.ID)
	}
	// Video switched off for this candidate: the meeting goes away.
	off := false
	edit := f.input(monday10, f.users[0].ID)
	edit.ScheduleID, edit.Video = sc.ID, &off
	edit.Items[0].ItemID = sc.Items[0].ID
	sc2, _, err := f.sched.Save(t.Context(), f.account.ID, edit)
	if err != nil {
		t.Fatal(err)
	}
	if sc2.Video || sc2.Items[0].Meeting.State != domain.MeetingNone {
		t.Fatalf("after video off: %+v", sc2.Items[0].Meeting)
	}
}

func TestSaveRefusesBadInput(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	iv := f.stage.Interviews[0].ID
	tests := []struct {
		name string
		in   scheduling.Proposal
		code string
	}{
		{"end before start", scheduling.Proposal{CandidateID: f.candidate.ID, Items: []scheduling.Item{{InterviewID: iv, Start: monday10, End: monday10.Add(-time.Hour), Interviewers: []int64{f.users[0].ID}}}}, domain.EINVALID},
		{"unknown interviewer", scheduling.Proposal{CandidateID: f.candidate.ID, Items: []scheduling.Item{{InterviewID: f.stage.Interviews[0].ID, Start: monday10, End: monday10.Add(time.Hour), Interviewers: []int64{999999}}}}, domain.EINVALID},
		{"outside the pool", f.input(monday10, f.users[3].ID), domain.EINVALID},
		{"another company's interviewer", f.input(monday10, f.outsider.ID), domain.EINVALID},
		{"another company's candidate", scheduling.Proposal{CandidateID: f.candidate.ID + 1000, Items: f.input(monday10, f.users[0].ID).Items}, domain.ENOTFOUND},
		{"no items", scheduling.Proposal{CandidateID: f.candidate.ID}, domain.EINVALID},
		{"interview of another stage", scheduling.Proposal{CandidateID: f.candidate.ID, Items: []scheduling.Item{{InterviewID: 424242, Start: monday10, End: monday10.Add(time.Hour), Interviewers: []int64{f.users[0].ID}}}}, domain.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.sched.Save(ctx, f.account.ID, tt.in)
			if !domain.IsCode(err, tt.code) {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
		})
	}
	// Another company asking for Acme's candidate sees nothing.
	if _, _, err := f.sched.Save(ctx, f.other.ID, f.input(monday10, f.users[0].ID)); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("cross-account save: %v", err)
	}
	scs, err := f.s.ListCandidateSchedules(ctx, f.account.ID, f.candidate.ID)
	if err != nil || len(scs) != 0 {
		t.Fatalf("schedules saved: %d, %v", len(scs), err)
	}
}

func TestConcurrentBookingOneWinner(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	c2, err := f.s.CreateCandidate(ctx, f.account.ID, domain.Candidate{Name: "Alan Turing", Email: "alan@candidate.example", TimeZone: "Europe/London", JobID: f.job.ID})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, cid := range []int64{f.candidate.ID, c2.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := f.input(monday10, f.users[0].ID)
			in.CandidateID = cid
			_, _, errs[i] = f.sched.Save(ctx, f.account.ID, in)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		var ce *scheduling.ConflictError
		switch {
		case err == nil:
			wins++
		case errors.As(err, &ce) && ce.Blocking:
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("winners = %d, want 1 (%v)", wins, errs)
	}
}

func TestWarningsNeedAcceptance(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	// 03:00 in New York is outside working hours.
	night := monday10.Add(-7 * time.Hour)
	in := f.input(night, f.users[0].ID)
	_, conflicts, err := f.sched.Save(t.Context(), f.account.ID, in)
	var ce *scheduling.ConflictError
	if !errors.As(err, &ce) || ce.Blocking || len(conflicts) == 0 || conflicts[0].Kind != domain.ConflictOutsideHours {
		t.Fatalf("err = %v, conflicts = %v", err, conflicts)
	}
	in.AcceptWarnings = true
	if _, _, err := f.sched.Save(t.Context(), f.account.ID, in); err != nil {
		t.Fatalf("accepted: %v", err)
	}
}

func TestCancelAndRemoveQueueDeletes(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	in := f.input(monday10, f.users[0].ID)
	in.Items = append(in.Items, scheduling.Item{InterviewID: f.stage.Interviews[1].ID, Start: monday10.Add(time.Hour), End: monday10.Add(105 * time.Minute), Interviewers: []int64{f.users[2].ID}})
	sc, _, err := f.sched.Save(ctx, f.account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.sched.RemoveItem(ctx, f.account.ID, 0, sc.ID, sc.Items[1].ID); err != nil {
		t.Fatal(err)
	}
	states, _ := f.s.CountMeetingStates(ctx, f.account.ID)
	if states[domain.MeetingDeleted] != 1 || states[domain.MeetingPending] != 1 {
		t.Fatalf("states after remove = %v", states)
	}
	if err := f.sched.Cancel(ctx, f.other.ID, 0, sc.ID); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("cancel from another account: %v", err)
	}
	if err := f.sched.Cancel(ctx, f.account.ID, 0, sc.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.GetSchedule(ctx, f.account.ID, sc.ID)
	if got.Status != domain.ScheduleCancelled || len(got.Items) != 0 {
		t.Fatalf("after cancel: %+v", got)
	}
	// The interviewer is free again.
	if _, _, err := f.sched.Save(ctx, f.account.ID, f.input(monday10, f.users[0].ID)); err != nil {
		t.Fatalf("rebook after cancel: %v", err)
	}
}

func TestCheckWarnsAboutTheStagesLoopRules(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	in := f.input(monday10, f.users[0].ID)
	in.Items = append(in.Items, scheduling.Item{InterviewID: f.stage.Interviews[1].ID,
		Start: monday10.Add(3 * time.Hour), End: monday10.Add(3*time.Hour + 45*time.Minute), Interviewers: []int64{f.users[2].ID}})
	kinds := func() []domain.ConflictKind {
		cs, err := f.sched.Check(ctx, f.account.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		var out []domain.ConflictKind
		for _, c := range cs {
			out = append(out, c.Kind)
		}
		return out
	}
	if k := kinds(); slices.Contains(k, domain.ConflictLongGap) {
		t.Fatalf("no max gap set, yet %v", k)
	}
	st := *f.stage
	st.MaxGapMinutes = 60
	if _, err := f.s.UpdateStage(ctx, f.account.ID, st); err != nil {
		t.Fatal(err)
	}
	if k := kinds(); !slices.Contains(k, domain.ConflictLongGap) {
		t.Fatalf("a two-hour gap with a 60-minute limit: %v", k)
	}
}

// calendar is an external source of busy time, as calendars plug in.
type calendar struct {
	busy availability.Busy
	err  error
}

func (calendar) Name() string { return "calendar" }
func (c calendar) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	return c.busy, c.err
}

func TestBusyTimeFromOtherSourcesIsChecked(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	in := f.input(monday10, f.users[0].ID)

	event := availability.NewBusy()
	event.Interviewers[f.users[0].ID] = []availability.Interval{{Start: monday10.Add(30 * time.Minute), End: monday10.Add(2 * time.Hour), Source: "calendar"}}
	f.sched.Availability = availability.New(availability.Bookings{Store: f.s}, calendar{busy: event})
	cs, err := f.sched.Check(ctx, f.account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Kind != domain.ConflictInterviewerBooked || !cs[0].Blocking {
		t.Fatalf("a calendar event at that time: %+v, want one blocking clash", cs)
	}
	if _, _, err := f.sched.Save(ctx, f.account.ID, in); !domain.IsCode(asDomain(err), domain.ECONFLICT) {
		t.Fatalf("save over a calendar event: %v", err)
	}

	f.sched.Availability = availability.New(availability.Bookings{Store: f.s}, calendar{err: errors.New("token revoked")})
	cs, err = f.sched.Check(ctx, f.account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Kind != domain.ConflictBusyUnknown || cs[0].Blocking || cs[0].UserID != f.users[0].ID {
		t.Fatalf("an unreadable calendar: %+v, want one warning about it", cs)
	}
}

func asDomain(err error) error {
	var ce *scheduling.ConflictError
	if errors.As(err, &ce) {
		return ce.AsDomain()
	}
	return err
}

// A Fresh source is asked at confirm: a meeting the cache has not seen yet
// blocks, and a source that cannot answer is a warning, never free.
func TestFreshSourcesAskedAtConfirm(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	in := f.input(monday10, f.users[0].ID)
	event := availability.NewBusy()
	event.Interviewers[f.users[0].ID] = []availability.Interval{{Start: monday10.Add(15 * time.Minute), End: monday10.Add(45 * time.Minute), Source: "microsoft365", Title: "Added a minute ago"}}
	f.sched.Fresh = []availability.Source{calendar{busy: event}}
	if cs, err := f.sched.Check(ctx, f.account.ID, in); err != nil || len(cs) != 0 {
		t.Fatalf("the check reads the cache only: %+v %v", cs, err)
	}
	if _, _, err := f.sched.Save(ctx, f.account.ID, in); !domain.IsCode(asDomain(err), domain.ECONFLICT) {
		t.Fatalf("save over a fresh event: %v", err)
	}
	f.sched.Fresh = []availability.Source{calendar{err: errors.New("getSchedule answered 503")}}
	_, cs, err := f.sched.Save(ctx, f.account.ID, in)
	if err == nil || len(cs) != 1 || cs[0].Kind != domain.ConflictBusyUnknown {
		t.Fatalf("an unanswered fresh check: %+v %v", cs, err)
	}
	in.AcceptWarnings = true
	if sc, _, err := f.sched.Save(ctx, f.account.ID, in); err != nil || sc == nil {
		t.Fatalf("accepted warning: %v", err)
	}
}

// A provider's free/busy answer holds the schedule's own events: moving an
// interview by half an hour does not clash with where it stands now, but
// a real meeting merged into the same busy block still does.
func TestFreshCheckIgnoresTheScheduleItMoves(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	u := f.users[0].ID
	sc, _, err := f.sched.Save(ctx, f.account.ID, f.input(monday10, u))
	if err != nil {
		t.Fatal(err)
	}
	own := availability.NewBusy()
	own.Interviewers[u] = []availability.Interval{{Start: monday10, End: monday10.Add(time.Hour), Source: "Google Calendar", Title: "Busy in Google Calendar"}}
	f.sched.Fresh = []availability.Source{calendar{busy: own}}
	moved := f.input(monday10.Add(30*time.Minute), u)
	moved.ScheduleID = sc.ID
	if _, cs, err := f.sched.Save(ctx, f.account.ID, moved); err != nil {
		t.Fatalf("moving an interview over its own event: %v %+v", err, cs)
	}
	// Now at 10:30–11:30; Google merges its event with a meeting added
	// just after: 10:30–12:00 busy. Moving to 11:00 meets that meeting.
	merged := availability.NewBusy()
	merged.Interviewers[u] = []availability.Interval{{Start: monday10.Add(30 * time.Minute), End: monday10.Add(2 * time.Hour), Source: "Google Calendar", Title: "Busy in Google Calendar"}}
	f.sched.Fresh = []availability.Source{calendar{busy: merged}}
	again := f.input(monday10.Add(time.Hour), u)
	again.ScheduleID = sc.ID
	if _, _, err := f.sched.Save(ctx, f.account.ID, again); !domain.IsCode(asDomain(err), domain.ECONFLICT) {
		t.Fatalf("a meeting merged into the own event's busy block must still clash: %v", err)
	}
}

// roomsOnly is a video provider that only lists its rooms.
type roomsOnly struct {
	domain.VideoProvider
	rooms []domain.VideoRoom
}

func (p roomsOnly) Rooms(context.Context, int64) ([]domain.VideoRoom, error) { return p.rooms, nil }

func TestRoomForVideoRoomAddsTheRoomOnce(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	f.sched.Video = func() domain.VideoProvider {
		return roomsOnly{rooms: []domain.VideoRoom{{ID: "zr-1", Name: "Everest"}}}
	}
	ctx := t.Context()
	first, err := f.sched.RoomForVideoRoom(ctx, f.account.ID, "zr-1")
	if err != nil || first == 0 {
		t.Fatalf("first use: room %d, %v", first, err)
	}
	again, err := f.sched.RoomForVideoRoom(ctx, f.account.ID, "zr-1")
	if err != nil || again != first {
		t.Fatalf("second use: room %d, %v; want the same room %d", again, err, first)
	}
	room, err := f.s.GetRoom(ctx, f.account.ID, first)
	if err != nil || room.Name != "Everest" {
		t.Fatalf("the added room: %+v, %v", room, err)
	}
	if _, err := f.sched.RoomForVideoRoom(ctx, f.account.ID, "zr-unknown"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a room Zoom does not list: %v, want %s", err, domain.EINVALID)
	}
}
