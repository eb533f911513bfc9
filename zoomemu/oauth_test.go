package zoomemu_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

func TestAuthorizePageChecksParameters(t *testing.T) {
	e := MustStart(t)
	c := e.browser(t)
	e.signIn(t, c, "admin@example.com")
	tests := []struct {
		name       string
		query      url.Values
		wantStatus int
		wantText   string
	}{
		{"redirect not allow-listed", url.Values{"redirect_uri": {"http://evil.test/cb"}}, 400, "4709"},
		{"redirect differs by a slash", url.Values{"redirect_uri": {redirectURL + "/"}}, 400, "4709"},
		{"unknown client", url.Values{"client_id": {"nope"}}, 400, "4700"},
		{"wrong response type", url.Values{"response_type": {"token"}}, 400, "Invalid response_type"},
		{"bad challenge method", url.Values{"code_challenge": {strings.Repeat("a", 43)}, "code_challenge_method": {"S512"}}, 400, "code_challenge_method"},
		{"valid", nil, 200, "Allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, c, "/oauth/authorize?"+authorizeQuery(tt.query))
			if r.status != tt.wantStatus || !strings.Contains(string(r.body), tt.wantText) {
				t.Fatalf("got %d, want %d with %q:\n%s", r.status, tt.wantStatus, tt.wantText, r.body)
			}
			if r.header.Get("Location") != "" {
				t.Fatalf("error page must not redirect, got Location %s", r.header.Get("Location"))
			}
		})
	}
}

func TestAuthorizeWithoutSessionShowsPicker(t *testing.T) {
	e := MustStart(t)
	c := e.browser(t)
	r := e.get(t, c, "/oauth/authorize?"+authorizeQuery(nil))
	if r.status != http.StatusFound || !strings.HasPrefix(r.header.Get("Location"), "/signin?next=") {
		t.Fatalf("want redirect to the picker, got %d %s", r.status, r.header.Get("Location"))
	}
	picker := e.get(t, c, r.header.Get("Location"))
	for _, email := range []string{"admin@example.com", "it@example.com", "sam@example.com", "riley@example.com", "ines@example.com"} {
		if !strings.Contains(string(picker.body), email) {
			t.Errorf("picker lacks %s", email)
		}
	}
	// Signing in from the picker returns to the authorize page.
	loc, _ := url.Parse(r.header.Get("Location"))
	next := loc.Query().Get("next")
	s := e.postForm(t, c, "/signin", url.Values{"user_id": {e.users["it@example.com"].ID}, "next": {next}})
	if s.status != http.StatusSeeOther || s.header.Get("Location") != next {
		t.Fatalf("sign in: %d to %q, want %q", s.status, s.header.Get("Location"), next)
	}
	page := e.get(t, c, next)
	if !strings.Contains(string(page.body), "Ivy") || !strings.Contains(string(page.body), `value="allow"`) {
		t.Fatalf("authorize page for the admin lacks Allow:\n%s", page.body)
	}
}

func TestSigninRejectsOpenRedirect(t *testing.T) {
	e := MustStart(t)
	c := e.browser(t)
	r := e.postForm(t, c, "/signin", url.Values{"user_id": {e.users["admin@example.com"].ID}, "next": {"//evil.test/x"}})
	if r.header.Get("Location") != "/" {
		t.Fatalf("Location = %q, want /", r.header.Get("Location"))
	}
	bad := e.postForm(t, c, "/signin", url.Values{"user_id": {"nobody"}})
	if bad.status != http.StatusBadRequest {
		t.Fatalf("unknown user signed in: %d", bad.status)
	}
}

func TestWhoMayAuthorize(t *testing.T) {
	tests := []struct {
		email       string
		preApproved bool
		wantAllowed bool
	}{
		{"admin@example.com", false, true},
		{"it@example.com", false, true},
		{"sam@example.com", false, false},
		{"sam@example.com", true, false}, // pre-approved, but a plain Member lacks the permissions
		{"riley@example.com", false, false},
		{"riley@example.com", true, true}, // custom role with the permissions, app pre-approved
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			e := MustStart(t)
			e.SetPreApproved(e.account, tt.preApproved)
			c := e.browser(t)
			e.signIn(t, c, tt.email)
			page := e.get(t, c, "/oauth/authorize?"+authorizeQuery(nil))
			blocked := strings.Contains(string(page.body), "You cannot authorize InterviewPlanner")
			if blocked == tt.wantAllowed {
				t.Fatalf("blocked=%v, want allowed=%v:\n%s", blocked, tt.wantAllowed, page.body)
			}
			// Posting Allow directly must not get around the block.
			r := e.allow(t, c, nil)
			if tt.wantAllowed {
				if r.status != http.StatusFound || !strings.Contains(r.header.Get("Location"), "code=") {
					t.Fatalf("allow: %d %s", r.status, r.header.Get("Location"))
				}
				in, _ := e.InstallState(e.account)
				if !in.Installed || in.InstalledBy != e.users[tt.email].ID {
					t.Fatalf("install state %+v", in)
				}
				return
			}
			if r.status != http.StatusForbidden || r.header.Get("Location") != "" || !strings.Contains(string(r.body), "You cannot authorize") {
				t.Fatalf("blocked allow answered %d Location=%q", r.status, r.header.Get("Location"))
			}
			if in, _ := e.InstallState(e.account); in.Installed {
				t.Fatal("blocked user installed the app")
			}
		})
	}
}

func TestCustomRoleLackingPermissionIsBlocked(t *testing.T) {
	e := MustStart(t)
	e.SetPreApproved(e.account, true)
	role, err := e.AddRole(e.account, "Readers", "read only", []string{"User:Read"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.AddUser(e.account, zoomemu.UserSpec{Email: "reader@example.com", FirstName: "Rae", LastName: "Reader", Role: role.Name})
	if err != nil {
		t.Fatal(err)
	}
	e.users[u.Email] = u
	c := e.browser(t)
	e.signIn(t, c, u.Email)
	page := e.get(t, c, "/oauth/authorize?"+authorizeQuery(nil))
	if !strings.Contains(string(page.body), "You cannot authorize") || !strings.Contains(string(page.body), "ZoomRooms:Read") {
		t.Fatalf("want a block naming the missing permission:\n%s", page.body)
	}
}

func TestDeclineRedirectsWithAccessDenied(t *testing.T) {
	e := MustStart(t)
	c := e.browser(t)
	e.signIn(t, c, "admin@example.com")
	r := e.allow(t, c, url.Values{"decision": {"decline"}})
	loc, _ := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "st-123" || loc.Query().Get("code") != "" {
		t.Fatalf("decline: %d %s", r.status, loc)
	}
	if !strings.HasPrefix(loc.String(), redirectURL+"?") {
		t.Fatalf("decline went to %s", loc)
	}
}

func TestTokenExchange(t *testing.T) {
	e := MustStart(t)
	code := e.MustCode(t, "admin@example.com", nil)
	r := e.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}, true)
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if num(t, m, "expires_in") != 3599 || m["token_type"] != "bearer" || m["api_url"] != e.URL {
		t.Errorf("token body %s", r.body)
	}
	if m["scope"] != strings.Join([]string{
		"user:read:user:admin", "user:read:list_users:admin", "user:read:list_permissions:admin",
		"meeting:write:meeting:admin", "meeting:update:meeting:admin", "meeting:delete:meeting:admin",
		"meeting:read:meeting:admin", "meeting:read:list_meetings:admin", "zoom_rooms:read:list_rooms:admin"}, " ") {
		t.Errorf("scope = %q", m["scope"])
	}
	if m["access_token"] == "" || m["refresh_token"] == "" {
		t.Fatalf("tokens missing: %s", r.body)
	}
	// Single use.
	again := e.token(t, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}, true)
	if again.status != 400 || again.json(t)["error"] != "invalid_grant" {
		t.Fatalf("reused code: %d %s", again.status, again.body)
	}
	if got := e.TokenStats(); got.CodeGrants != 1 || got.LiveAccessTokens != 1 {
		t.Fatalf("stats %+v", got)
	}
}

func TestTokenErrors(t *testing.T) {
	e := MustStart(t)
	tests := []struct {
		name       string
		setup      func(t *testing.T) url.Values
		basic      bool
		wantStatus int
		wantError  string
	}{
		{"no client auth", func(t *testing.T) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {e.MustCode(t, "admin@example.com", nil)}, "redirect_uri": {redirectURL}}
		}, false, 401, "invalid_client"},
		{"unknown code", func(t *testing.T) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {redirectURL}}
		}, true, 400, "invalid_grant"},
		{"expired code", func(t *testing.T) url.Values {
			code := e.MustCode(t, "admin@example.com", nil)
			e.clock.Advance(5*time.Minute + time.Second)
			return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}
		}, true, 400, "invalid_grant"},
		{"redirect differs from authorize", func(t *testing.T) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {e.MustCode(t, "admin@example.com", nil)}, "redirect_uri": {"http://app.test/other"}}
		}, true, 400, "invalid_request"},
		{"unsupported grant", func(t *testing.T) url.Values {
			return url.Values{"grant_type": {"password"}}
		}, true, 400, "unsupported_grant_type"},
		{"unknown refresh token", func(t *testing.T) url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}
		}, true, 400, "invalid_grant"},
		{"pkce verifier missing", func(t *testing.T) url.Values {
			code := e.MustCode(t, "admin@example.com", url.Values{"code_challenge": {pkceS256(strings.Repeat("v", 50))}, "code_challenge_method": {"S256"}})
			return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}
		}, true, 400, "invalid_grant"},
		{"pkce verifier wrong", func(t *testing.T) url.Values {
			code := e.MustCode(t, "admin@example.com", url.Values{"code_challenge": {pkceS256(strings.Repeat("v", 50))}, "code_challenge_method": {"S256"}})
			return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}, "code_verifier": {strings.Repeat("w", 50)}}
		}, true, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.token(t, tt.setup(t), tt.basic)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			m := r.json(t)
			if m["error"] != tt.wantError || m["reason"] == "" || m["reason"] == nil {
				t.Fatalf("body %s, want error %s with a reason", r.body, tt.wantError)
			}
		})
	}
}

func TestTokenWrongContentType(t *testing.T) {
	e := MustStart(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/oauth/token", strings.NewReader(`{"grant_type":"refresh_token"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(clientID, clientSecret)
	r := do(t, http.DefaultClient, req)
	if r.status != 400 || r.json(t)["error"] != "invalid_request" {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func TestPKCE(t *testing.T) {
	e := MustStart(t)
	verifier := strings.Repeat("abcdefghij", 5)
	for _, tt := range []struct{ method, challenge string }{
		{"S256", pkceS256(verifier)},
		{"plain", verifier},
	} {
		t.Run(tt.method, func(t *testing.T) {
			code := e.MustCode(t, "admin@example.com", url.Values{"code_challenge": {tt.challenge}, "code_challenge_method": {tt.method}})
			e.MustExchange(t, code, url.Values{"code_verifier": {verifier}})
		})
	}
}

func TestTokenCodeInQueryString(t *testing.T) {
	e := MustStart(t)
	code := e.MustCode(t, "admin@example.com", nil)
	q := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/oauth/token?"+q.Encode(), nil)
	req.SetBasicAuth(clientID, clientSecret)
	if r := do(t, http.DefaultClient, req); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func TestRefreshRotates(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	r := e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.Refresh}}, true)
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["refresh_token"] == tok.Refresh || num(t, m, "expires_in") != 3599 {
		t.Fatalf("refresh did not rotate: %s", r.body)
	}
	old := e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.Refresh}}, true)
	if old.status != 400 || string(old.body) != `{"reason":"Invalid Token!","error":"invalid_grant"}` {
		t.Fatalf("old refresh token: %d %s", old.status, old.body)
	}
	next := e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}, true)
	if next.status != 200 {
		t.Fatalf("new refresh token refused: %d %s", next.status, next.body)
	}
	if s := e.TokenStats(); s.RefreshGrants != 2 || s.LiveRefreshTokens != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestNewAuthorizationRevokesEarlierTokens(t *testing.T) {
	e := MustStart(t)
	first := e.MustConnect(t)
	e.MustConnect(t)
	if r := e.call(t, first.Access, "GET", "/v2/users/me", nil); r.status != 401 {
		t.Fatalf("earlier access token still works: %d", r.status)
	}
	if r := e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.Refresh}}, true); r.status != 400 {
		t.Fatalf("earlier refresh token still works: %d", r.status)
	}
}

func TestRevokeUninstallsAndNotifies(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/oauth/revoke", strings.NewReader(url.Values{"token": {tok.Access}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, clientSecret)
	r := do(t, http.DefaultClient, req)
	if r.status != 200 || r.json(t)["status"] != "success" {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if in, _ := e.InstallState(e.account); in.Installed {
		t.Fatal("still installed after revoke")
	}
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 401 || num(t, r.json(t), "code") != 124 {
		t.Fatalf("revoked token: %d %s", r.status, r.body)
	}
	waitFor(t, "app_deauthorized", func() bool { return len(e.recv.received()) == 1 })
	got := e.recv.received()[0]
	if !strings.Contains(string(got.body), `"app_deauthorized"`) {
		t.Fatalf("delivery %s", got.body)
	}
	// Revoking again is an error, and sends nothing more.
	req2, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/oauth/revoke", strings.NewReader(url.Values{"token": {tok.Access}}.Encode()))
	req2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req2.SetBasicAuth(clientID, clientSecret)
	if r := do(t, http.DefaultClient, req2); r.status != 400 {
		t.Fatalf("second revoke: %d", r.status)
	}
	if n := len(e.Deliveries()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
}
