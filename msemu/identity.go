package msemu

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"interviewplanner/emuhttp"
)

// Permissions are the application permissions the app requests.
var Permissions = []string{"Calendars.ReadWrite", "User.Read.All", "Place.Read.All"}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:Segoe UI,system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
.card{border:1px solid #ddd;padding:1.2rem;border-radius:4px}.err{border-left:4px solid #a4262c;padding:.5rem 1rem;background:#fde7e9}
button{background:#0067b8;color:#fff;border:0;padding:.5rem 1.2rem;margin:.3rem .3rem 0 0;font-size:1rem}
button.secondary{background:#fff;color:#1b1b1b;border:1px solid #8a8886}label{display:block;margin:.3rem 0}
code{word-break:break-all}</style></head><body>
<p><strong>Microsoft</strong> · {{.Tenant}}</p>
{{if .Error}}<div class="err" role="alert"><h1>{{.ErrorTitle}}</h1><p>{{.Error}}</p></div>{{end}}
{{if .Consent}}<div class="card"><h1>Permissions requested</h1>
<p><strong>{{.App}}</strong> (unverified) wants to, for your whole organization:</p>
<ul>{{range .Perms}}<li><code>{{.}}</code></li>{{end}}</ul>
<p>Accept these permissions on behalf of your organization? Only a Global Administrator (or Privileged Role Administrator) can.</p>
<form method="post">
<input type="hidden" name="client_id" value="{{.ClientID}}"><input type="hidden" name="state" value="{{.State}}"><input type="hidden" name="redirect_uri" value="{{.Redirect}}">
<fieldset><legend>Signed in as</legend>{{range .Users}}<label><input type="radio" name="user" value="{{.ID}}" required> {{.DisplayName}} ({{.UPN}}){{if .GlobalAdmin}} — Global Administrator{{end}}</label>{{end}}</fieldset>
<button name="action" value="accept">Accept</button><button class="secondary" name="action" value="cancel">Cancel</button></form></div>{{end}}
{{if .Home}}<h1>Microsoft 365 emulator</h1><p>Tenant <code>{{.TenantID}}</code>. App <code>{{.ClientID}}</code>{{if .Disabled}} (disabled){{end}}; admin consent: {{if .Granted}}granted by {{.Granted}}{{else}}none{{end}}.</p>
<form method="post" action="/admin/consent/revoke"><button class="secondary">Remove the app's consent</button></form>
{{if .Disabled}}<form method="post" action="/admin/app/enable"><button class="secondary">Enable the app</button></form>{{else}}<form method="post" action="/admin/app/disable"><button class="secondary">Disable the app</button></form>{{end}}
<h2>Users</h2><ul>{{range .Users}}<li>{{.DisplayName}} — {{.Mail}}{{if .GlobalAdmin}} (Global Administrator){{end}}{{if .OutsidePolicy}} (outside the app's access policy){{end}}</li>{{end}}</ul>{{end}}
</body></html>`))

type page struct {
	Title, Tenant, TenantID, App       string
	Error, ErrorTitle                  string
	Consent, Home, Disabled            bool
	ClientID, State, Redirect, Granted string
	Perms                              []string
	Users                              []*User
}

func (e *Emulator) render(w http.ResponseWriter, status int, p page) {
	p.Tenant, p.App, p.ClientID = e.cfg.TenantDomain, e.cfg.AppName, e.cfg.ClientID
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}

func (e *Emulator) home(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	p := page{Title: "Microsoft 365 emulator", Home: true, TenantID: e.st.TenantID, Disabled: e.st.AppDisabled, Users: append([]*User(nil), e.st.Users...)}
	if e.st.Consent != nil {
		p.Granted = e.st.Consent.By
	}
	e.mu.Unlock()
	e.render(w, http.StatusOK, p)
}

// tenantMatches accepts the tenant's GUID, its domain, "common" and
// "organizations".
func (e *Emulator) tenantMatches(t string) bool {
	t = strings.ToLower(t)
	return t == strings.ToLower(e.st.TenantID) || t == strings.ToLower(e.cfg.TenantDomain) || t == "common" || t == "organizations"
}

func (e *Emulator) redirectAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Fragment != "" {
		return false
	}
	for _, reg := range e.cfg.RedirectURLs {
		if raw == reg || strings.HasPrefix(raw, strings.TrimSuffix(reg, "/")+"/") {
			return true
		}
	}
	return false
}

func (e *Emulator) consentError(w http.ResponseWriter, status int, code int, msg string) {
	e.render(w, status, page{Title: "Sign in to your account", ErrorTitle: "Sorry, but we're having trouble signing you in.",
		Error: fmt.Sprintf("AADSTS%d: %s", code, msg)})
}

// consentShow: GET /{tenant}/adminconsent?client_id&state&redirect_uri.
func (e *Emulator) consentShow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.tenantMatches(r.PathValue("tenant")) {
		e.consentError(w, http.StatusBadRequest, 90002, fmt.Sprintf("Tenant '%s' not found.", r.PathValue("tenant")))
		return
	}
	if q.Get("client_id") != e.cfg.ClientID {
		e.consentError(w, http.StatusBadRequest, 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", q.Get("client_id"), e.cfg.TenantDomain))
		return
	}
	if !e.redirectAllowed(q.Get("redirect_uri")) {
		e.consentError(w, http.StatusBadRequest, 50011, fmt.Sprintf("The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.", q.Get("redirect_uri"), e.cfg.ClientID))
		return
	}
	e.render(w, http.StatusOK, page{Title: "Permissions requested", Consent: true, State: q.Get("state"), Redirect: q.Get("redirect_uri"),
		Perms: Permissions, Users: append([]*User(nil), e.st.Users...)})
}

// consentAnswer: POST /{tenant}/adminconsent — the signed-in user accepts
// or cancels. A user who is not an admin is refused on Microsoft's page.
func (e *Emulator) consentAnswer(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	e.mu.Lock()
	defer e.mu.Unlock()
	redirect := form.Get("redirect_uri")
	if !e.tenantMatches(r.PathValue("tenant")) || form.Get("client_id") != e.cfg.ClientID || !e.redirectAllowed(redirect) {
		e.consentError(w, http.StatusBadRequest, 900144, "The request body must contain the following parameter: 'client_id' and a registered 'redirect_uri'.")
		return
	}
	back, _ := url.Parse(redirect)
	v := back.Query()
	if form.Get("action") == "cancel" {
		v.Set("error", "permission_denied")
		v.Set("error_description", "The admin canceled the request")
		v.Set("state", form.Get("state"))
		back.RawQuery = v.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
		return
	}
	var who *User
	for _, u := range e.st.Users {
		if u.ID == form.Get("user") {
			who = u
		}
	}
	if who == nil {
		e.consentError(w, http.StatusBadRequest, 50034, "The user account does not exist in the directory.")
		return
	}
	if !who.GlobalAdmin {
		e.render(w, http.StatusForbidden, page{Title: "Need admin approval", ErrorTitle: "Need admin approval",
			Error: fmt.Sprintf("AADSTS90094: The grant requires admin permission. %s needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it. (Signed in as %s.)", e.cfg.AppName, who.UPN)})
		return
	}
	now := e.Now()
	e.st.Consent = &Consent{By: who.UPN, GrantedAt: now, EffectiveAt: now.Add(e.cfg.ConsentDelay)}
	v.Set("admin_consent", "True")
	v.Set("tenant", e.st.TenantID)
	v.Set("state", form.Get("state"))
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// tokenError writes the identity platform's error body.
func tokenError(w http.ResponseWriter, status int, errCode string, aadsts int, msg string) {
	now := time.Now().UTC()
	trace, corr := newGUID(), newGUID()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	desc := fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", aadsts, msg, trace, corr, now.Format("2006-01-02 15:04:05Z"))
	fmt.Fprintf(w, `{"error":%q,"error_description":%q,"error_codes":[%d],"timestamp":%q,"trace_id":%q,"correlation_id":%q,"error_uri":"https://login.microsoftonline.com/error?code=%d"}`,
		errCode, desc, aadsts, now.Format("2006-01-02 15:04:05Z"), trace, corr, aadsts)
}

// token: POST /{tenant}/oauth2/v2.0/token, client credentials only.
func (e *Emulator) token(w http.ResponseWriter, r *http.Request) {
	form, err := url.ParseQuery(string(emuhttp.Body(r)))
	if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		tokenError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(u)
		secret, _ = url.QueryUnescape(p)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tenant := r.PathValue("tenant")
	switch {
	case tenant == "common" || tenant == "organizations":
		tokenError(w, http.StatusBadRequest, "invalid_request", 700016, "Use a tenant-specific endpoint or configure the application to be multi-tenant.")
	case !e.tenantMatches(tenant):
		tokenError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
	case form.Get("grant_type") != "client_credentials":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"+form.Get("grant_type")+"'.")
	case id != e.cfg.ClientID:
		tokenError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", id, e.cfg.TenantDomain))
	case secret != e.cfg.ClientSecret:
		tokenError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+id+"'.")
	case e.st.AppDisabled:
		tokenError(w, http.StatusBadRequest, "unauthorized_client", 7000112, fmt.Sprintf("Application '%s'(%s) is disabled.", id, e.cfg.AppName))
	case e.st.Consent == nil:
		tokenError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", id, e.cfg.TenantDomain))
	case !strings.HasSuffix(form.Get("scope"), "/.default"):
		tokenError(w, http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope "+form.Get("scope")+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
	case form.Get("scope") != "https://graph.microsoft.com/.default":
		tokenError(w, http.StatusBadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope "+form.Get("scope")+" is not valid.")
	default:
		now := e.Now()
		t := &Token{Value: "eyJ0eXAiOiJKV1Qi." + randomToken(24), Expires: now.Add(3599 * time.Second), Roles: !now.Before(e.st.Consent.EffectiveAt)}
		e.st.Tokens = append(pruneTokens(e.st.Tokens, now), t)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store, no-cache")
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":%s}`, strconv.Quote(t.Value))
	}
}

func pruneTokens(ts []*Token, now time.Time) []*Token {
	out := ts[:0]
	for _, t := range ts {
		if t.Expires.After(now) {
			out = append(out, t)
		}
	}
	return out
}

func (e *Emulator) adminRevoke(w http.ResponseWriter, r *http.Request) {
	e.RevokeConsent()
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (e *Emulator) adminDisable(w http.ResponseWriter, r *http.Request) {
	e.SetAppDisabled(true)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (e *Emulator) adminEnable(w http.ResponseWriter, r *http.Request) {
	e.SetAppDisabled(false)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// RevokeConsent removes the admin consent: tokens stop carrying roles and
// new ones are refused. (Microsoft applies it when tokens expire; the
// emulator at once.)
func (e *Emulator) RevokeConsent() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.Consent = nil
	e.st.Tokens = nil
}

// SetAppDisabled disables or enables the app in the tenant.
func (e *Emulator) SetAppDisabled(off bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.AppDisabled = off
	if off {
		e.st.Tokens = nil
	}
}

// GrantConsent consents as if the admin had (tests, the demo); like the
// page's consent it takes Config.ConsentDelay to reach tokens.
func (e *Emulator) GrantConsent(by string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.Now()
	e.st.Consent = &Consent{By: by, GrantedAt: now, EffectiveAt: now.Add(e.cfg.ConsentDelay)}
}

// auth checks the bearer token: 401 for a missing, unknown or expired one,
// 403 when it carries no roles (consent not yet effective).
func (e *Emulator) authLocked(w http.ResponseWriter, r *http.Request, mailboxCall bool) bool {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return false
	}
	now := e.Now()
	for _, t := range e.st.Tokens {
		if t.Value != raw {
			continue
		}
		if !t.Expires.After(now) {
			graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
			return false
		}
		if !t.Roles || e.st.Consent == nil {
			if mailboxCall {
				graphError(w, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
			} else {
				graphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
			}
			return false
		}
		return true
	}
	graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
	return false
}

// graph wraps a tenant-wide Graph handler with authentication and latency.
func (e *Emulator) graph(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.sleep(r)
		e.mu.Lock()
		ok := e.authLocked(w, r, false)
		e.mu.Unlock()
		if ok {
			h(w, r)
		}
	}
}

func (e *Emulator) sleep(r *http.Request) {
	if e.cfg.Latency > 0 {
		select {
		case <-time.After(e.cfg.Latency):
		case <-r.Context().Done():
		}
	}
}

// mailbox wraps a per-mailbox Graph handler: authentication, the
// application access policy, and Outlook's four concurrent requests per
// app and mailbox (a fifth is answered 429 ApplicationThrottled).
func (e *Emulator) mailbox(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		if !e.authLocked(w, r, true) {
			e.mu.Unlock()
			return
		}
		id, _, _, user, ok := e.st.mailbox(r.PathValue("user"))
		if !ok {
			e.mu.Unlock()
			graphError(w, http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+r.PathValue("user")+"' is invalid.")
			return
		}
		if user != nil && user.OutsidePolicy {
			e.mu.Unlock()
			graphError(w, http.StatusForbidden, "ErrorAccessDenied", "Access to OData is disabled: Blocked by tenant configured AppOnly AccessPolicy settings.")
			return
		}
		if e.inflight[id] >= 4 {
			e.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(int(e.cfg.RetryAfter.Seconds()+0.5)))
			graphError(w, http.StatusTooManyRequests, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
			return
		}
		e.inflight[id]++
		e.peak[id] = max(e.peak[id], e.inflight[id])
		e.mu.Unlock()
		defer func() {
			e.mu.Lock()
			e.inflight[id]--
			e.mu.Unlock()
		}()
		e.sleep(r)
		r.SetPathValue("user", id)
		h(w, r)
	}
}
