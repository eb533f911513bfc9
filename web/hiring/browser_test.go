package hiring_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
)

// newBrowser starts headless Chromium, or skips when it is not installed
// (CI installs it; see e2e for the shared rules).
func newBrowser(tb testing.TB) context.Context {
	tb.Helper()
	path := ""
	for _, p := range []string{os.Getenv("IP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); p != "" && err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("Chromium is not installed")
		}
		tb.Skip("!!! SKIPPING BROWSER TEST: Chromium not found !!!")
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(tb.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	tb.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func TestBrowserSchedulesZoomInterviewAndOpensItinerary(t *testing.T) {
	z := startZoom(t)
	ctx := newBrowser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("browser: %s: %v", sel, err)
		}
		return v
	}
	do(
		chromedp.Navigate(z.a.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "sam@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main`)),
		chromedp.Navigate(fmt.Sprintf("%s/candidates/%d", z.a.URL, z.d.candidateID)),
		chromedp.Click(chromedp.CSS(`a[href$="/schedule"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#video-toggle`)),
		chromedp.Click(chromedp.CSS(`input[name=accept]`)),
		chromedp.Click(chromedp.CSS(`button[value=confirm]`)),
		chromedp.WaitVisible(chromedp.CSS(`#items`)),
	)
	// The meeting is created in the background; reload until its link shows.
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(text(`#items`), "Created") {
		if time.Now().After(deadline) {
			t.Fatalf("meeting not created; the schedule shows %q", text(`#items`))
		}
		time.Sleep(300 * time.Millisecond)
		do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#items`)))
	}
	join := text(`#items a.join`)
	link := text(`#itinerary-link`)
	do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.itinerary-item`)))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.itinerary-item a.join`), "href"))
	if err != nil || href.Value != join {
		t.Fatalf("itinerary join link %q (%v), want %q", href.Value, err, join)
	}
	if ms := z.meetings(t); len(ms) != 1 || ms[0].JoinURL != join {
		t.Fatalf("Zoom holds %+v, want one meeting with %s", ms, join)
	}
}
