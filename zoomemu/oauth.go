package zoomemu

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"interviewplanner/emuhttp"
)

const (
	codeTTL   = 5 * time.Minute
	accessTTL = time.Hour
	// expiresIn is what Zoom reports for a one-hour token.
	expiresIn = 3599
)

// scopePermissions maps a scope to the role privilege a non-admin needs to
// grant it.
func scopePermission(scope string) string {
	switch {
	case strings.HasPrefix(scope, "user:read"), strings.HasPrefix(scope, "meeting:read"):
		return "User:Read"
	case strings.HasPrefix(scope, "meeting:"), strings.HasPrefix(scope, "user:"):
		return "User:Edit"
	case strings.HasPrefix(scope, "zoom_rooms:read"), strings.HasPrefix(scope, "room:read"):
		return "ZoomRooms:Read"
	case strings.HasPrefix(scope, "zoom_rooms:"), strings.HasPrefix(scope, "room:"):
		return "ZoomRooms:Edit"
	case strings.HasPrefix(scope, "role:read"):
		return "Role:Read"
	case strings.HasPrefix(scope, "role:"):
		return "Role:Edit"
	}
	return ""
}

// scopeLabel describes a scope on the authorize page.
func scopeLabel(scope string) string {
	labels := map[string]string{
		"user:read:user:admin":             "View a user's information",
		"user:read:list_users:admin":       "View the account's users",
		"user:read:list_permissions:admin": "View a user's permissions",
		"meeting:write:meeting:admin":      "Create meetings for users",
		"meeting:update:meeting:admin":     "Update meetings",
		"meeting:delete:meeting:admin":     "Delete meetings",
		"meeting:read:meeting:admin":       "View a meeting",
		"meeting:read:list_meetings:admin": "View users' meetings",
		"zoom_rooms:read:list_rooms:admin": "View the account's Zoom Rooms",
	}
	if l, ok := labels[scope]; ok {
		return l
	}
	return scope
}

// authorizeVerdict says whether u may authorize the app and, if not, why.
func (e *Emulator) authorizeVerdictLocked(u *User) (ok bool, why string) {
	if u.Status != "active" {
		return false, "Your Zoom user is not active."
	}
	if e.isAdminLocked(u) {
		return true, ""
	}
	in := e.st.installs[u.AccountID]
	if in == nil || !in.PreApproved {
		return false, "An account admin is required to install this type of app. Please contact your account admin or IT administrator to install this app, or ask them to pre-approve it."
	}
	perms := e.permissionsLocked(u)
	var missing []string
	for _, s := range e.st.appScopes {
		if p := scopePermission(s); p != "" && !slices.Contains(perms, p) && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return false, "Your role does not have the permissions this app needs (" + strings.Join(missing, ", ") + "). Please contact your account admin."
	}
	return true, ""
}

// authRequest is the checked query of /oauth/authorize.
type authRequest struct {
	ClientID, RedirectURI, State, Challenge, Method string
}

func (a authRequest) query() string {
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {a.RedirectURI}}
	if a.State != "" {
		q.Set("state", a.State)
	}
	if a.Challenge != "" {
		q.Set("code_challenge", a.Challenge)
		q.Set("code_challenge_method", a.Method)
	}
	return q.Encode()
}

// parseAuthorize checks the authorize parameters as Zoom does; a non-empty
// errCode means show Zoom's error page.
func (e *Emulator) parseAuthorize(q url.Values) (authRequest, int, string) {
	a := authRequest{
		ClientID:    q.Get("client_id"),
		RedirectURI: q.Get("redirect_uri"),
		State:       q.Get("state"),
		Challenge:   q.Get("code_challenge"),
		Method:      q.Get("code_challenge_method"),
	}
	if a.ClientID != e.cfg.ClientID {
		return a, 4700, "Invalid client_id: " + a.ClientID
	}
	if !slices.Contains(e.cfg.RedirectURLs, a.RedirectURI) {
		return a, 4709, "Redirect URI mismatch."
	}
	if q.Get("response_type") != "code" {
		return a, 4700, "Invalid response_type: " + q.Get("response_type")
	}
	if a.Challenge != "" {
		if a.Method == "" {
			a.Method = "plain"
		}
		if a.Method != "S256" && a.Method != "plain" {
			return a, 4700, "Invalid code_challenge_method: " + a.Method
		}
		if len(a.Challenge) < 43 || len(a.Challenge) > 128 {
			return a, 4700, "Invalid code_challenge."
		}
	} else {
		a.Method = ""
	}
	return a, 0, ""
}

// signinURL is the sign-in page that comes back to this request once
// someone is signed in.
func (a authRequest) signinURL() string {
	return "/signin?next=" + url.QueryEscape("/oauth/authorize?"+a.query())
}

// authorizing reads an authorize request from q and the Zoom user signed
// in: bad parameters get Zoom's error page, and with no one signed in the
// browser is sent to sign in first (redirected with signinStatus). ok is
// false when the answer is written.
func (e *Emulator) authorizing(w http.ResponseWriter, r *http.Request, q url.Values, signinStatus int) (a authRequest, u *User, ok bool) {
	a, code, msg := e.parseAuthorize(q)
	if code != 0 {
		e.errorPage(w, r, http.StatusBadRequest, code, msg)
		return a, nil, false
	}
	if u = e.sessionUser(r); u == nil {
		http.Redirect(w, r, a.signinURL(), signinStatus)
		return a, nil, false
	}
	return a, u, true
}

// handleAuthorize serves Zoom's consent page.
func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	a, u, ok := e.authorizing(w, r, r.URL.Query(), http.StatusFound)
	if !ok {
		return
	}
	e.mu.Lock()
	ok, why := e.authorizeVerdictLocked(u)
	acct := *e.st.accounts[u.AccountID]
	scopes := slices.Clone(e.st.appScopes)
	user := e.publicUser(u)
	e.mu.Unlock()
	var labels []string
	for _, s := range scopes {
		labels = append(labels, scopeLabel(s))
	}
	e.render(w, r, http.StatusOK, "authorize", map[string]any{
		"Title": "Authorize " + e.cfg.AppName, "App": e.cfg.AppName, "User": user, "Account": acct,
		"Allowed": ok, "Why": why, "Scopes": labels, "Query": a.query(), "Req": a,
		"Switch": a.signinURL(),
	})
}

// handleAuthorizeDecision handles Allow and Decline.
func (e *Emulator) handleAuthorizeDecision(w http.ResponseWriter, r *http.Request) {
	form, ok := parseForm(r)
	if !ok {
		e.errorPage(w, r, http.StatusBadRequest, 4700, "Invalid request.")
		return
	}
	form.Set("response_type", "code")
	a, u, ok := e.authorizing(w, r, form, http.StatusSeeOther)
	if !ok {
		return
	}
	back, _ := url.Parse(a.RedirectURI)
	q := back.Query()
	if form.Get("decision") != "allow" {
		q.Set("error", "access_denied")
		if a.State != "" {
			q.Set("state", a.State)
		}
		back.RawQuery = q.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
		return
	}
	e.mu.Lock()
	allowed, why := e.authorizeVerdictLocked(u)
	if !allowed {
		e.mu.Unlock()
		e.errorPage(w, r, http.StatusForbidden, 0, "You cannot authorize "+e.cfg.AppName+". "+why)
		return
	}
	c := &authCode{
		code: randomToken(24), accountID: u.AccountID, userID: u.ID, redirectURI: a.RedirectURI,
		challenge: a.Challenge, method: a.Method, scopes: slices.Clone(e.st.appScopes), expires: e.Now().Add(codeTTL),
	}
	e.st.codes[c.code] = c
	in := e.st.installs[u.AccountID]
	in.Installed, in.InstalledBy, in.InstalledAt = true, u.ID, e.Now().UTC()
	e.mu.Unlock()
	q.Set("code", c.code)
	if a.State != "" {
		q.Set("state", a.State)
	}
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// parseForm reads an urlencoded body (and the query string).
func parseForm(r *http.Request) (url.Values, bool) {
	vals := r.URL.Query()
	body := emuhttp.Body(r)
	if len(body) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, false
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, false
		}
		for k, v := range form {
			vals[k] = v
		}
	}
	return vals, true
}

// oauthError writes Zoom's token-endpoint error body.
func oauthError(w http.ResponseWriter, status int, errCode, reason string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// Zoom's field order: {"reason":"Invalid Token!","error":"invalid_grant"}.
	b, _ := json.Marshal(struct {
		Reason string `json:"reason"`
		Error  string `json:"error"`
	}{reason, errCode})
	_, _ = w.Write(b)
}

// clientAuth checks HTTP Basic client credentials.
func (e *Emulator) clientAuth(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	return ok &&
		subtle.ConstantTimeCompare([]byte(id), []byte(e.cfg.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(e.cfg.ClientSecret)) == 1
}

// handleToken serves POST /oauth/token.
func (e *Emulator) handleToken(w http.ResponseWriter, r *http.Request) {
	if !e.clientAuth(r) {
		e.countFailure()
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	form, ok := parseForm(r)
	if !ok {
		e.countFailure()
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request : Content-Type must be application/x-www-form-urlencoded")
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		e.codeGrant(w, r, form)
	case "refresh_token":
		e.refreshGrant(w, r, form)
	case "":
		e.countFailure()
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing grant_type")
	default:
		e.countFailure()
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
	}
}

func (e *Emulator) countFailure() {
	e.mu.Lock()
	e.st.stats.FailedGrants++
	e.mu.Unlock()
}

func (e *Emulator) codeGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	code := form.Get("code")
	e.mu.Lock()
	c, ok := e.st.codes[code]
	now := e.Now()
	fail := func(status int, errCode, reason string) {
		e.st.stats.FailedGrants++
		e.mu.Unlock()
		oauthError(w, status, errCode, reason)
	}
	switch {
	case code == "":
		fail(http.StatusBadRequest, "invalid_request", "Missing code")
		return
	case !ok || c.used || !now.Before(c.expires):
		// Zoom answers an expired, reused or unknown code alike.
		fail(http.StatusBadRequest, "invalid_grant", "Invalid authorization code "+truncate(code, 64))
		return
	case form.Get("redirect_uri") != c.redirectURI:
		fail(http.StatusBadRequest, "invalid_request", "Redirect URI mismatch.")
		return
	case c.challenge != "" && !pkceMatches(c.method, c.challenge, form.Get("code_verifier")):
		fail(http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
		return
	}
	c.used = true
	if _, ok := e.st.users[c.userID]; !ok {
		fail(http.StatusBadRequest, "invalid_grant", "Token owner no longer exists.")
		return
	}
	// A newer authorization revokes the account's earlier tokens (4741).
	e.killTokensLocked(c.accountID)
	e.st.stats.CodeGrants++
	body := e.issueLocked(r, c.accountID, c.userID, c.scopes)
	e.mu.Unlock()
	writeTokenResponse(w, body)
}

func (e *Emulator) refreshGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	tok := form.Get("refresh_token")
	e.mu.Lock()
	rt, ok := e.st.refresh[tok]
	if tok == "" || !ok || rt.dead {
		e.st.stats.FailedGrants++
		e.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
		return
	}
	if _, ok := e.st.users[rt.userID]; !ok {
		rt.dead = true
		e.st.stats.FailedGrants++
		e.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid Token!")
		return
	}
	// Rotation: the presented refresh token dies; only the new one works.
	rt.dead = true
	e.st.stats.RefreshGrants++
	body := e.issueLocked(r, rt.accountID, rt.userID, rt.scopes)
	e.mu.Unlock()
	writeTokenResponse(w, body)
}

func (e *Emulator) issueLocked(r *http.Request, accountID, userID string, scopes []string) map[string]any {
	at := &accessToken{token: "eyJ" + randomToken(48), accountID: accountID, userID: userID, scopes: slices.Clone(scopes), expires: e.Now().Add(accessTTL)}
	rt := &refreshToken{token: "eyJ" + randomToken(48), accountID: accountID, userID: userID, scopes: slices.Clone(scopes)}
	e.st.access[at.token] = at
	e.st.refresh[rt.token] = rt
	return map[string]any{
		"access_token":  at.token,
		"token_type":    "bearer",
		"refresh_token": rt.token,
		"expires_in":    expiresIn,
		"scope":         strings.Join(scopes, " "),
		"api_url":       emuhttp.BaseURL(r),
	}
}

func writeTokenResponse(w http.ResponseWriter, body map[string]any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	b, _ := json.Marshal(body)
	_, _ = w.Write(b)
}

// pkceMatches also holds the verifier to RFC 7636's 43 to 128 characters,
// as Zoom does.
func pkceMatches(method, challenge, verifier string) bool {
	return len(verifier) >= 43 && len(verifier) <= 128 && emuhttp.PKCEMatches(method, challenge, verifier)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// handleRevoke serves POST /oauth/revoke: the token's account uninstalls the
// app and Zoom sends app_deauthorized.
func (e *Emulator) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if !e.clientAuth(r) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	form, ok := parseForm(r)
	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request : Content-Type must be application/x-www-form-urlencoded")
		return
	}
	tok := form.Get("token")
	e.mu.Lock()
	var accountID, userID string
	if t, ok := e.st.access[tok]; ok && !t.revoked {
		accountID, userID = t.accountID, t.userID
	} else if t, ok := e.st.refresh[tok]; ok && !t.dead {
		accountID, userID = t.accountID, t.userID
	}
	if accountID == "" {
		e.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid Token!")
		return
	}
	e.st.stats.Revocations++
	send := e.uninstallLocked(accountID)
	e.mu.Unlock()
	if send {
		e.sendDeauthorized(accountID, userID)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write([]byte(`{"status":"success"}`))
}

// uninstallLocked kills the account's tokens and reports whether the app was
// installed (and so whether app_deauthorized is due).
func (e *Emulator) uninstallLocked(accountID string) bool {
	e.killTokensLocked(accountID)
	for _, c := range e.st.codes {
		if c.accountID == accountID {
			c.used = true
		}
	}
	in := e.st.installs[accountID]
	if in == nil || !in.Installed {
		return false
	}
	in.Installed, in.InstalledBy, in.InstalledAt = false, "", time.Time{}
	return true
}

// Uninstall removes the app from an account as byUserID did on the
// Marketplace page: tokens die and app_deauthorized is sent.
func (e *Emulator) Uninstall(accountID, byUserID string) error {
	e.mu.Lock()
	if _, err := e.accountLocked(accountID); err != nil {
		e.mu.Unlock()
		return err
	}
	if byUserID != "" {
		if u, ok := e.st.users[byUserID]; !ok || u.AccountID != accountID {
			e.mu.Unlock()
			return fmt.Errorf("%w: user %q in account %q", ErrNotFound, byUserID, accountID)
		}
	}
	in := e.st.installs[accountID]
	if !in.Installed {
		e.mu.Unlock()
		return fmt.Errorf("%w: app not installed", ErrInvalid)
	}
	if byUserID == "" {
		byUserID = in.InstalledBy
	}
	e.uninstallLocked(accountID)
	e.mu.Unlock()
	e.sendDeauthorized(accountID, byUserID)
	return nil
}
