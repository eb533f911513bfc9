// Package zoomconnecttest runs the Zoom emulator for tests of the Zoom
// integration and plays the browser on Zoom's pages.
//
// The emulator must know the app's redirect and deauthorization URLs, and
// the app must know the emulator's URL; so the emulator's listener starts
// first (Env gives the app its settings) and the emulator itself is
// attached once the app is up.
package zoomconnecttest

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/zoomemu"
	"interviewplanner/zoomspec"
)

// Credentials of the app registered in the test emulator.
const (
	ClientID      = "ip-test-client"
	ClientSecret  = "ip-test-secret"
	WebhookSecret = "ip-test-webhook-secret"
)

// Zoom is an emulator on a loopback port.
type Zoom struct {
	URL string
	*zoomemu.Emulator
	// AccountID is the seeded demo Zoom account.
	AccountID string

	tb  testing.TB
	emu atomic.Pointer[zoomemu.Emulator]
}

// Start listens on a loopback port; call Attach once the app's URLs are known.
func Start(tb testing.TB) *Zoom {
	tb.Helper()
	z := &Zoom{tb: tb}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := z.emu.Load()
		if e == nil {
			http.Error(w, "emulator not attached yet", http.StatusServiceUnavailable)
			return
		}
		e.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	z.URL = srv.URL
	return z
}

// Env is the app's environment pointing at this emulator.
func (z *Zoom) Env() map[string]string {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	return map[string]string{
		"IP_ZOOM_CLIENT_ID":      ClientID,
		"IP_ZOOM_CLIENT_SECRET":  ClientSecret,
		"IP_ZOOM_WEBHOOK_SECRET": WebhookSecret,
		"IP_ZOOM_AUTH_URL":       z.URL,
		"IP_ZOOM_API_URL":        z.URL + "/v2",
		"IP_SECRET_KEY":          "t1:" + key,
	}
}

// Attach creates the emulator for an app at redirectURL / deauthURL and
// seeds the demo Zoom account (Owner admin@example.com, Admin
// it@example.com, Member sam@example.com, riley@example.com with the
// "InterviewPlanner" role, four Zoom Rooms) plus members.
func (z *Zoom) Attach(redirectURL, deauthURL string, members ...zoomemu.UserSpec) {
	z.tb.Helper()
	emu, err := zoomemu.New(zoomemu.Config{ClientID: ClientID, ClientSecret: ClientSecret, RedirectURLs: []string{redirectURL},
		WebhookSecret: WebhookSecret, DeauthorizationURL: deauthURL, WebhookRetryDelays: []time.Duration{},
		// No idle connections left behind: the app's graceful shutdown waits for them.
		HTTPClient: &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}})
	if err != nil {
		z.tb.Fatalf("zoomemu: %v", err)
	}
	z.tb.Cleanup(func() {
		// Let webhooks in flight (sent after a revoke) reach the app first.
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) && !allDone(emu.Deliveries()) {
			time.Sleep(10 * time.Millisecond)
		}
		emu.Close()
	})
	z.AccountID = emu.SeedDemo(zoomemu.Demo{Members: members})
	// Business plan: tests make bursts of calls that Zoom's Pro plan would throttle.
	if _, err := emu.UpdateAccount(z.AccountID, "", "business"); err != nil {
		z.tb.Fatal(err)
	}
	z.Emulator = emu
	z.emu.Store(emu)
}

// UserID returns the emulator's id of the Zoom user with email.
func (z *Zoom) UserID(email string) string {
	z.tb.Helper()
	u, ok := z.UserByEmail(email)
	if !ok {
		z.tb.Fatalf("no Zoom user %s", email)
	}
	return u.ID
}

// SignIn signs the browser hc in to Zoom as email.
func (z *Zoom) SignIn(hc *http.Client, email string) {
	z.tb.Helper()
	res, err := hc.PostForm(z.URL+"/signin", url.Values{"user_id": {z.UserID(email)}, "next": {"/"}})
	if err != nil {
		z.tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		z.tb.Fatalf("sign in to Zoom as %s: status %d", email, res.StatusCode)
	}
}

// Decision is what the browser gets from Zoom's consent page: a redirect
// back to the app (Location) or Zoom's own page (Status, Body).
type Decision struct {
	Location string
	Status   int
	Body     string
}

// Authorize plays the browser hc on Zoom's authorize page: signed in as
// email, it presses Allow (allow) or Decline.
func (z *Zoom) Authorize(hc *http.Client, authorizeURL, email string, allow bool) Decision {
	z.tb.Helper()
	if !strings.HasPrefix(authorizeURL, z.URL+"/oauth/authorize?") {
		z.tb.Fatalf("authorize URL %q is not this emulator's", authorizeURL)
	}
	z.SignIn(hc, email)
	u, _ := url.Parse(authorizeURL)
	q := u.Query()
	page, err := hc.Get(authorizeURL)
	if err != nil {
		z.tb.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		z.tb.Fatalf("Zoom's authorize page: status %d", page.StatusCode)
	}
	decision := "decline"
	if allow {
		decision = "allow"
	}
	form := url.Values{"client_id": {q.Get("client_id")}, "redirect_uri": {q.Get("redirect_uri")}, "state": {q.Get("state")},
		"code_challenge": {q.Get("code_challenge")}, "code_challenge_method": {q.Get("code_challenge_method")}, "decision": {decision}}
	res, err := hc.PostForm(z.URL+"/oauth/authorize", form)
	if err != nil {
		z.tb.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return Decision{Location: res.Header.Get("Location"), Status: res.StatusCode, Body: b.String()}
}

// AssertRequestsValid fails the test unless every REST request the
// emulator received validates against Zoom's official OpenAPI description.
func (z *Zoom) AssertRequestsValid() int {
	z.tb.Helper()
	v, err := zoomspec.Load()
	if err != nil {
		z.tb.Fatal(err)
	}
	n := 0
	for _, rr := range z.Requests() {
		if !strings.HasPrefix(rr.Path, "/v2/") {
			continue
		}
		target := z.URL + rr.Path
		if rr.Query != "" {
			target += "?" + rr.Query
		}
		r, err := http.NewRequest(rr.Method, target, strings.NewReader(rr.Body))
		if err != nil {
			z.tb.Fatal(err)
		}
		r.Header = rr.Header.Clone()
		if err := v.ValidateRequest(r, []byte(rr.Body)); err != nil {
			z.tb.Errorf("%s %s does not validate against ZoomMeetingAPISpec.json: %v", rr.Method, rr.Path, err)
		}
		n++
	}
	return n
}

func allDone(ds []zoomemu.WebhookDelivery) bool {
	for _, d := range ds {
		if !d.Done {
			return false
		}
	}
	return true
}
