package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
)

// chromiumPath finds Chromium. Without it, browser tests skip loudly on a
// developer's machine but fail in CI, where .ci/run installs it.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	for _, p := range []string{os.Getenv("IP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("Chromium is not installed: browser tests cannot run in CI (.ci/run installs Debian's chromium)")
	}
	tb.Skip("!!! SKIPPING BROWSER TEST: Chromium not found (apt-get install chromium) !!!")
	return ""
}

// Browser is a headless Chromium tab bound to the test's lifetime.
type Browser struct {
	tb  testing.TB
	Ctx context.Context
}

// NewBrowser starts a fresh headless Chromium with an empty profile;
// extra options add command-line flags.
func NewBrowser(tb testing.TB, extra ...chromedp.ExecAllocatorOption) *Browser {
	tb.Helper()
	path := chromiumPath(tb)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	tb.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return &Browser{tb: tb, Ctx: ctx}
}

// Do runs actions in order and fails the test on error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.tb.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.tb.Fatalf("browser: %v", err)
	}
}

// Get runs one action that returns a value.
func Get[T any](b *Browser, a chromedp.Action[T]) T {
	b.tb.Helper()
	v, err := chromedp.Run(b.Ctx, a)
	if err != nil {
		b.tb.Fatalf("browser: %v", err)
	}
	return v
}

// SignIn signs in through the sign-in page.
func (b *Browser) SignIn(baseURL, email string) {
	b.tb.Helper()
	b.Do(
		chromedp.Navigate(baseURL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main`)),
	)
}

// Text returns the visible text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.tb.Helper()
	return Get(b, chromedp.Text(chromedp.CSS(sel)))
}

// Screenshot saves a full-page PNG when IP_SCREENSHOTS names a directory;
// the README's pictures are made this way.
func (b *Browser) Screenshot(name string) {
	dir := os.Getenv("IP_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := Get(b, chromedp.FullScreenshot(100))
	_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

func TestBrowserSignInShowsNavigation(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	b := NewBrowser(t)
	b.Do(chromedp.Navigate(a.URL + "/"))
	title := Get(b, chromedp.Title())
	if !strings.Contains(title, "Sign in") {
		t.Fatalf("anonymous visitor sees %q, want the sign-in page", title)
	}
	b.Screenshot("signin")
	b.SignIn(a.URL, "admin@example.com")
	nav := b.Text(`nav.main`)
	for _, want := range []string{"Home", "Users", "Audit log"} {
		if !strings.Contains(nav, want) {
			t.Errorf("navigation %q lacks %q", nav, want)
		}
	}
	if h := b.Text("h1"); !strings.Contains(h, "Ada Lovelace") {
		t.Errorf("home heading = %q", h)
	}
	b.Do(chromedp.Click(chromedp.CSS(`nav.main a[href="/users"]`)), chromedp.WaitVisible(chromedp.CSS(`table`)))
	if body := b.Text("table"); !strings.Contains(body, "priya@example.com") {
		t.Errorf("users table lacks the demo interviewers")
	}
	b.Screenshot("users")
	// A wrong password in a fresh browser shows the error on the page.
	c := NewBrowser(t)
	c.Do(
		chromedp.Navigate(a.URL+"/signin"),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "admin@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "not the password"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert.error`)),
	)
	if msg := c.Text(".alert.error"); !strings.Contains(msg, "do not match") {
		t.Errorf("error message = %q", msg)
	}
}
