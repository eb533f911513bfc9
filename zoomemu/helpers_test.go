package zoomemu_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/zoomemu"
	"interviewplanner/zoomemu/zoomemutest"
	"interviewplanner/zoomspec"
)

const (
	clientID      = "ipClientID123"
	clientSecret  = "ipClientSecret456"
	redirectURL   = "http://app.test/integrations/zoom/callback"
	webhookSecret = "whSecretToken789"
)

// clock is a manual clock so that expiry and rate-limit windows are exact.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// receiver is the app's deauthorization endpoint as a test sees it.
type receiver struct {
	mu       sync.Mutex
	srv      *httptest.Server
	got      []received
	statuses []int // answers in order; then 200
	answer   func(body []byte) (int, []byte)
}

type received struct {
	header http.Header
	body   []byte
}

func startReceiver(tb testing.TB) *receiver {
	tb.Helper()
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.Header.Clone(), body})
		status := http.StatusOK
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		answer := rc.answer
		rc.mu.Unlock()
		if answer != nil {
			st, b := answer(body)
			w.WriteHeader(st)
			_, _ = w.Write(b)
			return
		}
		w.WriteHeader(status)
	}))
	tb.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

type env struct {
	*zoomemutest.Server
	clock   *clock
	recv    *receiver
	account string
	users   map[string]zoomemu.User // by email
	spec    *zoomspec.Validator
}

// MustStart runs an emulator with the demo account seeded.
func MustStart(tb testing.TB, mutate ...func(*zoomemu.Config)) *env {
	tb.Helper()
	c := newClock()
	rc := startReceiver(tb)
	cfg := zoomemu.Config{
		ClientID: clientID, ClientSecret: clientSecret,
		RedirectURLs:       []string{redirectURL},
		WebhookSecret:      webhookSecret,
		DeauthorizationURL: rc.srv.URL + "/integrations/zoom/deauthorize",
		WebhookRetryDelays: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond},
		Now:                c.Now,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	srv := zoomemutest.Start(tb, cfg)
	acct := srv.SeedDemo(zoomemu.Demo{Members: []zoomemu.UserSpec{{Email: "ines@example.com", FirstName: "Ines", LastName: "Duarte", Timezone: "Europe/Lisbon"}}})
	users := map[string]zoomemu.User{}
	for _, u := range srv.Users(acct) {
		users[u.Email] = u
	}
	spec, err := zoomspec.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return &env{Server: srv, clock: c, recv: rc, account: acct, users: users, spec: spec}
}

// browser is a user agent with a cookie jar that does not follow redirects.
func (e *env) browser(tb testing.TB) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		tb.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

func do(tb testing.TB, c *http.Client, req *http.Request) resp {
	tb.Helper()
	res, err := c.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, b}
}

func (e *env) postForm(tb testing.TB, c *http.Client, path string, form url.Values) resp {
	tb.Helper()
	req, _ := http.NewRequestWithContext(tb.Context(), http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(tb, c, req)
}

func (e *env) get(tb testing.TB, c *http.Client, path string) resp {
	tb.Helper()
	req, _ := http.NewRequestWithContext(tb.Context(), http.MethodGet, e.URL+path, nil)
	return do(tb, c, req)
}

// signIn signs the browser in to Zoom as the user with email.
func (e *env) signIn(tb testing.TB, c *http.Client, email string) {
	tb.Helper()
	u, ok := e.users[email]
	if !ok {
		tb.Fatalf("no demo user %s", email)
	}
	r := e.postForm(tb, c, "/signin", url.Values{"user_id": {u.ID}, "next": {"/"}})
	if r.status != http.StatusSeeOther {
		tb.Fatalf("sign in: %d %s", r.status, r.body)
	}
}

func authorizeQuery(extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURL}, "state": {"st-123"}}
	for k, v := range extra {
		q[k] = v
	}
	return q.Encode()
}

// allow submits Allow on the authorize page and returns the redirect.
func (e *env) allow(tb testing.TB, c *http.Client, extra url.Values) resp {
	tb.Helper()
	form := url.Values{"client_id": {clientID}, "redirect_uri": {redirectURL}, "state": {"st-123"}, "decision": {"allow"}}
	for k, v := range extra {
		form[k] = v
	}
	return e.postForm(tb, c, "/oauth/authorize", form)
}

// MustCode authorizes as email and returns the code.
func (e *env) MustCode(tb testing.TB, email string, extra url.Values) string {
	tb.Helper()
	c := e.browser(tb)
	e.signIn(tb, c, email)
	r := e.allow(tb, c, extra)
	if r.status != http.StatusFound {
		tb.Fatalf("allow: %d %s", r.status, r.body)
	}
	loc, _ := url.Parse(r.header.Get("Location"))
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != "st-123" {
		tb.Fatalf("redirect %s lacks code or state", loc)
	}
	return code
}

func (e *env) token(tb testing.TB, form url.Values, basic bool) resp {
	tb.Helper()
	req, _ := http.NewRequestWithContext(tb.Context(), http.MethodPost, e.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(clientID, clientSecret)
	}
	return do(tb, http.DefaultClient, req)
}

type tokens struct {
	Access, Refresh string
}

func (e *env) MustExchange(tb testing.TB, code string, extra url.Values) tokens {
	tb.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}
	for k, v := range extra {
		form[k] = v
	}
	r := e.token(tb, form, true)
	if r.status != http.StatusOK {
		tb.Fatalf("token: %d %s", r.status, r.body)
	}
	m := r.json(tb)
	return tokens{m["access_token"].(string), m["refresh_token"].(string)}
}

// MustConnect authorizes as the Owner and returns tokens.
func (e *env) MustConnect(tb testing.TB) tokens {
	tb.Helper()
	return e.MustExchange(tb, e.MustCode(tb, "admin@example.com", nil), nil)
}

// call makes a REST call and validates request and response against Zoom's
// description; any mismatch fails the test.
func (e *env) call(tb testing.TB, access, method, path string, body any) resp {
	tb.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	return e.callRaw(tb, access, method, path, "application/json", raw, true)
}

func (e *env) callRaw(tb testing.TB, access, method, path, contentType string, raw []byte, validate bool) resp {
	tb.Helper()
	req, _ := http.NewRequestWithContext(tb.Context(), method, e.URL+path, bytes.NewReader(raw))
	if raw != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if access != "" {
		req.Header.Set("Authorization", "Bearer "+access)
	}
	r := do(tb, http.DefaultClient, req)
	if validate {
		e.MustValidResponse(tb, req, r)
	}
	return r
}

// MustValidResponse checks a /v2 response against the description.
func (e *env) MustValidResponse(tb testing.TB, req *http.Request, r resp) {
	tb.Helper()
	if err := e.spec.ValidateResponse(req, r.status, r.header, r.body); err != nil {
		tb.Errorf("%s %s -> %d %s: response does not match Zoom's description: %v", req.Method, req.URL.Path, r.status, r.body, err)
	}
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// num reads a JSON number field as int64.
func num(tb testing.TB, m map[string]any, key string) int64 {
	tb.Helper()
	n, ok := m[key].(json.Number)
	if !ok {
		tb.Fatalf("%s is %T (%v), want a number", key, m[key], m[key])
	}
	i, err := n.Int64()
	if err != nil {
		tb.Fatalf("%s = %s: %v", key, n, err)
	}
	return i
}

// waitFor polls cond; webhook deliveries happen in the background.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
