package googleconnect_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/googleconnect"
	"interviewplanner/secretbox"
	"interviewplanner/store"
)

// eventsChildEnv marks the test binary re-run as the process that writes a
// schedule's events and is killed on the way.
const eventsChildEnv = "IP_GOOGLE_EVENTS_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(eventsChildEnv) == "1" {
		os.Exit(runEventsChild())
	}
	os.Exit(m.Run())
}

// runEventsChild writes one schedule's events, with the database, key and
// Google endpoints its parent gives it, until it is killed.
func runEventsChild() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 2 }
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CHILD_DB_URL"), os.Getenv("CHILD_DB_DIR"), nil)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	raw, err := os.ReadFile(os.Getenv("CHILD_KEY_FILE"))
	if err != nil {
		return fail(err)
	}
	keys, err := secretbox.ParseKeys(string(raw))
	if err != nil {
		return fail(err)
	}
	cals := calendars.New(calendars.Config{DB: db, Keys: keys})
	defer cals.Close()
	svc, err := googleconnect.New(googleconnect.Config{DB: db, Keys: keys, Calendars: cals, ClientID: "web-client", ClientSecret: "web-secret",
		RedirectURL: redirect, Endpoints: googleconnect.EndpointsAt(os.Getenv("CHILD_GOOGLE_URL")), RetryDelay: time.Millisecond})
	if err != nil {
		return fail(err)
	}
	account, _ := strconv.ParseInt(os.Getenv("CHILD_ACCOUNT"), 10, 64)
	schedule, _ := strconv.ParseInt(os.Getenv("CHILD_SCHEDULE"), 10, 64)
	if err := svc.SyncEvents(ctx, account, schedule); err != nil {
		return fail(err)
	}
	return 0
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
	target, _ := url.Parse(w.emu.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	created := make(chan struct{})
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		first := false
		if r.Method == "POST" && r.URL.Path == "/calendar/v3/calendars/"+url.PathEscape(w.schedCal)+"/events" {
			once.Do(func() { first = true })
		}
		if !first {
			proxy.ServeHTTP(rw, r)
			return
		}
		proxy.ServeHTTP(httptest.NewRecorder(), r)
		close(created)
		<-r.Context().Done()
	}))
	t.Cleanup(front.Close)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), eventsChildEnv+"=1", "CHILD_DB_URL="+w.dbURL, "CHILD_DB_DIR="+w.dbDir, "CHILD_KEY_FILE="+w.keyPath,
		"CHILD_GOOGLE_URL="+front.URL, fmt.Sprintf("CHILD_ACCOUNT=%d", w.acme), fmt.Sprintf("CHILD_SCHEDULE=%d", sc.ID))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-created:
	case err := <-exited:
		t.Fatalf("the child ended before Google made the event: %v", err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the child never asked Google for the event")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
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
