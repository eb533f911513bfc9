package googleconnect_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"interviewplanner/app/apptest/crashtest"
	"interviewplanner/calendars"
	"interviewplanner/googleconnect"
	"interviewplanner/secretbox"
	"interviewplanner/store"
)

// eventsChildEnv marks the test binary re-run as the process that writes a
// schedule's events and is killed on the way.
const eventsChildEnv = "IP_GOOGLE_EVENTS_CHILD"

func TestMain(m *testing.M) { crashtest.Main(m, eventsChildEnv, runEventsChild) }

// runEventsChild writes one schedule's events, with the key and
// Google endpoints its parent gives it, until it is killed.
func runEventsChild(ctx context.Context, db *store.DB) error {
	raw, err := os.ReadFile(os.Getenv("CHILD_KEY_FILE"))
	if err != nil {
		return err
	}
	keys, err := secretbox.ParseKeys(string(raw))
	if err != nil {
		return err
	}
	cals := calendars.New(calendars.Config{DB: db, Keys: keys})
	defer cals.Close()
	svc, err := googleconnect.New(googleconnect.Config{DB: db, Keys: keys, Calendars: cals, ClientID: "web-client", ClientSecret: "web-secret",
		RedirectURL: redirect, Endpoints: googleconnect.EndpointsAt(os.Getenv("CHILD_GOOGLE_URL")), RetryDelay: time.Millisecond})
	if err != nil {
		return err
	}
	return svc.SyncEvents(ctx, crashtest.ID("CHILD_ACCOUNT"), crashtest.ID("CHILD_SCHEDULE"))
}

// A real process, killed (SIGKILL) after Google made the interview's
// event and before its answer arrived: the next attempt, in another
// process, finds that event (Google's 409 duplicate on our chosen id) and
// the schedule ends with exactly one event per interview.
func TestScheduleEventsAfterARealKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a second process")
	}
	w := newWorkflow(t)
	ctx := t.Context()
	sc, _, _ := w.book(t, 9)

	// Between the child and Google: the first event insert reaches Google,
	// and its answer is held until the child is gone.
	front, created := crashtest.HoldFirst(t, w.emu.URL, func(r *http.Request) bool {
		return r.Method == "POST" && r.URL.Path == "/calendar/v3/calendars/"+url.PathEscape(w.schedCal)+"/events"
	})
	crashtest.KillAfter(t, eventsChildEnv, append(crashtest.StoreEnv(w.dbURL, w.dbDir), "CHILD_KEY_FILE="+w.keyPath,
		"CHILD_GOOGLE_URL="+front, fmt.Sprintf("CHILD_ACCOUNT=%d", w.acme), fmt.Sprintf("CHILD_SCHEDULE=%d", sc.ID)), created)
	if n := len(w.emu.Events(w.schedCal)); n != 1 {
		t.Fatalf("%d events on the scheduling calendar after the kill, want the one Google made", n)
	}

	// Another process (this one) picks the schedule up.
	if err := w.svc.SyncEvents(ctx, w.acme, sc.ID); err != nil {
		t.Fatal(err)
	}
	rows := w.settled(t, sc.ID, 2)
	if n := len(w.emu.Events(w.schedCal)); n != 2 {
		t.Fatalf("%d events after the restart, want 2 (the interview, the candidate's)", n)
	}
	item := w.event(t, rows[fmt.Sprintf("item:%d", sc.Items[0].ID)].EventID)
	if got := attendees(item); len(got) != 1 || got[0] != "priya@example.com" {
		t.Errorf("the interview's event after the restart: attendees %v", got)
	}
}
