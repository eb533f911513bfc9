package googleemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	admin "google.golang.org/api/admin/directory/v1"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"interviewplanner/googleemu"
	"interviewplanner/googleemu/googleemutest"
	"interviewplanner/googlespec"
)

const redirect = "http://app.test/integrations/google/callback"

var (
	calScope   = calendar.CalendarScope
	userScope  = admin.AdminDirectoryUserReadonlyScope
	roomScope  = admin.AdminDirectoryResourceCalendarReadonlyScope
	dwdScopes  = []string{calScope, userScope, roomScope}
	timeFormat = time.RFC3339
)

// world is an emulator with Acme's workspace: an admin, two users, a room.
type world struct {
	*googleemutest.Server
	checker *googlespec.Transport
	room    *googleemu.Room
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := googleemutest.Start(t, googleemu.Config{ClientID: "web-client", ClientSecret: "web-secret", RedirectURLs: []string{redirect},
		PushRetryDelays: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}})
	srv.AddCustomer("example.com", "Acme")
	srv.AddCustomer("globex.example", "Globex")
	for _, u := range []googleemu.NewUser{
		{Email: "admin@example.com", GivenName: "Ada", FamilyName: "Lovelace", Admin: true, TimeZone: "America/New_York"},
		{Email: "priya@example.com", GivenName: "Priya", FamilyName: "Patel", TimeZone: "Asia/Kolkata"},
		{Email: "sam@example.com", GivenName: "Sam", FamilyName: "Rivera", TimeZone: "America/Los_Angeles"},
		{Email: "gina@globex.example", GivenName: "Gina", FamilyName: "Globex", Admin: true},
	} {
		if _, err := srv.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	room, err := srv.AddRoom(googleemu.NewRoom{Domain: "example.com", Name: "Boardroom", Capacity: 12, Building: "HQ", FloorName: "3"})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := googlespec.Calendar()
	dir, _ := googlespec.Directory()
	w := &world{Server: srv, checker: &googlespec.Transport{APIs: []*googlespec.API{cal, dir}}, room: room}
	t.Cleanup(func() {
		if w.checker.Checked() == 0 {
			t.Error("no API call went through the discovery checker")
		}
		for _, p := range w.checker.Problems() {
			t.Errorf("discovery validation: %s", p)
		}
	})
	return w
}

// delegated returns a token source impersonating subject through a
// service account key file.
func (w *world) keyFile(t *testing.T) ([]byte, string) {
	t.Helper()
	kf, err := w.CreateServiceAccountKey(w.URL, "acme-scheduling", "interviewplanner")
	if err != nil {
		t.Fatal(err)
	}
	var f googleemu.KeyFile
	_ = json.Unmarshal(kf, &f)
	return kf, f.ClientID
}

func (w *world) httpClient(t *testing.T, ts oauth2.TokenSource) *http.Client {
	return &http.Client{Transport: &oauth2.Transport{Source: ts, Base: w.checker}}
}

func (w *world) calendarAs(t *testing.T, ts oauth2.TokenSource) *calendar.Service {
	t.Helper()
	svc, err := calendar.NewService(t.Context(), option.WithEndpoint(w.URL+"/calendar/v3/"), option.WithHTTPClient(w.httpClient(t, ts)))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func (w *world) directoryAs(t *testing.T, ts oauth2.TokenSource) *admin.Service {
	t.Helper()
	svc, err := admin.NewService(t.Context(), option.WithEndpoint(w.URL+"/"), option.WithHTTPClient(w.httpClient(t, ts)))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func (w *world) delegate(t *testing.T, kf []byte, subject string, scopes ...string) oauth2.TokenSource {
	t.Helper()
	cfg, err := google.JWTConfigFromJSON(kf, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Subject = subject
	return cfg.TokenSource(context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{}))
}

func googleErr(err error) (int, string) {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		reason := ""
		if len(ge.Errors) > 0 {
			reason = ge.Errors[0].Reason
		}
		return ge.Code, reason
	}
	return 0, ""
}

// consent drives Google's pages as a person would: pick the account, untick
// what they refuse, Continue. It returns the redirect's query.
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
	page := readBody(t, resp)
	req := regexp.MustCompile(`name="req" value="([^"]+)"`).FindStringSubmatch(page)
	if req == nil || !strings.Contains(page, "Choose an account") {
		t.Fatalf("no account chooser: %s", page)
	}
	base := authURL[:strings.Index(authURL, "/o/oauth2")]
	resp, err = c.PostForm(base+"/AccountChooser", url.Values{"req": {req[1]}, "email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	page = readBody(t, resp)
	if !strings.Contains(page, "wants to access your Google Account") {
		t.Fatalf("no consent page: %s", page)
	}
	form := url.Values{"req": {req[1]}, "action": {"allow"}}
	for _, m := range regexp.MustCompile(`name="scope" value="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !contains(refuse, m[1]) {
			form.Add("scope", m[1])
		}
	}
	resp, err = c.PostForm(base+"/o/oauth2/consent", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if final == nil {
		t.Fatalf("consent did not redirect to the app (status %d)", resp.StatusCode)
	}
	return final.Query()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (w *world) oauthConfig() *oauth2.Config {
	return &oauth2.Config{ClientID: "web-client", ClientSecret: "web-secret", RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: w.URL + "/o/oauth2/v2/auth", TokenURL: w.URL + "/token", AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{calScope, userScope, roomScope}}
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := w.oauthConfig()
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL("st4te", oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))
	q := consent(t, authURL, "admin@example.com")
	if q.Get("state") != "st4te" || q.Get("code") == "" {
		t.Fatalf("callback %v", q)
	}
	if _, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption("wrong-verifier-wrong-verifier-wrong-verifier")); err == nil {
		t.Fatal("a wrong PKCE verifier was accepted")
	}
	q = consent(t, authURL, "admin@example.com")
	tok, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.Extra("scope") != strings.Join(cfg.Scopes, " ") {
		t.Fatalf("token %+v scope %v", tok, tok.Extra("scope"))
	}
	if _, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("a code was used twice")
	}
	// The refresh token works with an expired access token.
	w.ExpireAccessTokens()
	tok.Expiry = time.Now().Add(-time.Minute)
	dir := w.directoryAs(t, cfg.TokenSource(t.Context(), tok))
	users, err := dir.Users.List().Customer("my_customer").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 3 || users.Users[0].PrimaryEmail != "admin@example.com" || !users.Users[0].IsAdmin {
		t.Fatalf("users %+v", users.Users)
	}
	rooms, err := dir.Resources.Calendars.List("my_customer").Do()
	if err != nil || len(rooms.Items) != 1 || rooms.Items[0].Capacity != 12 || rooms.Items[0].BuildingId != "hq" {
		t.Fatalf("rooms %+v %v", rooms, err)
	}
	if s := w.Stats(); s.CodeGrants != 1 || s.RefreshGrants != 1 || s.FailedGrants != 2 {
		t.Errorf("stats %+v", s)
	}

	// Without prompt=consent, a second consent gets no refresh token.
	again := cfg.AuthCodeURL("s2", oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier))
	tok2, err := cfg.Exchange(t.Context(), consent(t, again, "admin@example.com").Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok2.RefreshToken != "" {
		t.Fatalf("second consent: %v, refresh %q", err, tok2.RefreshToken)
	}

	// Revoking ends the grant: the refresh token answers invalid_grant.
	resp, err := http.PostForm(w.URL+"/revoke", url.Values{"token": {tok.RefreshToken}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoke: %v %v", err, resp)
	}
	_, err = cfg.TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || re.Response.StatusCode != 400 {
		t.Fatalf("refresh after revoke: %v", err)
	}
	resp, _ = http.PostForm(w.URL+"/revoke", url.Values{"token": {tok.RefreshToken}})
	if resp.StatusCode != 400 {
		t.Errorf("revoking twice: %d", resp.StatusCode)
	}
}

func TestOAuthRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := w.oauthConfig()
	verifier := oauth2.GenerateVerifier()
	// A user who unticks a scope: the callback's scope says so.
	q := consent(t, cfg.AuthCodeURL("s", oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier)), "admin@example.com", roomScope)
	if strings.Contains(q.Get("scope"), roomScope) {
		t.Errorf("refused scope granted: %s", q.Get("scope"))
	}
	tok, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.directoryAs(t, cfg.TokenSource(t.Context(), tok)).Resources.Calendars.List("my_customer").Do()
	if code, reason := googleErr(err); code != 403 || reason != "insufficientPermissions" {
		t.Errorf("rooms without their scope: %v", err)
	}
	// A user who is not an administrator: Directory refuses.
	q = consent(t, cfg.AuthCodeURL("s", oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier)), "sam@example.com")
	tok, err = cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.directoryAs(t, cfg.TokenSource(t.Context(), tok)).Users.List().Customer("my_customer").Do()
	if code, reason := googleErr(err); code != 403 || reason != "forbidden" {
		t.Errorf("non-admin directory: %v", err)
	}
	// A redirect URI that is not registered is an error page, never a redirect.
	bad := strings.Replace(cfg.AuthCodeURL("s"), url.QueryEscape(redirect), url.QueryEscape("http://evil.test/cb"), 1)
	resp, err := http.Get(bad)
	if err != nil {
		t.Fatal(err)
	}
	if page := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(page, "redirect_uri_mismatch") {
		t.Errorf("redirect mismatch: %d %s", resp.StatusCode, page)
	}
}

func TestServiceAccountDelegation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kf, clientID := w.keyFile(t)
	// Not granted yet: 401 unauthorized_client.
	_, err := w.delegate(t, kf, "admin@example.com", dwdScopes...).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 401 || !strings.Contains(string(re.Body), `"unauthorized_client"`) {
		t.Fatalf("without delegation: %v", err)
	}
	// One scope short: still refused whole.
	if err := w.GrantDWD("example.com", clientID, []string{calScope, userScope}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.delegate(t, kf, "admin@example.com", dwdScopes...).Token(); err == nil {
		t.Fatal("a scope missing from the delegation was granted")
	}
	_ = w.GrantDWD("example.com", clientID, dwdScopes)
	users, err := w.directoryAs(t, w.delegate(t, kf, "admin@example.com", dwdScopes...)).Users.List().Customer("my_customer").Do()
	if err != nil || len(users.Users) != 3 {
		t.Fatalf("users: %v", err)
	}
	// Impersonating a non-admin for Directory: 403.
	_, err = w.directoryAs(t, w.delegate(t, kf, "sam@example.com", dwdScopes...)).Users.List().Customer("my_customer").Do()
	if code, _ := googleErr(err); code != 403 {
		t.Errorf("non-admin subject: %v", err)
	}
	// Another company's delegation does not extend here.
	if _, err := w.delegate(t, kf, "gina@globex.example", calScope).Token(); err == nil {
		t.Error("a delegation of example.com worked for globex.example")
	}
	// A key signed by a different private key with the same key id fails.
	other, _ := w.keyFile(t)
	var a, b googleemu.KeyFile
	_ = json.Unmarshal(kf, &a)
	_ = json.Unmarshal(other, &b)
	a.PrivateKey = b.PrivateKey
	forged, _ := json.Marshal(a)
	_, err = w.delegate(t, forged, "admin@example.com", calScope).Token()
	if !errors.As(err, &re) || !strings.Contains(string(re.Body), "Invalid JWT Signature") {
		t.Errorf("forged signature: %v", err)
	}
	// Unknown subject.
	_, err = w.delegate(t, kf, "nobody@example.com", calScope).Token()
	if !errors.As(err, &re) || !strings.Contains(string(re.Body), "Invalid email or User ID") {
		t.Errorf("unknown subject: %v", err)
	}
	if s := w.Stats(); s.JWTGrants != 2 {
		t.Errorf("stats %+v", s)
	}
}

func ev(id, summary string, start time.Time, d time.Duration) *calendar.Event {
	return &calendar.Event{Id: id, Summary: summary, Start: &calendar.EventDateTime{DateTime: start.Format(timeFormat)},
		End: &calendar.EventDateTime{DateTime: start.Add(d).Format(timeFormat)}}
}

func TestEventsLifecycleAndSync(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kf, clientID := w.keyFile(t)
	_ = w.GrantDWD("example.com", clientID, dwdScopes)
	cal := w.calendarAs(t, w.delegate(t, kf, "admin@example.com", calScope))
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)

	in := ev("ipinterv00001", "Interview", day.Add(15*time.Hour), time.Hour)
	in.Attendees = []*calendar.EventAttendee{{Email: "priya@example.com"}, {Email: w.room.Email}}
	got, err := cal.Events.Insert("primary", in).SendUpdates("all").Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Id != "ipinterv00001" || got.Attendees[1].ResponseStatus != "accepted" || got.Organizer.Email != "admin@example.com" {
		t.Fatalf("inserted %+v", got)
	}
	if _, err := cal.Events.Insert("primary", in).Do(); !isCode(err, 409, "duplicate") {
		t.Fatalf("second insert: %v", err)
	}
	if _, err := cal.Events.Insert("primary", ev("UPPER-case", "x", day, time.Hour)).Do(); !isCode(err, 400, "invalid") {
		t.Errorf("non-base32hex id: %v", err)
	}
	// A series and a full sync with singleEvents.
	series := ev("standup0001", "Standup", day.Add(14*time.Hour), 30*time.Minute)
	series.Recurrence = []string{"RRULE:FREQ=DAILY;COUNT=5"}
	if _, err := cal.Events.Insert("primary", series).Do(); err != nil {
		t.Fatal(err)
	}
	list, err := cal.Events.List("primary").SingleEvents(true).TimeMin(day.Format(timeFormat)).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 6 || list.NextSyncToken == "" {
		t.Fatalf("full sync: %d items, token %q", len(list.Items), list.NextSyncToken)
	}
	for _, it := range list.Items {
		if it.Summary == "Standup" && (it.RecurringEventId != "standup0001" || !strings.HasPrefix(it.Id, "standup0001_")) {
			t.Errorf("instance %+v", it)
		}
	}
	// Incremental: only what changed, deletions as cancelled.
	if err := cal.Events.Delete("primary", "ipinterv00001").SendUpdates("all").Do(); err != nil {
		t.Fatal(err)
	}
	if err := cal.Events.Delete("primary", "ipinterv00001").Do(); !isCode(err, 410, "deleted") {
		t.Errorf("second delete: %v", err)
	}
	if _, err := cal.Events.Insert("primary", in).Do(); !isCode(err, 409, "duplicate") {
		t.Errorf("insert over a deleted id: %v", err)
	}
	inc, err := cal.Events.List("primary").SyncToken(list.NextSyncToken).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Items) != 1 || inc.Items[0].Status != "cancelled" || inc.Items[0].Id != "ipinterv00001" {
		t.Fatalf("incremental %+v", inc.Items)
	}
	// Patch restores a deleted event at its new time.
	p, err := cal.Events.Patch("primary", "ipinterv00001", &calendar.Event{Start: &calendar.EventDateTime{DateTime: day.Add(16 * time.Hour).Format(timeFormat)},
		End: &calendar.EventDateTime{DateTime: day.Add(17 * time.Hour).Format(timeFormat)}}).SendUpdates("none").Do()
	if err != nil || p.Status != "confirmed" || p.Sequence != 1 {
		t.Fatalf("patch: %+v %v", p, err)
	}
	if _, updates, live := w.Event("admin@example.com", "ipinterv00001"); !live || strings.Join(updates, ",") != "all,all,none" {
		t.Errorf("sendUpdates recorded %v live %v", updates, live)
	}
	// An expired sync token is 410 fullSyncRequired.
	w.ExpireSyncTokens("admin@example.com")
	if _, err := cal.Events.List("primary").SyncToken(inc.NextSyncToken).Do(); !isCode(err, 410, "fullSyncRequired") {
		t.Errorf("expired token: %v", err)
	}
	// Someone else's calendar is free/busy only.
	if _, err := cal.Events.List("priya@example.com").Do(); !isCode(err, 404, "notFound") {
		t.Errorf("other user's events: %v", err)
	}
	// Paging: two pages, the sync token only at the end.
	pg, err := cal.Events.List("primary").SingleEvents(true).MaxResults(4).Do()
	if err != nil || pg.NextPageToken == "" || pg.NextSyncToken != "" {
		t.Fatalf("page 1: %v %+v", err, pg)
	}
	pg2, err := cal.Events.List("primary").SingleEvents(true).MaxResults(4).PageToken(pg.NextPageToken).Do()
	if err != nil || pg2.NextSyncToken == "" || len(pg.Items)+len(pg2.Items) != 6 {
		t.Fatalf("page 2: %v %d+%d", err, len(pg.Items), len(pg2.Items))
	}
}

func isCode(err error, code int, reason string) bool {
	c, r := googleErr(err)
	return c == code && r == reason
}

func TestFreeBusy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kf, clientID := w.keyFile(t)
	_ = w.GrantDWD("example.com", clientID, dwdScopes)
	cal := w.calendarAs(t, w.delegate(t, kf, "admin@example.com", calScope))
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	_ = w.PutEvent("priya@example.com", ev("a1111", "1:1", day.Add(9*time.Hour), time.Hour))
	_ = w.PutEvent("priya@example.com", ev("a2222", "Overlap", day.Add(9*time.Hour+30*time.Minute), time.Hour))
	free := ev("a3333", "Lunch (free)", day.Add(12*time.Hour), time.Hour)
	free.Transparency = "transparent"
	_ = w.PutEvent("priya@example.com", free)
	wl := ev("a4444", "Office", day, 24*time.Hour)
	wl.EventType = "workingLocation"
	_ = w.PutEvent("priya@example.com", wl)
	w.SetFreeBusyError("sam@example.com", "internalError")

	res, err := cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: day.Format(timeFormat), TimeMax: day.Add(24 * time.Hour).Format(timeFormat),
		Items: []*calendar.FreeBusyRequestItem{{Id: "priya@example.com"}, {Id: "sam@example.com"}, {Id: "gina@globex.example"}, {Id: w.room.Email}}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	p := res.Calendars["priya@example.com"]
	if len(p.Busy) != 1 || p.Busy[0].Start != day.Add(9*time.Hour).Format(timeFormat) || p.Busy[0].End != day.Add(10*time.Hour+30*time.Minute).Format(timeFormat) {
		t.Errorf("priya busy %+v", p.Busy)
	}
	if e := res.Calendars["sam@example.com"].Errors; len(e) != 1 || e[0].Reason != "internalError" {
		t.Errorf("sam errors %+v", e)
	}
	if e := res.Calendars["gina@globex.example"].Errors; len(e) != 1 || e[0].Reason != "notFound" {
		t.Errorf("other company errors %+v", e)
	}
	// Google's limits.
	_, err = cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: day.Format(timeFormat), TimeMax: day.Add(91 * 24 * time.Hour).Format(timeFormat),
		Items: []*calendar.FreeBusyRequestItem{{Id: "priya@example.com"}}}).Do()
	if !isCode(err, 400, "timeRangeTooLong") {
		t.Errorf("91 days: %v", err)
	}
	items := make([]*calendar.FreeBusyRequestItem, 51)
	for i := range items {
		items[i] = &calendar.FreeBusyRequestItem{Id: "priya@example.com"}
	}
	_, err = cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: day.Format(timeFormat), TimeMax: day.Add(time.Hour).Format(timeFormat), Items: items}).Do()
	if !isCode(err, 400, "tooManyCalendarsRequested") {
		t.Errorf("51 calendars: %v", err)
	}
}

func TestPushNotifications(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kf, clientID := w.keyFile(t)
	_ = w.GrantDWD("example.com", clientID, dwdScopes)
	var mu sync.Mutex
	var got []http.Header
	fail := 1
	hook := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("X-Goog-Resource-State") == "exists" && fail > 0 {
			fail--
			rw.WriteHeader(503) // Google retries this one
			return
		}
		got = append(got, r.Header.Clone())
	}))
	t.Cleanup(hook.Close)
	cal := w.calendarAs(t, w.delegate(t, kf, "priya@example.com", calScope))
	ch, err := cal.Events.Watch("primary", &calendar.Channel{Id: "chan-1", Type: "web_hook", Address: hook.URL + "/push", Token: "secret-token"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if ch.ResourceId == "" || ch.Expiration <= time.Now().UnixMilli() {
		t.Fatalf("channel %+v", ch)
	}
	_ = w.PutEvent("priya@example.com", ev("b1111", "New", time.Now().Add(time.Hour), time.Hour))
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == 2 })
	mu.Lock()
	if got[0].Get("X-Goog-Resource-State") != "sync" || got[0].Get("X-Goog-Message-Number") != "1" || got[1].Get("X-Goog-Resource-State") != "exists" ||
		got[1].Get("X-Goog-Channel-Token") != "secret-token" || got[1].Get("X-Goog-Resource-Id") != ch.ResourceId || got[1].Get("X-Goog-Channel-Id") != "chan-1" {
		t.Errorf("notifications %v", got)
	}
	mu.Unlock()
	if _, err := cal.Events.Watch("primary", &calendar.Channel{Id: "chan-1", Type: "web_hook", Address: hook.URL}).Do(); err == nil {
		t.Error("a channel id was reused")
	}
	if err := cal.Channels.Stop(&calendar.Channel{Id: "chan-1", ResourceId: ch.ResourceId}).Do(); err != nil {
		t.Fatal(err)
	}
	if err := cal.Channels.Stop(&calendar.Channel{Id: "chan-1", ResourceId: ch.ResourceId}).Do(); !isCode(err, 404, "notFound") {
		t.Errorf("stop twice: %v", err)
	}
	before := len(w.Deliveries())
	_ = w.PutEvent("priya@example.com", ev("b2222", "After stop", time.Now().Add(time.Hour), time.Hour))
	if n := len(w.Deliveries()); n != before {
		t.Errorf("a stopped channel was notified (%d → %d)", before, n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFaultsAndQuota(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	kf, clientID := w.keyFile(t)
	_ = w.GrantDWD("example.com", clientID, dwdScopes)
	cal := w.calendarAs(t, w.delegate(t, kf, "admin@example.com", calScope))
	w.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 429, Reason: "rateLimitExceeded", Times: 1})
	w.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 403, Reason: "rateLimitExceeded", Times: 1})
	w.InjectFault(googleemu.Fault{Method: "GET", PathPattern: "/calendar/v3/calendars/*/events", Status: 503, Times: 1})
	for _, want := range []struct {
		code   int
		reason string
	}{{429, "rateLimitExceeded"}, {403, "rateLimitExceeded"}, {503, "backendError"}} {
		if _, err := cal.Events.List("primary").Do(); !isCode(err, want.code, want.reason) {
			t.Errorf("want %d %s, got %v", want.code, want.reason, err)
		}
	}
	if _, err := cal.Events.List("primary").Do(); err != nil {
		t.Errorf("after the faults: %v", err)
	}
	w.SetReadOnly("admin@example.com", time.Now().Add(time.Hour))
	if _, err := cal.Events.Insert("primary", ev("c1111", "x", time.Now(), time.Hour)).Do(); !isCode(err, 403, "quotaExceeded") {
		t.Errorf("read-only calendar: %v", err)
	}
	// A lost answer: the insert happened, the client saw the connection die.
	w.SetReadOnly("admin@example.com", time.Time{})
	w.InjectFault(googleemu.Fault{Method: "POST", PathPattern: "/calendar/v3/calendars/*/events", Drop: true, After: true, Times: 1})
	if _, err := cal.Events.Insert("primary", ev("c2222", "lost", time.Now(), time.Hour)).Do(); err == nil {
		t.Fatal("a dropped answer succeeded")
	}
	if _, _, live := w.Event("admin@example.com", "c2222"); !live {
		t.Fatal("the insert behind the lost answer did not happen")
	}
	if _, err := cal.Events.Insert("primary", ev("c2222", "retry", time.Now(), time.Hour)).Do(); !isCode(err, 409, "duplicate") {
		t.Errorf("retry after a lost answer: %v", err)
	}
	// Tokens: a missing or bad bearer token is 401.
	resp, _ := http.Get(w.URL + "/calendar/v3/users/me/calendarList")
	if resp.StatusCode != 401 || !strings.Contains(readBody(t, resp), `"required"`) {
		t.Errorf("no token: %d", resp.StatusCode)
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "google-emulator.json")
	cfg := googleemu.Config{ClientID: "c", ClientSecret: "s", RedirectURLs: []string{redirect}, StateFile: file}
	emu, err := googleemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	emu.AddCustomer("example.com", "Acme")
	if _, err := emu.AddUser(googleemu.NewUser{Email: "priya@example.com", GivenName: "Priya"}); err != nil {
		t.Fatal(err)
	}
	_ = emu.PutEvent("priya@example.com", ev("d1111", "Kept", time.Now(), time.Hour))
	kf, _ := emu.CreateServiceAccountKey("http://x", "p", "sa")
	emu.Close()

	again, err := googleemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if !again.HasState() {
		t.Fatal("state not loaded")
	}
	if e, _, live := again.Event("priya@example.com", "d1111"); !live || e.Summary != "Kept" {
		t.Errorf("event after restart: %+v", e)
	}
	var f googleemu.KeyFile
	_ = json.Unmarshal(kf, &f)
	if err := again.GrantDWD("example.com", f.ClientID, []string{calScope}); err != nil {
		t.Fatal(err)
	}
}
