package zoomemu_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"interviewplanner/zoomemu"
)

// startWithoutRole runs the demo account with Riley as a plain Member, so the
// article's role is still to be created.
func startWithoutRole(t *testing.T) *env {
	t.Helper()
	e := MustStart(t)
	e.Reset()
	e.account = e.SeedDemo(zoomemu.Demo{WithoutRole: true})
	e.users = map[string]zoomemu.User{}
	for _, u := range e.Users(e.account) {
		e.users[u.Email] = u
	}
	return e
}

func location(t *testing.T, r resp) string {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("want 303, got %d %s", r.status, r.body)
	}
	return r.header.Get("Location")
}

// The help article's steps, as a Zoom admin clicks them: pre-approve on the
// app's page, "+ Add Role" on Zoom Roles, the two permissions, then a member;
// the member may then authorize the app.
func TestArticleRoleAndPreApprovalSteps(t *testing.T) {
	e := startWithoutRole(t)
	riley := e.browser(t)
	e.signIn(t, riley, "riley@example.com")
	if page := e.get(t, riley, "/oauth/authorize?"+authorizeQuery(nil)); !strings.Contains(string(page.body), "You cannot authorize") {
		t.Fatalf("Riley may authorize before the steps:\n%s", page.body)
	}

	admin := e.browser(t)
	e.signIn(t, admin, "it@example.com")
	app := e.get(t, admin, "/marketplace/apps/"+clientID)
	if app.status != 200 || !strings.Contains(string(app.body), `role="switch" aria-checked="false"`) {
		t.Fatalf("app page %d:\n%s", app.status, app.body)
	}
	back := location(t, e.postForm(t, admin, "/marketplace/apps/"+clientID+"/preapprove", url.Values{"on": {"1"}, "back": {"app"}}))
	if !strings.HasPrefix(back, "/marketplace/apps/"+clientID) {
		t.Fatalf("pre-approve went back to %s, want the app page", back)
	}
	if !strings.Contains(string(e.get(t, admin, back).body), `aria-checked="true"`) {
		t.Fatal("switch not on after pre-approval")
	}

	roles := e.get(t, admin, "/role")
	if roles.status != 200 || !strings.Contains(string(roles.body), "+ Add Role") {
		t.Fatalf("roles page %d:\n%s", roles.status, roles.body)
	}
	const desc = "Role with the necessary permissions for InterviewPlanner to schedule interviews"
	rolePage := location(t, e.postForm(t, admin, "/role", url.Values{"name": {"InterviewPlanner"}, "description": {desc}}))
	id := strings.TrimPrefix(strings.SplitN(rolePage, "?", 2)[0], "/role/")
	page := e.get(t, admin, "/role/"+id)
	for _, want := range []string{"InterviewPlanner", desc, "Users", "Zoom Rooms", `value="User:Edit"`, `value="ZoomRooms:Read"`} {
		if !strings.Contains(string(page.body), want) {
			t.Fatalf("role page lacks %q:\n%s", want, page.body)
		}
	}
	// "Users: View and Edit" and "Zoom Rooms: View".
	location(t, e.postForm(t, admin, "/role/"+id+"/permissions", url.Values{"perm": {"User:Read", "User:Edit", "ZoomRooms:Read"}}))
	location(t, e.postForm(t, admin, "/role/"+id+"/members", url.Values{"user_id": {e.users["riley@example.com"].ID}}))
	var got zoomemu.Role
	for _, r := range e.Roles(e.account) {
		if r.ID == id {
			got = r
		}
	}
	if strings.Join(got.Permissions, ",") != "User:Edit,User:Read,ZoomRooms:Read" || got.Description != desc {
		t.Fatalf("role = %+v", got)
	}
	if u, _ := e.UserByEmail("riley@example.com"); u.RoleName != "InterviewPlanner" {
		t.Fatalf("Riley's role = %q", u.RoleName)
	}
	if page := e.get(t, riley, "/oauth/authorize?"+authorizeQuery(nil)); strings.Contains(string(page.body), "You cannot authorize") {
		t.Fatalf("Riley still blocked after the article's steps:\n%s", page.body)
	}
}

func TestRoleEditorRules(t *testing.T) {
	e := startWithoutRole(t)
	admin := e.browser(t)
	e.signIn(t, admin, "admin@example.com")
	// Edit implies View, as in Zoom's editor.
	page := location(t, e.postForm(t, admin, "/role", url.Values{"name": {"Schedulers"}}))
	id := strings.TrimPrefix(strings.SplitN(page, "?", 2)[0], "/role/")
	location(t, e.postForm(t, admin, "/role/"+id+"/permissions", url.Values{"perm": {"User:Edit", "Bogus:Edit"}}))
	for _, r := range e.Roles(e.account) {
		if r.ID == id && strings.Join(r.Permissions, ",") != "User:Edit,User:Read" {
			t.Fatalf("permissions = %v", r.Permissions)
		}
	}
	// A duplicate name is a clear error and adds nothing.
	before := len(e.Roles(e.account))
	dup := e.postForm(t, admin, "/role", url.Values{"name": {"schedulers"}})
	if dup.status != http.StatusBadRequest || !strings.Contains(string(dup.body), "already exists") || len(e.Roles(e.account)) != before {
		t.Fatalf("duplicate role: %d\n%s", dup.status, dup.body)
	}
	// Built-in roles do not change; the owner's role cannot be reassigned.
	if r := e.get(t, admin, "/role/1"); r.status != http.StatusOK || !strings.Contains(string(r.body), "Built-in roles cannot be changed") {
		t.Fatalf("built-in Admin role page: %d", r.status)
	}
	if r := e.postForm(t, admin, "/role/1/permissions", url.Values{}); r.status != http.StatusBadRequest {
		t.Fatalf("built-in Admin role changed: %d", r.status)
	}
	if r := e.postForm(t, admin, "/role/"+id+"/members", url.Values{"user_id": {e.users["admin@example.com"].ID}}); r.status != http.StatusBadRequest {
		t.Fatalf("owner reassigned: %d", r.status)
	}
	// Another account's role is not found.
	other := e.CreateAccount("Other")
	otherRole, _ := e.AddRole(other, "Theirs", "", nil)
	if r := e.get(t, admin, "/role/"+otherRole.ID); r.status != http.StatusNotFound {
		t.Fatalf("other account's role: %d", r.status)
	}
	// A Member may not manage roles.
	sam := e.browser(t)
	e.signIn(t, sam, "sam@example.com")
	if r := e.get(t, sam, "/role"); r.status != http.StatusForbidden {
		t.Fatalf("member sees roles: %d", r.status)
	}
	if r := e.postForm(t, sam, "/role", url.Values{"name": {"Mine"}}); r.status != http.StatusForbidden {
		t.Fatalf("member adds role: %d", r.status)
	}
}

func TestJoinLinksAndMeetingsPage(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	r := e.call(t, tok.Access, http.MethodPost, "/v2/users/me/meetings",
		map[string]any{"topic": "Onsite with Kim", "type": 2, "start_time": "2026-12-01T15:00:00Z", "duration": 45})
	id := num(t, r.json(t), "id")
	c := e.browser(t)
	if r := e.get(t, c, fmt.Sprintf("/j/%d", id)); r.status != http.StatusOK {
		t.Fatalf("join existing: %d", r.status)
	}
	for _, p := range []string{"/j/12345678901", "/j/not-a-number", "/s/12345678901"} {
		if r := e.get(t, c, p); r.status != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", p, r.status)
		}
	}
	e.signIn(t, c, "it@example.com")
	page := e.get(t, c, "/meeting")
	// Ivy is in New York: 15:00 UTC is 10:00 AM EST.
	for _, want := range []string{"Onsite with Kim", fmt.Sprint(id), "10:00 AM EST", "Ada Lovelace"} {
		if !strings.Contains(string(page.body), want) {
			t.Fatalf("meetings page lacks %q:\n%s", want, page.body)
		}
	}
	e.DeleteMeetingBehindApp(id)
	if r := e.get(t, c, fmt.Sprintf("/j/%d", id)); r.status != http.StatusNotFound {
		t.Fatalf("join deleted: %d", r.status)
	}
}
