package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

func TestBrowserSignInShowsNavigation(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	b := browsertest.New(t)
	b.Do(chromedp.Navigate(a.URL + "/"))
	title := browsertest.Get(b, chromedp.Title())
	if !strings.Contains(title, "Sign in") {
		t.Fatalf("anonymous visitor sees %q, want the sign-in page", title)
	}
	b.Screenshot("signin")
	b.SignIn(a.URL, "admin@example.com")
	// The Admin menu's entries are in the bar, folded until it opens.
	nav := browsertest.Get(b, chromedp.TextContent(chromedp.CSS(`nav.main`)))
	for _, want := range []string{"Home", "Users", "Audit log"} {
		if !strings.Contains(nav, want) {
			t.Errorf("navigation %q lacks %q", nav, want)
		}
	}
	if h := b.Text("h1"); !strings.Contains(h, "Ada Lovelace") {
		t.Errorf("home heading = %q", h)
	}
	// Users sits in the Admin menu, which opens on a click.
	b.Do(chromedp.Click(chromedp.CSS(`nav.main details.navmenu summary`)),
		chromedp.WaitVisible(chromedp.CSS(`nav.main a[href="/users"]`)))
	b.Follow(`nav.main a[href="/users"]`)
	b.Do(chromedp.WaitVisible(chromedp.CSS(`table`)))
	if body := b.Text("table"); !strings.Contains(body, "priya@example.com") {
		t.Errorf("users table lacks the demo interviewers")
	}
	b.Screenshot("users")
	// A wrong password in a fresh browser shows the error on the page.
	c := browsertest.New(t)
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
