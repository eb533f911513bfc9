package msconnect_test

import (
	"strings"
	"testing"
	"time"

	"interviewplanner/msemu"
	"interviewplanner/store/calendarstore"
)

// Malformed answers to a delta round — cut JSON, an event that ends before
// it starts, a date-time Graph never sends — are clear errors: Priya's
// calendar is failing with the reason (she is unknown, not free), and
// nothing read is stored: her events and delta link stay as they were,
// and the next good round picks up from there.
func TestMalformedDeltaChangesNothing(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	f.connected(t, "other@globex.example")
	p := "priya@globex.example"
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Planning", Start: at(3, 9), End: at(3, 10)})
	f.syncAll(t)
	src := f.source(t, f.priya.ID)
	cal, _ := f.svc.Store.GetCalendar(ctx, f.admin.AccountID, src.ID)
	event := func(start, end string) string {
		return `{"value":[{"id":"AAMkAbad","iCalUId":"x","subject":"Bad","showAs":"busy","start":{"dateTime":"` + start + `","timeZone":"UTC"},"end":{"dateTime":"` + end + `","timeZone":"UTC"}}],"@odata.deltaLink":"` + f.srv.URL + `/v1.0/users/x/calendarView/delta?$deltatoken=bad"}`
	}
	for _, c := range []struct{ name, body, reason string }{
		{"cut JSON", `{"value":[{"id":"AAMkA`, "malformedAnswer"},
		{"ends before it starts", event("2026-03-03T11:00:00.0000000", "2026-03-03T10:00:00.0000000"), "ends before it starts"},
		{"a date-time with an offset", event("2026-03-03T11:00:00+02:00", "2026-03-03T12:00:00.0000000"), "cannot be read"},
	} {
		f.emu.AddFault(msemu.Fault{Path: "/calendarView/delta", Body: c.body, Count: 1})
		if err := f.cal.Sync(ctx, f.admin.AccountID, src.ID); err != nil {
			t.Fatal(err)
		}
		_, unk := f.busy(t, f.priya)
		if len(unk) != 1 || !strings.Contains(unk[0].Reason, c.reason) {
			t.Fatalf("%s: unknown %+v", c.name, unk)
		}
		after, _ := f.svc.Store.GetCalendar(ctx, f.admin.AccountID, src.ID)
		if after.DeltaLink != cal.DeltaLink {
			t.Fatalf("%s: the delta link moved", c.name)
		}
	}
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Review", Start: at(4, 9), End: at(4, 10)})
	f.syncAll(t)
	evs, unk := f.busy(t, f.priya)
	titles := map[string]bool{}
	for _, e := range evs {
		titles[e.Title] = true
	}
	if len(unk) != 0 || len(evs) != 2 || !titles["Planning"] || !titles["Review"] {
		t.Fatalf("after the faults: %+v unknown %+v", evs, unk)
	}
}

// An interview event someone deleted in Outlook is made again when the
// interview changes — once, under a new transactionId (Graph refuses the
// old one for good).
func TestDeletedEventMadeAgainOnce(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	f.connected(t, "other@globex.example")
	sched, p := f.interview(t)
	acc := f.admin.AccountID
	f.syncAll(t)
	sc, _, err := sched.Save(ctx, acc, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.emu.Events("other@globex.example") {
		if strings.HasPrefix(e.Subject, "Interview:") {
			if err := f.emu.DeleteEvent("other@globex.example", e.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	p.ScheduleID, p.Items[0].ItemID = sc.ID, sc.Items[0].ID
	p.Items[0].Start, p.Items[0].End = p.Items[0].Start.Add(time.Hour), p.Items[0].End.Add(time.Hour)
	if _, _, err := sched.Save(ctx, acc, p); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err == nil {
		t.Fatal("a deleted event was patched")
	}
	for range 2 { // the job's retry, and one more run that finds nothing to do
		if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, e := range f.emu.Events("other@globex.example") {
		if strings.HasPrefix(e.Subject, "Interview:") {
			n++
			if !e.Start.Equal(p.Items[0].Start) {
				t.Fatalf("made again at %v", e.Start)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d interview events after the retry", n)
	}
}

func (f *fixture) source(t *testing.T, userID int64) *calendarstore.Source {
	t.Helper()
	srcs, _ := f.cal.Store.ListSources(t.Context(), f.admin.AccountID, calendarstore.SourceFilter{})
	for _, s := range srcs {
		if s.UserID == userID {
			return s
		}
	}
	t.Fatalf("no source of user %d", userID)
	return nil
}
