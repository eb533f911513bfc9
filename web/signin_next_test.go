package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"interviewplanner/app/apptest"
)

// offSiteNext are values of the sign-in page's next parameter that a
// browser, or http.Redirect's cleaning, could turn into another site.
var offSiteNext = []string{
	`//evil.example`,
	`//evil.example/users`,
	`/\evil.example`,
	`/\/evil.example`,
	`/./\evil.example/`,
	`/.//evil.example/`,
	`/%09/evil.example/`,
	"/\t/evil.example/",
	"/\n/evil.example/",
	`/%0d%0a/evil.example/`,
	`/%00/evil.example/`,
	`/%5Cevil.example`,
	`/%2F%2Fevil.example`,
	`http://evil.example/`,
	`https:evil.example`,
	`javascript:alert(1)`,
	`evil.example`,
	` //evil.example`,
}

// Signing in with an off-site next, or opening the sign-in page signed
// in, redirects home: the Location is exactly "/", so no browser's
// reading of it can leave the site. (e2e walks some of these in Chromium.)
func TestSignInNextStaysOnSite(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	for _, next := range offSiteNext {
		c := a.NewClient(t)
		res := c.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}, "next": {next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("sign in with next=%q: %d Location %q, want 303 to /", next, res.StatusCode, res.Header.Get("Location"))
		}
		res = c.Get("/signin?next=" + url.QueryEscape(next))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("signed in, /signin?next=%q: %d Location %q, want 303 to /", next, res.StatusCode, res.Header.Get("Location"))
		}
	}
	// A real path on this site is kept.
	c := a.NewClient(t)
	res := c.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}, "next": {"/users?x=1"}})
	if got := res.Header.Get("Location"); got != "/users?x=1" {
		t.Errorf("next=/users?x=1: Location %q", got)
	}
}
