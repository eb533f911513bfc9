package microsoft_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

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

func mustSources(t *testing.T, a *apptest.App, accountID int64) []*calendarstore.Source {
	srcs, err := a.Main.Calendars.Store.ListSources(t.Context(), accountID, calendarstore.SourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}
