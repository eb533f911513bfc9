package msemu_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/msemu"
	"interviewplanner/msgraph"
)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Admin consent: a Global Administrator accepts (tenant, state,
// admin_consent=True come back), cancelling comes back as
// permission_denied, a member is refused on Microsoft's own page.
func TestAdminConsent(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	redirect := "http://app.example/integrations/microsoft/callback"
	consent := f.client.AdminConsentURL("", "st4te", redirect)
	u, _ := url.Parse(consent)
	resp, err := http.Get(f.srv.URL + u.Path + "?" + u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, p := range msemu.Permissions {
		if !strings.Contains(string(page), p) {
			t.Errorf("consent page does not name %s", p)
		}
	}
	post := func(user, action string) *http.Response {
		resp, err := noRedirect().PostForm(f.srv.URL+u.Path, url.Values{"client_id": {clientID}, "state": {"st4te"}, "redirect_uri": {redirect}, "user": {user}, "action": {action}})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if err := f.api.Check(t.Context()); msgraph.AADSTSOf(err) != msgraph.AADSTSNotConsented {
		t.Fatalf("token before consent: %v", err)
	}
	r := post(f.ben, "accept")
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "AADSTS90094") {
		t.Fatalf("member consent: %d %s", r.StatusCode, body)
	}
	r = post(f.ada, "cancel")
	loc, _ := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != http.StatusFound || loc.Query().Get("error") != "permission_denied" || loc.Query().Get("state") != "st4te" {
		t.Fatalf("cancel: %d %s", r.StatusCode, loc)
	}
	r = post(f.ada, "accept")
	loc, _ = url.Parse(r.Header.Get("Location"))
	q := loc.Query()
	if q.Get("admin_consent") != "True" || q.Get("tenant") != f.emu.TenantID() || q.Get("state") != "st4te" || loc.Path != "/integrations/microsoft/callback" {
		t.Fatalf("accept: %s", loc)
	}
	if err := f.api.Check(t.Context()); err != nil {
		t.Fatalf("token after consent: %v", err)
	}
	// A redirect not registered is refused before anything is shown.
	resp, _ = http.Get(f.srv.URL + u.Path + "?" + url.Values{"client_id": {clientID}, "redirect_uri": {"https://evil.example/"}}.Encode())
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "AADSTS50011") {
		t.Fatalf("foreign redirect: %d", resp.StatusCode)
	}
}

// Token refusals carry their AADSTS code in the identity platform's body.
func TestTokenErrors(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, func(c *msemu.Config) { c.ConsentDelay = time.Hour })
	f.emu.GrantConsent("ada@globex.example")
	bad := msgraph.New(msgraph.Config{ClientID: clientID, ClientSecret: "wrong", LoginURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0"}).Tenant(f.emu.TenantID())
	if err := bad.Check(t.Context()); msgraph.AADSTSOf(err) != msgraph.AADSTSBadSecret || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("bad secret: %v", err)
	}
	// Consent not yet effective: the token has no roles, Graph says 403.
	if _, err := f.api.ListUsers(t.Context()); !msgraph.IsForbidden(err) {
		t.Fatalf("before propagation: %v", err)
	}
	f.mu.Lock()
	f.now = f.now.Add(2 * time.Hour)
	f.mu.Unlock()
	fresh := msgraph.New(msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0"}).Tenant(f.emu.TenantID())
	if users, err := fresh.ListUsers(t.Context()); err != nil || len(users) != 2 {
		t.Fatalf("after propagation: %v %v", users, err)
	}
	// Disabling the app ends its tokens: the client fetches a new one once
	// and reports the AADSTS refusal.
	f.emu.SetAppDisabled(true)
	if _, err := fresh.ListUsers(t.Context()); msgraph.AADSTSOf(err) != msgraph.AADSTSDisabled {
		t.Fatalf("disabled app: %v", err)
	}
}

func TestDisabledAndUnknownTenant(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	f.emu.SetAppDisabled(true)
	if err := f.api.Check(t.Context()); msgraph.AADSTSOf(err) != msgraph.AADSTSDisabled {
		t.Fatalf("disabled: %v", err)
	}
	if err := f.client.Tenant("nobody.example").Check(t.Context()); msgraph.AADSTSOf(err) != msgraph.AADSTSNoTenant {
		t.Fatalf("unknown tenant: %v", err)
	}
}

// A delta round follows every nextLink: twelve meetings fill the first
// page and part of the second, the weekly 1:1's occurrences come last.
// Later rounds carry changes and @removed; a dropped token is 410.
func TestDeltaPagingRemovedAndExpiry(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	ctx := t.Context()
	var ids []string
	for i := range 12 {
		id, _ := f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: fmt.Sprintf("Meeting %d", i), Start: at(3+i%5, 9+i/5, 0), End: at(3+i%5, 9+i/5, 30)})
		ids = append(ids, id)
	}
	series, _ := f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: "Weekly 1:1", Start: at(2, 15, 0), End: at(2, 15, 30), Every: 7, Count: 4})
	from, to := at(1, 0, 0), at(31, 0, 0)

	// What a client that reads only the first page sees: no occurrence.
	resp, body := f.raw("GET", "/v1.0/users/ben@globex.example/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z", "", nil)
	if resp.StatusCode != 200 || strings.Contains(string(body), "Weekly 1:1") || !strings.Contains(string(body), "@odata.nextLink") {
		t.Fatalf("first calendarView page: %d %s", resp.StatusCode, clip(body))
	}

	items, link, err := f.api.DeltaRound(ctx, "ben@globex.example", "", from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 16 || items[15].Type != "occurrence" || items[11].Type != "singleInstance" || items[12].SeriesMasterID != series {
		t.Fatalf("initial round: %d items", len(items))
	}
	pages := 0
	for _, r := range f.emu.Requests() {
		if strings.HasSuffix(r.Path, "/calendarView/delta") {
			pages++
		}
	}
	if pages != 2 {
		t.Fatalf("initial round took %d pages, want 2", pages)
	}
	start, err := msgraph.ParseDateTime(*items[0].Start)
	if err != nil || !start.Equal(at(3, 9, 0)) {
		t.Fatalf("first start %v %v", start, err)
	}
	if err := f.emu.DeleteEvent("ben@globex.example", ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.emu.UpdateEventTimes("ben@globex.example", ids[1], at(20, 10, 0), at(20, 11, 0)); err != nil {
		t.Fatal(err)
	}
	items, link2, err := f.api.DeltaRound(ctx, "ben@globex.example", link, from, to, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ID != ids[1] || items[1].ID != ids[0] || items[1].Removed == nil || items[1].Removed.Reason != "deleted" {
		t.Fatalf("second round: %+v", items)
	}
	if items, _, err := f.api.DeltaRound(ctx, "ben@globex.example", link2, from, to, 0); err != nil || len(items) != 0 {
		t.Fatalf("quiet round: %v %v", items, err)
	}
	f.emu.ExpireDeltaTokens("ben@globex.example")
	if _, _, err := f.api.DeltaRound(ctx, "ben@globex.example", link2, from, to, 0); !msgraph.IsSyncStateGone(err) {
		t.Fatalf("expired token: %v", err)
	}
	if items, _, err := f.api.DeltaRound(ctx, "ben@globex.example", "", from, to, 0); err != nil || len(items) != 15 {
		t.Fatalf("resync: %d %v", len(items), err)
	}
	// Delta takes no $select.
	if resp, _ := f.raw("GET", "/v1.0/users/ben@globex.example/calendarView/delta?$select=subject&startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z", "", nil); resp.StatusCode != 400 {
		t.Fatalf("delta with $select: %d", resp.StatusCode)
	}
}

// getSchedule reads body keys in either case and a string interval; an
// unknown address is an error entry inside a 200; limits are Graph's.
func TestGetSchedule(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: "Dentist", Start: at(3, 9, 0), End: at(3, 10, 0), Sensitivity: "private"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: "Maybe", Start: at(3, 11, 0), End: at(3, 11, 30), ShowAs: "tentative"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: "Free", Start: at(3, 12, 0), End: at(3, 13, 0), ShowAs: "free"})
	pascal := `{"Schedules":["ben@globex.example","nobody@fabrikam.example"],"StartTime":{"dateTime":"2026-03-03T08:00:00","timeZone":"UTC"},"EndTime":{"dateTime":"2026-03-03T14:00:00","timeZone":"UTC"},"availabilityViewInterval":"60"}`
	resp, body := f.raw("POST", "/v1.0/users/ada@globex.example/calendar/getSchedule", pascal, map[string]string{"X-Test-Raw": "1"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"availabilityView":"020100"`) || !strings.Contains(string(body), "ErrorMailRecipientNotFound") {
		t.Fatalf("PascalCase getSchedule: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "Dentist") {
		t.Fatal("a private event's subject was shown")
	}
	req := msgraph.ScheduleRequest{Schedules: []string{"ben@globex.example"}, StartTime: msgraph.FormatDateTime(at(3, 8, 0)), EndTime: msgraph.FormatDateTime(at(3, 14, 0)), AvailabilityViewInterval: 30}
	info, err := f.api.GetSchedule(t.Context(), "ada@globex.example", req)
	if err != nil || len(info) != 1 || len(info[0].ScheduleItems) != 2 || info[0].ScheduleItems[1].Status != "tentative" {
		t.Fatalf("getSchedule: %+v %v", info, err)
	}
	req.EndTime = msgraph.FormatDateTime(at(3, 8, 0).AddDate(0, 0, 62))
	if _, err := f.api.GetSchedule(t.Context(), "ada@globex.example", req); err == nil || !strings.Contains(err.Error(), "ErrorTimeIntervalTooBig") {
		t.Fatalf("62 days: %v", err)
	}
}

// Events: a retried create with the same transactionId gives the same
// event once; attendees get the invitation, a decline reaches the
// organizer, a removed attendee gets a cancellation, delete cancels.
func TestEventsTransactionIDAndAttendees(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	f.emu.AddRoom(msemu.Room{DisplayName: "Room 1", Email: "room1@globex.example", Capacity: 6, Building: "HQ"})
	ctx := t.Context()
	subject := "Interview: Jane Doe — System design"
	ev := msgraph.Event{Subject: &subject, Start: &msgraph.DateTimeTimeZone{DateTime: "2026-03-04T10:00:00", TimeZone: "Pacific Standard Time"},
		End: &msgraph.DateTimeTimeZone{DateTime: "2026-03-04T11:00:00", TimeZone: "Pacific Standard Time"}, TransactionID: "ip-1-item-7",
		Body: &msgraph.ItemBody{ContentType: "html", Content: "<p>Join: https://zoom.example/j/1</p>"}, Location: &msgraph.Location{DisplayName: "Room 1"},
		Attendees: []msgraph.Attendee{{Type: "required", EmailAddress: msgraph.EmailAddress{Address: "ben@globex.example"}}, {Type: "resource", EmailAddress: msgraph.EmailAddress{Address: "room1@globex.example"}}}}
	f.emu.AddFault(msemu.Fault{Method: "POST", Path: "/events", Drop: true, Count: 1})
	a, err := f.api.CreateEvent(ctx, "ada@globex.example", ev)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.api.CreateEvent(ctx, "ada@globex.example", ev)
	if err != nil || a.ID != b.ID {
		t.Fatalf("retried create: %v %v", b, err)
	}
	if n := len(f.emu.Events("ada@globex.example")); n != 1 {
		t.Fatalf("organizer has %d events", n)
	}
	if s, _ := msgraph.ParseDateTime(*a.Start); !s.Equal(time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC)) {
		t.Fatalf("start %v", s)
	}
	bens := f.emu.Events("ben@globex.example")
	if len(bens) != 1 || bens[0].ShowAs != "tentative" || bens[0].ICalUID != a.ICalUID {
		t.Fatalf("invitation: %+v", bens)
	}
	if err := f.emu.Respond("ben@globex.example", a.ICalUID, msgraph.ResponseDeclined); err != nil {
		t.Fatal(err)
	}
	got, _ := f.api.FindByTransactionID(ctx, "ada@globex.example", "ip-1-item-7")
	if got == nil || got.Attendees[0].Status.Response != "declined" || got.Attendees[1].Status.Response != "accepted" {
		t.Fatalf("organizer's view: %+v", got)
	}
	if _, err := f.api.UpdateEvent(ctx, "ada@globex.example", a.ID, map[string]any{"attendees": []msgraph.Attendee{}}); err != nil {
		t.Fatal(err)
	}
	room := f.emu.Events("room1@globex.example")
	if len(room) != 1 || !room[0].Cancelled {
		t.Fatalf("removed room: %+v", room)
	}
	if err := f.api.DeleteEvent(ctx, "ada@globex.example", a.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.api.DeleteEvent(ctx, "ada@globex.example", a.ID); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

// The notification endpoint the app would serve: echo the decoded token
// as text/plain, record notifications.
type endpoint struct {
	mu     sync.Mutex
	echo   func(w http.ResponseWriter, token string)
	posted []string
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if tok := r.URL.Query().Get("validationToken"); tok != "" {
		e.echo(w, tok)
		return
	}
	b, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	e.posted = append(e.posted, string(b))
	e.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (e *endpoint) got() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.posted)
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

// Subscriptions: the handshake must echo the decoded token as text/plain;
// notifications and lifecycle events reach the app with its clientState.
func TestSubscriptionsHandshakeAndNotifications(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	good := &endpoint{echo: func(w http.ResponseWriter, tok string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, tok)
	}}
	escaped := &endpoint{echo: func(w http.ResponseWriter, tok string) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, url.QueryEscape(tok))
	}}
	asHTML := &endpoint{echo: func(w http.ResponseWriter, tok string) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, tok)
	}}
	srvs := map[string]*httptest.Server{}
	for name, h := range map[string]http.Handler{"good": good, "escaped": escaped, "html": asHTML} {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		srvs[name] = s
	}
	sub := msgraph.Subscription{ChangeType: "created,updated,deleted", Resource: "/users/ben@globex.example/events", ClientState: "cs-123",
		ExpirationDateTime: f.now.Add(48 * time.Hour).Format(time.RFC3339)}
	for _, bad := range []string{"escaped", "html"} {
		sub.NotificationURL = srvs[bad].URL + "/hook"
		if _, err := f.api.CreateSubscription(t.Context(), sub); err == nil || !strings.Contains(err.Error(), "ValidationError") {
			t.Fatalf("%s echo accepted: %v", bad, err)
		}
	}
	sub.NotificationURL, sub.LifecycleNotificationURL = srvs["good"].URL+"/hook?x=1", srvs["good"].URL+"/lifecycle"
	sub.ExpirationDateTime = f.now.Add(5000 * time.Minute).Format(time.RFC3339)
	if _, err := f.api.CreateSubscription(t.Context(), sub); err == nil {
		t.Fatal("a lifetime over 4,230 minutes was accepted")
	}
	sub.ExpirationDateTime = f.now.Add(4000 * time.Minute).Format(time.RFC3339)
	s, err := f.api.CreateSubscription(t.Context(), sub)
	if err != nil {
		t.Fatal(err)
	}
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben", Subject: "not a mailbox"})
	f.emu.AddEvent(msemu.NewEvent{Mailbox: "ben@globex.example", Subject: "New", Start: at(5, 9, 0), End: at(5, 10, 0)})
	waitFor(t, "notification", func() bool { return len(good.got()) == 1 })
	n := good.got()[0]
	if !strings.Contains(n, `"clientState":"cs-123"`) || !strings.Contains(n, `"changeType":"created"`) || !strings.Contains(n, s.ID) {
		t.Fatalf("notification: %s", n)
	}
	if err := f.emu.SendLifecycle(s.ID, "missed"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "lifecycle", func() bool { return len(good.got()) == 2 })
	if !strings.Contains(good.got()[1], `"lifecycleEvent":"missed"`) {
		t.Fatalf("lifecycle: %s", good.got()[1])
	}
	if _, err := f.api.RenewSubscription(t.Context(), s.ID, f.now.Add(70*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := f.api.DeleteSubscription(t.Context(), s.ID); err != nil || len(f.emu.Subscriptions()) != 0 {
		t.Fatalf("delete: %v", err)
	}
}

// Outlook's four-in-flight rule: a fifth concurrent request to one mailbox
// is 429 with Retry-After; the client never sends a fifth.
func TestMailboxConcurrency(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, func(c *msemu.Config) { c.Latency = 150 * time.Millisecond })
	f.emu.GrantConsent("ada")
	tok := f.token()
	var wg sync.WaitGroup
	codes := make(chan string, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", f.srv.URL+"/v1.0/users/ben@globex.example/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-02T00:00:00Z", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				codes <- err.Error()
				return
			}
			resp.Body.Close()
			codes <- fmt.Sprint(resp.StatusCode, " ", resp.Header.Get("Retry-After"))
		}()
	}
	wg.Wait()
	close(codes)
	var got []string
	for c := range codes {
		got = append(got, c)
	}
	slices.Sort(got)
	if fmt.Sprint(got) != "[200  200  200  200  429 1 429 1]" {
		t.Fatalf("six at once: %v", got)
	}
	before := len(f.emu.Requests())
	var errs sync.Map
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := f.api.DeltaRound(context.Background(), "ben@globex.example", "", at(1, 0, 0), at(2, 0, 0), 0); err != nil {
				errs.Store(i, err)
			}
		}()
	}
	wg.Wait()
	errs.Range(func(k, v any) bool { t.Errorf("client request %v: %v", k, v); return true })
	for _, r := range f.emu.Requests()[before:] {
		if r.Status == http.StatusTooManyRequests {
			t.Fatal("the client sent a fifth request to one mailbox")
		}
	}
}

// Faults: 503 and 429 with Retry-After are waited out, a malformed answer
// is an error, an access policy refuses the mailbox.
func TestFaultsAndPolicy(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	ctx := t.Context()
	f.emu.AddFault(msemu.Fault{Path: "/users", Status: 503, Count: 1})
	f.emu.AddFault(msemu.Fault{Path: "/users", Status: 429, RetryAfter: time.Second, Count: 1})
	t0 := time.Now()
	if users, err := f.api.ListUsers(ctx); err != nil || len(users) != 2 {
		t.Fatalf("after 503 and 429: %v %v", users, err)
	}
	if time.Since(t0) < time.Second {
		t.Fatal("Retry-After was not honoured")
	}
	f.emu.AddFault(msemu.Fault{Path: "/places/", Body: `{"value": [{"id": 1`, Count: 1})
	if _, err := f.api.ListRooms(ctx); err == nil || !strings.Contains(err.Error(), "malformedAnswer") {
		t.Fatalf("malformed: %v", err)
	}
	f.emu.AddFault(msemu.Fault{Path: "/places/", Body: `{"value": [], "@odata.nextLink": "https://evil.example/steal"}`, Count: 1})
	if _, err := f.api.ListRooms(ctx); err == nil {
		t.Fatal("a nextLink off Graph was followed")
	}
	f.emu.SetOutsidePolicy("ben@globex.example", true)
	_, _, err := f.api.DeltaRound(ctx, "ben@globex.example", "", at(1, 0, 0), at(2, 0, 0), 0)
	if !msgraph.IsPolicyDenied(err) {
		t.Fatalf("policy: %v", err)
	}
	var e *msgraph.Error
	if !errors.As(err, &e) || e.Code != "ErrorAccessDenied" {
		t.Fatalf("policy error: %v", err)
	}
}

// The state file keeps the tenant, its consent and calendars.
func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "microsoft-emulator.json")
	cfg := msemu.Config{ClientID: clientID, ClientSecret: secret, StateFile: file}
	a, err := msemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.AddUser(msemu.User{DisplayName: "Ada", Mail: "ada@globex.example", GlobalAdmin: true})
	a.GrantConsent("ada")
	a.AddEvent(msemu.NewEvent{Mailbox: "ada@globex.example", Subject: "Kept", Start: at(3, 9, 0), End: at(3, 10, 0)})
	a.Close()
	b, err := msemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.TenantID() != a.TenantID() || !b.HasState() || len(b.Events("ada@globex.example")) != 1 {
		t.Fatal("state was not restored")
	}
}

// An event that is not there: the control calls refuse it, and Graph
// answers 404 to a read, a change and a delete.
func TestMissingEvent(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, nil)
	f.emu.GrantConsent("ada")
	ctx := t.Context()
	if err := f.emu.DeleteEvent("ben@globex.example", "nope"); err == nil {
		t.Error("DeleteEvent of a missing event succeeded")
	}
	if err := f.emu.UpdateEventTimes("ben@globex.example", "nope", at(3, 9, 0), at(3, 10, 0)); err == nil {
		t.Error("UpdateEventTimes of a missing event succeeded")
	}
	if _, err := f.api.UpdateEvent(ctx, "ben@globex.example", "nope", map[string]any{"subject": "x"}); err == nil || !strings.Contains(err.Error(), "ErrorItemNotFound") {
		t.Errorf("PATCH of a missing event: %v", err)
	}
	_ = f.api.DeleteEvent(ctx, "ben@globex.example", "nope") // the client takes a 404 as deleted already
	reqs := f.emu.Requests()
	if last := reqs[len(reqs)-1]; last.Method != http.MethodDelete || last.Status != http.StatusNotFound {
		t.Errorf("DELETE of a missing event: %s %d, want DELETE 404", last.Method, last.Status)
	}
}
