package responsestore_test

import (
	"context"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/hiringstore/hiringstoretest"
	"interviewplanner/store/responsestore"
)

// schedule books Coding (users 0 and 1) at start for the company's
// candidate, made by coordinator.
func schedule(t *testing.T, c *hiringstoretest.Company, start time.Time, coordinator int64) (scheduleID, itemID int64) {
	t.Helper()
	err := c.Store.DB.WriteTx(t.Context(), func(tx *store.Tx) error {
		var err error
		if scheduleID, err = c.Store.CreateSchedule(t.Context(), tx, c.Account.ID, hiringstore.NewSchedule{CandidateID: c.Candidate.ID, StageID: c.Stage.ID, CreatedBy: coordinator}); err != nil {
			return err
		}
		itemID, err = c.Store.CreateItem(t.Context(), tx, c.Account.ID, scheduleID, domain.ScheduleItem{InterviewID: c.Stage.Interviews[0].ID, Name: "Coding",
			Start: start, End: start.Add(time.Hour), Interviewers: []int64{c.Users[0].ID, c.Users[1].ID}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return scheduleID, itemID
}

func TestRecordListAndDeclines(t *testing.T) {
	c := hiringstoretest.MustCompany(t)
	ctx := t.Context()
	rs := responsestore.New(c.Store.DB)
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	coord := c.Users[3].ID
	scID, itemID := schedule(t, c, start, coord)

	if err := rs.Record(ctx, c.Account.ID, itemID, "google", map[string]responsestore.Response{
		"I0@Example.com": "accepted", "i1@example.com": "declined", "room-1@resource.example": "needsAction",
	}); err != nil {
		t.Fatal(err)
	}
	got, err := rs.ListBySchedule(ctx, c.Account.ID, scID)
	if err != nil {
		t.Fatal(err)
	}
	as := got[itemID]
	if len(as) != 3 {
		t.Fatalf("responses = %+v, want 3", as)
	}
	want := map[string]struct {
		r    responsestore.Response
		user int64
	}{"i0@example.com": {responsestore.Accepted, c.Users[0].ID}, "i1@example.com": {responsestore.Declined, c.Users[1].ID}, "room-1@resource.example": {responsestore.NeedsAction, 0}}
	for _, a := range as {
		w, ok := want[a.Email]
		if !ok || a.Response != w.r || a.UserID != w.user || a.Provider != "google" {
			t.Errorf("response %+v, want %+v", a, w)
		}
	}

	declines, err := rs.ListDeclines(ctx, c.Account.ID, coord, time.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(declines) != 1 || declines[0].UserID != c.Users[1].ID || declines[0].Name != "Interviewer 1" || declines[0].Candidate != "Grace Hopper" ||
		declines[0].Interview != "Coding" || !declines[0].Start.Equal(start) || declines[0].ScheduleID != scID {
		t.Fatalf("declines for the coordinator = %+v", declines)
	}
	// Another coordinator's home page does not list it; the account-wide list does.
	if d, err := rs.ListDeclines(ctx, c.Account.ID, c.Users[2].ID, time.Now(), 10); err != nil || len(d) != 0 {
		t.Fatalf("another coordinator sees %+v (%v)", d, err)
	}
	if d, err := rs.ListDeclines(ctx, c.Account.ID, 0, time.Now(), 10); err != nil || len(d) != 1 {
		t.Fatalf("account-wide declines %+v (%v)", d, err)
	}
	// After the interview ended, it is no longer news.
	if d, err := rs.ListDeclines(ctx, c.Account.ID, coord, start.Add(2*time.Hour), 10); err != nil || len(d) != 0 {
		t.Fatalf("declines after the interview %+v (%v)", d, err)
	}

	// The next report: Interviewer 1 now accepts, the room left the event.
	if err := rs.Record(ctx, c.Account.ID, itemID, "google", map[string]responsestore.Response{"i0@example.com": "accepted", "i1@example.com": "accepted"}); err != nil {
		t.Fatal(err)
	}
	got, _ = rs.ListBySchedule(ctx, c.Account.ID, scID)
	if len(got[itemID]) != 2 {
		t.Fatalf("after the second report: %+v", got[itemID])
	}
	if d, _ := rs.ListDeclines(ctx, c.Account.ID, coord, time.Now(), 10); len(d) != 0 {
		t.Fatalf("an accepted invitation still listed as declined: %+v", d)
	}
}

func TestDeclineOfSwappedInterviewerIsNotShown(t *testing.T) {
	c := hiringstoretest.MustCompany(t)
	ctx := t.Context()
	rs := responsestore.New(c.Store.DB)
	start := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
	_, itemID := schedule(t, c, start, 0)
	if err := rs.Record(ctx, c.Account.ID, itemID, "microsoft", map[string]responsestore.Response{"i1@example.com": "declined"}); err != nil {
		t.Fatal(err)
	}
	// The coordinator swaps Interviewer 1 for Interviewer 0 on that interview.
	err := c.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		return c.Store.UpdateItem(ctx, tx, c.Account.ID, 0, domain.ScheduleItem{ID: itemID, InterviewID: c.Stage.Interviews[0].ID, Name: "Coding",
			Start: start, End: start.Add(time.Hour), Interviewers: []int64{c.Users[0].ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := rs.ListDeclines(ctx, c.Account.ID, 0, time.Now(), 10); err != nil || len(d) != 0 {
		t.Fatalf("the decline of someone no longer on the interview is shown: %+v (%v)", d, err)
	}
}

func TestRecordRefusesOtherAccountsAndUnknownWords(t *testing.T) {
	c := hiringstoretest.MustCompany(t)
	ctx := context.Background()
	rs := responsestore.New(c.Store.DB)
	scID, itemID := schedule(t, c, time.Now().Add(48*time.Hour), 0)
	if err := rs.Record(ctx, c.Other.ID, itemID, "google", map[string]responsestore.Response{"kai@globex.example": "declined"}); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("another account's interview: %v, want not found", err)
	}
	if err := rs.Record(ctx, c.Account.ID, itemID, "google", map[string]responsestore.Response{"i0@example.com": "maybe"}); !domain.IsCode(err, domain.EINVALID) {
		t.Fatalf("unknown word: %v, want invalid", err)
	}
	if got, err := rs.ListBySchedule(ctx, c.Account.ID, scID); err != nil || len(got) != 0 {
		t.Fatalf("something was stored: %+v (%v)", got, err)
	}
	if got, err := rs.ListBySchedule(ctx, c.Other.ID, scID); err != nil || len(got) != 0 {
		t.Fatalf("another account reads %+v (%v)", got, err)
	}
}

func TestParseProvidersWords(t *testing.T) {
	for word, want := range map[string]responsestore.Response{"accepted": responsestore.Accepted, "declined": responsestore.Declined,
		"tentative": responsestore.Tentative, "tentativelyAccepted": responsestore.Tentative, "needsAction": responsestore.NeedsAction,
		"notResponded": responsestore.NeedsAction, "none": responsestore.NeedsAction} {
		if got, ok := responsestore.Parse(word); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", word, got, ok, want)
		}
	}
	if _, ok := responsestore.Parse("organizer"); ok {
		t.Error("organizer is not an attendee's answer")
	}
}
