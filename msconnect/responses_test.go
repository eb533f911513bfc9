package msconnect_test

import (
	"testing"

	"interviewplanner/msgraph"
	"interviewplanner/store/responsestore"
)

// A decline seen: Priya declines the interview in Outlook; the scheduling
// mailbox's delta brings her answer (the organiser's copy records it) to
// the interview's responses, and the coordinator's list of declines. The
// candidate's event is not an interview's and is left alone.
func TestDeclineSeen(t *testing.T) {
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
	rs := responsestore.New(f.db)
	answer := func() map[string]responsestore.Response {
		t.Helper()
		if err := f.svc.ReadResponses(ctx, acc); err != nil {
			t.Fatal(err)
		}
		byItem, err := rs.ListBySchedule(ctx, acc, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]responsestore.Response{}
		for item, as := range byItem {
			if item != sc.Items[0].ID {
				t.Fatalf("answers for item %d", item)
			}
			for _, a := range as {
				out[a.Email] = a.Response
			}
		}
		return out
	}
	if got := answer(); len(got) != 1 || got["priya@globex.example"] != responsestore.NeedsAction {
		t.Fatalf("before any answer: %v", got)
	}
	var uid string
	for _, e := range f.emu.Events("priya@globex.example") {
		uid = e.ICalUID
	}
	if err := f.emu.Respond("priya@globex.example", uid, msgraph.ResponseDeclined); err != nil {
		t.Fatal(err)
	}
	if got := answer(); got["priya@globex.example"] != responsestore.Declined {
		t.Fatalf("after Priya declined: %v", got)
	}
	ds, err := rs.ListDeclines(ctx, acc, 0, f.now, 10)
	if err != nil || len(ds) != 1 || ds[0].UserID != f.priya.ID || ds[0].ItemID != sc.Items[0].ID {
		t.Fatalf("declines: %+v %v", ds, err)
	}
	// Nothing changed since: the next round reads no change and keeps it.
	if got := answer(); got["priya@globex.example"] != responsestore.Declined {
		t.Fatalf("a quiet round: %v", got)
	}
	if ds, _ := rs.ListDeclines(ctx, f.kai.AccountID, 0, f.now, 10); len(ds) != 0 {
		t.Fatalf("another company sees %+v", ds)
	}
}
