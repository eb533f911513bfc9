package microsoft_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/store/calendarstore"
)

func walkConsent(t *testing.T, c *apptest.Client, who, action string) (*http.Response, string) {
	t.Helper()
	res := c.PostForm("/integrations/microsoft/connect", nil)
	consent := res.Header.Get("Location")
	if !strings.Contains(consent, "/adminconsent?") {
		t.Fatalf("connect went to %q", consent)
	}
	page, err := c.HTTP.Get(consent)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	m := regexp.MustCompile(`value="([^"]+)" required> ` + regexp.QuoteMeta(who)).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no %s on the consent page", who)
	}
	u, _ := url.Parse(consent)
	q := u.Query()
	resp, err := c.HTTP.PostForm(u.Scheme+"://"+u.Host+u.Path, url.Values{"client_id": {q.Get("client_id")}, "state": {q.Get("state")},
		"redirect_uri": {q.Get("redirect_uri")}, "user": {m[1]}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// The demo walk: Globex's admin connects Microsoft 365 in the built-in
// emulator; a member's consent is refused; Kai's Outlook calendar becomes
// a source with busy time.
func TestDemoConnectMicrosoft365(t *testing.T) {
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_MS_EMULATOR_ADDR": "127.0.0.1:0"}})
	gloria := a.SignIn(t, "admin@globex.example")
	page := gloria.Get("/integrations/microsoft")
	for _, want := range []string{"Calendars.ReadWrite", "User.Read.All", "Place.Read.All", "application access policy", `id="ms-connect"`} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("page lacks %q", want)
		}
	}
	if r := a.SignIn(t, "kai@globex.example").PostForm("/integrations/microsoft/connect", nil); r.StatusCode == http.StatusSeeOther {
		t.Fatal("an interviewer could start the connect")
	}
	resp, body := walkConsent(t, gloria, "Hugo Ring", "accept")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "AADSTS90094") {
		t.Fatalf("member consent: %d", resp.StatusCode)
	}
	resp, _ = walkConsent(t, gloria, "Gloria Bex", "accept")
	back, _ := url.Parse(resp.Header.Get("Location"))
	if r := gloria.Get(back.RequestURI()); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d %s", r.StatusCode, r.Body)
	}
	done := gloria.Get("/integrations/microsoft")
	if !strings.Contains(done.Body, `id="ms-state">Connected`) || !strings.Contains(done.Body, "Spree") {
		t.Fatalf("after consent: %d %s", done.StatusCode, done.Body)
	}
	ctx := t.Context()
	acct, err := a.Main.DB.GetAccountByName(ctx, "Globex")
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := a.Main.Calendars.Store.ListSources(ctx, acct.ID, calendarstore.SourceFilter{})
	if err != nil || len(srcs) != 3 {
		t.Fatalf("sources %d %v", len(srcs), err)
	}
	for _, s := range srcs {
		if s.Kind != calendarstore.KindMicrosoft {
			t.Fatalf("kind %s", s.Kind)
		}
		if err := a.Main.Calendars.Sync(ctx, acct.ID, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	apptest.WaitFor(t, "Kai's Outlook calendar", func() bool {
		for _, s := range mustSources(t, a, acct.ID) {
			if s.OwnerName == "Kai Nakamura" && s.State == calendarstore.StateOK && s.EventCount > 20 {
				return true
			}
		}
		return false
	})
	// Another company sees nothing of it.
	if other := a.SignIn(t, "admin@example.com").Get("/integrations/microsoft"); strings.Contains(other.Body, "Spree") {
		t.Fatal("Acme sees Globex's tenant")
	}
}

// connectedGlobex starts the demo with its Microsoft 365 emulator, has
// Globex's admin connect the tenant, and returns the app, the admin and
// the emulator's address.
func connectedGlobex(t *testing.T) (*apptest.App, *apptest.Client, string) {
	t.Helper()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_MS_EMULATOR_ADDR": "127.0.0.1:0"}})
	gloria := a.SignIn(t, "admin@globex.example")
	resp, _ := walkConsent(t, gloria, "Gloria Bex", "accept")
	back, _ := url.Parse(resp.Header.Get("Location"))
	gloria.Get(back.RequestURI())
	emu := regexp.MustCompile(`href="(http://127\.0\.0\.1:\d+)"`).FindStringSubmatch(gloria.Get("/integrations/microsoft").Body)
	if emu == nil {
		t.Fatal("no emulator link")
	}
	return a, gloria, emu[1]
}

func mustSources(t *testing.T, a *apptest.App, accountID int64) []*calendarstore.Source {
	srcs, err := a.Main.Calendars.Store.ListSources(t.Context(), accountID, calendarstore.SourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

// Graph's handshake and notifications end to end: the demo's emulator
// subscribes the app to Kai's calendar after the first sync; a meeting
// added in Outlook reaches the busy cache through a notification; forged
// notifications change nothing; a hostile validation token is echoed only
// as text/plain.
func TestNotificationsReachTheCache(t *testing.T) {
	a, _, emu := connectedGlobex(t)
	ctx := t.Context()
	acct, _ := a.Main.DB.GetAccountByName(ctx, "Globex")
	var kai *calendarstore.Source
	for _, s := range mustSources(t, a, acct.ID) {
		if s.OwnerName == "Kai Nakamura" {
			kai = s
		}
	}
	if err := a.Main.Calendars.Sync(ctx, acct.ID, kai.ID); err != nil {
		t.Fatal(err)
	}
	r, err := http.Get(emu + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Subscriptions []struct {
			ID string `json:"id"`
		} `json:"subscriptions"`
	}
	_ = json.NewDecoder(r.Body).Decode(&st)
	r.Body.Close()
	if len(st.Subscriptions) == 0 {
		t.Fatal("no subscription after the first sync")
	}
	before := mustSource(t, a, acct.ID, kai.ID).EventCount
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	body := fmt.Sprintf(`{"Mailbox":"kai@globex.example","Subject":"Just booked in Outlook","Start":%q,"End":%q}`, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
	if r, err := http.Post(emu+"/_emulator/events", "application/json", strings.NewReader(body)); err != nil || r.StatusCode != 200 {
		t.Fatalf("add event: %v %v", r, err)
	}
	// The cache shows the meeting once the notified read is stored (a
	// background read of the same calendar may be running too, so the
	// event count settles after).
	apptest.WaitFor(t, "the notified change in the cache", func() bool {
		av, err := a.Main.Calendars.Busy(ctx, acct.ID, []int64{kai.UserID}, start, start.Add(time.Hour))
		return err == nil && len(av.Events[kai.UserID]) == 1 && av.Events[kai.UserID][0].Title == "Just booked in Outlook"
	})
	apptest.WaitFor(t, "Kai's calendar counting one event more", func() bool {
		return mustSource(t, a, acct.ID, kai.ID).EventCount == before+1
	})

	// Forged: an unknown subscription, and the right one with a wrong clientState.
	anon := a.NewClient(t)
	for _, forged := range []string{
		`{"value":[{"subscriptionId":"00000000-0000-4000-8000-000000000000","clientState":"x","changeType":"updated","resource":"Users/x/Events/y","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","tenantId":"00000000-0000-4000-8000-000000000000"}]}`,
		`{"value":[{"subscriptionId":"` + st.Subscriptions[0].ID + `","clientState":"guess","lifecycleEvent":"missed","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z","tenantId":"00000000-0000-4000-8000-000000000000"}]}`,
	} {
		if r := anon.Do("POST", "/integrations/microsoft/notify", strings.NewReader(forged), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusAccepted {
			t.Fatalf("forged notification: %d", r.StatusCode)
		}
	}
	if r := anon.Do("POST", "/integrations/microsoft/notify", strings.NewReader(`{"value":[{`), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("malformed notification: %d", r.StatusCode)
	}
	hostile := `<script>alert(1)</script>&"'`
	r2 := anon.Do("POST", "/integrations/microsoft/notify?validationToken="+url.QueryEscape(hostile), nil, nil)
	if r2.StatusCode != 200 || r2.Body != hostile || !strings.HasPrefix(r2.Header.Get("Content-Type"), "text/plain") || r2.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("validation echo: %d %q %q", r2.StatusCode, r2.Body, r2.Header.Get("Content-Type"))
	}
}

func mustSource(t *testing.T, a *apptest.App, accountID, id int64) *calendarstore.Source {
	s, err := a.Main.Calendars.Store.GetSource(t.Context(), accountID, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
