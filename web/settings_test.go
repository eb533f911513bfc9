package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/store"
)

// Changing the password signs out every other session of the user (not
// the one that changed it) and, when asked, revokes the API tokens.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	laptop := a.SignIn(t, "sam@example.com")
	phone := a.SignIn(t, "sam@example.com")
	other := a.SignIn(t, "admin@example.com")
	created := laptop.PostForm("/settings/tokens", url.Values{"name": {"ATS sync"}})
	m := regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(created.Body)
	if m == nil {
		t.Fatalf("no token shown: %d", created.StatusCode)
	}
	token := m[1]
	if res := laptop.Get("/settings"); !strings.Contains(res.Body, `name="revoke_tokens"`) {
		t.Fatal("the settings page does not offer to revoke API tokens")
	}
	res := laptop.PostForm("/settings/password", url.Values{"current": {apptest.DemoPassword}, "password": {"a brand new password"},
		"password_confirm": {"a brand new password"}, "revoke_tokens": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d %s", res.StatusCode, res.Body)
	}
	if res := laptop.Get("/settings"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "1 other session was signed out") || !strings.Contains(res.Body, "1 API token was revoked") {
		t.Fatalf("the session that changed the password: %d, flash missing", res.StatusCode)
	}
	if res := phone.Get("/settings"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another session of the user after the change: %d, want a redirect to sign in", res.StatusCode)
	}
	if res := other.Get("/settings"); res.StatusCode != http.StatusOK {
		t.Fatalf("another user's session: %d, want 200", res.StatusCode)
	}
	api := a.NewClient(t)
	if res := api.Do(http.MethodGet, "/api/v1/me", nil, http.Header{"Authorization": {"Bearer " + token}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked API token: %d, want 401", res.StatusCode)
	}
}

// The current-password check on the settings page is throttled like
// sign-in: a session left open is no oracle for the password.
func TestCurrentPasswordCheckIsThrottled(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "sam@example.com")
	for i := 0; i < store.ClientFreeFailures; i++ {
		res := c.PostForm("/settings/password", url.Values{"current": {"guess " + itoa(int64(i))}, "password": {"a brand new password"}, "password_confirm": {"a brand new password"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i, res.StatusCode)
		}
	}
	res := c.PostForm("/settings/password", url.Values{"current": {apptest.DemoPassword}, "password": {"a brand new password"}, "password_confirm": {"a brand new password"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many failed attempts") {
		t.Fatalf("after %d wrong current passwords: %d, want 429", store.ClientFreeFailures, res.StatusCode)
	}
	if _, hash, _ := a.DB.GetUserForSignIn(t.Context(), "sam@example.com"); a.Web.PasswordVerify(apptest.DemoPassword, hash) != nil {
		t.Fatal("the throttled request changed the password")
	}
}
