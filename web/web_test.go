package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
)

func TestSignInAndNavigation(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	anon := a.NewClient(t)
	if res := anon.Get("/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin" {
		t.Fatalf("anonymous / = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := anon.Get("/users"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
		t.Fatalf("anonymous /users = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	admin := a.SignIn(t, "admin@example.com")
	home := admin.Get("/")
	for _, want := range []string{"Welcome, Ada Lovelace", `href="/users"`, `href="/audit"`, "Sign out"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("admin home lacks %q", want)
		}
	}
	interviewer := a.SignIn(t, "priya@example.com")
	home = interviewer.Get("/")
	if strings.Contains(home.Body, `href="/users"`) {
		t.Error("interviewer sees the Users navigation")
	}
	if res := interviewer.Get("/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("interviewer /users = %d, want 403", res.StatusCode)
	}
	// Sign out ends the session server-side.
	if res := admin.PostForm("/signout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signout = %d", res.StatusCode)
	}
	if res := admin.Get("/users"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after sign-out /users = %d, want redirect", res.StatusCode)
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.NewClient(t)
	res := c.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}})
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"ip_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Error("Secure cookie over plain http would never come back")
	}
	// Over HTTPS the cookie is Secure.
	b := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_BASE_URL": "https://interviews.example.com"}})
	res = b.NewClient(t).Do(http.MethodPost, "/signin", strings.NewReader(url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
	if c := res.Header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
		t.Errorf("https session cookie %q is not Secure", c)
	}
	// A new session at every sign-in (no fixation).
	first := a.SignIn(t, "admin@example.com")
	u, _ := url.Parse("http://" + a.Addr())
	before := first.HTTP.Jar.Cookies(u)[0].Value
	first.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}})
	if after := first.HTTP.Jar.Cookies(u)[0].Value; after == before {
		t.Error("signing in again kept the same session token")
	}
}

func TestWrongPasswordsAreSlowedDown(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	c := a.NewClient(t)
	for i := 0; i < 5; i++ {
		res := c.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "do not match") {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	res := c.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many failed attempts") {
		t.Fatalf("after 5 failures even the right password: %d, want 429", res.StatusCode)
	}
	// Unknown addresses get the same answer as wrong passwords.
	res = c.PostForm("/signin", url.Values{"email": {"nobody@example.com"}, "password": {"x"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "do not match") {
		t.Fatalf("unknown address: %d", res.StatusCode)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	users, _ := a.DB.ListUsers(t.Context(), mustAccountID(t, a, "admin@example.com"))
	var priya *domain.User
	for _, u := range users {
		if u.Email == "priya@example.com" {
			priya = u
		}
	}
	body := url.Values{"role": {"admin"}}.Encode()
	res := admin.Do(http.MethodPost, "/users/"+itoa(priya.ID)+"/role", strings.NewReader(body),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST = %d, want 403", res.StatusCode)
	}
	got, _ := a.DB.GetUser(t.Context(), priya.AccountID, priya.ID)
	if got.Role != domain.RoleInterviewer {
		t.Fatalf("cross-origin POST changed the role to %s", got.Role)
	}
}

func TestInvitationFlow(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	res := admin.PostForm("/users/invitations", url.Values{"email": {"New.Hire@example.com"}, "role": {"scheduler"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("invite = %d", res.StatusCode)
	}
	link := regexp.MustCompile(`http://[^\s<"]+/invitations/[A-Za-z0-9_-]+`).FindString(res.Body)
	if link == "" {
		t.Fatal("no invitation link shown to the admin without SMTP")
	}
	path := strings.TrimPrefix(link, a.URL)
	guest := a.NewClient(t)
	if page := guest.Get(path); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Join Acme") {
		t.Fatalf("invitation page = %d", page.StatusCode)
	}
	// Bad input changes nothing.
	bad := guest.PostForm(path, url.Values{"name": {"New Hire"}, "time_zone": {"Europe/Paris"}, "password": {"short"}, "password_confirm": {"short"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "at least 10") {
		t.Fatalf("short password = %d", bad.StatusCode)
	}
	bad = guest.PostForm(path, url.Values{"name": {"New Hire"}, "time_zone": {"Nowhere/Land"}, "password": {"a good password"}, "password_confirm": {"a good password"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "not a known time zone") {
		t.Fatalf("bad zone = %d %s", bad.StatusCode, bad.Body)
	}
	ok := guest.PostForm(path, url.Values{"name": {"New Hire"}, "time_zone": {"Europe/Paris"}, "password": {"a good password"}, "password_confirm": {"a good password"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d %s", ok.StatusCode, ok.Body)
	}
	if home := guest.Get("/"); !strings.Contains(home.Body, "Welcome, New Hire") {
		t.Fatal("not signed in after accepting")
	}
	// The link works once.
	again := a.NewClient(t).Get(path)
	if again.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.Body, "already been used") {
		t.Fatalf("reused link = %d", again.StatusCode)
	}
	if res := a.NewClient(t).Get("/invitations/not-a-real-token"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown link = %d", res.StatusCode)
	}
}

func TestRolesAndLastAdmin(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	acct := mustAccountID(t, a, "admin@example.com")
	me, _ := a.DB.GetUserByEmail(t.Context(), acct, "admin@example.com")
	res := admin.PostForm("/users/"+itoa(me.ID)+"/role", url.Values{"role": {"scheduler"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "at least one active admin") {
		t.Fatalf("last admin demoting self = %d", res.StatusCode)
	}
	sam, _ := a.DB.GetUserByEmail(t.Context(), acct, "sam@example.com")
	if res := admin.PostForm("/users/"+itoa(sam.ID)+"/role", url.Values{"role": {"admin"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("promote = %d", res.StatusCode)
	}
	if res := admin.PostForm("/users/"+itoa(sam.ID)+"/role", url.Values{"role": {"owner"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad role = %d", res.StatusCode)
	}
	if res := admin.PostForm("/users/"+itoa(me.ID)+"/role", url.Values{"role": {"scheduler"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demote self with another admin = %d", res.StatusCode)
	}
	priya := a.SignIn(t, "priya@example.com")
	pu, _ := a.DB.GetUserByEmail(t.Context(), acct, "priya@example.com")
	samc := a.SignIn(t, "sam@example.com")
	if res := samc.PostForm("/users/"+itoa(pu.ID)+"/active", url.Values{"active": {"false"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d", res.StatusCode)
	}
	if res := priya.Get("/settings"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivated user still signed in: %d", res.StatusCode)
	}
	audit := samc.Get("/audit")
	if !strings.Contains(audit.Body, "user.deactivated") || !strings.Contains(audit.Body, "user.role_changed") {
		t.Fatal("audit log lacks the changes")
	}
}

// TestTenancy signs in as Globex and asks for every Acme resource through
// every foundation route that takes an id: all 404, nothing changed.
func TestTenancy(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	acme := mustAccountID(t, a, "admin@example.com")
	acmeAdmin, _ := a.DB.GetUserByEmail(t.Context(), acme, "admin@example.com")
	acmeUsers, _ := a.DB.ListUsers(t.Context(), acme)
	acmeAdminClient := a.SignIn(t, "admin@example.com")
	acmeAdminClient.PostForm("/users/invitations", url.Values{"email": {"pending@example.com"}, "role": {"interviewer"}})
	invs, _ := a.DB.ListInvitations(t.Context(), acme)
	if len(invs) != 1 {
		t.Fatalf("setup: %d invitations", len(invs))
	}
	globex := a.SignIn(t, "admin@globex.example")
	for _, u := range acmeUsers {
		id := itoa(u.ID)
		for _, req := range []struct{ method, path, body string }{
			{"POST", "/users/" + id + "/role", "role=interviewer"},
			{"POST", "/users/" + id + "/active", "active=false"},
			{"GET", "/api/v1/users/" + id, ""},
			{"PATCH", "/api/v1/users/" + id, `{"role":"interviewer"}`},
		} {
			hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			if strings.HasPrefix(req.path, "/api/") {
				hdr = http.Header{"Content-Type": {"application/json"}}
			}
			res := globex.Do(req.method, req.path, strings.NewReader(req.body), hdr)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("Globex %s %s = %d, want 404", req.method, req.path, res.StatusCode)
			}
		}
	}
	if res := globex.PostForm("/users/invitations/"+itoa(invs[0].ID)+"/revoke", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("Globex revoking Acme's invitation = %d", res.StatusCode)
	}
	after, _ := a.DB.ListUsers(t.Context(), acme)
	for i, u := range after {
		if *u != *acmeUsers[i] {
			t.Errorf("Acme user changed: %+v -> %+v", acmeUsers[i], u)
		}
	}
	if invs2, _ := a.DB.ListInvitations(t.Context(), acme); len(invs2) != 1 {
		t.Error("Acme's invitation was revoked by Globex")
	}
	page := globex.Get("/users")
	if strings.Contains(page.Body, acmeAdmin.Email) {
		t.Error("Globex's users page shows an Acme user")
	}
}

func TestOperationsEndpoints(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.NewClient(t)
	if res := c.Get("/healthz"); res.StatusCode != 200 || !strings.Contains(res.Body, `"ok"`) {
		t.Fatalf("healthz = %d", res.StatusCode)
	}
	res := c.Get("/readyz")
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"database"`) {
		t.Fatalf("readyz = %d %s", res.StatusCode, res.Body)
	}
	if id := res.Header.Get("X-Request-Id"); len(id) < 8 {
		t.Fatalf("no request id: %q", id)
	}
	c.Get("/signin")
	m := c.Get("/metrics")
	if m.StatusCode != 200 || !strings.Contains(m.Body, `interviewplanner_http_requests_total{code="200",method="GET",route="GET /signin"}`) {
		t.Fatalf("metrics lack the per-route counter:\n%.2000s", m.Body)
	}
	// The database going away makes readyz fail, while healthz stays up.
	a.DB.Close()
	if res := c.Get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database closed = %d", res.StatusCode)
	}
	if res := c.Get("/healthz"); res.StatusCode != 200 {
		t.Fatalf("healthz with the database closed = %d", res.StatusCode)
	}
}

func TestAPIProblems(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	anon := a.NewClient(t)
	res := anon.JSON("GET", "/api/v1/me", "")
	var p struct {
		Status int    `json:"status"`
		Code   string `json:"code"`
		Detail string `json:"detail"`
	}
	if res.StatusCode != 401 || res.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(res.Body), &p) != nil || p.Status != 401 {
		t.Fatalf("anonymous API = %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	admin := a.SignIn(t, "admin@example.com")
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/v1/users/abc", "", 404},
		{"GET", "/api/v1/users/99999999", "", 404},
		{"GET", "/api/v1/nothing-here", "", 404},
		{"POST", "/api/v1/invitations", `{"email":`, 422},
		{"POST", "/api/v1/invitations", `{"email":"x@example.com","role":"admin","extra":1}`, 422},
		{"POST", "/api/v1/invitations", `{"email":"not-an-email","role":"admin"}`, 422},
		{"POST", "/api/v1/invitations", `{"email":"ok@example.com","role":"emperor"}`, 422},
	} {
		res := admin.JSON(c.method, c.path, c.body)
		if res.StatusCode != c.status || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
			t.Errorf("%s %s %s = %d %s, want %d problem", c.method, c.path, c.body, res.StatusCode, res.Header.Get("Content-Type"), c.status)
		}
	}
	if invs, _ := a.DB.ListInvitations(t.Context(), mustAccountID(t, a, "admin@example.com")); len(invs) != 0 {
		t.Fatalf("bad input created %d invitations", len(invs))
	}
	res = admin.JSON("POST", "/api/v1/invitations", `{"email":"ok@example.com","role":"scheduler"}`)
	if res.StatusCode != 201 || !strings.Contains(res.Body, "/invitations/") {
		t.Fatalf("API invite = %d %s", res.StatusCode, res.Body)
	}
	// Oversized form body.
	big := admin.PostForm("/users/invitations", url.Values{"email": {strings.Repeat("a", 70<<10)}})
	if big.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("oversized form = %d", big.StatusCode)
	}
}

func mustAccountID(t *testing.T, a *apptest.App, email string) int64 {
	t.Helper()
	u, _, err := a.DB.GetUserForSignIn(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.AccountID
}

func itoa(v int64) string { return strconvFormat(v) }
