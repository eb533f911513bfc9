package zoomemu

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The web portal pages the help article walks through: the app's Marketplace
// page with the pre-approval switch, "Zoom Roles" with "+ Add Role", a role's
// permissions and members, and the list of meetings.

// privilegeArea is one row of Zoom's role editor: a label with View and Edit
// boxes, under a section heading.
type privilegeArea struct {
	Section, Label, Area string
}

// privilegeAreas are the rows the role editor shows, in Zoom's words.
var privilegeAreas = []privilegeArea{
	{"User and Permission Management", "Users", "User"},
	{"User and Permission Management", "Roles", "Role"},
	{"Zoom Rooms Management", "Zoom Rooms", "ZoomRooms"},
	{"Meetings", "Meetings", "Meeting"},
	{"Account Management", "Account Profile", "Account"},
	{"Zoom App Marketplace", "Zoom App Marketplace", "MarketPlace"},
}

func (e *Emulator) portalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /marketplace/apps/{clientID}", e.handleAppPage)
	mux.HandleFunc("GET /role", e.handleRoles)
	mux.HandleFunc("GET /role/new", e.handleRoleNew)
	mux.HandleFunc("POST /role", e.handleRoleCreate)
	mux.HandleFunc("GET /role/{id}", e.handleRoleEdit)
	mux.HandleFunc("POST /role/{id}/permissions", e.handleRolePermissions)
	mux.HandleFunc("POST /role/{id}/members", e.handleRoleMembers)
	mux.HandleFunc("GET /meeting", e.handleMeetingsPage)
}

// portalUser is the signed-in user; without one it redirects to sign-in and
// returns nil.
func (e *Emulator) portalUser(w http.ResponseWriter, r *http.Request) *User {
	u := e.sessionUser(r)
	if u == nil {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.Path), http.StatusFound)
	}
	return u
}

// handleAppPage is the app's Marketplace listing, the link an admin gets: the
// pre-approval switch sits in its top right corner.
func (e *Emulator) handleAppPage(w http.ResponseWriter, r *http.Request) {
	u := e.portalUser(w, r)
	if u == nil {
		return
	}
	if r.PathValue("clientID") != e.cfg.ClientID {
		e.errorPage(w, r, http.StatusNotFound, 0, "This app does not exist.")
		return
	}
	e.mu.Lock()
	in := *e.st.installs[u.AccountID]
	manage := e.mayManageAppsLocked(u)
	user := e.publicUser(u)
	e.mu.Unlock()
	e.render(w, r, http.StatusOK, "app", map[string]any{
		"Title": e.cfg.AppName + " - Zoom App Marketplace", "User": user, "Install": in, "Manage": manage,
		"App": e.cfg.AppName, "ClientID": e.cfg.ClientID, "Scopes": e.scopeLabels(),
		"Notice": r.URL.Query().Get("notice"),
	})
}

// mayManageRolesLocked: Owner, Admin, or a role with Role:Edit.
func (e *Emulator) mayManageRolesLocked(u *User) bool {
	return e.isAdminLocked(u) || slices.Contains(e.permissionsLocked(u), "Role:Edit")
}

// rolesActor is the signed-in user when they may manage roles; otherwise it
// answers and returns nil.
func (e *Emulator) rolesActor(w http.ResponseWriter, r *http.Request) *User {
	u := e.portalUser(w, r)
	if u == nil {
		return nil
	}
	e.mu.Lock()
	ok := e.mayManageRolesLocked(u)
	e.mu.Unlock()
	if !ok {
		e.errorPage(w, r, http.StatusForbidden, 0, "Only an account owner or admin, or a role with Roles: Edit, can manage roles.")
		return nil
	}
	return u
}

// roleForm reads a form posted to /role/{id}/…: the actor, who must be
// allowed to manage roles, the account's role and the form. On failure it
// has answered and u is nil.
func (e *Emulator) roleForm(w http.ResponseWriter, r *http.Request) (u *User, role Role, form url.Values) {
	if u = e.rolesActor(w, r); u == nil {
		return nil, role, nil
	}
	role, ok := e.accountRole(u, r.PathValue("id"))
	if !ok {
		e.errorPage(w, r, http.StatusNotFound, 0, "This role does not exist.")
		return nil, role, nil
	}
	form, ok = parseForm(r)
	if !ok {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Invalid request.")
		return nil, role, nil
	}
	return u, role, form
}

type roleRow struct {
	Role
	Key     string // the id in page URLs: built-ins use Zoom's "0", "1", "2"
	Members int
}

func (e *Emulator) handleRoles(w http.ResponseWriter, r *http.Request) {
	u := e.rolesActor(w, r)
	if u == nil {
		return
	}
	var rows []roleRow
	for _, role := range e.Roles(u.AccountID) {
		rows = append(rows, roleRow{Role: role, Key: publicRoleID(&role), Members: len(e.roleMembers(role.ID))})
	}
	e.render(w, r, http.StatusOK, "roles", map[string]any{"Title": "Zoom Roles - Zoom", "User": e.publicUserCopy(u),
		"Roles": rows, "Notice": r.URL.Query().Get("notice")})
}

func (e *Emulator) handleRoleNew(w http.ResponseWriter, r *http.Request) {
	u := e.rolesActor(w, r)
	if u == nil {
		return
	}
	e.render(w, r, http.StatusOK, "role-new", map[string]any{"Title": "Add Role - Zoom", "User": e.publicUserCopy(u)})
}

func (e *Emulator) handleRoleCreate(w http.ResponseWriter, r *http.Request) {
	u := e.rolesActor(w, r)
	if u == nil {
		return
	}
	form, ok := parseForm(r)
	if !ok {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Invalid request.")
		return
	}
	name, desc := strings.TrimSpace(form.Get("name")), strings.TrimSpace(form.Get("description"))
	role, err := e.AddRole(u.AccountID, name, desc, nil)
	if err != nil {
		msg := "Enter a role name of at most 64 characters."
		if name != "" && len(name) <= 64 {
			msg = "A role named " + strconv.Quote(name) + " already exists."
		}
		e.render(w, r, http.StatusBadRequest, "role-new", map[string]any{"Title": "Add Role - Zoom", "User": e.publicUserCopy(u),
			"Error": msg, "Name": name, "Description": desc})
		return
	}
	http.Redirect(w, r, "/role/"+url.PathEscape(publicRoleID(&role))+"?notice="+url.QueryEscape("Role added. Choose its permissions, then add members."), http.StatusSeeOther)
}

// accountRole finds a role of the user's account by its id in page URLs.
func (e *Emulator) accountRole(u *User, id string) (Role, bool) {
	for _, r := range e.Roles(u.AccountID) {
		if publicRoleID(&r) == id {
			return r, true
		}
	}
	return Role{}, false
}

type privilegeRow struct {
	privilegeArea
	View, Edit bool
}

func (e *Emulator) handleRoleEdit(w http.ResponseWriter, r *http.Request) {
	u := e.rolesActor(w, r)
	if u == nil {
		return
	}
	role, ok := e.accountRole(u, r.PathValue("id"))
	if !ok {
		e.errorPage(w, r, http.StatusNotFound, 0, "This role does not exist.")
		return
	}
	var rows []privilegeRow
	for _, a := range privilegeAreas {
		rows = append(rows, privilegeRow{a, slices.Contains(role.Permissions, a.Area+":Read"), slices.Contains(role.Permissions, a.Area+":Edit")})
	}
	members := e.roleMembers(role.ID)
	var others []User
	for _, o := range e.Users(u.AccountID) {
		if !slices.ContainsFunc(members, func(m User) bool { return m.ID == o.ID }) && o.RoleName != RoleOwner {
			others = append(others, o)
		}
	}
	e.render(w, r, http.StatusOK, "role", map[string]any{"Title": role.Name + " - Zoom Roles", "User": e.publicUserCopy(u),
		"Role": role, "Key": publicRoleID(&role), "Rows": rows, "Members": members, "Others": others, "Notice": r.URL.Query().Get("notice")})
}

// handleRolePermissions saves the ticked boxes. Edit implies View, as in
// Zoom's editor; built-in roles cannot be changed.
func (e *Emulator) handleRolePermissions(w http.ResponseWriter, r *http.Request) {
	u, role, form := e.roleForm(w, r)
	if u == nil {
		return
	}
	if role.BuiltIn {
		e.errorPage(w, r, http.StatusBadRequest, 0, "The "+role.Name+" role's permissions cannot be changed.")
		return
	}
	var perms []string
	for _, a := range privilegeAreas {
		edit := slices.Contains(form["perm"], a.Area+":Edit")
		if edit || slices.Contains(form["perm"], a.Area+":Read") {
			perms = append(perms, a.Area+":Read")
		}
		if edit {
			perms = append(perms, a.Area+":Edit")
		}
	}
	if _, err := e.SetRolePermissions(role.ID, perms); err != nil {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Those permissions cannot be saved.")
		return
	}
	http.Redirect(w, r, "/role/"+url.PathEscape(publicRoleID(&role))+"?notice="+url.QueryEscape("Permissions saved."), http.StatusSeeOther)
}

// handleRoleMembers assigns the chosen user to the role.
func (e *Emulator) handleRoleMembers(w http.ResponseWriter, r *http.Request) {
	u, role, form := e.roleForm(w, r)
	if u == nil {
		return
	}
	member, found := e.accountUser(u.AccountID, form.Get("user_id"))
	if !found || member.RoleName == RoleOwner {
		e.errorPage(w, r, http.StatusBadRequest, 0, "Choose a user of this account (the owner's role cannot change).")
		return
	}
	if _, err := e.UpdateUser(member.ID, UserChange{Role: &role.Name}); err != nil {
		e.errorPage(w, r, http.StatusBadRequest, 0, "That user cannot be added to this role.")
		return
	}
	http.Redirect(w, r, "/role/"+url.PathEscape(publicRoleID(&role))+"?notice="+url.QueryEscape(member.DisplayName()+" was added to "+role.Name+"."), http.StatusSeeOther)
}

func (e *Emulator) accountUser(accountID, id string) (User, bool) {
	for _, o := range e.Users(accountID) {
		if o.ID == id {
			return o, true
		}
	}
	return User{}, false
}

// roleMembers lists the users holding a role.
func (e *Emulator) roleMembers(roleID string) []User {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.usersWhereLocked(func(u *User) bool { return u.RoleID == roleID })
}

func (e *Emulator) publicUserCopy(u *User) User {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.publicUser(u)
}

type meetingRow struct {
	Meeting
	Host  string
	Start string
}

// handleMeetingsPage lists the account's upcoming and past meetings, each in
// the signed-in user's time zone, as Zoom's Meetings page does.
func (e *Emulator) handleMeetingsPage(w http.ResponseWriter, r *http.Request) {
	u := e.portalUser(w, r)
	if u == nil {
		return
	}
	loc, err := time.LoadLocation(u.Timezone)
	if err != nil {
		loc = time.UTC
	}
	hosts := map[string]string{}
	for _, o := range e.Users(u.AccountID) {
		hosts[o.ID] = o.DisplayName()
	}
	var rows []meetingRow
	for _, m := range e.Meetings(u.AccountID) {
		rows = append(rows, meetingRow{Meeting: m, Host: hosts[m.HostID], Start: m.StartTime.In(loc).Format("Mon, Jan 2, 2006 3:04 PM MST")})
	}
	e.render(w, r, http.StatusOK, "meetings", map[string]any{"Title": "Meetings - Zoom", "User": e.publicUserCopy(u),
		"Meetings": rows, "Zone": loc.String()})
}

func (e *Emulator) scopeLabels() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, s := range e.st.appScopes {
		out = append(out, scopeLabel(s))
	}
	return out
}

// knownMeeting reports whether a meeting id exists and is not deleted.
func (e *Emulator) knownMeeting(id string) bool {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.st.meetings[n]
	return ok && !m.Deleted
}

const portalTemplates = `
{{define "app"}}{{template "head" .}}
{{with .Notice}}<div class="notice">{{.}}</div>{{end}}
<div class="card">
<div class="row" style="align-items:flex-start"><div class="appicon">IP</div>
<div class="grow"><h1 style="margin:0">{{.App}}</h1><span class="muted">Admin-managed app &middot; Scheduling</span></div>
<div class="preapprove" id="preapproval">
{{if .Manage}}<form method="post" action="/marketplace/apps/{{.ClientID}}/preapprove" style="margin:0">
<input type="hidden" name="on" value="{{if .Install.PreApproved}}0{{else}}1{{end}}"><input type="hidden" name="back" value="app">
<button type="submit" class="toggle" role="switch" aria-checked="{{if .Install.PreApproved}}true{{else}}false{{end}}" id="preapprove-switch"><span class="knob"></span></button>
<label for="preapprove-switch">Pre-approve</label></form>
{{else}}<span class="muted">Pre-approval: {{if .Install.PreApproved}}ON{{else}}OFF{{end}}</span>{{end}}
</div></div>
<p>{{.App}} schedules interviews and creates a Zoom meeting for each remote one.</p>
{{if .Manage}}<p class="muted">Pre-approval lets users whose role holds the permissions below add {{.App}} for the account.</p>{{else}}<p class="muted">Only an account owner or admin can change pre-approval.</p>{{end}}
<h2>Scopes the app requests</h2><ul class="scopes">{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<p class="muted">To let a user who is not an admin add the app, give their role "Users: View and Edit" and "Zoom Rooms: View" on the <a href="/role">Zoom Roles</a> page.</p>
</div>
{{template "foot" .}}{{end}}

{{define "roles"}}{{template "head" .}}
{{with .Notice}}<div class="notice">{{.}}</div>{{end}}
<div class="card"><div class="row" style="padding-top:0"><h1 class="grow" style="margin:0">Zoom Roles</h1><a class="btn btn-primary" id="add-role" href="/role/new">+ Add Role</a></div>
<table class="list"><thead><tr><th>Role name</th><th>Description</th><th>Members</th></tr></thead><tbody>
{{range .Roles}}<tr><td><a href="/role/{{.Key}}">{{.Name}}</a></td><td class="muted">{{.Description}}</td><td>{{.Members}}</td></tr>{{end}}
</tbody></table></div>
{{template "foot" .}}{{end}}

{{define "role-new"}}{{template "head" .}}
<div class="card"><h1>Add Role</h1>
{{with .Error}}<div class="alert" role="alert">{{.}}</div>{{end}}
<form method="post" action="/role">
<p><label for="role-name">Role name</label><br><input id="role-name" name="name" value="{{.Name}}" maxlength="64" required></p>
<p><label for="role-description">Description</label><br><textarea id="role-description" name="description" rows="3">{{.Description}}</textarea></p>
<p style="display:flex;gap:12px"><a class="btn btn-secondary" href="/role">Cancel</a><button class="btn btn-primary" type="submit" id="role-add">Add</button></p>
</form></div>
{{template "foot" .}}{{end}}

{{define "role"}}{{template "head" .}}
{{with .Notice}}<div class="notice">{{.}}</div>{{end}}
<div class="card"><p><a href="/role">&larr; Zoom Roles</a></p><h1>{{.Role.Name}}</h1><p class="muted">{{.Role.Description}}</p>
<h2>Role settings</h2>
<p class="muted">These are permissions of the people in this role, not of the apps they authorize.</p>
{{if .Role.BuiltIn}}<p class="muted">Built-in roles cannot be changed.</p>{{end}}
<form method="post" action="/role/{{.Key}}/permissions">
<table class="list"><thead><tr><th>Privilege</th><th>View</th><th>Edit</th></tr></thead><tbody>
{{$section := ""}}{{range .Rows}}{{if ne .Section $section}}{{$section = .Section}}<tr><th colspan="3">{{.Section}}</th></tr>{{end}}
<tr><td>{{.Label}}</td>
<td><input type="checkbox" name="perm" value="{{.Area}}:Read" aria-label="{{.Label}}: View"{{if .View}} checked{{end}}{{if $.Role.BuiltIn}} disabled{{end}}></td>
<td><input type="checkbox" name="perm" value="{{.Area}}:Edit" aria-label="{{.Label}}: Edit"{{if .Edit}} checked{{end}}{{if $.Role.BuiltIn}} disabled{{end}}></td></tr>{{end}}
</tbody></table>
{{if not .Role.BuiltIn}}<p><button class="btn btn-primary" type="submit" id="role-save">Save</button></p>{{end}}
</form></div>
<div class="card"><h2>Members</h2>
{{range .Members}}<div class="row"><div class="grow"><strong>{{.FirstName}} {{.LastName}}</strong> <span class="muted">{{.Email}}</span></div></div>{{else}}<p class="muted">No one has this role yet.</p>{{end}}
{{if .Others}}<form method="post" action="/role/{{.Key}}/members" style="display:flex;gap:12px;margin-top:12px;flex-wrap:wrap">
<label for="member">Add Members</label><select id="member" name="user_id">{{range .Others}}<option value="{{.ID}}">{{.FirstName}} {{.LastName}} ({{.Email}}, {{.RoleName}})</option>{{end}}</select>
<button class="btn btn-primary" type="submit" id="member-add">Add</button></form>{{end}}
</div>
{{template "foot" .}}{{end}}

{{define "meetings"}}{{template "head" .}}
<div class="card"><h1>Meetings</h1><p class="muted">Every meeting of your account; times in {{.Zone}}.</p>
<table class="list"><thead><tr><th>Start</th><th>Topic</th><th>Host</th><th>Meeting ID</th></tr></thead><tbody>
{{range .Meetings}}<tr><td>{{.Start}} ({{.Duration}} min)</td><td><a href="{{.JoinURL}}">{{.Topic}}</a></td><td>{{.Host}}</td><td>{{.ID}}</td></tr>{{else}}<tr><td colspan="4" class="muted">No meetings.</td></tr>{{end}}
</tbody></table></div>
{{template "foot" .}}{{end}}
`
