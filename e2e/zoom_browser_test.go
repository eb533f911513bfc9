package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
	service "interviewplanner/zoomconnect"
	"interviewplanner/zoomconnect/zoomconnecttest"
	"interviewplanner/zoomemu"
)

// startWithZoom boots the app against a Zoom emulator the test controls.
func startWithZoom(t *testing.T) (*apptest.App, *zoomconnecttest.Zoom) {
	t.Helper()
	z := zoomconnecttest.Start(t)
	a := apptest.Start(t, apptest.Options{Env: z.Env()})
	z.Attach(a.Zoom.RedirectURL, a.URL+service.DeauthorizePath)
	return a, z
}

// connectZoomAs clicks the article's path: Integrations → Edit → Connect
// your account → Continue to Zoom → sign in to Zoom as email → Allow.
func connectZoomAs(b *browsertest.Browser, a *apptest.App, z *zoomconnecttest.Zoom, email string) {
	b.TB.Helper()
	signInAs := chromedp.CSS(`form[action="/signin"]:has(input[value="` + z.UserID(email) + `"]) button`)
	b.Do(
		chromedp.Navigate(a.URL+"/"),
		chromedp.Click(chromedp.CSS(`nav.main a[href="/integrations"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#video-conferencing`)),
		chromedp.Click(chromedp.CSS(`#video-edit`)),
		chromedp.WaitVisible(chromedp.CSS(`#zoom-connect`)),
		chromedp.Click(chromedp.CSS(`#zoom-connect`)),
		chromedp.WaitVisible(chromedp.CSS(`#zoom-continue`)),
	)
	b.Screenshot("zoom-preflight")
	b.Do(
		chromedp.Click(chromedp.CSS(`#zoom-continue`)),
		// Zoom asks who is signed in.
		chromedp.WaitVisible(signInAs),
		chromedp.Click(signInAs),
		chromedp.WaitVisible(chromedp.CSS(`button[name=decision][value=allow]`)),
	)
	b.Screenshot("zoom-authorize")
	b.Do(chromedp.Click(chromedp.CSS(`button[name=decision][value=allow]`)))
}

func TestBrowserZoomAdminConnects(t *testing.T) {
	t.Parallel()
	a, z := startWithZoom(t)
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	connectZoomAs(b, a, z, "admin@example.com")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-account`)))
	if got := b.Text(`#zoom-account`); got != z.AccountID {
		t.Fatalf("Zoom account shown = %q, want %q", got, z.AccountID)
	}
	if got := b.Text(`#zoom-state`); got != "Connected" {
		t.Fatalf("state = %q", got)
	}
	if got := b.Text(`#zoom-authorizer`); !strings.Contains(got, "admin@example.com (Owner)") {
		t.Fatalf("authorizer = %q", got)
	}
	b.Do(chromedp.Navigate(a.URL+"/integrations?edit=1"), chromedp.WaitVisible(chromedp.CSS(`#zoom-users`)))
	if got := b.Text(`#zoom-users`); !strings.Contains(got, "Ada Lovelace (admin)") {
		t.Fatalf("Zoom users = %q", got)
	}
	b.Screenshot("zoom-connected")
	b.Do(chromedp.EmulateViewport(390, 844))
	b.Screenshot("zoom-connected-390")
}

func TestBrowserZoomCannotAuthorize(t *testing.T) {
	t.Parallel()
	a, z := startWithZoom(t)
	z.InjectFault(zoomemu.Fault{Method: http.MethodGet, PathPattern: "/v2/rooms", Status: http.StatusBadRequest, Times: 1,
		Body: `{"code":4711,"message":"Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin]."}`})
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	connectZoomAs(b, a, z, "admin@example.com")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-cannot`)))
	if got := b.Text(`#zoom-result h1`); got != "You cannot authorize the app" {
		t.Fatalf("heading = %q", got)
	}
	if got := b.Text(`#zoom-cannot`); !strings.Contains(got, "is missing permissions") {
		t.Fatalf("message = %q", got)
	}
	if got := b.Text(`#zoom-missing`); !strings.Contains(got, "Zoom Rooms: View") {
		t.Fatalf("missing permissions = %q", got)
	}
	b.Screenshot("zoom-cannot-authorize")
}
