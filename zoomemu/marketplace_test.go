package zoomemu_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

func TestHomeLinksToMarketplace(t *testing.T) {
	e := MustStart(t)
	r := e.get(t, e.browser(t), "/")
	if r.status != 200 || !strings.Contains(string(r.body), `href="/marketplace/installed"`) || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "<script") {
		t.Fatal("pages must work without JavaScript")
	}
}

func TestInstalledAppsNeedsSignIn(t *testing.T) {
	e := MustStart(t)
	r := e.get(t, e.browser(t), "/marketplace/installed")
	if r.status != http.StatusFound || !strings.HasPrefix(r.header.Get("Location"), "/signin?next=") {
		t.Fatalf("%d %s", r.status, r.header.Get("Location"))
	}
}

func TestPreApprovalSwitch(t *testing.T) {
	e := MustStart(t)
	tests := []struct {
		email   string
		allowed bool
	}{
		{"admin@example.com", true},
		{"it@example.com", true},
		{"sam@example.com", false},
		{"riley@example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			e.SetPreApproved(e.account, false)
			c := e.browser(t)
			e.signIn(t, c, tt.email)
			page := e.get(t, c, "/marketplace/installed")
			if page.status != 200 || !strings.Contains(string(page.body), "Pre-approval is <strong>OFF") {
				t.Fatalf("page %d:\n%s", page.status, page.body)
			}
			r := e.postForm(t, c, "/marketplace/apps/"+clientID+"/preapprove", url.Values{"on": {"1"}})
			in, _ := e.InstallState(e.account)
			if tt.allowed != (r.status == http.StatusSeeOther) || in.PreApproved != tt.allowed {
				t.Fatalf("toggle by %s: %d, pre-approved=%v", tt.email, r.status, in.PreApproved)
			}
		})
	}
}

func TestMarketplaceEditRoleMayPreApprove(t *testing.T) {
	e := MustStart(t)
	role, _ := e.AddRole(e.account, "App managers", "", []string{"MarketPlace:Edit"})
	u, err := e.AddUser(e.account, zoomemu.UserSpec{Email: "apps@example.com", FirstName: "Ana", LastName: "Apps", Role: role.Name})
	if err != nil {
		t.Fatal(err)
	}
	e.users[u.Email] = u
	c := e.browser(t)
	e.signIn(t, c, u.Email)
	if r := e.postForm(t, c, "/marketplace/apps/"+clientID+"/preapprove", url.Values{"on": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if in, _ := e.InstallState(e.account); !in.PreApproved {
		t.Fatal("not pre-approved")
	}
}

// verifySignature checks x-zm-signature as the application must.
func verifySignature(t *testing.T, got received) {
	t.Helper()
	ts := got.header.Get("x-zm-request-timestamp")
	mac := hmac.New(sha256.New, []byte(webhookSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(got.body)
	want := "v0=" + hex.EncodeToString(mac.Sum(nil))
	if got.header.Get("x-zm-signature") != want || ts == "" {
		t.Fatalf("signature %q, want %q (ts %q)", got.header.Get("x-zm-signature"), want, ts)
	}
}

func TestUninstallFromMarketplace(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	c := e.browser(t)
	e.signIn(t, c, "it@example.com")
	page := e.get(t, c, "/marketplace/installed")
	if !strings.Contains(string(page.body), "Added by Ada Lovelace") || !strings.Contains(string(page.body), "Uninstall") {
		t.Fatalf("installed page:\n%s", page.body)
	}
	r := e.postForm(t, c, "/marketplace/apps/"+clientID+"/uninstall", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("uninstall: %d %s", r.status, r.body)
	}
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 401 {
		t.Fatalf("token survived uninstall: %d", r.status)
	}
	if r := e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.Refresh}}, true); r.status != 400 {
		t.Fatalf("refresh survived uninstall: %d", r.status)
	}
	waitFor(t, "app_deauthorized", func() bool { return len(e.recv.received()) == 1 })
	got := e.recv.received()[0]
	verifySignature(t, got)
	var ev struct {
		Event   string `json:"event"`
		EventTS int64  `json:"event_ts"`
		Payload struct {
			AccountID           string `json:"account_id"`
			UserID              string `json:"user_id"`
			ClientID            string `json:"client_id"`
			DeauthorizationTime string `json:"deauthorization_time"`
			Signature           string `json:"signature"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(got.body, &ev); err != nil {
		t.Fatal(err)
	}
	p := ev.Payload
	if ev.Event != "app_deauthorized" || ev.EventTS != e.clock.Now().UnixMilli() || p.AccountID != e.account ||
		p.UserID != e.users["it@example.com"].ID || p.ClientID != clientID || p.Signature == "" {
		t.Fatalf("event %s", got.body)
	}
	if _, err := time.Parse(time.RFC3339, p.DeauthorizationTime); err != nil {
		t.Fatalf("deauthorization_time %q: %v", p.DeauthorizationTime, err)
	}
	if ts, _ := strconv.ParseInt(got.header.Get("x-zm-request-timestamp"), 10, 64); ts != e.clock.Now().Unix() {
		t.Fatalf("timestamp %d", ts)
	}
	after := e.get(t, c, "/marketplace/installed")
	if !strings.Contains(string(after.body), "Not installed") {
		t.Fatalf("page after uninstall:\n%s", after.body)
	}
	// A Member cannot uninstall.
	e.MustConnect(t)
	m := e.browser(t)
	e.signIn(t, m, "sam@example.com")
	if r := e.postForm(t, m, "/marketplace/apps/"+clientID+"/uninstall", nil); r.status != http.StatusForbidden {
		t.Fatalf("member uninstall: %d", r.status)
	}
	if in, _ := e.InstallState(e.account); !in.Installed {
		t.Fatal("member uninstalled the app")
	}
}

func TestWebhookRetries(t *testing.T) {
	tests := []struct {
		name         string
		statuses     []int
		wantAttempts int
		wantOK       bool
	}{
		{"ok first time", nil, 1, true},
		{"5xx then ok", []int{500, 503}, 3, true},
		{"always 5xx: Zoom retries three times", []int{500, 500, 500, 500, 500}, 4, false},
		{"4xx is not retried", []int{401}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustStart(t)
			e.recv.mu.Lock()
			e.recv.statuses = tt.statuses
			e.recv.mu.Unlock()
			e.MustConnect(t)
			if err := e.Uninstall(e.account, ""); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "delivery done", func() bool { d := e.Deliveries(); return len(d) == 1 && d[0].Done })
			d := e.Deliveries()[0]
			if len(d.Attempts) != tt.wantAttempts || d.Delivered != tt.wantOK || len(e.recv.received()) != tt.wantAttempts {
				t.Fatalf("attempts %+v delivered %v", d.Attempts, d.Delivered)
			}
			for _, got := range e.recv.received() {
				verifySignature(t, got)
			}
		})
	}
}

func TestWebhookNetworkErrorRetried(t *testing.T) {
	e := MustStart(t, func(c *zoomemu.Config) { c.DeauthorizationURL = "http://127.0.0.1:1/deauth" })
	e.MustConnect(t)
	if err := e.Uninstall(e.account, e.users["admin@example.com"].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "delivery done", func() bool { d := e.Deliveries(); return len(d) == 1 && d[0].Done })
	d := e.Deliveries()[0]
	if len(d.Attempts) != 4 || d.Delivered || d.Attempts[0].Error == "" {
		t.Fatalf("%+v", d)
	}
}

func TestCloseStopsRetries(t *testing.T) {
	e := MustStart(t, func(c *zoomemu.Config) { c.WebhookRetryDelays = []time.Duration{time.Hour} })
	e.recv.mu.Lock()
	e.recv.statuses = []int{500}
	e.recv.mu.Unlock()
	e.MustConnect(t)
	if err := e.Uninstall(e.account, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first attempt", func() bool { return len(e.recv.received()) == 1 })
	e.Close() // must return without waiting an hour
	d := e.Deliveries()[0]
	if !d.Done || d.Delivered {
		t.Fatalf("%+v", d)
	}
}

func TestURLValidation(t *testing.T) {
	e := MustStart(t)
	answer := func(secret string) func([]byte) (int, []byte) {
		return func(body []byte) (int, []byte) {
			var ev struct {
				Event   string `json:"event"`
				Payload struct {
					PlainToken string `json:"plainToken"`
				} `json:"payload"`
			}
			_ = json.Unmarshal(body, &ev)
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write([]byte(ev.Payload.PlainToken))
			b, _ := json.Marshal(map[string]string{"plainToken": ev.Payload.PlainToken, "encryptedToken": hex.EncodeToString(mac.Sum(nil))})
			return 200, b
		}
	}
	for _, tt := range []struct {
		name   string
		secret string
		want   bool
	}{
		{"right secret", webhookSecret, true},
		{"wrong secret", "other", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.recv.mu.Lock()
			e.recv.answer = answer(tt.secret)
			e.recv.mu.Unlock()
			v, err := e.ValidateEndpoint(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid != tt.want {
				t.Fatalf("%+v", v)
			}
			got := e.recv.received()
			last := got[len(got)-1]
			verifySignature(t, last)
			if !strings.Contains(string(last.body), `"endpoint.url_validation"`) {
				t.Fatalf("challenge %s", last.body)
			}
		})
	}
}
