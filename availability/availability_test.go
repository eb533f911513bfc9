package availability_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/storetest"
)

// world is a company with three interviewers, a room, a stage and a
// candidate, on a real database.
type world struct {
	hs        *hiringstore.Store
	account   int64
	other     int64
	users     []int64
	room      int64
	stage     *domain.Stage
	candidate int64
}

func mustWorld(tb testing.TB) *world {
	tb.Helper()
	ctx := context.Background()
	db := storetest.MustOpen(tb)
	w := &world{hs: hiringstore.New(db)}
	acct, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		tb.Fatal(err)
	}
	other, err := db.CreateAccount(ctx, "Globex")
	if err != nil {
		tb.Fatal(err)
	}
	w.account, w.other = acct.ID, other.ID
	for i := range 3 {
		u, err := db.CreateUser(ctx, acct.ID, store.NewUser{Email: fmt.Sprintf("i%d@example.com", i), Name: fmt.Sprintf("I%d", i), Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			tb.Fatal(err)
		}
		w.users = append(w.users, u.ID)
	}
	room, err := w.hs.CreateRoom(ctx, acct.ID, "Everest", "")
	if err != nil {
		tb.Fatal(err)
	}
	w.room = room.ID
	job, err := w.hs.CreateJob(ctx, acct.ID, domain.Job{Title: "Engineer"})
	if err != nil {
		tb.Fatal(err)
	}
	if w.stage, err = w.hs.CreateStage(ctx, acct.ID, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoZoom, LatestDayOffset: 60,
		Interviews: []domain.Interview{{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1}}}); err != nil {
		tb.Fatal(err)
	}
	c, err := w.hs.CreateCandidate(ctx, acct.ID, domain.Candidate{Name: "Grace", Email: "grace@example.com", TimeZone: "UTC", JobID: job.ID})
	if err != nil {
		tb.Fatal(err)
	}
	w.candidate = c.ID
	return w
}

// book saves a one-interview schedule and gives its meeting to host.
func (w *world) book(tb testing.TB, start time.Time, user, room int64, host string) int64 {
	tb.Helper()
	ctx := context.Background()
	sc, _, err := scheduling.New(w.hs).Save(ctx, w.account, scheduling.Proposal{CandidateID: w.candidate, AcceptWarnings: true,
		Items: []scheduling.Item{{InterviewID: w.stage.Interviews[0].ID, Start: start, End: start.Add(time.Hour), Interviewers: []int64{user}, RoomID: room}}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.hs.DB.Writer().ExecContext(ctx, `UPDATE meetings SET host_id = $1 WHERE schedule_id = $2`, host, sc.ID); err != nil {
		tb.Fatal(err)
	}
	return sc.ID
}

var day = time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)

func TestBusyReadsOnlyTheWindowAndTheIdsAsked(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	ctx := t.Context()
	nine := day.Add(9 * time.Hour)
	first := w.book(t, nine, w.users[0], w.room, "h1")
	w.book(t, nine.Add(2*time.Hour), w.users[1], 0, "h2")
	w.book(t, nine.Add(48*time.Hour), w.users[0], w.room, "h1") // outside the window

	svc := availability.New(availability.Bookings{Store: w.hs})
	got, err := svc.Busy(ctx, availability.Request{AccountID: w.account, From: nine.Add(30 * time.Minute), To: nine.Add(24 * time.Hour),
		Interviewers: []int64{w.users[0], w.users[2]}, Rooms: []int64{w.room}, Hosts: []string{"h1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := availability.Interval{Start: nine, End: nine.Add(time.Hour), ScheduleID: first, Source: availability.SourceBookings}
	if ivs := got.Interviewers[w.users[0]]; len(ivs) != 1 || ivs[0] != want {
		t.Errorf("interviewer 0 = %+v, want only %+v", ivs, want)
	}
	if _, ok := got.Interviewers[w.users[1]]; ok {
		t.Errorf("interviewer 1 was not asked about: %+v", got.Interviewers)
	}
	if ivs := got.Rooms[w.room]; len(ivs) != 1 || ivs[0] != want {
		t.Errorf("room = %+v, want only %+v", ivs, want)
	}
	if ivs := got.Hosts["h1"]; len(ivs) != 1 || !ivs[0].Start.Equal(nine) {
		t.Errorf("host h1 = %+v", ivs)
	}
	if _, ok := got.Hosts["h2"]; ok {
		t.Errorf("host h2 was not asked about: %+v", got.Hosts)
	}
	if !got.Interviewers[w.users[0]][0].Interview() {
		t.Error("a booking of ours should count as an interview")
	}

	// A booking touching the window's edge is not inside it.
	edge, err := svc.Busy(ctx, availability.Request{AccountID: w.account, From: nine.Add(time.Hour), To: nine.Add(2 * time.Hour), Interviewers: []int64{w.users[0]}})
	if err != nil || len(edge.Interviewers[w.users[0]]) != 0 {
		t.Errorf("[10:00, 11:00) = %+v, %v; want nothing", edge.Interviewers, err)
	}
	// The schedule being changed does not clash with itself.
	except, err := svc.Busy(ctx, availability.Request{AccountID: w.account, From: nine, To: nine.Add(time.Hour), Interviewers: []int64{w.users[0]},
		Rooms: []int64{w.room}, Hosts: []string{"h1"}, ExceptSchedule: first})
	if err != nil || len(except.Interviewers[w.users[0]])+len(except.Rooms[w.room])+len(except.Hosts["h1"]) != 0 {
		t.Errorf("except its own schedule = %+v, %v; want nothing", except, err)
	}
	// Another company sees nothing of these.
	other, err := svc.Busy(ctx, availability.Request{AccountID: w.other, From: nine, To: nine.Add(time.Hour), Interviewers: []int64{w.users[0]},
		Rooms: []int64{w.room}, Hosts: []string{"h1"}})
	if err != nil || len(other.Interviewers)+len(other.Rooms)+len(other.Hosts) != 0 {
		t.Errorf("another account = %+v, %v; want nothing", other, err)
	}
	if _, err := svc.Busy(ctx, availability.Request{AccountID: w.account, From: nine, To: nine}); err == nil {
		t.Error("an empty window should be refused")
	}
}

// calendar is a stand-in for an external source.
type calendar struct {
	busy availability.Busy
	err  error
}

func (c calendar) Name() string { return "calendar" }
func (c calendar) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	return c.busy, c.err
}

func TestOtherSourcesJoinAndUnreadableOnesAreUnknown(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	nine := day.Add(9 * time.Hour)
	w.book(t, nine.Add(3*time.Hour), w.users[0], 0, "")
	event := availability.Interval{Start: nine, End: nine.Add(30 * time.Minute), Source: "calendar"}
	cal := availability.NewBusy()
	cal.Interviewers[w.users[0]] = []availability.Interval{event}
	cal.Unknown = []availability.Unknown{{Resource: availability.ResourceInterviewer, ID: w.users[1], Source: "calendar", Reason: "not synced"}}
	req := availability.Request{AccountID: w.account, From: day, To: day.Add(24 * time.Hour), Interviewers: w.users[:2], Rooms: []int64{w.room}}

	got, err := availability.New(availability.Bookings{Store: w.hs}, calendar{busy: cal}).Busy(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	ivs := got.Interviewers[w.users[0]]
	if len(ivs) != 2 || ivs[0] != event || ivs[0].Interview() || !ivs[1].Interview() {
		t.Errorf("merged = %+v, want the event first, then the interview", ivs)
	}
	if len(got.Unknown) != 1 || got.Unknown[0].ID != w.users[1] {
		t.Errorf("unknown = %+v", got.Unknown)
	}

	got, err = availability.New(availability.Bookings{Store: w.hs}, calendar{err: errors.New("token revoked")}).Busy(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Interviewers[w.users[0]]) != 1 || len(got.Unknown) != 3 {
		t.Errorf("a failed source: busy %+v, unknown %+v; want our booking and all three asked unknown", got.Interviewers, got.Unknown)
	}
}

// waiting is a source that answers only once another has been asked:
// read one after the other, two of them never answer (synctest reports
// the deadlock).
type waiting struct {
	name          string
	asked, answer chan struct{}
}

func (w waiting) Name() string { return w.name }
func (w waiting) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	close(w.asked)
	<-w.answer
	b := availability.NewBusy()
	b.Interviewers[1] = []availability.Interval{{Start: req.From, End: req.From.Add(time.Hour), Source: w.name}}
	return b, nil
}

// Our bookings and the other sources are read at the same time, and the
// answer is merged in the same order whichever finishes first.
func TestSourcesAreReadTogether(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ownAsked, calAsked := make(chan struct{}), make(chan struct{})
		own := waiting{name: "bookings", asked: ownAsked, answer: calAsked}
		cal := waiting{name: "calendar", asked: calAsked, answer: ownAsked}
		got, err := availability.New(own, cal).Busy(t.Context(), availability.Request{AccountID: 1, From: day, To: day.Add(time.Hour), Interviewers: []int64{1}})
		if err != nil {
			t.Fatal(err)
		}
		if ivs := got.Interviewers[1]; len(ivs) != 2 || ivs[0].Source != "bookings" || ivs[1].Source != "calendar" {
			t.Errorf("merged = %+v, want our booking, then the calendar's", ivs)
		}
	})
}
