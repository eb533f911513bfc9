// Package browsertest drives the real application in headless Chromium
// for tests: one launcher with the flags every browser test needs, the
// sign-in walk, and a wait for conditions the page reaches on its own.
// Without Chromium a test skips loudly on a developer's machine and fails
// under CI=true, where .ci/run installs it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
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
	TB  testing.TB
	Ctx context.Context
}

// browsers bounds the tests of one test binary that use Chromium at once:
// parallel browser tests overlap their waits without starving each other
// (and their applications) of CPU. A test takes one slot, however many
// windows it opens, so tests never wait on each other's second window.
var (
	browsers = make(chan struct{}, 2)
	holdMu   sync.Mutex
	holders  = map[testing.TB]bool{}
)

// holdSlot waits for a slot for tb, unless tb holds one already, and
// gives it back when tb ends.
func holdSlot(tb testing.TB) {
	holdMu.Lock()
	held := holders[tb]
	holders[tb] = true
	holdMu.Unlock()
	if held {
		return
	}
	browsers <- struct{}{}
	tb.Cleanup(func() {
		holdMu.Lock()
		delete(holders, tb)
		holdMu.Unlock()
		<-browsers
	})
}

// New starts a fresh headless Chromium with an empty profile;
// extra options add command-line flags.
func New(tb testing.TB, extra ...chromedp.ExecAllocatorOption) *Browser {
	tb.Helper()
	path := chromiumPath(tb)
	holdSlot(tb)
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
	return &Browser{TB: tb, Ctx: ctx}
}

// Do runs actions in order and fails the test on error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.TB.Helper()
	if err := chromedp.Do(b.Ctx, actions...); err != nil {
		b.TB.Fatalf("browser: %v", err)
	}
}

// Get runs one action that returns a value.
func Get[T any](b *Browser, a chromedp.Action[T]) T {
	b.TB.Helper()
	v, err := chromedp.Run(b.Ctx, a)
	if err != nil {
		b.TB.Fatalf("browser: %v", err)
	}
	return v
}

// Follow clicks a link or a submit button matching sel and waits until
// the page it leads to has loaded, so the next step never queries the
// old document while it is being replaced.
func (b *Browser) Follow(sel string) {
	b.TB.Helper()
	if _, err := chromedp.RunResponse(b.Ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.TB.Fatalf("browser: follow %s: %v", sel, err)
	}
}

// SignIn signs in through the sign-in page.
func (b *Browser) SignIn(baseURL, email string) {
	b.TB.Helper()
	b.Do(
		chromedp.Navigate(baseURL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
	)
	b.Follow(`form button[type=submit]`)
	b.Do(chromedp.WaitVisible(chromedp.CSS(`header.top`)))
}

// Text returns the visible text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.TB.Helper()
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
