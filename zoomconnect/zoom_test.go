package zoomconnect

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
	"interviewplanner/store/zoomstore"
	"interviewplanner/zoomconnect/zoomconnecttest"
	"interviewplanner/zoomemu"
)

// zoomFixture is a database, the emulator and a connected Acme account.
type zoomFixture struct {
	db    *store.DB
	url   string // database URL and data directory, to open more handles on it
	dir   string
	keys  *secretbox.Keyring
	zoom  *zoomconnecttest.Zoom
	svc   *Service
	admin *domain.User
}

func (f *zoomFixture) newService(tb testing.TB) *Service {
	tb.Helper()
	return mustServiceWith(tb, f.db, f.keys, zoomconnecttest.ClientID, zoomconnecttest.ClientSecret, f.zoom.URL, f.zoom.URL+"/v2")
}

// newInstance is another app instance: its own database handle (its own
// connections, as another process has) on the same database.
func (f *zoomFixture) newInstance(tb testing.TB) *Service {
	tb.Helper()
	db, err := store.Open(tb.Context(), f.url, f.dir, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return mustServiceWith(tb, db, f.keys, zoomconnecttest.ClientID, zoomconnecttest.ClientSecret, f.zoom.URL, f.zoom.URL+"/v2")
}

// mustConnectedFixture connects Acme to the emulator as its Zoom Owner, the
// way the pages do: StartConnect, Zoom's consent page, FinishConnect.
func mustConnectedFixture(tb testing.TB) *zoomFixture {
	tb.Helper()
	f := &zoomFixture{keys: MustKeys(tb), zoom: zoomconnecttest.Start(tb)}
	f.db, f.url, f.dir = storetest.MustOpenAt(tb)
	f.zoom.Attach(testRedirectURL, "http://127.0.0.1:1/unreachable",
		zoomemu.UserSpec{Email: "priya@example.com", FirstName: "Priya", LastName: "Patel"})
	f.svc = f.newService(tb)
	f.admin = mustAccount(tb, f.db, "Acme", "ada@acme.test")
	authURL, err := f.svc.StartConnect(tb.Context(), f.admin, "session-1")
	if err != nil {
		tb.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	d := f.zoom.Authorize(hc, authURL, "admin@example.com", true)
	back, err := url.Parse(d.Location)
	if err != nil || d.Location == "" {
		tb.Fatalf("Zoom did not send the browser back: %+v", d)
	}
	if _, err := f.svc.FinishConnect(tb.Context(), f.admin, "session-1", back.Query()); err != nil {
		tb.Fatalf("connect: %v", err)
	}
	return f
}

// TestConcurrentCallsAcrossExpiry: 200 calls from two instances across an
// access-token expiry make exactly one refresh and no failures.
func TestConcurrentCallsAcrossExpiry(t *testing.T) {
	tests := []struct {
		name   string
		expire func(t *testing.T, f *zoomFixture)
	}{
		{"Zoom answers 124 to the old token", func(t *testing.T, f *zoomFixture) { f.zoom.ExpireAccessTokens() }},
		{"stored expiry has passed", func(t *testing.T, f *zoomFixture) {
			f.zoom.ExpireAccessTokens()
			if _, err := f.db.Writer().ExecContext(t.Context(), `UPDATE zoom_connections SET token_expires_at = $1 WHERE account_id = $2`,
				store.MS(time.Now().Add(-time.Second)), f.admin.AccountID); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustConnectedFixture(t)
			// Two app instances sharing the database, each with its own
			// connections, token cache and in-process lock.
			instances := []*Service{f.newInstance(t), f.newInstance(t)}
			for _, s := range instances {
				if _, err := s.TestConnection(t.Context(), f.admin.AccountID); err != nil {
					t.Fatalf("warm-up: %v", err)
				}
			}
			before := f.zoom.TokenStats()
			tt.expire(t, f)

			const calls = 200
			var failures atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range calls {
				wg.Go(func() {
					<-start
					if _, err := instances[i%2].TestConnection(t.Context(), f.admin.AccountID); err != nil {
						failures.Add(1)
						t.Logf("call %d: %v", i, err)
					}
				})
			}
			close(start)
			wg.Wait()
			after := f.zoom.TokenStats()
			refreshes := after.RefreshGrants - before.RefreshGrants
			t.Logf("refresh concurrency (%s, %s): calls=%d refreshes=%d failures=%d", f.db.Dialect, tt.name, calls, refreshes, failures.Load())
			if refreshes != 1 || failures.Load() != 0 || after.FailedGrants != before.FailedGrants {
				t.Fatalf("calls=%d refreshes=%d failures=%d failed grants=%d, want exactly one refresh and no failures",
					calls, refreshes, failures.Load(), after.FailedGrants-before.FailedGrants)
			}
			// The rotated refresh token was saved: the stored one is the live one.
			tok, err := f.svc.TokenStore(f.admin.AccountID).LoadToken(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			live := false
			for _, ti := range f.zoom.Tokens() {
				if ti.Kind == "refresh" && ti.Token == tok.RefreshToken {
					live = ti.Live
				}
			}
			if !live || after.LiveRefreshTokens != 1 {
				t.Fatalf("stored refresh token live=%v, live refresh tokens=%d", live, after.LiveRefreshTokens)
			}
			var holder string
			if err := f.db.Reader().QueryRowContext(t.Context(), `SELECT refreshing_by FROM zoom_connections WHERE account_id = $1`, f.admin.AccountID).Scan(&holder); err != nil || holder != "" {
				t.Fatalf("refresh lease left behind: %q %v", holder, err)
			}
			f.zoom.AssertRequestsValid()
		})
	}
}

func TestDeadRefreshTokenNeedsReconnecting(t *testing.T) {
	t.Parallel()
	f := mustConnectedFixture(t)
	f.zoom.InjectFault(zoomemu.Fault{Method: http.MethodPost, PathPattern: "/oauth/token", Status: http.StatusBadRequest,
		Body: `{"reason":"Invalid Token!","error":"invalid_request"}`})
	f.zoom.ExpireAccessTokens()
	p := f.svc.Provider()
	_, err := p.CreateMeeting(t.Context(), f.admin.AccountID, domain.MeetingRequest{Topic: "Onsite", Start: time.Now().Add(24 * time.Hour), Duration: time.Hour})
	if !domain.IsVideoNotConnected(err) {
		t.Fatalf("create with a dead token: %v", err)
	}
	st, err := p.Status(t.Context(), f.admin.AccountID)
	if err != nil || st.State != domain.VideoNeedsReconnect || st.Reason == "" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if !f.svc.NeedsReconnecting(t.Context(), f.admin.AccountID) {
		t.Fatal("NeedsReconnecting = false")
	}
	if tok, _, _ := f.svc.store.GetTokens(t.Context(), f.admin.AccountID); tok.Refresh != nil {
		t.Fatal("dead tokens kept")
	}
	events, _ := f.db.ListAuditEvents(t.Context(), f.admin.AccountID, 20)
	if len(events) == 0 || events[0].Action != AuditTokenDead {
		t.Fatalf("audit = %+v", events)
	}
}

func TestProviderMeetings(t *testing.T) {
	t.Parallel()
	f := mustConnectedFixture(t)
	p := f.svc.Provider()
	ctx := t.Context()
	acct := f.admin.AccountID
	if st, _ := p.Status(ctx, acct); !st.Connected() {
		t.Fatalf("status = %+v", st)
	}
	hosts, err := p.Hosts(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	var priya, def domain.VideoHost
	for _, h := range hosts {
		if h.Email == "priya@example.com" {
			priya = h
		}
		if h.Default {
			def = h
		}
	}
	if priya.ID == "" || def.Email != "admin@example.com" {
		t.Fatalf("hosts = %+v", hosts)
	}
	// One host by email is the one the list has.
	for _, want := range []domain.VideoHost{priya, def} {
		if got, found, err := p.HostByEmail(ctx, acct, strings.ToUpper(want.Email)); err != nil || !found || got.ID != want.ID || got.Default != want.Default {
			t.Errorf("HostByEmail(%s) = %+v, %v, %v; want %+v", want.Email, got, found, err, want)
		}
	}
	if _, found, err := p.HostByEmail(ctx, acct, "nobody@example.com"); found || err != nil {
		t.Errorf("HostByEmail(nobody) found = %v, %v", found, err)
	}
	rooms, err := p.Rooms(ctx, acct)
	if err != nil || len(rooms) != 4 {
		t.Fatalf("rooms = %v, %v", rooms, err)
	}

	// New York 10:00 on a winter day is 15:00 UTC.
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2030, 1, 15, 10, 0, 0, 0, ny)
	req := domain.MeetingRequest{HostID: priya.ID, Topic: "Onsite: Systems design", Start: start, Duration: 45 * time.Minute,
		TimeZone: "America/New_York", Agenda: "Interview with Jane Doe", Marker: "ip-interview-42"}
	m, err := p.CreateMeeting(ctx, acct, req)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || m.JoinURL == "" || m.HostID != priya.ID || !m.Start.Equal(start) {
		t.Fatalf("meeting = %+v", m)
	}
	var sent string
	for _, rr := range f.zoom.Requests() {
		if rr.Method == http.MethodPost && strings.HasSuffix(rr.Path, "/meetings") {
			sent = rr.Body
		}
	}
	for _, want := range []string{`"start_time":"2030-01-15T15:00:00Z"`, `"waiting_room":true`, `"use_pmi":false`, `"type":2`, "ip-interview-42"} {
		if !strings.Contains(sent, want) {
			t.Errorf("create body lacks %s: %s", want, sent)
		}
	}
	// Without a host, the authorizing user hosts.
	m2, err := p.CreateMeeting(ctx, acct, domain.MeetingRequest{Topic: "Phone screen", Start: start, Duration: 30 * time.Minute, Marker: "ip-interview-43"})
	if err != nil || m2.HostID != def.ID {
		t.Fatalf("default host: %+v %v", m2, err)
	}

	found, err := p.FindMeeting(ctx, acct, priya.ID, "ip-interview-42")
	if err != nil || found.ID != m.ID {
		t.Fatalf("find = %+v, %v", found, err)
	}
	if _, err := p.FindMeeting(ctx, acct, priya.ID, "ip-interview-99"); !domain.IsMeetingNotFound(err) {
		t.Fatalf("find unknown marker: %v", err)
	}
	req.Start = start.Add(time.Hour)
	if err := p.UpdateMeeting(ctx, acct, m.ID, req); err != nil {
		t.Fatal(err)
	}
	if su, err := p.StartURL(ctx, acct, m.ID); err != nil || su == "" {
		t.Fatalf("start url: %q %v", su, err)
	}
	for i := range 2 { // deleting twice is fine
		if err := p.DeleteMeeting(ctx, acct, m.ID); err != nil {
			t.Fatalf("delete #%d: %v", i, err)
		}
	}
	if err := p.UpdateMeeting(ctx, acct, m.ID, req); !domain.IsMeetingNotFound(err) {
		t.Fatalf("update deleted meeting: %v", err)
	}
	if n := f.zoom.AssertRequestsValid(); n < 8 {
		t.Fatalf("only %d REST requests checked", n)
	}

	// Another account sees nothing of Acme's connection.
	other := mustAccount(t, f.db, "Globex", "gina@globex.test")
	if _, err := p.CreateMeeting(ctx, other.AccountID, req); !domain.IsVideoNotConnected(err) {
		t.Fatalf("Globex create: %v", err)
	}
	if _, err := p.Hosts(ctx, other.AccountID); !domain.IsVideoNotConnected(err) {
		t.Fatalf("Globex hosts: %v", err)
	}
	if err := p.DeleteMeeting(ctx, other.AccountID, m2.ID); !domain.IsVideoNotConnected(err) {
		t.Fatalf("Globex delete of Acme's meeting: %v", err)
	}
}

func TestDisconnectRevokesAndForgets(t *testing.T) {
	t.Parallel()
	f := mustConnectedFixture(t)
	revoked, err := f.svc.Disconnect(t.Context(), f.admin)
	if err != nil || !revoked {
		t.Fatalf("disconnect: %v %v", revoked, err)
	}
	if st := f.zoom.TokenStats(); st.LiveAccessTokens != 0 || st.LiveRefreshTokens != 0 {
		t.Fatalf("tokens still live at Zoom: %+v", st)
	}
	c, _ := f.svc.Connection(t.Context(), f.admin.AccountID)
	if c.State != zoomstore.StateDisconnected || c.DisconnectReason != zoomstore.ReasonDisconnected {
		t.Fatalf("connection = %+v", c)
	}
	// Again: nothing to do, no error.
	if revoked, err := f.svc.Disconnect(t.Context(), f.admin); err != nil || revoked {
		t.Fatalf("second disconnect: %v %v", revoked, err)
	}
}

// The directory refresh runs as a job on the queue (a periodic one in the
// application) and brings new Zoom users and rooms in.
func TestDirectoryRefreshJobRefreshesUsersAndRooms(t *testing.T) {
	t.Parallel()
	f := mustConnectedFixture(t)
	f.zoom.AddRoom(f.zoom.AccountID, "Paris")
	if _, err := f.zoom.AddUser(f.zoom.AccountID, zoomemu.UserSpec{Email: "noah@example.com", FirstName: "Noah", LastName: "Williams", Role: zoomemu.RoleMember}); err != nil {
		t.Fatal(err)
	}
	if err := queue.Migrate(t.Context(), f.db, nil); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	periodic := f.svc.Register(workers, time.Hour)
	q, err := queue.New(f.db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond, Periodic: []*river.PeriodicJob{periodic}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	if err := q.Insert(t.Context(), f.db, DirectoryRefreshArgs{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := f.svc.Connection(t.Context(), f.admin.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		if c.RoomsCount == 5 && c.UsersCount == len(f.zoom.Users(f.zoom.AccountID)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the refresh job did not sync: %+v", c)
		}
		time.Sleep(10 * time.Millisecond)
	}
	hosts, err := f.svc.Provider().Hosts(t.Context(), f.admin.AccountID)
	if err != nil || !slices.ContainsFunc(hosts, func(h domain.VideoHost) bool { return h.Email == "noah@example.com" }) {
		t.Fatalf("hosts = %+v, %v", hosts, err)
	}
}
