package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// A NUL character or invalid UTF-8 in any text field, form or JSON, gets
// a 422 with a clear message on both databases, and changes nothing.
func TestNULAndInvalidUTF8AreRefused(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	priya := itoa(mustUserID(t, a, "priya@example.com"))
	for _, bad := range []string{"Ada\x00Lovelace", "Ada \xc0 Lovelace", "\x00"} {
		forms := []struct {
			path string
			v    url.Values
		}{
			{"/settings/profile", url.Values{"name": {bad}, "time_zone": {"UTC"}}},
			{"/settings/profile", url.Values{"name": {"Ada Lovelace"}, "time_zone": {bad}}},
			{"/jobs", url.Values{"title": {bad}}},
			{"/candidates", url.Values{"name": {"Kim"}, "email": {"kim@example.org"}, "phone": {bad}, "time_zone": {"UTC"}}},
			{"/candidates", url.Values{"name": {bad}, "email": {"kim@example.org"}, "time_zone": {"UTC"}}},
			{"/users/invitations", url.Values{"email": {"x@example.org"}, "role": {bad}}},
			{"/settings/tokens", url.Values{"name": {bad}}},
		}
		for _, f := range forms {
			res := admin.PostForm(f.path, f.v)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "NUL characters or invalid UTF-8") {
				t.Errorf("POST %s with %q: %d, want 422 with a clear message", f.path, bad, res.StatusCode)
			}
		}
		quoted := strings.ReplaceAll(strings.ReplaceAll(bad, "\x00", `\u0000`), "\xc0", "\xc0")
		apis := []struct{ method, path, body string }{
			{http.MethodPatch, "/api/v1/users/" + priya, `{"role":"` + quoted + `"}`},
			{http.MethodPost, "/api/v1/jobs", `{"title":"` + quoted + `"}`},
			{http.MethodPost, "/api/v1/candidates", `{"name":"Kim","email":"kim@example.org","phone":"` + quoted + `","time_zone":"UTC"}`},
			{http.MethodPost, "/api/v1/invitations", `{"email":"x@example.org","role":"` + quoted + `"}`},
		}
		for _, c := range apis {
			res := admin.JSON(c.method, c.path, c.body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "NUL characters or invalid UTF-8") {
				t.Errorf("%s %s with %q: %d %s, want 422 with a clear message", c.method, c.path, bad, res.StatusCode, res.Body)
			}
		}
		if res := admin.Get("/candidates?q=" + url.QueryEscape(bad)); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("GET /candidates?q=%q: %d, want 422", bad, res.StatusCode)
		}
	}
	if u, _, err := a.DB.GetUserForSignIn(t.Context(), "admin@example.com"); err != nil || u.Name != "Ada Lovelace" {
		t.Fatalf("the admin's name changed: %q, %v", u.Name, err)
	}
	if res := admin.JSON(http.MethodGet, "/api/v1/jobs", ""); strings.Contains(res.Body, `\u0000`) || strings.Contains(res.Body, "\ufffd") {
		t.Fatal("a job with bad text was stored")
	}
}

func mustUserID(t *testing.T, a *apptest.App, email string) int64 {
	t.Helper()
	u, _, err := a.DB.GetUserForSignIn(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
