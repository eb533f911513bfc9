package googleconnect_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/googleemu"
	"interviewplanner/queue"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/responsestore"
)

// workflow is a connected Workspace with a scheduling calendar, the
// scheduling service writing events through River jobs, and a Zoom stage
// (Priya or Sam) whose meetings get their links from the test.
type workflow struct {
	*fixture
	schedCal  string
	sched     *scheduling.Service
	hs        *hiringstore.Store
	stage     *domain.Stage
	candidate *domain.Candidate
	roomID    int64
	roomEmail string
	emailed   atomic.Int64 // our own invitations queued
}

func newWorkflow(t *testing.T) *workflow {
	t.Helper()
	f := newFixture(t)
	ctx := t.Context()
	f.connectDelegated(t)
	w := &workflow{fixture: f, hs: hiringstore.New(f.db)}
	var err error
	if w.schedCal, err = f.emu.AddCalendar("admin@example.com", "Interviews"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSchedulingCalendar(ctx, f.admin, w.schedCal); err != nil {
		t.Fatal(err)
	}
	dir, _ := f.svc.Store().ListDirectory(ctx, f.acme)
	for _, e := range dir {
		if e.Kind == googlestore.EntryRoom {
			w.roomID, w.roomEmail = e.RoomID, e.Email
		}
	}
	job, _ := w.hs.CreateJob(ctx, f.acme, domain.Job{Title: "Engineer"})
	if w.stage, err = w.hs.CreateStage(ctx, f.acme, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoZoom, LatestDayOffset: 60,
		Interviews: []domain.Interview{{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{f.priya.ID, f.sam.ID}}}}); err != nil {
		t.Fatal(err)
	}
	if w.candidate, err = w.hs.CreateCandidate(ctx, f.acme, domain.Candidate{Name: "Jane Doe", Email: "jane@candidate.example", TimeZone: "UTC", JobID: job.ID}); err != nil {
		t.Fatal(err)
	}
	if err := queue.Migrate(ctx, f.db, nil); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	f.svc.Register(workers, time.Hour)
	q, err := queue.New(f.db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.cals.Queue = q
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	w.sched = scheduling.New(w.hs)
	w.sched.Notify = func(context.Context, *store.Tx, int64, int64, domain.ScheduleNotice) error {
		w.emailed.Add(1)
		return nil
	}
	w.sched.NotifyRemoved = func(context.Context, *store.Tx, int64, int64, []scheduling.Removal) error {
		w.emailed.Add(1)
		return nil
	}
	w.sched.Calendars = []scheduling.CalendarEvents{f.svc}
	return w
}

// book confirms Coding with Priya at 15:00 UTC days ahead, its Zoom link
// made; the test runs the events job's work itself.
func (w *workflow) book(t *testing.T, days int) (*domain.Schedule, scheduling.Proposal, time.Time) {
	t.Helper()
	w.cals.Queue = nil
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, days)
	p := scheduling.Proposal{CandidateID: w.candidate.ID, AcceptWarnings: true, Items: []scheduling.Item{
		{InterviewID: w.stage.Interviews[0].ID, Start: at(day, 15, 0), End: at(day, 16, 0), Interviewers: []int64{w.priya.ID}}}}
	sc, _, err := w.sched.Save(t.Context(), w.acme, p)
	if err != nil {
		t.Fatal(err)
	}
	w.linkMeetings(t, sc.ID)
	return sc, p, day
}

// linkMeetings gives the schedule's pending Zoom meetings their links, as
// the meeting worker would.
func (w *workflow) linkMeetings(t *testing.T, scheduleID int64) {
	t.Helper()
	err := w.db.WriteTx(t.Context(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(t.Context(), `UPDATE meetings SET state = 'created', join_url = 'https://zoom.example/j/' || CAST(id AS TEXT)
			WHERE account_id = $1 AND schedule_id = $2 AND state IN ('pending', 'creating')`, w.acme, scheduleID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// settled waits until the schedule's events are all written as planned.
func (w *workflow) settled(t *testing.T, scheduleID int64, n int) map[string]googlestore.ScheduleEvent {
	t.Helper()
	var rows map[string]googlestore.ScheduleEvent
	waitFor(t, func() bool {
		rows, _ = w.svc.Store().ListScheduleEvents(t.Context(), w.acme, scheduleID)
		if len(rows) != n {
			return false
		}
		for _, r := range rows {
			if r.Fingerprint == "" {
				return false
			}
		}
		return true
	})
	return rows
}

func (w *workflow) event(t *testing.T, id string) *calendar.Event {
	t.Helper()
	ev, _, ok := w.emu.Event(w.schedCal, id)
	if !ok {
		t.Fatalf("no event %s on the scheduling calendar", id)
	}
	return ev
}

func attendees(ev *calendar.Event) []string {
	var out []string
	for _, a := range ev.Attendees {
		out = append(out, a.Email)
	}
	slices.Sort(out)
	return out
}

// Confirm, reschedule, swap, remove and cancel through the scheduling
// workflow: the events are written by River jobs queued in the change's
// transaction, exactly one per interview whatever Google answers on the
// way, and Google (not InterviewPlanner) sends the invitations.
func TestScheduleEventsThroughTheWorkflow(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := t.Context()
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 6)
	p := scheduling.Proposal{CandidateID: w.candidate.ID, AcceptWarnings: true, Items: []scheduling.Item{
		{InterviewID: w.stage.Interviews[0].ID, Start: at(day, 15, 0), End: at(day, 16, 0), Interviewers: []int64{w.priya.ID}, RoomID: w.roomID}}}
	// Google refuses and loses answers on the way: still one event each.
	w.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Status: 429, Reason: "rateLimitExceeded", Times: 1})
	w.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Status: 500, Times: 1})
	w.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Drop: true, After: true, Times: 5})
	sc, _, err := w.sched.Save(ctx, w.acme, p)
	if err != nil {
		t.Fatal(err)
	}
	w.linkMeetings(t, sc.ID)
	rows := w.settled(t, sc.ID, 2)
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Fatalf("%d events on the scheduling calendar, want 2 (the interview, the candidate's)", n)
	}
	if n := w.emailed.Load(); n != 0 {
		t.Fatalf("%d of our own invitations queued while Google sends them", n)
	}
	item := w.event(t, rows[fmt.Sprintf("item:%d", sc.Items[0].ID)].EventID)
	join := ""
	if got := attendees(item); !slices.Equal(got, []string{"priya@example.com", w.roomEmail}) && !slices.Equal(got, []string{w.roomEmail, "priya@example.com"}) {
		t.Errorf("interview attendees %v", got)
	}
	if i := strings.Index(item.Location, "https://zoom.example/j/"); i < 0 || !strings.Contains(item.Location, "Boardroom") {
		t.Errorf("location %q: want the room and the Zoom link", item.Location)
	} else {
		join = item.Location[i:]
	}
	if !strings.Contains(item.Description, "Join: "+join) || !strings.Contains(item.Description, "Jane Doe") || !strings.Contains(item.Description, "Room: Boardroom") {
		t.Errorf("interview description %q", item.Description)
	}
	cand := w.event(t, rows["candidate"].EventID)
	if got := attendees(cand); !slices.Equal(got, []string{"jane@candidate.example"}) {
		t.Errorf("candidate event attendees %v", got)
	}
	if !strings.Contains(cand.Description, join) || strings.Contains(cand.Description, "Schedule (InterviewPlanner)") || strings.Contains(cand.Description, "priya") {
		t.Errorf("candidate event says more than the candidate should read: %q", cand.Description)
	}
	for _, id := range []string{item.Id, cand.Id} {
		_, updates, _ := w.emu.Event(w.schedCal, id)
		if len(updates) == 0 || slices.ContainsFunc(updates, func(u string) bool { return u != "all" }) {
			t.Errorf("event %s sendUpdates %v: Google must send the invitations", id, updates)
		}
	}

	// Reschedule by 30 minutes and swap Priya for Sam: the same event, patched.
	p.ScheduleID = sc.ID
	p.Items[0].ItemID = sc.Items[0].ID
	p.Items[0].Start, p.Items[0].End, p.Items[0].Interviewers = at(day, 15, 30), at(day, 16, 30), []int64{w.sam.ID}
	w.emu.InjectFault(googleemu.Fault{Method: "PATCH", PathPattern: "/calendar/v3/calendars/*/events/*", Status: 503, Times: 1})
	if _, conflicts, err := w.sched.Save(ctx, w.acme, p); err != nil {
		t.Fatalf("reschedule: %v %v", err, conflicts)
	}
	w.linkMeetings(t, sc.ID)
	waitFor(t, func() bool {
		ev, _, _ := w.emu.Event(w.schedCal, item.Id)
		if ev == nil {
			return false
		}
		st, _ := time.Parse(time.RFC3339, ev.Start.DateTime)
		return st.Equal(at(day, 15, 30))
	})
	w.settled(t, sc.ID, 2)
	moved := w.event(t, item.Id)
	if got := attendees(moved); slices.Contains(got, "priya@example.com") || !slices.Contains(got, "sam@example.com") {
		t.Errorf("after the swap, attendees %v", got)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Errorf("%d events after the reschedule, want 2", n)
	}
	if n := w.emailed.Load(); n != 0 {
		t.Errorf("%d of our own invitations (or cancellations to Priya) queued while Google sends them", n)
	}

	// Sam declines in Google Calendar: the answer comes back through the
	// scheduling calendar's sync.
	if err := w.emu.Respond(w.schedCal, item.Id, "sam@example.com", "declined"); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SyncResponses(ctx, w.acme); err != nil {
		t.Fatal(err)
	}
	ans, err := responsestore.New(w.db).ListBySchedule(ctx, w.acme, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var samSays responsestore.Response
	for _, a := range ans[sc.Items[0].ID] {
		if a.UserID == w.sam.ID {
			samSays = a.Response
		}
	}
	if samSays != responsestore.Declined {
		t.Errorf("Sam's answer %q (all: %+v)", samSays, ans)
	}

	// Cancel: both events deleted, Google tells the attendees.
	if err := w.sched.Cancel(ctx, w.acme, w.admin.ID, sc.ID); err != nil {
		t.Fatal(err)
	}
	w.settled(t, sc.ID, 0)
	if n := len(w.emu.Events(w.schedCal)); n != 0 {
		t.Errorf("%d events after cancel", n)
	}
	_, updates, _ := w.emu.Event(w.schedCal, item.Id)
	if updates[len(updates)-1] != "all" {
		t.Errorf("the cancellation was not sent by Google: %v", updates)
	}
}

// A process killed between Google's answer and saving it: the next
// attempt meets Google's 409 duplicate and patches the same event.
func TestScheduleEventsAfterAKilledProcess(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := t.Context()
	sc, _, _ := w.book(t, 7)
	// The first insert reaches Google and the process dies before it
	// hears back: what it leaves is the row stored before the call, and
	// Google's event (every answer lost, so the attempt ends there).
	w.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Drop: true, After: true, Times: 4})
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err == nil {
		t.Fatal("the killed attempt succeeded")
	}
	w.emu.ClearFaults()
	if rows, _ := w.svc.Store().ListScheduleEvents(ctx, w.acme, sc.ID); len(rows) != 1 || rows[fmt.Sprintf("item:%d", sc.Items[0].ID)].Fingerprint != "" {
		t.Fatalf("rows after the kill %+v", rows)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 1 {
		t.Fatalf("%d events after the kill, want the one Google made", n)
	}
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Fatalf("%d events after the retry, want 2", n)
	}
	// Cancelled after a crash left rows without fingerprints: still deleted.
	if err := w.sched.Cancel(ctx, w.acme, w.admin.ID, sc.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 0 {
		t.Fatalf("%d events after cancel", n)
	}
}

// Our own interview events, read back from an interviewer's calendar, are
// not busy time: moving the interview by 30 minutes conflicts with nothing.
func TestOwnEventsAreNotBusyTime(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := t.Context()
	sc, p, day := w.book(t, 8)
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err != nil {
		t.Fatal(err)
	}
	// Google puts the interview on Priya's calendar (the same id, the
	// shared property; the private one stays with the organizer), next to
	// a meeting of her own.
	rows, _ := w.svc.Store().ListScheduleEvents(ctx, w.acme, sc.ID)
	own := w.event(t, rows[fmt.Sprintf("item:%d", sc.Items[0].ID)].EventID)
	copyOf := *own
	copyOf.ExtendedProperties = &calendar.EventExtendedProperties{Shared: own.ExtendedProperties.Shared}
	if err := w.emu.PutEvent("priya@example.com", &copyOf); err != nil {
		t.Fatal(err)
	}
	bare := *own // a copy that lost its properties: known by its id
	bare.ExtendedProperties = nil
	bare.Id = rows["candidate"].EventID
	if err := w.emu.PutEvent("priya@example.com", &bare); err != nil {
		t.Fatal(err)
	}
	_ = w.emu.PutEvent("priya@example.com", gev("mine0001", "Her own 1:1", at(day, 17, 0), at(day, 17, 30)))
	srcs, _ := w.cals.Store.ListSources(ctx, w.acme, calendarstore.SourceFilter{})
	for _, s := range srcs {
		if s.UserID == w.priya.ID {
			if err := w.cals.SyncNow(ctx, w.acme, s.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := calendars.Source{Service: w.cals}.Busy(ctx, availability.Request{AccountID: w.acme, From: at(day, 0, 0), To: at(day, 23, 0), Interviewers: []int64{w.priya.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if iv := b.Interviewers[w.priya.ID]; len(iv) != 1 || !iv[0].Start.Equal(at(day, 17, 0)) {
		t.Fatalf("Priya's busy time from Google %+v: want only her own 1:1", iv)
	}
	// Moved by 30 minutes, over its own old time: no conflict.
	p.ScheduleID, p.AcceptWarnings = sc.ID, false
	p.Items[0].ItemID = sc.Items[0].ID
	p.Items[0].Start, p.Items[0].End = at(day, 15, 30), at(day, 16, 30)
	w.sched.Availability = availability.New(availability.Bookings{Store: w.hs}, calendars.Source{Service: w.cals})
	if _, conflicts, err := w.sched.Save(ctx, w.acme, p); err != nil || len(conflicts) != 0 {
		t.Fatalf("reschedule by 30 minutes: %v, conflicts %+v", err, conflicts)
	}
}

// quotaExceeded: the connection's writes pause (no call to Google until
// then), and resume afterwards with nothing lost or duplicated.
func TestQuotaExceededPausesWrites(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := t.Context()
	sc, _, _ := w.book(t, 9)
	w.emu.SetReadOnly(w.schedCal, time.Now().Add(time.Hour))
	var paused *googleconnect.PausedError
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); !errors.As(err, &paused) {
		t.Fatalf("quotaExceeded: %v, want writes paused", err)
	}
	c, _ := w.svc.Connection(ctx, w.acme)
	if c.WritesPausedUntil == nil || !c.WritesPausedUntil.Equal(paused.Until) || !paused.Until.After(time.Now().Add(30*time.Minute)) {
		t.Fatalf("paused until %v (connection says %v)", paused.Until, c.WritesPausedUntil)
	}
	calls := len(w.emu.Requests())
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); !errors.As(err, &paused) || len(w.emu.Requests()) != calls {
		t.Fatalf("while paused: %v, %d calls to Google", err, len(w.emu.Requests())-calls)
	}
	// Hours later Google accepts writes again.
	w.emu.SetReadOnly(w.schedCal, time.Time{})
	later := paused.Until.Add(time.Minute)
	w.db.Now = func() time.Time { return later }
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Fatalf("%d events after resuming, want 2", n)
	}
	if c, _ := w.svc.Connection(ctx, w.acme); c.WritesPausedUntil != nil {
		t.Fatalf("still paused until %v", c.WritesPausedUntil)
	}
}

// An interview taken out of a live schedule loses its event (Google tells
// its attendees); the schedule's other interview keeps its own.
func TestRemovedInterviewDeletesItsEvent(t *testing.T) {
	t.Parallel()
	w := newWorkflow(t)
	ctx := t.Context()
	job, _ := w.hs.CreateJob(ctx, w.acme, domain.Job{Title: "Designer"})
	stage, err := w.hs.CreateStage(ctx, w.acme, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoZoom, LatestDayOffset: 60,
		Interviews: []domain.Interview{
			{Name: "Portfolio", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{w.priya.ID}},
			{Name: "Critique", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{w.sam.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	cand, err := w.hs.CreateCandidate(ctx, w.acme, domain.Candidate{Name: "Ray Doe", Email: "ray@candidate.example", TimeZone: "UTC", JobID: job.ID})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 8)
	sc, _, err := w.sched.Save(ctx, w.acme, scheduling.Proposal{CandidateID: cand.ID, AcceptWarnings: true, Items: []scheduling.Item{
		{InterviewID: stage.Interviews[0].ID, Start: at(day, 15, 0), End: at(day, 16, 0), Interviewers: []int64{w.priya.ID}},
		{InterviewID: stage.Interviews[1].ID, Start: at(day, 16, 0), End: at(day, 17, 0), Interviewers: []int64{w.sam.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	w.linkMeetings(t, sc.ID)
	rows := w.settled(t, sc.ID, 3)
	kept := rows[fmt.Sprintf("item:%d", sc.Items[0].ID)].EventID
	gone := rows[fmt.Sprintf("item:%d", sc.Items[1].ID)].EventID
	if kept == "" || gone == "" || len(w.emu.Events(w.schedCal)) != 3 {
		t.Fatalf("before the removal: rows %+v, %d events", rows, len(w.emu.Events(w.schedCal)))
	}
	if err := w.sched.RemoveItem(ctx, w.acme, w.admin.ID, sc.ID, sc.Items[1].ID); err != nil {
		t.Fatal(err)
	}
	w.linkMeetings(t, sc.ID)
	w.settled(t, sc.ID, 2)
	if ev, updates, _ := w.emu.Event(w.schedCal, gone); ev != nil && ev.Status != "cancelled" {
		t.Errorf("the removed interview's event is still there: %+v", ev)
	} else if len(updates) == 0 || updates[len(updates)-1] != "all" {
		t.Errorf("Google did not tell the removed interview's attendees: %v", updates)
	}
	if got := attendees(w.event(t, kept)); !slices.Equal(got, []string{"priya@example.com"}) {
		t.Errorf("the kept interview's attendees %v", got)
	}
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Errorf("%d events after the removal, want 2 (the kept interview, the candidate's)", n)
	}
}
