package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/zoomconnect/zoomconnecttest"
	"interviewplanner/zoomemu"

	"interviewplanner/app/apptest/browsertest"
)

// The help article's path for a Zoom user who is not an admin, clicked in
// the emulator: the admin pre-approves the app with the switch in the top
// right of its Marketplace page, adds the "InterviewPlanner" role on Zoom
// Roles with "Users: View and Edit" and "Zoom Rooms: View", adds Riley to
// it; Riley then connects Zoom to InterviewPlanner.
func TestBrowserZoomArticleRoleSteps(t *testing.T) {
	t.Parallel()
	a, z := startWithZoom(t)
	z.Reset()
	z.AccountID = z.SeedDemo(zoomemu.Demo{WithoutRole: true})
	if _, err := z.UpdateAccount(z.AccountID, "", "business"); err != nil {
		t.Fatal(err)
	}
	const desc = "Role with the necessary permissions for InterviewPlanner to schedule interviews"
	b := browsertest.New(t)
	ivy := chromedp.CSS(`form[action="/signin"]:has(input[value="` + z.UserID("it@example.com") + `"]) button`)
	b.Do(
		chromedp.Navigate(z.URL+"/signin?next=/marketplace/apps/"+zoomconnecttest.ClientID),
		chromedp.Click(ivy),
		chromedp.WaitVisible(chromedp.CSS(`#preapprove-switch[aria-checked=false]`)),
		chromedp.Click(chromedp.CSS(`#preapprove-switch`)),
		chromedp.WaitVisible(chromedp.CSS(`#preapprove-switch[aria-checked=true]`)),
	)
	b.Screenshot("zoomemu-app-preapproved")
	if in, _ := z.InstallState(z.AccountID); !in.PreApproved {
		t.Fatal("switch did not pre-approve")
	}
	b.Do(
		chromedp.Click(chromedp.CSS(`header nav a[href="/role"]`)),
		chromedp.Click(chromedp.CSS(`#add-role`)),
		chromedp.SendKeys(chromedp.CSS(`#role-name`), "InterviewPlanner"),
		chromedp.SendKeys(chromedp.CSS(`#role-description`), desc),
		chromedp.Click(chromedp.CSS(`#role-add`)),
		chromedp.WaitVisible(chromedp.CSS(`#role-save`)),
		chromedp.Click(chromedp.CSS(`input[aria-label="Users: View"]`)),
		chromedp.Click(chromedp.CSS(`input[aria-label="Users: Edit"]`)),
		chromedp.Click(chromedp.CSS(`input[aria-label="Zoom Rooms: View"]`)),
		chromedp.Click(chromedp.CSS(`#role-save`)),
		// Each step's page has a notice of its own: wait for this step's,
		// not the one still showing from the step before.
		chromedp.WaitVisible(chromedp.Search(`//div[@class="notice"][contains(., "Permissions saved")]`)),
		chromedp.SetValue(chromedp.CSS(`#member`), z.UserID("riley@example.com")),
		chromedp.Click(chromedp.CSS(`#member-add`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@class="notice"][contains(., "was added to")]`)),
	)
	if got := b.Text(`.notice`); !strings.Contains(got, "Riley Morgan was added to InterviewPlanner") {
		t.Fatalf("notice = %q", got)
	}
	b.Screenshot("zoomemu-role")
	b.Do(chromedp.EmulateViewport(390, 844))
	b.Screenshot("zoomemu-role-390")
	b.Do(chromedp.EmulateViewport(1280, 900))
	var role zoomemu.Role
	for _, r := range z.Roles(z.AccountID) {
		if r.Name == "InterviewPlanner" {
			role = r
		}
	}
	if strings.Join(role.Permissions, ",") != "User:Edit,User:Read,ZoomRooms:Read" || role.Description != desc {
		t.Fatalf("role = %+v", role)
	}

	b.Do(chromedp.Click(chromedp.CSS(`header form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS(`header a[href="/signin"]`)))
	b.SignIn(a.URL, "admin@example.com")
	connectZoomAs(b, a, z, "riley@example.com")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-state`)))
	if got := b.Text(`#zoom-state`); got != "Connected" {
		t.Fatalf("state = %q", got)
	}
}
