package msconnect_test

import (
	"strings"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/msemu"
	"interviewplanner/msgraph"
	"interviewplanner/scheduling"
)

// connected connects the tenant with a scheduling mailbox.
func (f *fixture) connected(t *testing.T, mailbox string) {
	t.Helper()
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSchedulingMailbox(ctx, f.admin, mailbox); err != nil {
		t.Fatal(err)
	}
}

// interview is a candidate at a one-interview stage whose pool is Priya
// and Arjun, and a scheduling service that reads Outlook busy time (cache
// and fresh check) as the app does.
func (f *fixture) interview(t *testing.T) (*scheduling.Service, scheduling.Proposal) {
	t.Helper()
	hs, stage, cand := f.codingStage(t)
	sched := scheduling.New(hs)
	sched.Availability = availability.New(availability.Bookings{Store: hs}, calendars.Source{Service: f.cal})
	sched.Fresh = []availability.Source{f.svc.Fresh()}
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	return sched, scheduling.Proposal{CandidateID: cand.ID, Items: []scheduling.Item{
		{InterviewID: stage.Interviews[0].ID, Start: when, End: when.Add(time.Hour), Interviewers: []int64{f.priya.ID}}}}
}

// Our own interview events come back through Priya's delta and through
// getSchedule; they are not busy time on top of the booking, so moving the
// interview by a few minutes does not clash with itself — while her other
// meetings still do.
func TestOwnEventsAreNotBusy(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	// Arjun's mailbox organises: his calendar holds the organiser's copy
	// (with the transactionId), Priya's an attendee's copy.
	f.connected(t, "a.rao@globex.example")
	sched, p := f.interview(t)
	acc := f.admin.AccountID
	when := p.Items[0].Start
	dentist := when.Add(3 * time.Hour)
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "priya@globex.example", Subject: "Dentist", Start: dentist, End: dentist.Add(time.Hour)})
	f.syncAll(t)
	sc, cs, err := sched.Save(ctx, acc, p)
	if err != nil {
		t.Fatalf("%v %+v", err, cs)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	copies := f.emu.Events("priya@globex.example")
	var uid string
	for _, e := range copies {
		if strings.HasPrefix(e.Subject, "Interview:") {
			uid = e.ICalUID
		}
	}
	if uid == "" {
		t.Fatalf("no invitation in Priya's calendar: %+v", copies)
	}
	if err := f.emu.Respond("priya@globex.example", uid, msgraph.ResponseAccepted); err != nil {
		t.Fatal(err)
	}
	f.syncAll(t)
	evs, unk := f.busy(t, f.priya)
	titles := map[string]bool{}
	for _, e := range evs {
		titles[e.Title] = true
	}
	if len(unk) != 0 || !titles["Dentist"] || len(evs) != 1 {
		t.Fatalf("Priya's Outlook busy time: %+v unknown %+v", evs, unk)
	}
	fresh, err := f.svc.Fresh().Busy(ctx, availability.Request{AccountID: acc, From: when.Add(-time.Hour), To: when.Add(5 * time.Hour), Interviewers: []int64{f.priya.ID, f.arjun.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if ivs := fresh.Interviewers[f.priya.ID]; len(ivs) != 1 || ivs[0].Title != "Dentist" || len(fresh.Interviewers[f.arjun.ID]) != 0 {
		t.Fatalf("getSchedule after our own events are set aside: %+v", fresh.Interviewers)
	}
	// Ten minutes later, without accepting any warning: no conflict.
	p.ScheduleID = sc.ID
	p.Items[0].ItemID = sc.Items[0].ID
	p.Items[0].Start, p.Items[0].End = when.Add(10*time.Minute), when.Add(70*time.Minute)
	if _, cs, err := sched.Save(ctx, acc, p); err != nil || len(cs) != 0 {
		t.Fatalf("reschedule by ten minutes: %+v %v", cs, err)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	f.syncAll(t)
	p.Items[0].Start, p.Items[0].End = when.Add(15*time.Minute), when.Add(75*time.Minute)
	if _, cs, err := sched.Save(ctx, acc, p); err != nil || len(cs) != 0 {
		t.Fatalf("reschedule after the moved event synced back: %+v %v", cs, err)
	}
	// Onto the dentist: still a conflict.
	p.Items[0].Start, p.Items[0].End = dentist.Add(-30*time.Minute), dentist.Add(30*time.Minute)
	if _, _, err := sched.Save(ctx, acc, p); err == nil {
		t.Fatal("a reschedule onto Priya's dentist appointment was saved")
	}
}
