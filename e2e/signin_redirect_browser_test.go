package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// The return path after sign-in stays on this site, whatever a link or a
// crafted form puts in it: the browser, not just the server's answer, must
// land here. evil.example resolves to a loopback server that marks its
// page, so an escape would show.
func TestBrowserSignInNextStaysOnSite(t *testing.T) {
	t.Parallel()
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>evil</title><h1 id="evil">evil</h1>`)
	}))
	t.Cleanup(evil.Close)
	evilPort := evil.Listener.Addr().(*net.TCPAddr).Port
	a := apptest.Start(t, apptest.Options{})
	base := a.URL

	// The server answers every off-site next with a redirect home
	// (web.TestSignInNextStaysOnSite checks the whole list over HTTP);
	// here Chromium follows the ones browsers read differently from Go:
	// a leading //, a backslash, a tab, an escaped backslash.
	payloads := []string{
		`//evil.example/users`,
		`/\evil.example`,
		"/\t/evil.example/",
		`/%5Cevil.example`,
	}
	b := browsertest.New(t,
		chromedp.Flag("host-resolver-rules", fmt.Sprintf("MAP evil.example 127.0.0.1:%d", evilPort)),
		chromedp.Flag("disable-features", "HttpsUpgrades"))
	for _, p := range payloads {
		got := signInWithNext(b, base, p)
		if got != base+"/" {
			t.Errorf("next=%q: the browser landed on %s, want %s/", p, got, base)
		}
		// Signed in, the sign-in page redirects straight to next.
		b.Do(chromedp.Navigate(base + "/signin?next=" + url.QueryEscape(p)))
		b.Do(chromedp.WaitVisible(chromedp.CSS(`nav.main, #evil`)))
		if got := browsertest.Get(b, chromedp.Location()); got != base+"/" {
			t.Errorf("signed in, /signin?next=%q: the browser landed on %s, want %s/", p, got, base)
		}
		signOut(b, base)
	}
	// A real path on this site is kept.
	if got := signInWithNext(b, base, "/users?x=1"); got != base+"/users?x=1" {
		t.Errorf("next=/users?x=1: landed on %s", got)
	}
}

// signInWithNext opens the sign-in page with next in its link, then puts
// the raw payload in the form's hidden field too (as a crafted page
// would), signs in and returns where the browser ends up.
func signInWithNext(b *browsertest.Browser, base, next string) string {
	b.TB.Helper()
	raw, _ := json.Marshal(next)
	b.Do(
		chromedp.Navigate(base+"/signin?next="+url.QueryEscape(next)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)
	browsertest.Get(b, chromedp.Evaluate[bool](`(document.querySelector('input[name=next]').value = `+string(raw)+`, true)`))
	b.Do(
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), "admin@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), apptest.DemoPassword),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main, #evil`)),
	)
	return browsertest.Get(b, chromedp.Location())
}

// signOut signs out from the home page.
func signOut(b *browsertest.Browser, base string) {
	b.TB.Helper()
	b.Do(
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
	)
}
