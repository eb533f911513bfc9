package msconnect_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest/crashtest"
	"interviewplanner/calendars"
	"interviewplanner/msconnect"
	"interviewplanner/msgraph"
	"interviewplanner/scheduling"
	"interviewplanner/secretbox"
	"interviewplanner/store"
)

// eventsChildEnv marks the test binary re-run as the process that writes a
// schedule's events and is killed on the way.
const eventsChildEnv = "IP_MICROSOFT_EVENTS_CHILD"

func TestMain(m *testing.M) { crashtest.Main(m, eventsChildEnv, runEventsChild) }

// runEventsChild writes one schedule's events, with the database and the
// Graph address its parent gives it, until it is killed.
func runEventsChild(ctx context.Context, db *store.DB) error {
	keys, err := secretbox.ParseKeys(fixtureKey)
	if err != nil {
		return err
	}
	cal := calendars.New(calendars.Config{DB: db, Keys: keys})
	defer cal.Close()
	graph := os.Getenv("CHILD_GRAPH_URL")
	svc, err := msconnect.New(msconnect.Config{DB: db, Keys: keys, Calendars: cal, RedirectURL: redirect,
		Graph: msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: graph, GraphURL: graph + "/v1.0", MaxWait: 3 * time.Second}})
	if err != nil {
		return err
	}
	return svc.SyncEvents(ctx, crashtest.ID("CHILD_ACCOUNT"), crashtest.ID("CHILD_SCHEDULE"))
}

// A real process, killed (SIGKILL) after Graph made an interview event and
// before its answer arrived: the next attempt, in another process, finds
// the event by its transactionId, and the organiser's mailbox ends with
// exactly one event per interview.
func TestScheduleEventsAfterARealKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a second process")
	}
	f := mustFixture(t, 0)
	ctx := t.Context()
	hs, stage, cand := f.organising(t)
	acc := f.admin.AccountID
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	sc, _, err := scheduling.New(hs).Save(ctx, acc, scheduling.Proposal{CandidateID: cand.ID, AcceptWarnings: true, Items: []scheduling.Item{
		{InterviewID: stage.Interviews[0].ID, Start: when, End: when.Add(time.Hour), Interviewers: []int64{f.priya.ID}}}})
	if err != nil {
		t.Fatal(err)
	}

	// Between the child and Graph: the first event create reaches Graph,
	// and its answer is held until the child is gone.
	front, created := crashtest.HoldFirst(t, f.srv.URL, func(r *http.Request) bool {
		return r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/events")
	})
	crashtest.KillAfter(t, eventsChildEnv, append(crashtest.StoreEnv(f.dbURL, f.dbDir), "CHILD_GRAPH_URL="+front,
		fmt.Sprintf("CHILD_ACCOUNT=%d", acc), fmt.Sprintf("CHILD_SCHEDULE=%d", sc.ID)), created)
	if n := len(f.emu.Events("other@globex.example")); n != 1 {
		t.Fatalf("the organiser has %d events after the kill, want the one Graph made", n)
	}

	// Another process (this one) picks the schedule up.
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.emu.Events("other@globex.example")); n != 2 {
		t.Fatalf("the organiser has %d events after the restart, want 2 (the interview, the candidate's)", n)
	}
	if got := f.emu.Events("priya@globex.example"); len(got) != 1 {
		t.Fatalf("Priya has %d invitations, want 1: %+v", len(got), got)
	}
}
