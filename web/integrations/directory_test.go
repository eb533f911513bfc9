package integrations_test

import (
	"net/http"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/store"
)

// The Zoom section lists the Zoom users, each with the InterviewPlanner user
// it matches, and the Zoom Rooms, not only their counts.
func TestIntegrationsListsZoomUsersAndRooms(t *testing.T) {
	t.Parallel()
	e := start(t)
	admin := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, admin, "admin@example.com"))
	page := admin.Get("/integrations?edit=1")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", page.StatusCode)
	}
	for _, want := range []string{`id="zoom-users"`, "priya@example.com", `<span class="zoom-match">Priya Patel</span>`,
		"sam@example.com", `id="zoom-rooms"`, "Boardroom", "Huddle Room 1", "Tokyo"} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("Integrations lacks %q", want)
		}
	}
	// Times on the page are in the viewer's zone, named (Ada is in New York).
	if !strings.Contains(page.Body, " EST") && !strings.Contains(page.Body, " EDT") {
		t.Fatalf("connected time not in the viewer's zone")
	}
}

// Someone who is not an admin learns whom to ask.
func TestIntegrationsNamesAdminsForNonAdmins(t *testing.T) {
	t.Parallel()
	e := start(t)
	sam := e.app.SignIn(t, "sam@example.com")
	page := sam.Get("/integrations")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `<strong id="zoom-admins">Ada Lovelace</strong>`) {
		t.Fatalf("non-admin page %d lacks the admins' names:\n%s", page.StatusCode, page.Body)
	}
}

// Without Zoom settings (no demo), Integrations stays in the menu and
// explains how to configure Zoom instead of answering 404.
func TestIntegrationsWithoutZoomSettingsExplains(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{NoDemo: true})
	hash, err := a.Main.Web.PasswordHash(apptest.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	acct, _, err := a.DB.CreateAccountWithAdmin(t.Context(), "Initech", store.NewUser{Email: "boss@initech.test", Name: "Bill Lumbergh",
		Role: domain.RoleAdmin, TimeZone: "America/Chicago", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.CreateUser(t.Context(), acct.ID, store.NewUser{Email: "peter@initech.test", Name: "Peter Gibbons",
		Role: domain.RoleScheduler, TimeZone: "America/Chicago", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	boss := a.SignIn(t, "boss@initech.test")
	page := boss.Get("/integrations")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("Integrations without Zoom settings: %d", page.StatusCode)
	}
	for _, want := range []string{`href="/integrations"`, `id="zoom-setup"`, "IP_ZOOM_CLIENT_ID", "IP_ZOOM_WEBHOOK_SECRET",
		"/integrations/zoom/callback", "/integrations/zoom/deauthorize"} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("page lacks %q:\n%s", want, page.Body)
		}
	}
	peter := a.SignIn(t, "peter@initech.test")
	page = peter.Get("/integrations")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Bill Lumbergh") || strings.Contains(page.Body, "IP_ZOOM_CLIENT_SECRET") {
		t.Fatalf("non-admin page %d:\n%s", page.StatusCode, page.Body)
	}
	api := boss.Get("/api/v1/integrations/zoom")
	if api.StatusCode != http.StatusOK || !strings.Contains(api.Body, "not set up") {
		t.Fatalf("status API: %d %s", api.StatusCode, api.Body)
	}
}
