package zoomemu

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const sessionCookie = "zm_emu_session"

func (e *Emulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// Zoom's web pages and OAuth.
	mux.HandleFunc("GET /{$}", e.handleHome)
	mux.HandleFunc("GET /signin", e.handleSigninPage)
	mux.HandleFunc("POST /signin", e.handleSignin)
	mux.HandleFunc("POST /signout", e.handleSignout)
	mux.HandleFunc("GET /oauth/authorize", e.handleAuthorize)
	mux.HandleFunc("POST /oauth/authorize", e.handleAuthorizeDecision)
	mux.HandleFunc("POST /oauth/token", e.handleToken)
	mux.HandleFunc("POST /oauth/revoke", e.handleRevoke)
	mux.HandleFunc("GET /marketplace/installed", e.handleInstalledApps)
	mux.HandleFunc("POST /marketplace/apps/{clientID}/uninstall", e.handleUninstallPage)
	mux.HandleFunc("POST /marketplace/apps/{clientID}/preapprove", e.handlePreapprovePage)
	e.portalRoutes(mux)
	mux.HandleFunc("GET /j/{id}", e.handleJoin)
	mux.HandleFunc("GET /s/{id}", e.handleJoin)

	// REST API, as the application calls it.
	mux.HandleFunc("GET /v2/users/{userId}", e.api(light, "user:read:user:admin", e.getUser))
	mux.HandleFunc("GET /v2/users", e.api(medium, "user:read:list_users:admin", e.listUsers))
	mux.HandleFunc("GET /v2/users/{userId}/permissions", e.api(light, "user:read:list_permissions:admin", e.getPermissions))
	mux.HandleFunc("POST /v2/users/{userId}/meetings", e.api(medium, "meeting:write:meeting:admin", e.createMeeting))
	mux.HandleFunc("GET /v2/users/{userId}/meetings", e.api(medium, "meeting:read:list_meetings:admin", e.listMeetings))
	mux.HandleFunc("GET /v2/meetings/{meetingId}", e.api(light, "meeting:read:meeting:admin", e.getMeeting))
	mux.HandleFunc("PATCH /v2/meetings/{meetingId}", e.api(light, "meeting:update:meeting:admin", e.patchMeeting))
	mux.HandleFunc("DELETE /v2/meetings/{meetingId}", e.api(light, "meeting:delete:meeting:admin", e.deleteMeeting))
	mux.HandleFunc("GET /v2/rooms", e.api(medium, "zoom_rooms:read:list_rooms:admin", e.listRooms))
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		if spec, err := e.spec(); err == nil && spec.HasOperation(r.Method, r.URL.Path) {
			writeZoomError(w, http.StatusNotImplemented, 501, "The emulator does not implement "+r.Method+" "+r.URL.Path+".")
			return
		}
		writeZoomError(w, http.StatusNotFound, 404, "Not Found.")
	})

	e.controlRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e.errorPage(w, r, http.StatusNotFound, 0, "This page does not exist.")
	})
	return mux
}

// sessionUser is the Zoom user signed in on this browser, if any.
func (e *Emulator) sessionUser(r *http.Request) *User {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if id, ok := e.st.sessions[c.Value]; ok {
		if u, ok := e.st.users[id]; ok {
			cp := *u
			return &cp
		}
	}
	return nil
}

// safeNext keeps sign-in redirects on this host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return next
}

func (e *Emulator) handleHome(w http.ResponseWriter, r *http.Request) {
	u := e.sessionUser(r)
	var acct string
	if u != nil {
		e.mu.Lock()
		if a := e.st.accounts[u.AccountID]; a != nil {
			acct = a.Name
		}
		e.mu.Unlock()
	}
	e.render(w, r, http.StatusOK, "home", map[string]any{"Title": "Zoom", "User": u, "AccountName": acct, "App": e.cfg.AppName, "ClientID": e.cfg.ClientID})
}

type pickerAccount struct {
	Name  string
	Users []User
}

func (e *Emulator) handleSigninPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	e.mu.Lock()
	var accounts []pickerAccount
	for _, aid := range e.st.accOrder {
		accounts = append(accounts, pickerAccount{Name: e.st.accounts[aid].Name,
			Users: e.usersWhereLocked(func(u *User) bool { return u.AccountID == aid })})
	}
	e.mu.Unlock()
	e.render(w, r, http.StatusOK, "signin", map[string]any{"Title": "Sign in - Zoom", "Accounts": accounts, "Next": next})
}

func (e *Emulator) handleSignin(w http.ResponseWriter, r *http.Request) {
	form, ok := parseForm(r)
	if !ok {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Invalid request.")
		return
	}
	e.mu.Lock()
	u, found := e.st.users[form.Get("user_id")]
	if found && u.Status == "active" {
		sid := randomToken(24)
		e.st.sessions[sid] = u.ID
		e.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, safeNext(form.Get("next")), http.StatusSeeOther)
		return
	}
	e.mu.Unlock()
	e.errorPage(w, r, http.StatusBadRequest, 0, "That Zoom user cannot sign in.")
}

func (e *Emulator) handleSignout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		e.mu.Lock()
		delete(e.st.sessions, c.Value)
		e.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// mayManageAppsLocked: Owner, Admin, or a role with MarketPlace:Edit.
func (e *Emulator) mayManageAppsLocked(u *User) bool {
	if e.isAdminLocked(u) {
		return true
	}
	for _, p := range e.permissionsLocked(u) {
		if p == "MarketPlace:Edit" {
			return true
		}
	}
	return false
}

func (e *Emulator) handleInstalledApps(w http.ResponseWriter, r *http.Request) {
	u := e.sessionUser(r)
	if u == nil {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/marketplace/installed"), http.StatusFound)
		return
	}
	e.mu.Lock()
	in := *e.st.installs[u.AccountID]
	acct := *e.st.accounts[u.AccountID]
	manage := e.mayManageAppsLocked(u)
	var by string
	if b, ok := e.st.users[in.InstalledBy]; ok {
		by = b.DisplayName()
	}
	user := e.publicUser(u)
	e.mu.Unlock()
	e.render(w, r, http.StatusOK, "installed", map[string]any{
		"Title": "Installed Apps - Zoom App Marketplace", "User": user, "Account": acct, "Install": in,
		"InstalledBy": by, "Manage": manage, "App": e.cfg.AppName, "ClientID": e.cfg.ClientID,
		"Notice": r.URL.Query().Get("notice"),
	})
}

// pageActor checks the signed-in user may manage apps for the client id in
// the path; it writes the error page when not.
func (e *Emulator) pageActor(w http.ResponseWriter, r *http.Request) (*User, bool) {
	u := e.sessionUser(r)
	if u == nil {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/marketplace/installed"), http.StatusSeeOther)
		return nil, false
	}
	if r.PathValue("clientID") != e.cfg.ClientID {
		e.errorPage(w, r, http.StatusNotFound, 0, "This app does not exist.")
		return nil, false
	}
	e.mu.Lock()
	ok := e.mayManageAppsLocked(u)
	e.mu.Unlock()
	if !ok {
		e.errorPage(w, r, http.StatusForbidden, 0, "Only an account owner or admin, or a role with Zoom App Marketplace: Manage, can do this.")
		return nil, false
	}
	return u, true
}

func (e *Emulator) handleUninstallPage(w http.ResponseWriter, r *http.Request) {
	u, ok := e.pageActor(w, r)
	if !ok {
		return
	}
	if err := e.Uninstall(u.AccountID, u.ID); err != nil {
		http.Redirect(w, r, "/marketplace/installed?notice="+url.QueryEscape("The app is not installed."), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/marketplace/installed?notice="+url.QueryEscape(e.cfg.AppName+" was uninstalled."), http.StatusSeeOther)
}

func (e *Emulator) handlePreapprovePage(w http.ResponseWriter, r *http.Request) {
	u, ok := e.pageActor(w, r)
	if !ok {
		return
	}
	form, fok := parseForm(r)
	if !fok {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Invalid request.")
		return
	}
	on := form.Get("on") == "1"
	e.SetPreApproved(u.AccountID, on)
	notice := "Pre-approval turned off."
	if on {
		notice = "Pre-approval turned on. Users whose role holds the required permissions can now add " + e.cfg.AppName + "."
	}
	back := "/marketplace/installed"
	if form.Get("back") == "app" {
		back = "/marketplace/apps/" + url.PathEscape(e.cfg.ClientID)
	}
	http.Redirect(w, r, back+"?notice="+url.QueryEscape(notice), http.StatusSeeOther)
}

func (e *Emulator) handleJoin(w http.ResponseWriter, r *http.Request) {
	if !e.knownMeeting(r.PathValue("id")) {
		e.errorPage(w, r, http.StatusNotFound, 3001, "This meeting ID is not valid. Please check and try again.")
		return
	}
	e.render(w, r, http.StatusOK, "join", map[string]any{"Title": "Join meeting - Zoom", "ID": r.PathValue("id")})
}

// errorPage renders Zoom's error page; code 0 shows no error code.
func (e *Emulator) errorPage(w http.ResponseWriter, r *http.Request, status, code int, msg string) {
	e.render(w, r, status, "error", map[string]any{"Title": "Error - Zoom", "Code": code, "Message": msg})
}

func (e *Emulator) render(w http.ResponseWriter, r *http.Request, status int, name string, data map[string]any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		e.Log.Error("zoomemu: render", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.UTC().Format("Jan 2, 2006") },
}).Parse(pageTemplates + portalTemplates))

const pageTemplates = `
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font-family:"Lato","Helvetica Neue",Helvetica,Arial,sans-serif;background:#f7f9fa;color:#232333;font-size:15px}
header{background:#fff;border-bottom:1px solid #e4e4ed;height:64px;display:flex;align-items:center;padding:0 32px;gap:24px}
.logo{font-weight:900;font-size:28px;color:#0b5cff;letter-spacing:-1px;text-decoration:none}
header nav{flex:1;display:flex;gap:20px}
header nav a{color:#232333;text-decoration:none;font-weight:600}
header .who{color:#6e7680;font-size:14px}
main{max-width:880px;margin:40px auto;padding:0 24px}
.card{background:#fff;border:1px solid #e4e4ed;border-radius:12px;padding:32px;margin-bottom:24px;box-shadow:0 1px 3px rgba(0,0,0,.04)}
h1{font-size:26px;margin:0 0 16px}
h2{font-size:18px;margin:0 0 12px}
.muted{color:#6e7680}
.btn{display:inline-block;border:0;border-radius:8px;padding:10px 22px;font-size:15px;font-weight:700;cursor:pointer;text-decoration:none;font-family:inherit}
.btn-primary{background:#0b5cff;color:#fff}
.btn-secondary{background:#fff;color:#232333;border:1px solid #babacc}
.btn-danger{background:#fff;color:#e02828;border:1px solid #e02828}
.row{display:flex;align-items:center;gap:16px;padding:14px 0;border-bottom:1px solid #f0f0f5}
.row:last-child{border-bottom:0}
.grow{flex:1}
.badge{display:inline-block;background:#e8f0ff;color:#0b5cff;border-radius:10px;padding:2px 10px;font-size:12px;font-weight:700}
.alert{background:#fff4e5;border:1px solid #ffb74d;border-radius:8px;padding:16px;margin:16px 0}
.notice{background:#e9f8ef;border:1px solid #4caf50;border-radius:8px;padding:12px 16px;margin-bottom:16px}
.error-code{font-family:monospace;color:#6e7680}
ul.scopes{padding-left:20px;line-height:1.8}
.appicon{width:56px;height:56px;border-radius:12px;background:linear-gradient(135deg,#0b5cff,#00c2ff);color:#fff;display:flex;align-items:center;justify-content:center;font-weight:900;font-size:22px}
.switch{display:inline-flex;align-items:center;gap:8px}
footer{text-align:center;color:#9a9aa8;font-size:12px;margin:40px 0}
table.list{width:100%;border-collapse:collapse;margin-top:12px}
table.list th,table.list td{text-align:left;padding:10px 8px;border-bottom:1px solid #f0f0f5;vertical-align:top}
table.list thead th{color:#6e7680;font-size:13px;font-weight:700}
input:not([type]),input[type=text],textarea,select{font:inherit;border:1px solid #babacc;border-radius:8px;padding:8px 10px;width:100%;max-width:480px;background:#fff}
select{width:auto}
input[type=checkbox]{width:18px;height:18px}
.preapprove form{display:flex;align-items:center;gap:8px}
.toggle{position:relative;width:44px;height:24px;border-radius:12px;border:0;background:#babacc;cursor:pointer;padding:0}
.toggle[aria-checked=true]{background:#0b5cff}
.toggle .knob{position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:#fff;transition:left .15s}
.toggle[aria-checked=true] .knob{left:23px}
@media (max-width:600px){header{padding:0 12px;gap:12px;height:auto;min-height:64px;flex-wrap:wrap}header .who{display:none}main{padding:0 12px;margin:16px auto}.card{padding:20px}table.list{font-size:14px}}
</style></head><body>
<header><a class="logo" href="/">zoom</a><nav><a href="/marketplace/installed">App Marketplace</a>{{if .User}}<a href="/meeting">Meetings</a><a href="/role">Zoom Roles</a>{{end}}</nav>
{{with .User}}<span class="who">Signed in as {{.FirstName}} {{.LastName}} ({{.Email}})</span>
<form method="post" action="/signout" style="margin:0"><button class="btn btn-secondary" type="submit">Sign out</button></form>{{else}}<a class="btn btn-secondary" href="/signin">Sign in</a>{{end}}
</header><main>{{end}}

{{define "foot"}}</main><footer>Zoom emulator &middot; InterviewPlanner</footer></body></html>{{end}}

{{define "home"}}{{template "head" .}}
<div class="card"><h1>Zoom</h1>
<p class="muted">This is InterviewPlanner's Zoom emulator. It behaves like Zoom wherever InterviewPlanner can see it.</p>
{{with .User}}<p>You are signed in as <strong>{{.FirstName}} {{.LastName}}</strong> ({{.RoleName}}) of <strong>{{$.AccountName}}</strong>.</p>{{end}}
<p><a class="btn btn-primary" href="/marketplace/installed">Zoom App Marketplace: Installed Apps</a></p>
<p><a href="/marketplace/apps/{{.ClientID}}">{{.App}} in the Zoom App Marketplace</a> (pre-approval) &middot; <a href="/role">Zoom Roles</a> &middot; <a href="/meeting">Meetings</a></p>
</div>
{{template "foot" .}}{{end}}

{{define "signin"}}{{template "head" .}}
<div class="card"><h1>Sign in</h1>
<p class="muted">Choose the Zoom user who is signed in on this browser.</p>
{{range .Accounts}}<h2>{{.Name}}</h2>
{{range .Users}}<div class="row"><div class="grow"><strong>{{.FirstName}} {{.LastName}}</strong> <span class="muted">{{.Email}}</span> <span class="badge">{{.RoleName}}</span>{{if ne .Status "active"}} <span class="badge">{{.Status}}</span>{{end}}</div>
{{if eq .Status "active"}}<form method="post" action="/signin" style="margin:0"><input type="hidden" name="user_id" value="{{.ID}}"><input type="hidden" name="next" value="{{$.Next}}"><button class="btn btn-primary" type="submit">Sign in as {{.FirstName}}</button></form>{{end}}</div>
{{end}}{{else}}<p>There are no Zoom accounts yet.</p>{{end}}
</div>
{{template "foot" .}}{{end}}

{{define "authorize"}}{{template "head" .}}
<div class="card">
<div class="row"><div class="appicon">IP</div><div class="grow"><h1 style="margin:0">{{.App}}</h1><span class="muted">Admin-managed app &middot; {{.Account.Name}}</span></div></div>
<p>Signed in to Zoom as <strong>{{.User.FirstName}} {{.User.LastName}}</strong> ({{.User.Email}}, {{.User.RoleName}}). <a href="{{.Switch}}">Not you? Switch account</a></p>
{{if .Allowed}}
<p><strong>{{.App}}</strong> would like to access your account ({{.Account.Name}}). It will be able to:</p>
<ul class="scopes">{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<p class="muted">By clicking Allow, you give permission to this app to use your information in accordance with their Terms and Privacy Policy.</p>
<form method="post" action="/oauth/authorize" style="display:flex;gap:12px">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}"><input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}"><input type="hidden" name="code_challenge" value="{{.Req.Challenge}}"><input type="hidden" name="code_challenge_method" value="{{.Req.Method}}">
<button class="btn btn-secondary" type="submit" name="decision" value="decline">Decline</button>
<button class="btn btn-primary" type="submit" name="decision" value="allow">Allow</button>
</form>
{{else}}
<div class="alert"><h2>You cannot authorize {{.App}}</h2><p>{{.Why}}</p></div>
<p class="muted">Your account admin can pre-approve this app in the Zoom App Marketplace, or add it for the whole account.</p>
{{end}}
</div>
{{template "foot" .}}{{end}}

{{define "installed"}}{{template "head" .}}
{{with .Notice}}<div class="notice">{{.}}</div>{{end}}
<div class="card"><h1>Installed Apps</h1><p class="muted">{{.Account.Name}}</p>
<div class="row"><div class="appicon">IP</div>
<div class="grow"><strong>{{.App}}</strong><br>
{{if .Install.Installed}}<span class="muted">Added by {{.InstalledBy}} on {{date .Install.InstalledAt}} &middot; Admin-managed</span>{{else}}<span class="muted">Not installed for this account</span>{{end}}</div>
{{if and .Install.Installed .Manage}}<form method="post" action="/marketplace/apps/{{.ClientID}}/uninstall" style="margin:0"><button class="btn btn-danger" type="submit">Uninstall</button></form>{{end}}
</div></div>
<div class="card"><h2>Pre-approve <a href="/marketplace/apps/{{.ClientID}}">{{.App}}</a></h2>
<p class="muted">When pre-approved, users whose role holds the permissions the app needs can add it for the account.</p>
<div class="switch">Pre-approval is <strong>{{if .Install.PreApproved}}ON{{else}}OFF{{end}}</strong></div>
{{if .Manage}}<form method="post" action="/marketplace/apps/{{.ClientID}}/preapprove" style="margin-top:12px">
{{if .Install.PreApproved}}<input type="hidden" name="on" value="0"><button class="btn btn-secondary" type="submit">Turn pre-approval off</button>
{{else}}<input type="hidden" name="on" value="1"><button class="btn btn-primary" type="submit">Pre-approve</button>{{end}}</form>
{{else}}<p class="muted">Only an account owner or admin can change pre-approval.</p>{{end}}
</div>
{{template "foot" .}}{{end}}

{{define "join"}}{{template "head" .}}
<div class="card"><h1>Meeting {{.ID}}</h1><p class="muted">In real Zoom this link opens the Zoom client. The emulator has no video.</p></div>
{{template "foot" .}}{{end}}

{{define "error"}}{{template "head" .}}
<div class="card"><h1>{{if .Code}}Oops! We can't complete this request{{else}}Sorry{{end}}</h1>
<p>{{.Message}}</p>{{if .Code}}<p class="error-code">Error code: {{.Code}}</p>{{end}}
<p><a href="/">Go to Zoom home</a></p></div>
{{template "foot" .}}{{end}}
`
