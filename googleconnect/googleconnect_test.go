package googleconnect_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/googleemu"
	"interviewplanner/googleemu/googleemutest"
	"interviewplanner/googlespec"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
	"interviewplanner/store/storetest"
)

const redirect = "http://app.test/integrations/google/callback"

type fixture struct {
	emu     *googleemutest.Server
	checker *googlespec.Transport
	db      *store.DB
	cals    *calendars.Service
	svc     *googleconnect.Service
	acme    int64
	admin   *domain.User
	priya   *domain.User
	sam     *domain.User
	keyFile []byte
	saID    string
	keys    *secretbox.Keyring
	// Where the database and the key live, for a second process.
	dbURL, dbDir, keyPath string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := t.Context()
	emu := googleemutest.Start(t, googleemu.Config{ClientID: "web-client", ClientSecret: "web-secret", RedirectURLs: []string{redirect}})
	emu.AddCustomer("example.com", "Acme")
	for _, u := range []googleemu.NewUser{
		{Email: "admin@example.com", GivenName: "Ada", FamilyName: "Lovelace", Admin: true, TimeZone: "America/New_York"},
		{Email: "priya@example.com", GivenName: "Priya", FamilyName: "Patel", TimeZone: "America/New_York"},
		{Email: "sam@example.com", GivenName: "Sam", FamilyName: "Rivera", TimeZone: "America/Los_Angeles"},
		{Email: "nobody-here@example.com", GivenName: "Not", FamilyName: "Interviewer"},
	} {
		if _, err := emu.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := emu.AddRoom(googleemu.NewRoom{Domain: "example.com", Name: "Boardroom", Capacity: 12, Building: "HQ"}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{emu: emu, keyPath: filepath.Join(t.TempDir(), "secret.key")}
	f.db, f.dbURL, f.dbDir = storetest.MustOpenAt(t)
	db := f.db
	a, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f.acme = a.ID
	mk := func(email, name string, role domain.Role) *domain.User {
		u, err := db.CreateUser(ctx, a.ID, store.NewUser{Email: email, Name: name, Role: role, TimeZone: "America/New_York"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = mk("admin@example.com", "Ada Lovelace", domain.RoleAdmin)
	f.priya = mk("priya@example.com", "Priya Patel", domain.RoleInterviewer)
	f.sam = mk("sam@example.com", "Sam Rivera", domain.RoleInterviewer)
	cal, _ := googlespec.Calendar()
	dir, _ := googlespec.Directory()
	f.checker = &googlespec.Transport{APIs: []*googlespec.API{cal, dir}}
	t.Cleanup(func() {
		for _, p := range f.checker.Problems() {
			t.Errorf("discovery validation: %s", p)
		}
	})
	raw, err := secretbox.GenerateKeyFile(f.keyPath)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secretbox.ParseKeys(raw)
	if err != nil {
		t.Fatal(err)
	}
	f.keys = keys
	f.cals = calendars.New(calendars.Config{DB: db, Keys: keys})
	t.Cleanup(f.cals.Close)
	f.svc, err = googleconnect.New(googleconnect.Config{DB: db, Keys: keys, Calendars: f.cals, ClientID: "web-client", ClientSecret: "web-secret",
		RedirectURL: redirect, Endpoints: googleconnect.EndpointsAt(emu.URL), Transport: f.checker, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.keyFile, err = emu.CreateServiceAccountKey(emu.URL, "acme-scheduling", "interviewplanner")
	if err != nil {
		t.Fatal(err)
	}
	var k googleemu.KeyFile
	_ = json.Unmarshal(f.keyFile, &k)
	f.saID = k.ClientID
	return f
}

func connectError(t *testing.T, err error, kind string) *googleconnect.ConnectError {
	t.Helper()
	var ce *googleconnect.ConnectError
	if !errors.As(err, &ce) || ce.Kind != kind {
		t.Fatalf("want a %s error, got %v", kind, err)
	}
	return ce
}

func (f *fixture) mustNothingStored(t *testing.T) {
	t.Helper()
	c, err := f.svc.Connection(t.Context(), f.acme)
	if err != nil || c != nil {
		t.Fatalf("something was stored: %+v %v", c, err)
	}
}

func (f *fixture) connectDelegated(t *testing.T) {
	t.Helper()
	if err := f.emu.GrantDWD("example.com", f.saID, googleconnect.Scopes); err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.ConnectServiceAccount(t.Context(), f.admin, f.keyFile, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if c.State != googlestore.StateConnected || !c.Delegated() {
		t.Fatalf("connection %+v", c)
	}
}

func TestServiceAccountConnectChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	for name, c := range map[string]struct{ file, want string }{
		"not JSON":            {"-----BEGIN PRIVATE KEY-----", "not JSON"},
		"OAuth client secret": {`{"type":"authorized_user","client_id":"x"}`, "not a service account key"},
		"other project":       {`{"type":"service_account","project_id":"acme","private_key":"k","client_email":"sa@globex-prod.iam.gserviceaccount.com","client_id":"1"}`, "does not belong to its project"},
	} {
		_, err := f.svc.ConnectServiceAccount(ctx, f.admin, []byte(c.file), "admin@example.com")
		if ce := connectError(t, err, googleconnect.KindKeyFile); !strings.Contains(ce.Message, c.want) {
			t.Errorf("%s: %q", name, ce.Message)
		}
	}
	f.mustNothingStored(t)
	// No delegation yet: Google's 401 unauthorized_client, with what to paste.
	_, err := f.svc.ConnectServiceAccount(ctx, f.admin, f.keyFile, "admin@example.com")
	ce := connectError(t, err, googleconnect.KindDelegationMissing)
	if ce.ClientID != f.saID || !slices.Equal(ce.Scopes, googleconnect.Scopes) || !strings.Contains(ce.Message, "unauthorized_client") {
		t.Errorf("delegation error %+v", ce)
	}
	// A delegation missing one scope is the same answer.
	_ = f.emu.GrantDWD("example.com", f.saID, googleconnect.Scopes[:2])
	_, err = f.svc.ConnectServiceAccount(ctx, f.admin, f.keyFile, "admin@example.com")
	connectError(t, err, googleconnect.KindDelegationMissing)
	_ = f.emu.GrantDWD("example.com", f.saID, googleconnect.Scopes)
	_, err = f.svc.ConnectServiceAccount(ctx, f.admin, f.keyFile, "sam@example.com")
	connectError(t, err, googleconnect.KindNotAdmin)
	_, err = f.svc.ConnectServiceAccount(ctx, f.admin, f.keyFile, "ghost@example.com")
	connectError(t, err, googleconnect.KindUnknownAdmin)
	if _, err := f.svc.ConnectServiceAccount(ctx, f.priya, f.keyFile, "admin@example.com"); !domain.IsCode(err, domain.EFORBIDDEN) {
		t.Errorf("an interviewer connected: %v", err)
	}
	f.mustNothingStored(t)

	f.connectDelegated(t)
	c, _ := f.svc.Connection(ctx, f.acme)
	if c.UsersCount != 4 || c.RoomsCount != 1 || c.MatchedCount != 3 || c.SAClient != f.saID || c.AdminEmail != "admin@example.com" {
		t.Errorf("connection %+v", c)
	}
	dir, err := f.svc.Store().ListDirectory(ctx, f.acme)
	if err != nil {
		t.Fatal(err)
	}
	var room googlestore.Entry
	for _, e := range dir {
		if e.Kind == googlestore.EntryRoom {
			room = e
		}
	}
	if room.Name != "Boardroom" || room.Capacity != 12 || room.Building != "HQ" || room.RoomID == 0 {
		t.Errorf("room %+v", room)
	}
	srcs, _ := f.cals.Store.ListSources(ctx, f.acme, calendarstore.SourceFilter{})
	if len(srcs) != 4 {
		t.Fatalf("sources %d, want the 3 interviewers' and the room's", len(srcs))
	}
	// The room's busy time is cached like an interviewer's: Find times and
	// the check see it.
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 3)
	_ = f.emu.PutEvent(room.Email, gev("board0001", "Board meeting", at(day, 14, 0), at(day, 16, 0)))
	for _, src := range srcs {
		if src.RoomID == room.RoomID {
			if err := f.cals.SyncNow(ctx, f.acme, src.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	rb, err := calendars.Source{Service: f.cals}.Busy(ctx, availability.Request{AccountID: f.acme, From: at(day, 0, 0), To: at(day, 23, 0), Rooms: []int64{room.RoomID}})
	if err != nil {
		t.Fatal(err)
	}
	if iv := rb.Rooms[room.RoomID]; len(iv) != 1 || !iv[0].Start.Equal(at(day, 14, 0)) || !iv[0].End.Equal(at(day, 16, 0)) || len(rb.Unknown) != 0 {
		t.Fatalf("room busy %+v unknown %+v", rb.Rooms, rb.Unknown)
	}
	// A user removed from the Workspace is shown as removed, and loses their source.
	_ = f.emu.UpdateUser("sam@example.com", func(u *googleemu.User) { u.Deleted = true })
	if err := f.svc.Sync(ctx, f.acme); err != nil {
		t.Fatal(err)
	}
	dir, _ = f.svc.Store().ListDirectory(ctx, f.acme)
	removed := 0
	for _, e := range dir {
		if e.RemovedAt != nil {
			removed++
			if e.Email != "sam@example.com" {
				t.Errorf("removed %s", e.Email)
			}
		}
	}
	srcs, _ = f.cals.Store.ListSources(ctx, f.acme, calendarstore.SourceFilter{UserIDs: []int64{f.sam.ID}})
	if removed != 1 || len(srcs) != 0 {
		t.Errorf("removed %d, sam's sources %d", removed, len(srcs))
	}
}

func at(day time.Time, h, m int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func gev(id, summary string, s, e time.Time) *calendar.Event {
	return &calendar.Event{Id: id, Summary: summary, Start: &calendar.EventDateTime{DateTime: s.Format(time.RFC3339)},
		End: &calendar.EventDateTime{DateTime: e.Format(time.RFC3339)}}
}

func (f *fixture) source(t *testing.T, u *domain.User) *calendarstore.Source {
	t.Helper()
	srcs, err := f.cals.Store.ListSources(t.Context(), f.acme, calendarstore.SourceFilter{UserIDs: []int64{u.ID}})
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources of %s: %v %v", u.Email, srcs, err)
	}
	return srcs[0]
}

func (f *fixture) busyTitles(t *testing.T, u *domain.User, from, to time.Time) []string {
	t.Helper()
	av, err := f.cals.Busy(t.Context(), f.acme, []int64{u.ID}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(av.Unknown[u.ID]) > 0 {
		return []string{"UNKNOWN"}
	}
	var out []string
	for _, e := range av.Events[u.ID] {
		title := e.Title
		if e.Tentative {
			title += "?"
		}
		if !e.Blocks() {
			title += "(soft)"
		}
		out = append(out, e.Start.In(time.UTC).Format("15:04")+" "+title)
	}
	slices.Sort(out)
	return out
}

func TestDelegatedBusyWithSyncTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2)
	put := func(ev *calendar.Event) {
		t.Helper()
		if err := f.emu.PutEvent("priya@example.com", ev); err != nil {
			t.Fatal(err)
		}
	}
	put(gev("e0001", "1:1 with Sam", at(day, 13, 0), at(day, 13, 30)))
	declined := gev("e0002", "All hands", at(day, 14, 0), at(day, 15, 0))
	declined.Attendees = []*calendar.EventAttendee{{Email: "priya@example.com", Self: true, ResponseStatus: "declined"}}
	put(declined)
	maybe := gev("e0003", "Offsite planning", at(day, 15, 0), at(day, 16, 0))
	maybe.Attendees = []*calendar.EventAttendee{{Email: "priya@example.com", Self: true, ResponseStatus: "tentative"}}
	put(maybe)
	free := gev("e0004", "Lunch", at(day, 16, 0), at(day, 17, 0))
	free.Transparency = "transparent"
	put(free)
	wl := &calendar.Event{Id: "e0005", Summary: "Office", EventType: "workingLocation", Transparency: "transparent",
		Start: &calendar.EventDateTime{Date: day.Format("2006-01-02")}, End: &calendar.EventDateTime{Date: day.AddDate(0, 0, 1).Format("2006-01-02")}}
	put(wl)
	focus := gev("e0006", "Focus time", at(day, 17, 0), at(day, 18, 0))
	focus.EventType = "focusTime"
	put(focus)
	ooo := gev("e0007", "", at(day, 20, 0), at(day, 23, 0))
	ooo.EventType = "outOfOffice"
	put(ooo)
	private := gev("e0008", "Doctor", at(day, 18, 0), at(day, 18, 30))
	private.Visibility = "private"
	put(private)
	series := gev("e0009", "Standup", at(day, 12, 0), at(day, 12, 15))
	series.Recurrence = []string{"RRULE:FREQ=DAILY;COUNT=3"}
	put(series)
	if err := f.cals.Store.UpdateSettings(ctx, f.acme, calendarstore.Settings{TentativeBusy: true, Keywords: []string{"Focus time"}}); err != nil {
		t.Fatal(err)
	}

	f.connectDelegated(t)
	src := f.source(t, f.priya)
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	got := f.busyTitles(t, f.priya, day, day.Add(24*time.Hour))
	want := []string{"12:00 Standup", "13:00 1:1 with Sam", "15:00 Offsite planning?", "17:00 Focus time(soft)", "18:00 Busy", "20:00 Out of office"}
	if !slices.Equal(got, want) {
		t.Errorf("busy\n got %q\nwant %q", got, want)
	}
	src = f.source(t, f.priya)
	if src.State != calendarstore.StateOK || src.ETag == "" || src.EventCount != 9 {
		t.Fatalf("source %+v", src)
	}

	// Incremental: a new meeting and a deletion, read with the sync token.
	put(gev("e0010", "Customer call", at(day, 19, 0), at(day, 19, 30)))
	_ = f.emu.DeleteEvent("priya@example.com", "e0001")
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	got = f.busyTitles(t, f.priya, day, day.Add(24*time.Hour))
	want = []string{"12:00 Standup", "15:00 Offsite planning?", "17:00 Focus time(soft)", "18:00 Busy", "19:00 Customer call", "20:00 Out of office"}
	if !slices.Equal(got, want) {
		t.Errorf("after incremental\n got %q\nwant %q", got, want)
	}
	if n := f.countRequests("syncToken="); n != 1 {
		t.Errorf("%d requests with a sync token, want 1", n)
	}
	// The series moves an hour: its old instances go.
	series.Start.DateTime, series.End.DateTime = at(day, 11, 0).Format(time.RFC3339), at(day, 11, 15).Format(time.RFC3339)
	put(series)
	// An expired sync token: 410, then a full sync that finds everything.
	f.emu.ExpireSyncTokens("priya@example.com")
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	got = f.busyTitles(t, f.priya, day, day.Add(24*time.Hour))
	want = []string{"11:00 Standup", "15:00 Offsite planning?", "17:00 Focus time(soft)", "18:00 Busy", "19:00 Customer call", "20:00 Out of office"}
	if !slices.Equal(got, want) || f.source(t, f.priya).State != calendarstore.StateOK {
		t.Errorf("after 410\n got %q\nwant %q", got, want)
	}
	gone := 0
	for _, r := range f.emu.Requests() {
		if r.Status == 410 {
			gone++
		}
	}
	if gone != 1 {
		t.Errorf("%d answers 410", gone)
	}
	// Rate limits are retried with backoff; the sync still succeeds.
	f.emu.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 429, Reason: "rateLimitExceeded", Times: 1})
	f.emu.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 403, Reason: "userRateLimitExceeded", Times: 1})
	f.emu.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 503, Times: 1})
	put(gev("e0011", "Late add", at(day, 9, 0), at(day, 9, 30)))
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.busyTitles(t, f.priya, day, day.Add(10*time.Hour)); !slices.Equal(got, []string{"09:00 Late add"}) {
		t.Errorf("after retried faults: %q", got)
	}
}

func (f *fixture) countRequests(sub string) int {
	n := 0
	for _, r := range f.emu.Requests() {
		if strings.Contains(r.Query, sub) {
			n++
		}
	}
	return n
}

// consent drives Google's pages as a person: pick the account, untick
// what they refuse, Continue; it returns the callback's query.
func consent(t *testing.T, authURL, email string, refuse ...string) url.Values {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	var final *url.URL
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), redirect) {
			final = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page := read(resp)
	req := regexp.MustCompile(`name="req" value="([^"]+)"`).FindStringSubmatch(page)
	if req == nil {
		t.Fatalf("no chooser: %s", page)
	}
	base := authURL[:strings.Index(authURL, "/o/oauth2")]
	resp, err = c.PostForm(base+"/AccountChooser", url.Values{"req": {req[1]}, "email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	page = read(resp)
	form := url.Values{"req": {req[1]}, "action": {"allow"}}
	for _, m := range regexp.MustCompile(`name="scope" value="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !slices.Contains(refuse, m[1]) {
			form.Add("scope", m[1])
		}
	}
	resp, err = c.PostForm(base+"/o/oauth2/consent", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if final == nil {
		t.Fatal("no redirect to the app")
	}
	return final.Query()
}

func read(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (f *fixture) oauthConnect(t *testing.T, session, email string, refuse ...string) (*googlestore.Connection, error) {
	t.Helper()
	u, err := f.svc.StartConnect(t.Context(), f.admin, session)
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := url.Parse(u); q.Query().Get("access_type") != "offline" || !strings.Contains(q.Query().Get("prompt"), "consent") ||
		q.Query().Get("code_challenge_method") != "S256" {
		t.Fatalf("auth URL %s", u)
	}
	return f.svc.FinishConnect(t.Context(), f.admin, session, consent(t, u, email, refuse...))
}

func TestOAuthConnectAndFreeBusy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	_, err := f.oauthConnect(t, "session-1", "admin@example.com", googleconnect.Scopes[2])
	if ce := connectError(t, err, googleconnect.KindScopeMissing); !strings.Contains(ce.Message, "calendar resources") {
		t.Errorf("scope message %q", ce.Message)
	}
	_, err = f.oauthConnect(t, "session-1", "sam@example.com")
	connectError(t, err, googleconnect.KindNotAdmin)
	// A callback from another session's attempt.
	u, _ := f.svc.StartConnect(ctx, f.admin, "session-1")
	_, err = f.svc.FinishConnect(ctx, f.admin, "session-2", consent(t, u, "admin@example.com"))
	connectError(t, err, googleconnect.KindState)
	f.mustNothingStored(t)
	if s := f.emu.Stats(); s.Revocations != 2 {
		t.Errorf("refused grants revoked: %d, want 2", s.Revocations)
	}

	c, err := f.oauthConnect(t, "session-1", "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if c.Method != googlestore.MethodOAuth || c.AdminEmail != "admin@example.com" || c.MatchedCount != 3 {
		t.Fatalf("connection %+v", c)
	}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2)
	_ = f.emu.PutEvent("priya@example.com", gev("f0001", "Secret project", at(day, 13, 0), at(day, 14, 0)))
	f.emu.SetFreeBusyError("sam@example.com", "internalError")
	priya, sam := f.source(t, f.priya), f.source(t, f.sam)
	if err := f.cals.Sync(ctx, f.acme, priya.ID); err != nil {
		t.Fatal(err)
	}
	// Free/busy only: the time, not the title.
	if got := f.busyTitles(t, f.priya, day, day.Add(24*time.Hour)); !slices.Equal(got, []string{"13:00 Busy"}) {
		t.Errorf("priya %q", got)
	}
	// Sam was in the same batch: his calendar's error makes him unknown.
	if err := f.cals.Sync(ctx, f.acme, sam.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.busyTitles(t, f.sam, day, day.Add(24*time.Hour)); !slices.Equal(got, []string{"UNKNOWN"}) {
		t.Errorf("sam %q", got)
	}
	if n := f.countFreeBusy(); n != 2 {
		t.Errorf("free/busy calls %d, want 2 (one batch over two windows of at most 90 days)", n)
	}

	// The admin removes the app's access in their Google Account: the next
	// refresh fails, the connection needs reconnecting, everyone is unknown.
	f.emu.RevokeUserGrants("admin@example.com")
	f.emu.ExpireAccessTokens()
	_ = f.cals.Sync(ctx, f.acme, priya.ID)
	if !f.svc.NeedsReconnecting(ctx, f.acme) {
		t.Fatal("connection not marked needs reconnecting")
	}
	if got := f.busyTitles(t, f.priya, day, day.Add(24*time.Hour)); !slices.Equal(got, []string{"UNKNOWN"}) {
		t.Errorf("priya after revocation %q", got)
	}
	// Reconnecting brings it back.
	f.emu.SetFreeBusyError("sam@example.com", "")
	if _, err := f.oauthConnect(t, "session-1", "admin@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.cals.Sync(ctx, f.acme, priya.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.busyTitles(t, f.priya, day, day.Add(24*time.Hour)); !slices.Equal(got, []string{"13:00 Busy"}) {
		t.Errorf("priya after reconnect %q", got)
	}
	// Disconnect revokes the grant and removes the calendars.
	revokes := f.emu.Stats().Revocations
	revoked, err := f.svc.Disconnect(ctx, f.admin)
	if err != nil || !revoked || f.emu.Stats().Revocations != revokes+1 {
		t.Fatalf("disconnect: %v %v", revoked, err)
	}
	srcs, _ := f.cals.Store.ListSources(ctx, f.acme, calendarstore.SourceFilter{})
	if len(srcs) != 0 {
		t.Errorf("%d sources left", len(srcs))
	}
}

func (f *fixture) countFreeBusy() int {
	n := 0
	for _, r := range f.emu.Requests() {
		if r.Path == "/calendar/v3/freeBusy" && r.Status == 200 {
			n++
		}
	}
	return n
}

func TestWithdrawnDelegationMakesEveryoneUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	f.connectDelegated(t)
	src := f.source(t, f.priya)
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	_ = f.emu.GrantDWD("example.com", f.saID, nil)
	f.emu.ExpireAccessTokens()
	// Another instance, with no token cached, reads next.
	other, err := googleconnect.New(googleconnect.Config{DB: f.db, Keys: f.keys, Calendars: f.cals, Endpoints: googleconnect.EndpointsAt(f.emu.URL),
		Transport: f.checker, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_ = f.cals.Sync(ctx, f.acme, src.ID)
	if !other.NeedsReconnecting(ctx, f.acme) {
		t.Fatal("a withdrawn delegation did not mark the connection")
	}
	day := time.Now().UTC().Add(48 * time.Hour)
	for _, u := range []*domain.User{f.priya, f.sam} {
		if got := f.busyTitles(t, u, day, day.Add(time.Hour)); !slices.Equal(got, []string{"UNKNOWN"}) {
			t.Errorf("%s: %q", u.Email, got)
		}
	}
}

func TestPushChannelsBringChangesAndRefuseForgeries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	var svc *googleconnect.Service
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := svc.HandlePush(r.Context(), r.Header)
		switch {
		case err == nil:
			w.WriteHeader(200)
		case domain.IsCode(err, domain.ENOTFOUND):
			w.WriteHeader(404)
		case domain.IsCode(err, domain.EFORBIDDEN):
			w.WriteHeader(403)
		default:
			w.WriteHeader(500)
		}
	}))
	t.Cleanup(hook.Close)
	var err error
	svc, err = googleconnect.New(googleconnect.Config{DB: f.db, Keys: f.keys, Calendars: f.cals, Endpoints: googleconnect.EndpointsAt(f.emu.URL),
		Transport: f.checker, RetryDelay: time.Millisecond, PushURL: hook.URL + googleconnect.PushPath})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	f.connectDelegated(t)
	src := f.source(t, f.priya)
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	chans, _ := svc.Store().ListChannels(ctx, f.acme, src.ID)
	if len(chans) != 1 || chans[0].ResourceID == "" {
		t.Fatalf("channels %+v", chans)
	}
	// A change at Google is pushed, and the sync it triggers reads it.
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 3)
	start := time.Now()
	_ = f.emu.PutEvent("priya@example.com", gev("p0001", "Pushed meeting", at(day, 15, 0), at(day, 16, 0)))
	waitFor(t, func() bool {
		return slices.Equal(f.busyTitles(t, f.priya, day, day.Add(24*time.Hour)), []string{"15:00 Pushed meeting"})
	})
	t.Logf("pushed change visible after %v", time.Since(start))
	// Forged notifications: a wrong token, an unknown channel.
	post := func(h map[string]string) int {
		req, _ := http.NewRequest("POST", hook.URL+googleconnect.PushPath, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	before := len(f.emu.Requests())
	if code := post(map[string]string{"X-Goog-Channel-ID": chans[0].ID, "X-Goog-Channel-Token": "guess", "X-Goog-Resource-ID": chans[0].ResourceID, "X-Goog-Resource-State": "exists"}); code != 403 {
		t.Errorf("wrong token: %d", code)
	}
	if code := post(map[string]string{"X-Goog-Channel-ID": "ip-nope", "X-Goog-Channel-Token": "x", "X-Goog-Resource-State": "exists"}); code != 404 {
		t.Errorf("unknown channel: %d", code)
	}
	if n := len(f.emu.Requests()); n != before {
		t.Errorf("forged notifications made %d calls to Google", n-before)
	}
	// Renewal: a channel about to lapse is replaced (new first, old stopped).
	if err := svc.Store().UpdateChannel(ctx, f.acme, chans[0].ID, chans[0].ResourceID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := f.cals.Sync(ctx, f.acme, src.ID); err != nil {
		t.Fatal(err)
	}
	renewed, _ := svc.Store().ListChannels(ctx, f.acme, src.ID)
	if len(renewed) != 1 || renewed[0].ID == chans[0].ID {
		t.Fatalf("after renewal %+v", renewed)
	}
	stopped := 0
	for _, ch := range f.emu.Channels() {
		if ch.ID == chans[0].ID && ch.Stopped {
			stopped++
		}
	}
	if stopped != 1 {
		t.Error("the old channel was not stopped")
	}
	// Disconnect stops the channels.
	if _, err := svc.Disconnect(ctx, f.admin); err != nil {
		t.Fatal(err)
	}
	for _, ch := range f.emu.Channels() {
		if !ch.Stopped {
			t.Errorf("channel %s still live after disconnect", ch.ID)
		}
	}
}

// waitFor polls cond until it holds (pushes and River jobs run in the
// background; a job snoozed for a meeting link waits its turn).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("not within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The check at confirm asks Google itself, for exactly the schedule's
// people and rooms: a meeting booked after the last sync is caught, a
// calendar Google cannot answer for is unknown.
func TestFreshCheckAtConfirm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	f.connectDelegated(t)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 4)
	_ = f.emu.PutEvent("priya@example.com", gev("q0001", "Booked a minute ago", at(day, 15, 0), at(day, 15, 30)))
	f.emu.SetFreeBusyError("sam@example.com", "internalError")
	dir, _ := f.svc.Store().ListDirectory(ctx, f.acme)
	var roomID int64
	var roomEmail string
	for _, e := range dir {
		if e.Kind == googlestore.EntryRoom {
			roomID, roomEmail = e.RoomID, e.Email
		}
	}
	_ = f.emu.PutEvent(roomEmail, gev("q0002", "Board meeting", at(day, 14, 0), at(day, 16, 0)))
	before := f.countFreeBusy()
	b, err := f.svc.Fresh().Busy(ctx, availability.Request{AccountID: f.acme, From: at(day, 13, 0), To: at(day, 17, 0),
		Interviewers: []int64{f.priya.ID, f.sam.ID}, Rooms: []int64{roomID}})
	if err != nil {
		t.Fatal(err)
	}
	if iv := b.Interviewers[f.priya.ID]; len(iv) != 1 || !iv[0].Start.Equal(at(day, 15, 0)) {
		t.Errorf("priya %+v", iv)
	}
	if iv := b.Rooms[roomID]; len(iv) != 1 || !iv[0].End.Equal(at(day, 16, 0)) {
		t.Errorf("room %+v", iv)
	}
	if len(b.Unknown) != 1 || b.Unknown[0].ID != f.sam.ID {
		t.Errorf("unknown %+v", b.Unknown)
	}
	if n := f.countFreeBusy() - before; n != 1 {
		t.Errorf("%d free/busy calls, want 1", n)
	}
}

// Interview events on the scheduling calendar: exactly one per interview
// whatever fails on the way, moved by patch, swapped attendees replaced,
// deleted once, and answers read back.
func TestInterviewEventsExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	f.connectDelegated(t)
	schedCal, err := f.emu.AddCalendar("admin@example.com", "Interviews")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetSchedulingCalendar(ctx, f.admin, "priya@example.com"); err == nil {
		t.Error("someone else's calendar was accepted as the scheduling calendar")
	}
	if err := f.svc.SetSchedulingCalendar(ctx, f.admin, schedCal); err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 5)
	ev := googleconnect.InterviewEvent{Key: "schedule/7/item/1", Summary: "Interview: Jane Doe (Phone screen)", Location: "https://zoom.example/j/123",
		Description: "Join: https://zoom.example/j/123", Start: at(day, 15, 0), End: at(day, 16, 0), TimeZone: "America/New_York",
		Attendees: []string{"priya@example.com", "sam@example.com"}}
	// A 429, a 503 and a lost answer on the way: still one event.
	f.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Status: 429, Reason: "rateLimitExceeded", Times: 1})
	f.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Status: 503, Times: 1})
	f.emu.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Drop: true, After: true, Times: 1})
	got, err := f.svc.PutEvent(ctx, f.acme, ev, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.emu.Events(schedCal)); n != 1 || got.Id != googleconnect.EventID(ev.Key) {
		t.Fatalf("%d events, id %s", n, got.Id)
	}
	_, updates, _ := f.emu.Event(schedCal, got.Id)
	for _, u := range updates {
		if u != "none" {
			t.Errorf("sendUpdates %q: Google would email on top of our invitations", u)
		}
	}
	// Reschedule and swap Sam for the room: one event, new time, new attendees.
	ev.Start, ev.End = at(day, 17, 0), at(day, 18, 0)
	dir, _ := f.svc.Store().ListDirectory(ctx, f.acme)
	for _, e := range dir {
		if e.Kind == googlestore.EntryRoom {
			ev.Attendees = []string{"priya@example.com", e.Email}
		}
	}
	if _, err := f.svc.PutEvent(ctx, f.acme, ev, false); err != nil {
		t.Fatal(err)
	}
	stored, _, _ := f.emu.Event(schedCal, got.Id)
	if len(f.emu.Events(schedCal)) != 1 || stored.Start.DateTime != at(day, 17, 0).Format(time.RFC3339) || len(stored.Attendees) != 2 ||
		stored.Attendees[1].Email == "sam@example.com" || stored.Sequence != 1 {
		t.Errorf("after reschedule and swap %+v", stored)
	}
	// Priya declines in Google Calendar; her answer comes back.
	if err := f.emu.Respond(schedCal, got.Id, "priya@example.com", "declined"); err != nil {
		t.Fatal(err)
	}
	answers, err := f.svc.Responses(ctx, f.acme, ev.Key)
	if err != nil || answers["priya@example.com"] != "declined" {
		t.Errorf("answers %v %v", answers, err)
	}
	// Cancel: deleted, and deleting again is fine.
	if err := f.svc.DeleteEvent(ctx, f.acme, ev.Key, false); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteEvent(ctx, f.acme, ev.Key, false); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if n := len(f.emu.Events(schedCal)); n != 0 {
		t.Errorf("%d events after cancel", n)
	}
	// Booked again later: the id is taken by the deleted event, so it is restored.
	if _, err := f.svc.PutEvent(ctx, f.acme, ev, false); err != nil || len(f.emu.Events(schedCal)) != 1 {
		t.Errorf("re-booking: %v", err)
	}
	// Google's usage limits: writes pause with a clear error.
	f.emu.SetReadOnly(schedCal, time.Now().Add(time.Hour))
	if _, err := f.svc.PutEvent(ctx, f.acme, ev, false); !domain.IsCode(err, domain.ETOOMANY) {
		t.Errorf("quotaExceeded: %v", err)
	}
}

// Two instances whose calls meet Google's 401 at once refresh the token
// once between them: the others find the new token stored.
func TestRefusedTokenIsRefreshedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	if _, err := f.oauthConnect(t, "session-1", "admin@example.com"); err != nil {
		t.Fatal(err)
	}
	other, err := googleconnect.New(googleconnect.Config{DB: f.db, Keys: f.keys, Calendars: f.cals, ClientID: "web-client", ClientSecret: "web-secret", Endpoints: googleconnect.EndpointsAt(f.emu.URL),
		Transport: f.checker, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	refreshes := func() int {
		n := 0
		for _, r := range f.emu.Requests() {
			if r.Method == http.MethodPost && r.Path == "/token" {
				n++
			}
		}
		return n
	}
	before := refreshes()
	f.emu.ExpireAccessTokens()
	errs := make(chan error, 6)
	for i := range 6 {
		svc := f.svc
		if i%2 == 1 {
			svc = other
		}
		go func() {
			_, err := svc.WritableCalendars(ctx, f.acme)
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := refreshes() - before; n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
}
