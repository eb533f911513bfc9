package msconnect_test

import (
	"fmt"
	"interviewplanner/scheduling"
	"interviewplanner/store/hiringstore"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/msconnect"
	"interviewplanner/msemu"
	"interviewplanner/msgraph"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/msstore"
	"interviewplanner/store/storetest"
)

const (
	clientID = "11111111-2222-3333-4444-555555555555"
	secret   = "s3cr3t~value"
	redirect = "http://app.example/integrations/microsoft/callback"
)

// fixtureKey encrypts the fixture's tokens (a second process reads them).
var fixtureKey = "k1:" + strings.Repeat("A", 43) + "="

type fixture struct {
	emu          *msemu.Emulator
	srv          *httptest.Server
	db           *store.DB
	cal          *calendars.Service
	svc          *msconnect.Service
	admin, kai   *domain.User
	priya, arjun *domain.User
	mu           sync.Mutex
	now          time.Time
	keys         *secretbox.Keyring
	baseURL      string
	// Where the database lives, for a second process.
	dbURL, dbDir string
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func mustFixture(t *testing.T, delay time.Duration) *fixture {
	return mustFixtureWith(t, delay, "")
}

func mustFixtureWith(t *testing.T, delay time.Duration, baseURL string) *fixture {
	return mustFixtureEmu(t, msemu.Config{ConsentDelay: delay}, baseURL)
}

// mustFixtureEmu is the fixture over an emulator configured as ec (its
// registration, tenant and clock are the fixture's).
func mustFixtureEmu(t *testing.T, ec msemu.Config, baseURL string) *fixture {
	t.Helper()
	ctx := t.Context()
	f := &fixture{now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	ec.ClientID, ec.ClientSecret, ec.RedirectURLs, ec.TenantDomain = clientID, secret, []string{redirect}, "globex.example"
	ec.RetryAfter, ec.AllowHTTPNotifications, ec.Now = time.Second, true, f.clock
	emu, err := msemu.New(ec)
	if err != nil {
		t.Fatal(err)
	}
	f.emu = emu
	f.srv = httptest.NewServer(emu)
	t.Cleanup(func() { f.srv.Close(); emu.Close() })
	emu.AddUser(msemu.User{DisplayName: "Ada Admin", Mail: "admin@globex.example", GlobalAdmin: true})
	emu.AddUser(msemu.User{DisplayName: "Priya Shah", Mail: "priya@globex.example"})
	emu.AddUser(msemu.User{DisplayName: "Arjun Rao", Mail: "a.rao@globex.example", UPN: "arjun@globex.example"})
	emu.AddUser(msemu.User{DisplayName: "Not An Interviewer", Mail: "other@globex.example"})
	emu.AddRoom(msemu.Room{DisplayName: "Ocean", Email: "ocean@globex.example", Capacity: 8, Building: "HQ"})

	f.db, f.dbURL, f.dbDir = storetest.MustOpenAt(t)
	f.db.Now = f.clock
	g, _ := f.db.CreateAccount(ctx, "Globex")
	a, _ := f.db.CreateAccount(ctx, "Acme")
	mk := func(acc int64, email, name string, role domain.Role) *domain.User {
		u, err := f.db.CreateUser(ctx, acc, store.NewUser{Email: email, Name: name, Role: role, TimeZone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = mk(g.ID, "admin@globex.example", "Ada", domain.RoleAdmin)
	f.priya = mk(g.ID, "priya@globex.example", "Priya", domain.RoleInterviewer)
	f.arjun = mk(g.ID, "arjun@globex.example", "Arjun", domain.RoleInterviewer)
	f.kai = mk(a.ID, "kai@globex.example", "Kai", domain.RoleAdmin) // same address, another company
	keys, _ := secretbox.ParseKeys(fixtureKey)
	f.keys, f.baseURL = keys, baseURL
	f.cal, f.svc = f.instance(t)
	return f
}

// instance is one more InterviewPlanner instance on the fixture's database
// (its own calendar layer, token cache and Graph client).
func (f *fixture) instance(t *testing.T) (*calendars.Service, *msconnect.Service) {
	t.Helper()
	cal := calendars.New(calendars.Config{DB: f.db, Keys: f.keys})
	t.Cleanup(cal.Close)
	svc, err := msconnect.New(msconnect.Config{DB: f.db, Keys: f.keys, Calendars: cal, RedirectURL: redirect, BaseURL: f.baseURL,
		Graph:       msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0", MaxWait: 3 * time.Second},
		ConsentWait: 300 * time.Millisecond, ConsentPoll: 50 * time.Millisecond,
		DeltaPageSize: 10}) // Graph's default: paging is what is tested
	if err != nil {
		t.Fatal(err)
	}
	return cal, svc
}

// consent walks the consent page as who and returns the callback query.
func (f *fixture) consent(t *testing.T, start, who, action string) url.Values {
	t.Helper()
	u, _ := url.Parse(start)
	q := u.Query()
	var id string
	for _, eu := range f.emu.Users() {
		if eu.Mail == who {
			id = eu.ID
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(f.srv.URL+u.Path, url.Values{"client_id": {q.Get("client_id")}, "state": {q.Get("state")}, "redirect_uri": {q.Get("redirect_uri")}, "user": {id}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	back, _ := url.Parse(resp.Header.Get("Location"))
	return back.Query()
}

func TestConnectFlow(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	if _, err := f.svc.StartConnect(ctx, f.priya, "sess"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("non-admin start: %v", err)
	}
	// Cancelled at Microsoft: nothing stored.
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "cancel")); err == nil || !strings.Contains(err.Error(), "not granted") {
		t.Fatalf("cancel: %v", err)
	}
	// A member cannot consent: no redirect at all.
	start, _ = f.svc.StartConnect(ctx, f.admin, "sess")
	if q := f.consent(t, start, "priya@globex.example", "accept"); q != nil {
		t.Fatalf("member consent redirected: %v", q)
	}
	// Forged callbacks: another session, a replayed state, no admin_consent.
	start, _ = f.svc.StartConnect(ctx, f.admin, "sess")
	q := f.consent(t, start, "admin@globex.example", "accept")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "other-session", q); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("other session: %v", err)
	}
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", q); err == nil {
		t.Fatal("a used state was accepted")
	}
	start, _ = f.svc.StartConnect(ctx, f.admin, "sess")
	q = f.consent(t, start, "admin@globex.example", "accept")
	q.Set("admin_consent", "False")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", q); err == nil {
		t.Fatal("admin_consent=False accepted")
	}
	if c, _ := f.svc.Connection(ctx, f.admin.AccountID); c != nil && c.State == msstore.StateConnected {
		t.Fatal("connected after refusals")
	}
	start, _ = f.svc.StartConnect(ctx, f.admin, "sess")
	c, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept"))
	if err != nil || c.State != msstore.StateConnected || c.TenantID != f.emu.TenantID() {
		t.Fatalf("connect: %+v %v", c, err)
	}
	d, _ := f.svc.Store.GetDirectory(ctx, f.admin.AccountID)
	matched := 0
	for _, u := range d.Users {
		if u.UserID != 0 {
			matched++
		}
	}
	if len(d.Users) != 4 || matched != 3 || len(d.Rooms) != 1 || d.Rooms[0].Capacity != 8 || d.Rooms[0].Building != "HQ" {
		t.Fatalf("directory: %+v", d)
	}
	srcs, _ := f.cal.Store.ListSources(ctx, f.admin.AccountID, calendarstore.SourceFilter{})
	if len(srcs) != 3 {
		t.Fatalf("%d Outlook sources", len(srcs))
	}
	if other, _ := f.cal.Store.ListSources(ctx, f.kai.AccountID, calendarstore.SourceFilter{}); len(other) != 0 {
		t.Fatal("another company got sources")
	}
	// The token is sealed at rest.
	tok, _ := f.svc.Store.GetToken(ctx, f.admin.AccountID)
	if tok.Sealed == nil || strings.Contains(string(tok.Sealed), "eyJ") {
		t.Fatal("token not sealed")
	}
}

// Consent that has not reached tokens yet: retried, then pending with an
// explanation, never connected; Check succeeds once it has.
func TestConsentNotYetPropagated(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, time.Hour)
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	c, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept"))
	if err != nil || c.State != msstore.StatePending || !strings.Contains(c.Error, "not applied it yet") {
		t.Fatalf("pending: %+v %v", c, err)
	}
	f.emu.GrantConsent("admin@globex.example") // the delay still applies
	if c, _ := f.svc.Verify(ctx, f.admin.AccountID); c.State != msstore.StatePending {
		t.Fatalf("still pending: %s", c.State)
	}
}

func (f *fixture) busy(t *testing.T, u *domain.User) ([]calendars.Event, []calendars.Unknown) {
	t.Helper()
	av, err := f.cal.Busy(t.Context(), u.AccountID, []int64{u.ID}, f.now, f.now.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return av.Events[u.ID], av.Unknown[u.ID]
}

func (f *fixture) syncAll(t *testing.T) {
	t.Helper()
	srcs, _ := f.cal.Store.ListSources(t.Context(), f.admin.AccountID, calendarstore.SourceFilter{})
	for _, s := range srcs {
		if err := f.cal.Sync(t.Context(), s.AccountID, s.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func at(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, time.UTC) }

// Busy time through delta: showAs rules, recurring occurrences past the
// first page, @removed, an expired token, a policy-denied mailbox and a
// removed consent making people unknown.
func TestOutlookBusyTime(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	p := "priya@globex.example"
	for i := range 11 {
		f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Busy " + string(rune('a'+i)), Start: at(3+i, 9), End: at(3+i, 10)})
	}
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Lunch walk", Start: at(3, 12), End: at(3, 13), ShowAs: "free"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "From home", Start: at(3, 13), End: at(3, 14), ShowAs: "workingElsewhere"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Maybe", Start: at(3, 14), End: at(3, 15), ShowAs: "tentative"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Vacation", Start: at(20, 0), End: at(21, 0), ShowAs: "oof"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Cancelled", Start: at(3, 15), End: at(3, 16), Cancelled: true})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Declined", Start: at(3, 16), End: at(3, 17), Response: "declined"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Secret", Start: at(4, 16), End: at(4, 17), Sensitivity: "private"})
	gone, _ := f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Gone soon", Start: at(5, 16), End: at(5, 17)})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "Weekly sync", Start: at(2, 17), End: at(2, 18), Every: 7, Count: 4})
	f.syncAll(t)
	evs, unk := f.busy(t, f.priya)
	got := map[string]bool{}
	for _, e := range evs {
		got[e.Title] = true
	}
	for _, want := range []string{"Busy a", "Busy k", "Maybe", "Vacation", "Busy", "Gone soon", "Weekly sync"} {
		if !got[want] {
			t.Errorf("missing %q in %v", want, got)
		}
	}
	for _, not := range []string{"Lunch walk", "From home", "Cancelled", "Declined", "Secret"} {
		if got[not] {
			t.Errorf("%q blocks", not)
		}
	}
	weekly := 0
	for _, e := range evs {
		if e.Title == "Weekly sync" {
			weekly++
		}
	}
	if weekly != 4 || len(unk) != 0 {
		t.Fatalf("weekly occurrences %d, unknown %v", weekly, unk)
	}
	f.emu.DeleteEvent(p, gone)
	f.syncAll(t)
	evs, _ = f.busy(t, f.priya)
	for _, e := range evs {
		if e.Title == "Gone soon" {
			t.Fatal("@removed not applied")
		}
	}
	f.emu.ExpireDeltaTokens(p)
	f.emu.AddEvent(msemu.NewEvent{Mailbox: p, Subject: "After resync", Start: at(6, 9), End: at(6, 10)})
	f.syncAll(t)
	evs, unk = f.busy(t, f.priya)
	found := false
	for _, e := range evs {
		found = found || e.Title == "After resync"
	}
	if !found || len(unk) != 0 {
		t.Fatalf("resync: found %v, unknown %v", found, unk)
	}
	// An access policy leaves Arjun out: he is unknown, by name, Priya not.
	f.emu.SetOutsidePolicy("a.rao@globex.example", true)
	f.syncAll(t)
	if _, unk := f.busy(t, f.arjun); len(unk) != 1 || !strings.Contains(unk[0].Reason, "application access policy") {
		t.Fatalf("policy: %+v", unk)
	}
	if _, unk := f.busy(t, f.priya); len(unk) != 0 {
		t.Fatalf("priya unknown: %v", unk)
	}
	// Consent removed: needs reconnecting, everyone unknown.
	f.emu.RevokeConsent()
	f.syncAll(t)
	c, _ := f.svc.Connection(ctx, f.admin.AccountID)
	if c.State != msstore.StateNeedsReconnecting {
		t.Fatalf("after revoke: %s %s", c.State, c.Error)
	}
	if _, unk := f.busy(t, f.priya); len(unk) != 1 || !strings.Contains(unk[0].Reason, "needs reconnecting") {
		t.Fatalf("priya after revoke: %+v", unk)
	}
	// Reconnect: known again.
	f.emu.SetOutsidePolicy("a.rao@globex.example", false)
	start, _ = f.svc.StartConnect(ctx, f.admin, "sess")
	if c, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil || c.State != msstore.StateConnected {
		t.Fatalf("reconnect: %v %v", c, err)
	}
	f.syncAll(t)
	if _, unk := f.busy(t, f.priya); len(unk) != 0 {
		t.Fatalf("after reconnect: %+v", unk)
	}
}

// The confirm-time check asks getSchedule: a meeting added after the last
// sync is seen, free time is not busy, an address Microsoft cannot answer
// for is unknown, and a room is matched by name.
func TestFreshCheck(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Writer().ExecContext(ctx, `INSERT INTO rooms (account_id, name, created_at) VALUES ($1, 'ocean', 0)`, f.admin.AccountID); err != nil {
		t.Fatal(err)
	}
	var roomID int64
	if err := f.db.Reader().QueryRowContext(ctx, `SELECT id FROM rooms WHERE account_id = $1`, f.admin.AccountID).Scan(&roomID); err != nil {
		t.Fatal(err)
	}
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "priya@globex.example", Subject: "Just added", Start: at(3, 10), End: at(3, 11)})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "priya@globex.example", Subject: "Lunch", Start: at(3, 12), End: at(3, 13), ShowAs: "free"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ocean@globex.example", Subject: "Board", Start: at(3, 9), End: at(3, 10)})
	f.emu.SetOutsidePolicy("a.rao@globex.example", true)
	b, err := f.svc.Fresh().Busy(ctx, availability.Request{AccountID: f.admin.AccountID, From: at(3, 0), To: at(4, 0),
		Interviewers: []int64{f.priya.ID, f.arjun.ID}, Rooms: []int64{roomID}})
	if err != nil {
		t.Fatal(err)
	}
	if ivs := b.Interviewers[f.priya.ID]; len(ivs) != 1 || ivs[0].Title != "Just added" {
		t.Fatalf("priya: %+v", ivs)
	}
	if ivs := b.Rooms[roomID]; len(ivs) != 1 {
		t.Fatalf("room: %+v", b.Rooms)
	}
	if len(b.Unknown) != 1 || b.Unknown[0].ID != f.arjun.ID || !strings.Contains(b.Unknown[0].Reason, "ErrorAccessDenied") {
		t.Fatalf("unknown: %+v", b.Unknown)
	}
	// Another company's people are never asked about.
	b, _ = f.svc.Fresh().Busy(ctx, availability.Request{AccountID: f.kai.AccountID, From: at(3, 0), To: at(4, 0), Interviewers: []int64{f.kai.ID}})
	if len(b.Interviewers) != 0 || len(b.Unknown) != 0 {
		t.Fatalf("other company: %+v", b)
	}
}

// Lifecycle events: missed reads the calendar whole again;
// subscriptionRemoved recreates the subscription and reads it whole.
func TestLifecycleEvents(t *testing.T) {
	t.Parallel()
	var svc atomic.Pointer[msconnect.Service]
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("validationToken"); tok != "" {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, tok)
			return
		}
		b, _ := io.ReadAll(r.Body)
		if _, err := svc.Load().HandleNotifications(r.Context(), b); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(app.Close)
	f := mustFixtureWith(t, 0, app.URL)
	svc.Store(f.svc)
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	f.syncAll(t)
	subs := f.emu.Subscriptions()
	if len(subs) != 3 {
		t.Fatalf("%d subscriptions", len(subs))
	}
	initialRounds := func() int {
		n := 0
		for _, r := range f.emu.Requests() {
			if strings.HasSuffix(r.Path, "/calendarView/delta") && strings.Contains(r.Query, "startDateTime") {
				n++
			}
		}
		return n
	}
	before := initialRounds()
	var priyaSub, priyaID string
	for _, u := range f.emu.Users() {
		if u.Mail == "priya@globex.example" {
			priyaID = u.ID
		}
	}
	for _, s := range subs {
		if strings.Contains(s.Resource, priyaID) {
			priyaSub = s.ID
		}
	}
	// The subscription's own clientState, but another tenant: ignored, so
	// nothing is read again (without a queue an accepted one is handled
	// before HandleNotifications returns).
	var priyaState string
	for _, s := range subs {
		if s.ID == priyaSub {
			priyaState = s.ClientState
		}
	}
	conn, err := f.svc.Connection(ctx, f.admin.AccountID)
	if err != nil || conn == nil || conn.TenantID == "" {
		t.Fatalf("connection: %+v %v", conn, err)
	}
	notification := func(tenant string) []byte {
		return fmt.Appendf(nil, `{"value":[{"subscriptionId":%q,"clientState":%q,"subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","tenantId":%q,"lifecycleEvent":"missed"}]}`,
			priyaSub, priyaState, tenant)
	}
	for _, other := range []string{"00000000-0000-4000-8000-000000000000", ""} {
		if n, err := f.svc.HandleNotifications(ctx, notification(other)); err != nil || n.Ignored != 1 || n.Accepted != 0 {
			t.Fatalf("tenant %q: %+v %v", other, n, err)
		}
	}
	if got := initialRounds(); got != before {
		t.Fatalf("a notification for another tenant read the calendar again (%d rounds, want %d)", got, before)
	}
	if n, err := f.svc.HandleNotifications(ctx, notification(strings.ToUpper(conn.TenantID))); err != nil || n.Accepted != 1 {
		t.Fatalf("the connected tenant's notification: %+v %v", n, err)
	}
	if got := initialRounds(); got != before+1 {
		t.Fatalf("the connected tenant's missed: %d rounds, want %d", got, before+1)
	}
	before = initialRounds()
	if err := f.emu.SendLifecycle(priyaSub, "missed"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a full resync after missed", func() bool { return initialRounds() == before+1 })
	if err := f.emu.SendLifecycle(priyaSub, "subscriptionRemoved"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a new subscription", func() bool {
		for _, s := range f.emu.Subscriptions() {
			if strings.Contains(s.Resource, priyaID) && s.ID != priyaSub {
				return true
			}
		}
		return false
	})
	// A notification with the old subscription's id is ignored now.
	n, err := f.svc.HandleNotifications(ctx, []byte(`{"value":[{"subscriptionId":"`+priyaSub+`","clientState":"x","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","tenantId":"t","lifecycleEvent":"missed"}]}`))
	if err != nil || n.Ignored != 1 {
		t.Fatalf("stale subscription: %+v %v", n, err)
	}
}

// organising connects Globex with other@globex.example as the scheduling
// mailbox and makes the coding stage with a candidate.
func (f *fixture) organising(t *testing.T) (*hiringstore.Store, *domain.Stage, *domain.Candidate) {
	t.Helper()
	ctx := t.Context()
	start, _ := f.svc.StartConnect(ctx, f.admin, "sess")
	if _, err := f.svc.FinishConnect(ctx, f.admin, "sess", f.consent(t, start, "admin@globex.example", "accept")); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSchedulingMailbox(ctx, f.admin, "other@globex.example"); err != nil {
		t.Fatal(err)
	}
	return f.codingStage(t)
}

// codingStage is a one-interview onsite stage (Coding, Priya or Arjun)
// with a candidate at it.
func (f *fixture) codingStage(t *testing.T) (*hiringstore.Store, *domain.Stage, *domain.Candidate) {
	t.Helper()
	ctx := t.Context()
	hs := hiringstore.New(f.db)
	acc := f.admin.AccountID
	job, _ := hs.CreateJob(ctx, acc, domain.Job{Title: "Engineer"})
	stage, err := hs.CreateStage(ctx, acc, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoOff, LatestDayOffset: 60, Interviews: []domain.Interview{
		{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{f.priya.ID, f.arjun.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	cand, err := hs.CreateCandidate(ctx, acc, domain.Candidate{Name: "Jane Doe", Email: "jane@candidate.example", TimeZone: "UTC", JobID: job.ID})
	if err != nil {
		t.Fatal(err)
	}
	return hs, stage, cand
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Events out: one event per interview from the scheduling mailbox with
// the interviewer invited, one for the candidate; exactly once under a
// lost answer, a 429 and a retry after a crash; a reschedule patches, a
// swap uninvites, a decline is seen by the organiser, a cancel deletes.
func TestScheduleEvents(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	ctx := t.Context()
	hs, stage, cand := f.organising(t)
	if err := f.svc.SetSchedulingMailbox(ctx, f.priya, "other@globex.example"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("interviewer set the mailbox: %v", err)
	}
	acc := f.admin.AccountID
	sched := scheduling.New(hs)
	when := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	p := scheduling.Proposal{CandidateID: cand.ID, AcceptWarnings: true, Items: []scheduling.Item{{InterviewID: stage.Interviews[0].ID, Start: when, End: when.Add(time.Hour), Interviewers: []int64{f.priya.ID}}}}
	sc, _, err := sched.Save(ctx, acc, p)
	if err != nil {
		t.Fatal(err)
	}
	f.emu.AddFault(msemu.Fault{Method: "POST", Path: "/events", Drop: true, Count: 1})
	f.emu.AddFault(msemu.Fault{Method: "POST", Path: "/events", Status: 429, Count: 1})
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	org := f.emu.Events("other@globex.example")
	if len(org) != 2 {
		t.Fatalf("organiser has %d events, want 2", len(org))
	}
	if got := f.emu.Events("priya@globex.example"); len(got) != 1 || !strings.Contains(got[0].Subject, "Jane Doe") {
		t.Fatalf("priya's invitation: %+v", got)
	}
	// A crash between Graph's answer and saving the id: the retry finds
	// the event by its transactionId.
	rows, _ := f.svc.Store.ListScheduleEvents(ctx, acc, sc.ID)
	row := rows[fmt.Sprintf("item:%d", sc.Items[0].ID)]
	row.EventID = ""
	f.svc.Store.SaveScheduleEvent(ctx, acc, sc.ID, row)
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil || len(f.emu.Events("other@globex.example")) != 2 {
		t.Fatalf("after a crash: %d events, %v", len(f.emu.Events("other@globex.example")), err)
	}
	// Reschedule and swap Priya for Arjun.
	p.ScheduleID = sc.ID
	p.Items[0].Start, p.Items[0].End, p.Items[0].Interviewers = when.Add(2*time.Hour), when.Add(3*time.Hour), []int64{f.arjun.ID}
	if _, _, err := sched.Save(ctx, acc, p); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	var item msemu.Event
	for _, e := range f.emu.Events("other@globex.example") {
		if strings.HasPrefix(e.Subject, "Interview:") {
			item = e
		}
	}
	if !item.Start.Equal(when.Add(2*time.Hour)) || len(item.Attendees) != 1 || item.Attendees[0].Address != "a.rao@globex.example" {
		t.Fatalf("rescheduled event: %+v", item)
	}
	if got := f.emu.Events("priya@globex.example"); len(got) != 1 || !got[0].Cancelled {
		t.Fatalf("swapped-out priya: %+v", got)
	}
	if err := f.emu.Respond("a.rao@globex.example", item.ICalUID, msgraph.ResponseDeclined); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.emu.Events("other@globex.example") {
		if e.ICalUID == item.ICalUID && e.Attendees[0].Response != "declined" {
			t.Fatalf("decline not recorded: %+v", e.Attendees)
		}
	}
	if err := sched.Cancel(ctx, acc, f.admin.ID, sc.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SyncEvents(ctx, acc, sc.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.emu.Events("other@globex.example")); n != 0 {
		t.Fatalf("%d events after cancel", n)
	}
	if rows, _ := f.svc.Store.ListScheduleEvents(ctx, acc, sc.ID); len(rows) != 0 {
		t.Fatalf("rows after cancel: %v", rows)
	}
}
