package apptest

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// ConnectZoom connects the account of c, a signed-in admin, to the demo's
// built-in Zoom emulator the way a person does: Connect in the app, sign
// in to Zoom as zoomEmail in a browser of its own, press Allow on Zoom's
// consent page, and follow the redirect back to the app's callback. The
// app must run the emulator (IP_ZOOM_EMULATOR_ADDR=127.0.0.1:0 in tests).
func (a *App) ConnectZoom(tb testing.TB, c *Client, zoomEmail string) {
	tb.Helper()
	userID := a.zoomUserID(tb, zoomEmail)
	start := c.PostForm("/integrations/zoom/authorize", url.Values{})
	if start.StatusCode != http.StatusSeeOther {
		tb.Fatalf("apptest: authorize: %d %s", start.StatusCode, start.Body)
	}
	back := AllowZoom(tb, a.Main.Zoom.AuthURL, start.Header.Get("Location"), userID)
	if done := c.Get(back.RequestURI()); done.StatusCode >= 400 {
		tb.Fatalf("apptest: callback: %d %s", done.StatusCode, done.Body)
	}
}

// AllowZoom plays the person on Zoom's side of the connect walk: in a
// browser of its own it signs in to the Zoom emulator at emu as the user
// userID, opens authorizeURL (where the app's Connect redirected) and
// presses Allow. It returns the app's callback URL Zoom redirected back
// to, with its code, for the app's own client to follow.
func AllowZoom(tb testing.TB, emu, authorizeURL, userID string) *url.URL {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	read := func(res *http.Response, err error) (*http.Response, string) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("apptest: Zoom: %v", err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	read(browser.PostForm(emu+"/signin", url.Values{"user_id": {userID}, "next": {"/"}}))
	_, page := read(browser.Get(authorizeURL))
	form := url.Values{"decision": {"allow"}}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	back, _ := read(browser.PostForm(emu+"/oauth/authorize", form))
	loc, _ := url.Parse(back.Header.Get("Location"))
	if loc == nil || loc.Query().Get("code") == "" {
		tb.Fatalf("apptest: Zoom did not redirect back with a code: %d %s", back.StatusCode, back.Header.Get("Location"))
	}
	return loc
}

// zoomUserID finds the emulator's user with email through its control API.
func (a *App) zoomUserID(tb testing.TB, email string) string {
	tb.Helper()
	res, err := http.Get(a.Main.Zoom.AuthURL + "/_emulator/accounts")
	if err != nil {
		tb.Fatalf("apptest: Zoom emulator: %v", err)
	}
	defer res.Body.Close()
	var accts []struct {
		Users []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	if err := json.NewDecoder(res.Body).Decode(&accts); err != nil {
		tb.Fatalf("apptest: Zoom emulator accounts: %v", err)
	}
	for _, ac := range accts {
		for _, u := range ac.Users {
			if u.Email == email {
				return u.ID
			}
		}
	}
	tb.Fatalf("apptest: the Zoom emulator has no user %s", email)
	return ""
}
