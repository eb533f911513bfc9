package microsoft_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// An admin walks "Connect your Microsoft 365" in a browser: from
// Integrations → Calendars to the emulator's consent page, as a Global
// Administrator, and back to a connected tenant with its rooms.
func TestBrowserConnectMicrosoft365(t *testing.T) {
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_MS_EMULATOR_ADDR": "127.0.0.1:0"}})
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@globex.example")
	b.Do(
		chromedp.Navigate(a.URL+"/integrations/calendars"),
		chromedp.WaitVisible(chromedp.CSS(`#company-calendars`)),
		chromedp.Click(`//a[text()='Microsoft 365']`),
		chromedp.WaitVisible(chromedp.CSS(`#ms-permissions`)),
		chromedp.Click(chromedp.CSS(`#ms-connect`)),
		chromedp.WaitVisible(`//label[contains(., 'Gloria Bex')]`),
	)
	if page := b.Text("body"); !strings.Contains(page, "Calendars.ReadWrite") || !strings.Contains(page, "Place.Read.All") {
		t.Fatalf("consent page: %s", page)
	}
	b.Do(
		chromedp.Click(`//label[contains(., 'Gloria Bex')]/input`),
		chromedp.Click(`//button[@value='accept']`),
		chromedp.WaitVisible(chromedp.CSS(`#ms-state`)),
	)
	if s := b.Text("#ms-state"); s != "Connected" {
		t.Fatalf("state %q", s)
	}
	if rooms := b.Text("#ms-rooms"); !strings.Contains(rooms, "Spree") || !strings.Contains(rooms, "8 seats") {
		t.Fatalf("rooms %q", rooms)
	}
	b.Do(chromedp.Navigate(a.URL+"/integrations/calendars"), chromedp.WaitVisible(chromedp.CSS(`#company-calendars`)))
	if s := b.Text("#company-calendars"); !strings.Contains(s, "Microsoft 365 — Connected") {
		t.Fatalf("calendars section: %q", s)
	}
}
