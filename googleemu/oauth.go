package googleemu

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"interviewplanner/emuhttp"
)

// accessTTL is how long an access token lives (Google: one hour).
const accessTTL = time.Hour

// caller is who an API request acts as.
type caller struct {
	token    *Token
	user     *User // nil for a service account acting as itself
	customer *Customer
}

func (c *caller) hasAny(scopes []string) bool {
	for _, s := range c.token.Scopes {
		if slices.Contains(scopes, s) {
			return true
		}
	}
	return false
}

func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) (*caller, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		writeError(w, http.StatusUnauthorized, "global", "required", "Login Required.", "header", "Authorization")
		return nil, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.st.Access[raw]
	if t == nil || t.Revoked || !e.Now().Before(t.Expires) {
		writeError(w, http.StatusUnauthorized, "global", "authError", "Invalid Credentials", "header", "Authorization")
		return nil, false
	}
	c := &caller{token: t}
	if t.User != "" {
		c.user = e.st.userByEmail(t.User)
		if c.user == nil || c.user.Suspended {
			writeError(w, http.StatusUnauthorized, "global", "authError", "Invalid Credentials", "header", "Authorization")
			return nil, false
		}
		c.customer = e.st.Customers[c.user.CustomerID]
	}
	return c, true
}

// authRequest is an authorization in progress (between the chooser, the
// consent page and the redirect).
type authRequest struct {
	ID, ClientID, Redirect, State string
	Scopes                        []string
	Challenge, Method             string
	Offline, ForceConsent         bool
	User                          string
}

type authCode struct {
	req     *authRequest
	scopes  []string
	expires time.Time
}

const sessionCookie = "GEMU_SID"

func (e *Emulator) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != e.cfg.ClientID {
		errorPage(w, http.StatusUnauthorized, "invalid_client", "The OAuth client was not found.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(e.cfg.RedirectURLs, redirect) {
		errorPage(w, http.StatusBadRequest, "redirect_uri_mismatch",
			"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. The redirect URI "+redirect+" is not registered for this client.")
		return
	}
	if q.Get("response_type") != "code" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Only response_type=code is supported by this client.")
		return
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method != "S256" && method != "plain" && method != "" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Invalid code_challenge_method.")
		return
	}
	if method == "" && q.Get("code_challenge") != "" {
		method = "plain"
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: scope")
		return
	}
	prompt := strings.Fields(q.Get("prompt"))
	req := &authRequest{ID: randomToken(16), ClientID: q.Get("client_id"), Redirect: redirect, State: q.Get("state"), Scopes: scopes,
		Challenge: q.Get("code_challenge"), Method: method, Offline: q.Get("access_type") == "offline", ForceConsent: slices.Contains(prompt, "consent")}
	e.mu.Lock()
	e.pending[req.ID] = req
	signedIn := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		signedIn = e.st.Sessions[c.Value]
	}
	users := e.sortedUsersLocked()
	e.mu.Unlock()
	if signedIn != "" && !slices.Contains(prompt, "select_account") {
		e.showConsent(w, req, signedIn)
		return
	}
	renderChooser(w, e.cfg.AppName, req.ID, users)
}

func (e *Emulator) chooseAccount(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	e.mu.Lock()
	req := e.pending[form.Get("req")]
	u := e.st.userByEmail(form.Get("email"))
	var sid string
	if req != nil && u != nil && !u.Suspended {
		sid = randomToken(16)
		e.st.Sessions[sid] = u.Email
	}
	e.mu.Unlock()
	if req == nil {
		errorPage(w, http.StatusBadRequest, "invalid_request", "This sign-in request has expired. Start again from the app.")
		return
	}
	if sid == "" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "Couldn't find your Google Account.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	e.showConsent(w, req, u.Email)
}

func (e *Emulator) showConsent(w http.ResponseWriter, req *authRequest, email string) {
	e.mu.Lock()
	req.User = email
	u := e.st.userByEmail(email)
	var user User
	if u != nil {
		user = *u
	}
	e.mu.Unlock()
	renderConsent(w, e.cfg.AppName, req, user)
}

func (e *Emulator) consent(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	e.mu.Lock()
	req := e.pending[form.Get("req")]
	delete(e.pending, form.Get("req"))
	e.mu.Unlock()
	if req == nil || req.User == "" {
		errorPage(w, http.StatusBadRequest, "invalid_request", "This sign-in request has expired. Start again from the app.")
		return
	}
	u, _ := url.Parse(req.Redirect)
	q := u.Query()
	if form.Get("action") != "allow" {
		q.Set("error", "access_denied")
		q.Set("state", req.State)
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
		return
	}
	// Google's granular consent: the user may untick scopes.
	var granted []string
	for _, s := range form["scope"] {
		if slices.Contains(req.Scopes, s) {
			granted = append(granted, s)
		}
	}
	code := "4/" + randomToken(24)
	e.mu.Lock()
	e.codes[code] = &authCode{req: req, scopes: granted, expires: e.Now().Add(10 * time.Minute)}
	e.mu.Unlock()
	q.Set("code", code)
	q.Set("scope", strings.Join(granted, " "))
	q.Set("state", req.State)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func (e *Emulator) token(w http.ResponseWriter, r *http.Request) {
	form, err := url.ParseQuery(string(emuhttp.Body(r)))
	if err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "Could not parse the request body.")
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		e.codeGrant(w, r, form)
	case "refresh_token":
		e.refreshGrant(w, r, form)
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		e.jwtGrant(w, r, form)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+form.Get("grant_type"))
	}
}

// clientOK checks the client's credentials in the form (as Go's client
// sends them for Google) or as HTTP Basic.
func (e *Emulator) clientOK(r *http.Request, form url.Values) bool {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		id, secret = bid, bsecret
	}
	return id == e.cfg.ClientID && subtle.ConstantTimeCompare([]byte(secret), []byte(e.cfg.ClientSecret)) == 1
}

// authenticateClient answers Google's invalid_client, and counts a failed
// grant, unless the client's credentials are right.
func (e *Emulator) authenticateClient(w http.ResponseWriter, r *http.Request, form url.Values) bool {
	if e.clientOK(r, form) {
		return true
	}
	e.failGrant()
	tokenError(w, http.StatusUnauthorized, "invalid_client", "Unauthorized")
	return false
}

func (e *Emulator) codeGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	if !e.authenticateClient(w, r, form) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.codes[form.Get("code")]
	delete(e.codes, form.Get("code"))
	if c == nil || e.Now().After(c.expires) || c.req.Redirect != form.Get("redirect_uri") {
		e.st.Stats.FailedGrants++
		tokenError(w, http.StatusBadRequest, "invalid_grant", "Bad Request")
		return
	}
	if c.req.Challenge != "" {
		if v := form.Get("code_verifier"); v == "" || !emuhttp.PKCEMatches(c.req.Method, c.req.Challenge, v) {
			e.st.Stats.FailedGrants++
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Invalid code verifier.")
			return
		}
	}
	e.st.Stats.CodeGrants++
	consentKey := c.req.ClientID + "|" + key(c.req.User)
	resp := tokenResponse{TokenType: "Bearer", ExpiresIn: 3599, Scope: strings.Join(c.scopes, " ")}
	var refresh string
	// A refresh token only on the first consent, or when consent was forced.
	if c.req.Offline && (!e.st.Consented[consentKey] || c.req.ForceConsent) {
		refresh = "1//" + randomToken(32)
		e.st.Refresh[refresh] = &Token{Token: refresh, ClientID: c.req.ClientID, User: key(c.req.User), Scopes: c.scopes}
		resp.RefreshToken = refresh
	}
	e.st.Consented[consentKey] = true
	resp.AccessToken = e.issueLocked(&Token{ClientID: c.req.ClientID, User: key(c.req.User), Scopes: c.scopes, Refresh: refresh})
	writeJSON(w, http.StatusOK, resp)
}

func (e *Emulator) issueLocked(t *Token) string {
	t.Token = "ya29." + randomToken(32)
	t.Expires = e.Now().Add(accessTTL)
	e.st.Access[t.Token] = t
	return t.Token
}

func (e *Emulator) failGrant() {
	e.mu.Lock()
	e.st.Stats.FailedGrants++
	e.mu.Unlock()
}

func (e *Emulator) refreshGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	if !e.authenticateClient(w, r, form) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rt := e.st.Refresh[form.Get("refresh_token")]
	var u *User
	if rt != nil {
		u = e.st.userByEmail(rt.User)
	}
	if rt == nil || rt.Revoked || u == nil || u.Suspended {
		e.st.Stats.FailedGrants++
		tokenError(w, http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.")
		return
	}
	e.st.Stats.RefreshGrants++
	access := e.issueLocked(&Token{ClientID: rt.ClientID, User: rt.User, Scopes: rt.Scopes, Refresh: rt.Token})
	// Google does not rotate refresh tokens.
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: access, ExpiresIn: 3599, TokenType: "Bearer", Scope: strings.Join(rt.Scopes, " ")})
}

// DWDNotGranted is Google's description for a delegation that is missing
// or lacks a scope (FACTS #11).
const DWDNotGranted = "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."

type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

type jwtClaims struct {
	Iss   string `json:"iss"`
	Scope string `json:"scope"`
	Aud   string `json:"aud"`
	Exp   int64  `json:"exp"`
	Iat   int64  `json:"iat"`
	Sub   string `json:"sub"`
	Prn   string `json:"prn"`
}

// jwtGrant is the service account's JWT bearer grant (RFC 7523), verified
// against the public half of the key the service account uploaded.
func (e *Emulator) jwtGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	fail := func(status int, code, desc string) {
		e.failGrant()
		tokenError(w, status, code, desc)
	}
	parts := strings.Split(form.Get("assertion"), ".")
	if len(parts) != 3 {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	var h jwtHeader
	var c jwtClaims
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &h) != nil || json.Unmarshal(cb, &c) != nil {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	if h.Alg != "RS256" {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	e.mu.Lock()
	sa := e.st.ServiceAccounts[key(c.Iss)]
	var keys []string
	if sa != nil {
		if h.Kid != "" {
			if k, ok := sa.Keys[h.Kid]; ok {
				keys = append(keys, k)
			}
		} else {
			for _, k := range sa.Keys {
				keys = append(keys, k)
			}
		}
	}
	e.mu.Unlock()
	if sa == nil {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT: No valid verifier found for issuer.")
		return
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	verified := false
	for _, k := range keys {
		if pub, err := parsePublicKey(k); err == nil && rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) == nil {
			verified = true
			break
		}
	}
	if !verified {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	if c.Aud != emuhttp.BaseURL(r)+"/token" && c.Aud != "https://oauth2.googleapis.com/token" {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT: Failed audience check. The expected audience is "+emuhttp.BaseURL(r)+"/token.")
		return
	}
	now := e.Now().Unix()
	if c.Exp <= c.Iat || c.Exp-c.Iat > 3600 || c.Iat > now+300 || c.Exp < now {
		fail(http.StatusBadRequest, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values and use a clock with skew to account for clock differences between systems.")
		return
	}
	if c.Prn != "" && c.Sub != "" && !strings.EqualFold(c.Prn, c.Sub) {
		fail(http.StatusBadRequest, "invalid_request", "Invalid impersonation prn email address.")
		return
	}
	scopes := strings.Fields(c.Scope)
	if len(scopes) == 0 {
		fail(http.StatusBadRequest, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := &Token{ServiceAccount: sa.Email, ClientID: sa.ClientID, Scopes: scopes}
	if c.Sub != "" {
		u := e.st.userByEmail(c.Sub)
		if u == nil {
			e.st.Stats.FailedGrants++
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Invalid email or User ID")
			return
		}
		cust := e.st.Customers[u.CustomerID]
		allowed := cust.DWD[sa.ClientID]
		for _, s := range scopes {
			if !slices.Contains(allowed, s) {
				e.st.Stats.FailedGrants++
				tokenError(w, http.StatusUnauthorized, "unauthorized_client", DWDNotGranted)
				return
			}
		}
		t.User = key(u.Email)
	}
	e.st.Stats.JWTGrants++
	access := e.issueLocked(t)
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: access, ExpiresIn: 3599, TokenType: "Bearer"})
}

func parsePublicKey(p string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil, fmt.Errorf("no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("not an RSA key")
	}
	return pub, nil
}

// revoke ends a grant: revoking either token kills the refresh token and
// every access token issued from it.
func (e *Emulator) revoke(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	tok := form.Get("token")
	if tok == "" {
		tok = r.URL.Query().Get("token")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	refresh := ""
	if rt := e.st.Refresh[tok]; rt != nil && !rt.Revoked {
		refresh = rt.Token
	} else if at := e.st.Access[tok]; at != nil && !at.Revoked && e.Now().Before(at.Expires) {
		refresh = at.Refresh
		at.Revoked = true
	} else {
		tokenError(w, http.StatusBadRequest, "invalid_token", "Token expired or revoked")
		return
	}
	e.revokeGrantLocked(refresh)
	e.st.Stats.Revocations++
	w.WriteHeader(http.StatusOK)
}

func (e *Emulator) revokeGrantLocked(refresh string) {
	if refresh == "" {
		return
	}
	if rt := e.st.Refresh[refresh]; rt != nil {
		rt.Revoked = true
		delete(e.st.Consented, rt.ClientID+"|"+rt.User)
	}
	for _, at := range e.st.Access {
		if at.Refresh == refresh {
			at.Revoked = true
		}
	}
}
