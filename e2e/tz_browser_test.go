package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
)

// Time-zone fields are pickers over every IANA zone: typing narrows the
// zones, and an empty field starts at the browser's zone — on the page
// that accepts an invitation and on a new candidate.
func TestBrowserTimeZonePickerDefaultsToTheBrowsersZone(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	var inv struct {
		Link string `json:"link"`
	}
	res := admin.JSON("POST", "/api/v1/invitations", `{"email":"new.zone@example.com","role":"scheduler"}`)
	if res.StatusCode != 201 {
		t.Fatalf("invite: %d %s", res.StatusCode, res.Body)
	}
	mustDecode(t, res, &inv)
	link, err := url.Parse(inv.Link)
	if err != nil || inv.Link == "" {
		t.Fatalf("invitation link %q", inv.Link)
	}
	b := browsertest.New(t)
	b.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"})
		return err
	}))
	field := `input[name=time_zone]`
	check := func(page string) {
		t.Helper()
		b.Do(chromedp.Navigate(a.URL+page), chromedp.WaitVisible(chromedp.CSS(field)))
		if v := browsertest.Get(b, chromedp.Evaluate[string](`document.querySelector('input[name=time_zone]').value`)); v != "Asia/Kolkata" {
			t.Errorf("%s: the zone starts at %q, want the browser's Asia/Kolkata", page, v)
		}
		if hint := browsertest.Get(b, chromedp.Evaluate[string](`(document.querySelector('.tz-hint')||{}).textContent||''`)); !strings.Contains(hint, "Asia/Kolkata") {
			t.Errorf("%s: the hint says %q", page, hint)
		}
		n := browsertest.Get(b, chromedp.Evaluate[int](`document.querySelector('input[name=time_zone]').list ? document.querySelector('input[name=time_zone]').list.options.length : 0`))
		if n < 300 {
			t.Errorf("%s: the picker offers %d zones", page, n)
		}
		// Searching: the zones a person typing "kolk" or "new_y" is offered.
		for q, want := range map[string]string{"kolk": "Asia/Kolkata", "new_y": "America/New_York"} {
			got := browsertest.Get(b, chromedp.Evaluate[[]string](`[...document.querySelector('input[name=time_zone]').list.options].map(o => o.value).filter(v => v.toLowerCase().includes(`+"'"+q+"'"+`))`))
			if len(got) == 0 || got[0] != want {
				t.Errorf("%s: searching %q offers %v", page, q, got)
			}
		}
	}
	check(link.RequestURI())
	b.SignIn(a.URL, "admin@example.com")
	check("/candidates/new")
}
