package msconnect_test

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
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/msconnect"
	"interviewplanner/msgraph"
	"interviewplanner/scheduling"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// eventsChildEnv marks the test binary re-run as the process that writes a
// schedule's events and is killed on the way.
const eventsChildEnv = "IP_MICROSOFT_EVENTS_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(eventsChildEnv) == "1" {
		os.Exit(runEventsChild())
	}
	os.Exit(m.Run())
}

// runEventsChild writes one schedule's events, with the database and the
// Graph address its parent gives it, until it is killed.
func runEventsChild() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 2 }
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CHILD_DB_URL"), os.Getenv("CHILD_DB_DIR"), nil)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	keys, err := secretbox.ParseKeys(fixtureKey)
	if err != nil {
		return fail(err)
	}
	cal := calendars.New(calendars.Config{DB: db, Keys: keys})
	defer cal.Close()
	graph := os.Getenv("CHILD_GRAPH_URL")
	svc, err := msconnect.New(msconnect.Config{DB: db, Keys: keys, Calendars: cal, RedirectURL: redirect,
		Graph: msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: graph, GraphURL: graph + "/v1.0", MaxWait: 3 * time.Second}})
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
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSchedulingMailbox(ctx, f.admin, "other@globex.example"); err != nil {
		t.Fatal(err)
	}
	hs := hiringstore.New(f.db)
	acc := f.admin.AccountID
	job, _ := hs.CreateJob(ctx, acc, domain.Job{Title: "Engineer"})
	stage, err := hs.CreateStage(ctx, acc, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoOff, LatestDayOffset: 60, Interviews: []domain.Interview{
		{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{f.priya.ID, f.arjun.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	cand, _ := hs.CreateCandidate(ctx, acc, domain.Candidate{Name: "Jane Doe", Email: "jane@candidate.example", TimeZone: "UTC", JobID: job.ID})
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	sc, _, err := scheduling.New(hs).Save(ctx, acc, scheduling.Proposal{CandidateID: cand.ID, AcceptWarnings: true, Items: []scheduling.Item{
		{InterviewID: stage.Interviews[0].ID, Start: when, End: when.Add(time.Hour), Interviewers: []int64{f.priya.ID}}}})
	if err != nil {
		t.Fatal(err)
	}

	// Between the child and Graph: the first event create reaches Graph,
	// and its answer is held until the child is gone.
	target, _ := url.Parse(f.srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	created := make(chan struct{})
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/events") {
			once.Do(func() { first = true })
		}
		if !first {
			proxy.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(httptest.NewRecorder(), r)
		close(created)
		<-r.Context().Done()
	}))
	t.Cleanup(front.Close)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), eventsChildEnv+"=1", "CHILD_DB_URL="+f.dbURL, "CHILD_DB_DIR="+f.dbDir, "CHILD_GRAPH_URL="+front.URL,
		fmt.Sprintf("CHILD_ACCOUNT=%d", acc), fmt.Sprintf("CHILD_SCHEDULE=%d", sc.ID))
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
		t.Fatalf("the child ended before Graph made the event: %v", err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the child never asked Graph for the event")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
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
