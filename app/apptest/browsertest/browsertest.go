// Package browsertest drives the real application in headless Chromium
// for tests: one Chromium per test binary with the flags every browser
// test needs, a tab with a profile of its own per test, the sign-in walk,
// and a wait for conditions the page reaches on its own.
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

// The tests of one binary share one Chromium: starting Chromium costs
// more than most tests' own steps, and a browser context of its own per
// tab keeps each test's cookies, storage and cache apart as a fresh
// profile would. Run starts the binary's tests and stops the browser
// after them.
var shared struct {
	mu      sync.Mutex
	running bool // inside Run
	ctx     context.Context
	err     error
	stop    func()
}

// Run runs the package's tests and then stops the Chromium they shared.
// A package with browser tests calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Run(m)) }
func Run(m *testing.M) int {
	shared.mu.Lock()
	shared.running = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.stop != nil {
		shared.stop()
	}
	shared.running, shared.ctx, shared.err, shared.stop = false, nil, nil, nil
	return code
}

// baseOptions are the flags every browser test needs.
func baseOptions(path string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
}

// sharedBrowser returns the binary's Chromium, started on first use.
func sharedBrowser(tb testing.TB, path string) context.Context {
	tb.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.running {
		tb.Fatal("browsertest: the package's TestMain must run its tests through browsertest.Run, which stops the shared Chromium")
	}
	if shared.ctx == nil && shared.err == nil {
		// Not the test's context: the browser outlives the test that
		// happens to start it.
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), baseOptions(path)...)
		ctx, cancelCtx := chromedp.NewContext(actx)
		if err := chromedp.Do(ctx); err != nil {
			cancelCtx()
			cancelAlloc()
			shared.err = err
		} else {
			shared.ctx = ctx
			shared.stop = func() {
				stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_ = chromedp.Cancel(stopCtx)
				cancel()
				cancelCtx()
				cancelAlloc()
			}
		}
	}
	if shared.err != nil {
		tb.Fatalf("start chromium: %v", shared.err)
	}
	return shared.ctx
}

// New opens a tab with an empty profile of its own (cookies, storage,
// cache) in the shared Chromium. Extra options, being command-line flags,
// start a Chromium of the test's own instead.
func New(tb testing.TB, extra ...chromedp.ExecAllocatorOption) *Browser {
	tb.Helper()
	path := chromiumPath(tb)
	holdSlot(tb)
	var ctx context.Context
	var cancels []context.CancelFunc
	if len(extra) == 0 {
		var cancel context.CancelFunc
		ctx, cancel = chromedp.NewContext(sharedBrowser(tb, path), chromedp.WithNewBrowserContext())
		cancels = append(cancels, cancel)
	} else {
		opts := append(baseOptions(path), chromedp.UserDataDir(tb.TempDir()))
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
		var cancelCtx context.CancelFunc
		ctx, cancelCtx = chromedp.NewContext(actx)
		cancels = append(cancels, cancelAlloc, cancelCtx)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	cancels = append(cancels, cancelTimeout)
	tb.Cleanup(func() {
		for i := len(cancels) - 1; i >= 0; i-- {
			cancels[i]()
		}
	})
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
