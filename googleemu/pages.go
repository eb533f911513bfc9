package googleemu

import (
	"html/template"
	"net/http"
	"sort"
	"strings"
)

var pages = template.Must(template.New("").Parse(`
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}}</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#202124}
h1{font-weight:400;font-size:1.5rem}.acct{display:block;width:100%;text-align:left;padding:.75rem;margin:.25rem 0;border:1px solid #dadce0;border-radius:.5rem;background:#fff;font:inherit;cursor:pointer}
.muted{color:#5f6368;font-size:.9rem}.btn{padding:.5rem 1.25rem;border-radius:1rem;border:1px solid #dadce0;font:inherit;cursor:pointer}.primary{background:#1a73e8;color:#fff;border-color:#1a73e8}
label{display:block;margin:.5rem 0}.error{border-left:4px solid #d93025;padding-left:1rem}</style></head><body><p class="muted">Google (emulator)</p>{{end}}
{{define "chooser"}}{{template "head" "Sign in - Google Accounts"}}
<h1>Choose an account</h1><p class="muted">to continue to {{.App}}</p>
{{range .Users}}<form method="post" action="/AccountChooser"><input type="hidden" name="req" value="{{$.Req}}"><input type="hidden" name="email" value="{{.Email}}">
<button class="acct" type="submit"><strong>{{.Name}}</strong><br><span class="muted">{{.Email}}{{if .Admin}} · administrator{{end}}</span></button></form>{{end}}
</body></html>{{end}}
{{define "consent"}}{{template "head" "Sign in - Google Accounts"}}
<h1>{{.App}} wants to access your Google Account</h1><p class="muted">{{.User.Email}}</p>
<form method="post" action="/o/oauth2/consent"><input type="hidden" name="req" value="{{.Req}}">
<p>Select what {{.App}} can access</p>
{{range .Scopes}}<label><input type="checkbox" name="scope" value="{{.Scope}}" checked> {{.Text}}</label>{{end}}
<p class="muted">Make sure you trust {{.App}}. You can remove access at any time in your Google Account.</p>
<button class="btn" name="action" value="deny">Cancel</button> <button class="btn primary" name="action" value="allow">Continue</button></form>
</body></html>{{end}}
{{define "error"}}{{template "head" "Error"}}
<div class="error"><h1>Access blocked: authorization error</h1><p>{{.Message}}</p><p><strong>Error {{.Status}}: {{.Code}}</strong></p></div>
</body></html>{{end}}
{{define "home"}}{{template "head" "Google Workspace emulator"}}
<h1>Google Workspace emulator</h1>
{{range .}}<h2>{{.Name}} ({{.Domain}})</h2><p class="muted">customer {{.ID}}</p>{{end}}
<p><a href="/console">Cloud and Admin console</a> (service account keys, domain-wide delegation)</p><p class="muted">Control API: /_emulator/state</p></body></html>{{end}}
`))

var scopeText = map[string]string{
	"https://www.googleapis.com/auth/calendar":                                   "See, edit, share, and permanently delete all the calendars you can access using Google Calendar",
	"https://www.googleapis.com/auth/calendar.readonly":                          "See and download any calendar you can access using your Google Calendar",
	"https://www.googleapis.com/auth/calendar.events":                            "View and edit events on all your calendars",
	"https://www.googleapis.com/auth/calendar.freebusy":                          "View your availability in your calendars",
	"https://www.googleapis.com/auth/admin.directory.user.readonly":              "See info about users on your domain",
	"https://www.googleapis.com/auth/admin.directory.resource.calendar.readonly": "View calendar resources on your domain",
}

type scopeLine struct{ Scope, Text string }

func renderChooser(w http.ResponseWriter, app, req string, users []User) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pages.ExecuteTemplate(w, "chooser", map[string]any{"App": app, "Req": req, "Users": users})
}

func renderConsent(w http.ResponseWriter, app string, req *authRequest, u User) {
	var lines []scopeLine
	for _, s := range req.Scopes {
		t := scopeText[s]
		if t == "" {
			t = s
		}
		lines = append(lines, scopeLine{s, t})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pages.ExecuteTemplate(w, "consent", map[string]any{"App": app, "Req": req.ID, "User": u, "Scopes": lines})
}

func errorPage(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, "error", map[string]any{"Status": status, "Code": code, "Message": msg})
}

func (e *Emulator) home(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	var cs []Customer
	for _, c := range e.st.Customers {
		cs = append(cs, *c)
	}
	e.mu.Unlock()
	sort.Slice(cs, func(i, j int) bool { return cs[i].Domain < cs[j].Domain })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pages.ExecuteTemplate(w, "home", cs)
}

func (e *Emulator) sortedUsersLocked() []User {
	var out []User
	for _, u := range e.st.Users {
		if !u.Deleted && !u.Suspended {
			out = append(out, *u)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Admin != out[j].Admin {
			return out[i].Admin
		}
		return strings.Compare(out[i].Email, out[j].Email) < 0
	})
	return out
}
