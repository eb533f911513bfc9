// Package apptest boots the real application on a loopback port with a
// fresh database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set) and
// gives tests an HTTP client that signs in like a browser.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
	"interviewplanner/password"
	"interviewplanner/store/storetest"
)

// DemoPassword is the demo users' password in tests.
const DemoPassword = "demo-password-123"

// App is a running application.
type App struct {
	*app.Main
	URL string
}

// Options adjust the configuration before the app opens.
type Options struct {
	// Configure may change the parsed configuration.
	Configure func(c *config.Config)
	// Env adds environment variables (IP_*) as the command would read them.
	Env map[string]string
	// NoDemo turns demo data off.
	NoDemo bool
	// PasswordParams replaces the cheap test cost of argon2id, for tests
	// that measure the cost of a check.
	PasswordParams *password.Params
	// JobRetryBase, when set, is the first delay before a failed job is
	// retried (doubling), for tests that make Zoom fail on purpose.
	JobRetryBase time.Duration
}

// Start boots the application and stops it at the end of the test.
func Start(tb testing.TB, opts Options) *App {
	tb.Helper()
	env := map[string]string{
		"IP_ADDR":          "127.0.0.1:0",
		"IP_DATA_DIR":      storetest.DataDir(tb),
		"IP_DEMO_PASSWORD": DemoPassword,
		"IP_LOG_LEVEL":     "warn",
		"IP_SHUTDOWN_WAIT": "5s",
		"DATABASE_URL":     storetest.MigratedURL(tb),
	}
	if opts.NoDemo {
		env["IP_DEMO"] = "false"
	}
	// The demo interviewers' calendars cover the next 90 days only: tests
	// booking in 2030 would find them unknown. Tests of the demo calendars
	// set IP_DEMO_CALENDARS=true.
	env["IP_DEMO_CALENDARS"] = "false"
	for k, v := range opts.Env {
		env[k] = v
	}
	fs := flagSet()
	cfg, _, err := config.Parse(fs, nil, func(k string) string { return env[k] })
	if err != nil {
		tb.Fatalf("apptest: config: %v", err)
	}
	if opts.Configure != nil {
		opts.Configure(cfg)
	}
	var logOut io.Writer = io.Discard
	if os.Getenv("IP_TEST_LOG") != "" {
		logOut = os.Stderr
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})))
	// Cheap argon2id parameters: same code path, test-sized cost.
	m.PasswordParams = password.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32}
	if opts.PasswordParams != nil {
		m.PasswordParams = *opts.PasswordParams
	}
	m.JobRetryBase = opts.JobRetryBase
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Listen(); err != nil {
		tb.Fatalf("apptest: %v", err)
	}
	if err := m.Open(ctx); err != nil {
		cancel()
		m.Close()
		tb.Fatalf("apptest: open: %v", err)
	}
	m.Web.Sleep = func(time.Duration) {}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("apptest: run: %v", err)
		}
		m.Close()
	})
	return &App{Main: m, URL: m.URL()}
}

// Client is a browser-like HTTP client: cookies, no automatic redirects,
// and the Origin header a same-site form post carries.
type Client struct {
	tb   testing.TB
	base string
	HTTP *http.Client
}

// NewClient returns a client for a.
func (a *App) NewClient(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	// A transport of its own, closed before the app stops: a connection the
	// transport dialed but never used would otherwise hold the server's
	// graceful shutdown for five seconds.
	// The timeout only stops a hung request: Zoom's callback syncs the
	// directory, which under the race detector beside parallel tests
	// takes longer than a person would wait.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tb.Cleanup(tr.CloseIdleConnections)
	return &Client{tb: tb, base: "http://" + a.Addr(), HTTP: &http.Client{Jar: jar, Timeout: 90 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// SignIn signs in and fails the test unless it works.
func (a *App) SignIn(tb testing.TB, email string) *Client {
	tb.Helper()
	c := a.NewClient(tb)
	res := c.PostForm("/signin", url.Values{"email": {email}, "password": {DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d: %s", email, res.StatusCode, res.Body)
	}
	return c
}

// Response is a read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// Do sends a request with a same-origin Origin header for unsafe methods.
func (c *Client) Do(method, path string, body io.Reader, header http.Header) Response {
	c.tb.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if method != http.MethodGet && method != http.MethodHead && req.Header.Get("Origin") == "" {
		req.Header.Set("Origin", c.base)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) Response {
	c.tb.Helper()
	return c.Do(http.MethodGet, path, nil, nil)
}

// PostForm posts a form.
func (c *Client) PostForm(path string, v url.Values) Response {
	c.tb.Helper()
	return c.Do(http.MethodPost, path, strings.NewReader(v.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// JSON sends a JSON body.
func (c *Client) JSON(method, path, body string) Response {
	c.tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return c.Do(method, path, r, http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}})
}

// WaitFor polls cond until it holds, failing the test after a minute with
// what it was waiting for. For state the application reaches on its own (a
// background job, a page the browser is loading); browser actions wait
// with chromedp.WaitVisible instead.
func WaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
