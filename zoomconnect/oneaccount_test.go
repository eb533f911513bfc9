package zoomconnect

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"

	"interviewplanner/store/zoomstore"
	"interviewplanner/zoomconnect/zoomconnecttest"
)

// One Zoom account, one company: Globex authorizing the Zoom account Acme
// already connected is told so, nothing is stored for Globex, Acme keeps
// working, and a deauthorization of that Zoom account reaches Acme only.
func TestZoomAccountConnectsToOneCompany(t *testing.T) {
	t.Parallel()
	f := mustConnectedFixture(t)
	globex := mustAccount(t, f.db, "Globex", "admin@globex.test")
	authURL, err := f.svc.StartConnect(t.Context(), globex, "session-g")
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	d := f.zoom.Authorize(hc, authURL, "it@example.com", true)
	back, err := url.Parse(d.Location)
	if err != nil || d.Location == "" {
		t.Fatalf("Zoom did not send the browser back: %+v", d)
	}
	_, err = f.svc.FinishConnect(t.Context(), globex, "session-g", back.Query())
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Kind != "zoom_account_taken" {
		t.Fatalf("Globex connect error = %v, want zoom_account_taken", err)
	}
	if c, err := f.svc.Connection(t.Context(), globex.AccountID); c != nil || err != nil {
		t.Fatalf("Globex has a connection: %+v, %v", c, err)
	}
	acme, err := f.svc.Connection(t.Context(), f.admin.AccountID)
	if err != nil || acme.State != zoomstore.StateConnected {
		t.Fatalf("Acme connection = %+v, %v", acme, err)
	}
	// Acme's calls still work: Zoom replaced the tokens, Acme holds the live ones.
	if err := f.svc.Sync(t.Context(), f.admin.AccountID); err != nil {
		t.Fatalf("Acme sync after Globex's attempt: %v", err)
	}
	if c, _ := f.svc.Connection(t.Context(), f.admin.AccountID); c.State != zoomstore.StateConnected {
		t.Fatalf("Acme after sync = %s", c.State)
	}

	// Uninstalling the app in that Zoom account ends Acme's connection and
	// touches nothing of Globex.
	body := []byte(`{"event":"app_deauthorized","event_ts":1,"payload":{"account_id":"` + f.zoom.AccountID +
		`","user_id":"x","client_id":"` + zoomconnecttest.ClientID + `","deauthorization_time":"` + f.db.Now().UTC().Add(time.Second).Format(time.RFC3339) + `","signature":"s"}}`)
	res := f.svc.HandleDeauthorization(t.Context(), signed(testWebhookSecret, body, f.db.Now()), body)
	if res.Status != http.StatusOK {
		t.Fatalf("webhook status %d", res.Status)
	}
	if c, _ := f.svc.Connection(t.Context(), f.admin.AccountID); c.State != zoomstore.StateDisconnected {
		t.Fatalf("Acme after uninstall = %s", c.State)
	}
	events, err := f.db.ListAuditEvents(t.Context(), globex.AccountID, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == AuditUninstalled {
			t.Fatalf("Globex got Acme's uninstall: %+v", e)
		}
	}
}
