package meetings_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"
	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/mail"
	"interviewplanner/meetings"
	"interviewplanner/scheduling"
	"interviewplanner/store"
)

// readICS parses an attachment with arran4/golang-ical, a parser that
// shares no code with the go-ical encoder that wrote it, and returns the
// method and the events.
func readICS(tb testing.TB, at mail.Attachment) (string, []*arran.VEvent) {
	tb.Helper()
	cal, err := arran.ParseCalendar(bytes.NewReader(at.Data))
	if err != nil {
		tb.Fatalf("%s: arran4/golang-ical: %v\n%s", at.Name, err, at.Data)
	}
	var method string
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "METHOD" {
			method = p.Value
		}
	}
	if !strings.Contains(at.ContentType, "method="+method) {
		tb.Fatalf("%s: content type %q, METHOD %q", at.Name, at.ContentType, method)
	}
	return method, cal.Events()
}

func prop(e *arran.VEvent, name arran.ComponentProperty) string {
	if p := e.GetProperty(name); p != nil {
		return p.Value
	}
	return ""
}

// jobList is a queue that keeps what is inserted.
type jobList struct{ jobs []river.JobArgs }

func (q *jobList) InsertTx(_ context.Context, _ *store.Tx, args ...river.JobArgs) error {
	q.jobs = append(q.jobs, args...)
	return nil
}

func (q *jobList) take() []river.JobArgs {
	out := q.jobs
	q.jobs = nil
	return out
}

func byRecipient(msgs []mail.Message) map[string]mail.Message {
	out := map[string]mail.Message{}
	for _, m := range msgs {
		out[m.To[0]] = m
	}
	return out
}

// The invitations of a schedule's life: confirm (REQUEST, "scheduled"),
// swap an interviewer (CANCEL to the one swapped out, REQUEST with a
// higher SEQUENCE to everyone else, "scheduled" for the newcomer), cancel
// (CANCEL to all, "cancelled"). Every .ics is read by an independent
// parser; bodies give times in each recipient's own zone.
func TestInvitationsFollowTheSchedule(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	ctx := t.Context()
	coord, err := e.db.CreateUser(ctx, e.account.ID, store.NewUser{Email: "sam@example.com", Name: "Sam Coordinator", Role: domain.RoleScheduler, TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	newcomer, err := e.db.CreateUser(ctx, e.account.ID, store.NewUser{Email: "la@example.com", Name: "Lee Angeles", Role: domain.RoleInterviewer, TimeZone: "America/Los_Angeles"})
	if err != nil {
		t.Fatal(err)
	}
	jobs := &jobList{}
	inviter := &meetings.Inviter{Store: e.s, Queue: jobs, From: "InterviewPlanner <no-reply@acme.example>", BaseURL: func() string { return "http://app.test" }}
	e.sched.Notify = inviter.Notify
	e.sched.NotifyRemoved = func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, removed []scheduling.Removal) error {
		rs := make([]meetings.Removed, len(removed))
		for i, r := range removed {
			rs[i] = meetings.Removed{ItemID: r.ItemID, UserID: r.UserID}
		}
		return inviter.NotifyRemoved(ctx, tx, accountID, scheduleID, rs)
	}
	// prepare renders the emails of the jobs the last change queued.
	prepare := func(scheduleID int64) map[string]mail.Message {
		t.Helper()
		e.syncAll(t)
		var all []mail.Message
		for _, job := range jobs.take() {
			msgs, ready, err := inviter.Prepare(ctx, job.(meetings.InviteArgs), false)
			if err != nil || !ready {
				t.Fatalf("prepare: ready %v, %v", ready, err)
			}
			all = append(all, msgs...)
		}
		for _, m := range all {
			if m.AccountID != e.account.ID {
				t.Fatalf("email to %v has account %d", m.To, m.AccountID)
			}
		}
		got := byRecipient(all)
		if len(got) != len(all) {
			t.Fatalf("%d emails for %d recipients: someone got two", len(all), len(got))
		}
		return got
	}

	// Confirm: two interviews, i0 and i1.
	in := scheduling.Proposal{CandidateID: e.cand.ID, AcceptWarnings: true, UserID: coord.ID}
	for i := range 2 {
		at := start.Add(time.Duration(i) * 2 * time.Hour)
		in.Items = append(in.Items, scheduling.Item{InterviewID: e.stage.Interviews[i].ID, Start: at, End: at.Add(30 * time.Minute), Interviewers: []int64{e.users[i].ID}})
	}
	sc, _, err := e.sched.Save(ctx, e.account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	got := prepare(sc.ID)
	if len(got) != 3 {
		t.Fatalf("confirm sent %d emails, want 3 (candidate, two interviewers)", len(got))
	}
	cand := got[e.cand.Email]
	if cand.Subject != "Interview scheduled · Acme" || got[e.users[0].Email].Subject != "Interview scheduled: Grace Hopper" {
		t.Fatalf("subjects %q, %q", cand.Subject, got[e.users[0].Email].Subject)
	}
	// 14:00 UTC on 4 March 2030 is 15:00 in Berlin, said so.
	if !strings.Contains(cand.Text, "Mon 4 Mar 2030, 15:00–15:30 CET (Europe/Berlin)") {
		t.Fatalf("candidate's times not in their zone:\n%s", cand.Text)
	}
	// Only candidate-facing text: no interviewer address, no internal page.
	candAll := cand.Text + string(cand.Attachments[0].Data)
	for _, internal := range []string{e.users[0].Email, e.users[1].Email, "/schedules/", "Candidate:"} {
		if strings.Contains(candAll, internal) {
			t.Fatalf("the candidate's email carries %q:\n%s", internal, candAll)
		}
	}
	sched, _ := e.s.GetSchedule(ctx, e.account.ID, sc.ID)
	joins := map[string]string{} // summary's interview name → join URL
	for _, it := range sched.Items {
		if it.Meeting.JoinURL == "" {
			t.Fatal("no join URL after the meeting sync")
		}
		joins[it.Name] = it.Meeting.JoinURL
	}
	firstUID := map[string]string{}
	for to, m := range got {
		if len(m.Attachments) != 1 {
			t.Fatalf("%s: %d attachments", to, len(m.Attachments))
		}
		method, evs := readICS(t, m.Attachments[0])
		if method != "REQUEST" {
			t.Fatalf("%s: method %q", to, method)
		}
		for _, ev := range evs {
			if prop(ev, arran.ComponentPropertySequence) != "1" {
				t.Fatalf("%s: SEQUENCE %q, want 1", to, prop(ev, arran.ComponentPropertySequence))
			}
			if org := ev.GetProperty(arran.ComponentPropertyOrganizer); org == nil || org.Value != "mailto:sam@example.com" || org.ICalParameters["CN"][0] != "Sam Coordinator" {
				t.Fatalf("%s: ORGANIZER %+v", to, org)
			}
			for _, a := range ev.Attendees() {
				if a.ParticipationStatus() != arran.ParticipationStatusNeedsAction || a.ICalParameters["RSVP"][0] != "TRUE" {
					t.Fatalf("%s: attendee %s PARTSTAT %q RSVP %v", to, a.Email(), a.ParticipationStatus(), a.ICalParameters["RSVP"])
				}
			}
		}
		ev := evs[0]
		var join string
		for name, url := range joins {
			if strings.HasPrefix(prop(ev, arran.ComponentPropertySummary), name) {
				join = url
			}
		}
		if prop(ev, "CONFERENCE") != join || !strings.Contains(prop(ev, arran.ComponentPropertyLocation), join) ||
			!strings.Contains(prop(ev, arran.ComponentPropertyDescription), join) {
			t.Fatalf("%s: join URL %q missing from CONFERENCE/LOCATION/DESCRIPTION:\n%s", to, join, m.Attachments[0].Data)
		}
		if as := ev.Attendees(); to == e.cand.Email && (len(as) != 1 || as[0].Email() != e.cand.Email) {
			t.Fatalf("the candidate's event lists %d attendees", len(as))
		}
		firstUID[to] = prop(ev, arran.ComponentPropertyUniqueId)
	}
	if firstUID[e.cand.Email] == firstUID[e.users[0].Email] {
		t.Fatal("the candidate's event shares the interviewers' UID although its text differs")
	}

	// Swap i0 for the newcomer on the first interview.
	sched, _ = e.s.GetSchedule(ctx, e.account.ID, sc.ID)
	edit := scheduling.Proposal{ScheduleID: sc.ID, CandidateID: e.cand.ID, AcceptWarnings: true, UserID: coord.ID}
	for i, it := range sched.Items {
		who := it.Interviewers
		if i == 0 {
			who = []int64{newcomer.ID}
		}
		edit.Items = append(edit.Items, scheduling.Item{ItemID: it.ID, InterviewID: it.InterviewID, Start: it.Start, End: it.End, Interviewers: who})
	}
	if _, _, err := e.sched.Save(ctx, e.account.ID, edit); err != nil {
		t.Fatal(err)
	}
	got = prepare(sc.ID)
	out := got[e.users[0].Email]
	if out.Subject != "Interview cancelled: Grace Hopper" || len(out.Attachments) != 1 {
		t.Fatalf("swapped-out interviewer: %q with %d attachments", out.Subject, len(out.Attachments))
	}
	method, evs := readICS(t, out.Attachments[0])
	if method != "CANCEL" || len(evs) != 1 || prop(evs[0], arran.ComponentPropertyUniqueId) != firstUID[e.users[0].Email] ||
		prop(evs[0], arran.ComponentPropertySequence) != "2" || prop(evs[0], arran.ComponentPropertyStatus) != "CANCELLED" {
		t.Fatalf("swapped-out interviewer's CANCEL: %s", out.Attachments[0].Data)
	}
	if as := evs[0].Attendees(); len(as) != 1 || as[0].Email() != e.users[0].Email {
		t.Fatalf("the CANCEL to the swapped-out interviewer lists %v", as)
	}
	in2 := got[newcomer.Email]
	if in2.Subject != "Interview scheduled: Grace Hopper" || !strings.Contains(in2.Text, "Mon 4 Mar 2030, 06:00–06:30 PST (America/Los_Angeles)") {
		t.Fatalf("newcomer: %q\n%s", in2.Subject, in2.Text)
	}
	method, evs = readICS(t, in2.Attachments[0])
	if method != "REQUEST" || prop(evs[0], arran.ComponentPropertyUniqueId) != firstUID[e.users[0].Email] || prop(evs[0], arran.ComponentPropertySequence) != "2" {
		t.Fatalf("newcomer's REQUEST: %s", in2.Attachments[0].Data)
	}
	if got[e.users[1].Email].Subject != "Interview updated: Grace Hopper" || got[e.cand.Email].Subject != "Interview updated · Acme" {
		t.Fatalf("subjects after the swap: %q, %q", got[e.users[1].Email].Subject, got[e.cand.Email].Subject)
	}

	// Cancel the schedule: a CANCEL to everyone still on it.
	if err := e.sched.Cancel(ctx, e.account.ID, coord.ID, sc.ID); err != nil {
		t.Fatal(err)
	}
	got = prepare(sc.ID)
	if _, ok := got[e.users[0].Email]; ok || len(got) != 3 {
		t.Fatalf("cancel went to %d recipients (swapped-out one included: %v)", len(got), ok)
	}
	for to, m := range got {
		method, evs := readICS(t, m.Attachments[0])
		if method != "CANCEL" || !strings.Contains(m.Subject, "Interview cancelled") || prop(evs[0], arran.ComponentPropertySequence) != "3" {
			t.Fatalf("%s: %q %s seq %s", to, m.Subject, method, prop(evs[0], arran.ComponentPropertySequence))
		}
	}
}

// Failure class 10 (a cancel or reschedule does not reach the calendar):
// each recipient's calendar app, played here by an independent parser
// that keeps one event per UID and applies an update only when its
// SEQUENCE is higher, ends with the interview moved after a reschedule
// and removed after a cancellation, with nothing duplicated.
func TestRescheduleAndCancelReachTheCalendar(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	ctx := t.Context()
	jobs := &jobList{}
	inviter := &meetings.Inviter{Store: e.s, Queue: jobs, From: "InterviewPlanner <no-reply@acme.example>", BaseURL: func() string { return "http://app.test" }}
	e.sched.Notify = inviter.Notify
	type entry struct {
		seq       int
		start     time.Time
		cancelled bool
	}
	calendars := map[string]map[string]*entry{} // recipient → UID → event
	deliver := func() {
		t.Helper()
		e.syncAll(t)
		for _, job := range jobs.take() {
			msgs, _, err := inviter.Prepare(ctx, job.(meetings.InviteArgs), true)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				cal := calendars[m.To[0]]
				if cal == nil {
					cal = map[string]*entry{}
					calendars[m.To[0]] = cal
				}
				for _, at := range m.Attachments {
					method, evs := readICS(t, at)
					for _, ev := range evs {
						uid := prop(ev, arran.ComponentPropertyUniqueId)
						var seq int
						fmt.Sscan(prop(ev, arran.ComponentPropertySequence), &seq)
						start, err := ev.GetStartAt()
						if err != nil {
							t.Fatal(err)
						}
						if old := cal[uid]; old != nil && seq <= old.seq {
							t.Fatalf("%s: %s %s with SEQUENCE %d after %d: a calendar app ignores it", m.To[0], method, uid, seq, old.seq)
						}
						cal[uid] = &entry{seq: seq, start: start, cancelled: method == "CANCEL"}
					}
				}
			}
		}
	}
	sc := e.mustSchedule(t, 1)
	deliver()
	// Reschedule: an hour later.
	got, _ := e.s.GetSchedule(ctx, e.account.ID, sc.ID)
	it := got.Items[0]
	moved := it.Start.Add(time.Hour)
	if _, _, err := e.sched.Save(ctx, e.account.ID, scheduling.Proposal{ScheduleID: sc.ID, CandidateID: e.cand.ID, AcceptWarnings: true,
		Items: []scheduling.Item{{ItemID: it.ID, InterviewID: it.InterviewID, Start: moved, End: moved.Add(it.End.Sub(it.Start)), Interviewers: it.Interviewers}}}); err != nil {
		t.Fatal(err)
	}
	deliver()
	for _, who := range []string{e.cand.Email, e.users[0].Email} {
		if n := len(calendars[who]); n != 1 {
			t.Fatalf("%s's calendar holds %d events for one interview", who, n)
		}
		for _, ev := range calendars[who] {
			if !ev.start.Equal(moved) || ev.cancelled {
				t.Fatalf("%s's calendar: %+v, want the interview at %v", who, ev, moved)
			}
		}
	}
	if err := e.sched.Cancel(ctx, e.account.ID, 0, sc.ID); err != nil {
		t.Fatal(err)
	}
	deliver()
	for _, who := range []string{e.cand.Email, e.users[0].Email} {
		for uid, ev := range calendars[who] {
			if !ev.cancelled {
				t.Fatalf("%s's calendar still holds %s after the cancellation", who, uid)
			}
		}
	}
}
