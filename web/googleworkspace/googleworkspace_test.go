package googleworkspace_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
	"interviewplanner/googleconnect"
	"interviewplanner/store/googlestore"
)

func accountOf(t *testing.T, a *apptest.App) int64 {
	t.Helper()
	u, _, err := a.DB.GetUserForSignIn(t.Context(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return u.AccountID
}

func start(t *testing.T) (*apptest.App, string) {
	t.Helper()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0", "IP_GOOGLE_EMULATOR_ADDR": "127.0.0.1:0"}})
	page := a.SignIn(t, "admin@example.com").Get("/integrations/google").Body
	m := regexp.MustCompile(`built-in emulator at <a href="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no emulator link on the page: %s", page)
	}
	return a, m[1]
}

func upload(t *testing.T, c *apptest.Client, key []byte, admin string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("key", "key.json")
	_, _ = fw.Write(key)
	_ = w.WriteField("admin_email", admin)
	_ = w.Close()
	return c.Do(http.MethodPost, "/integrations/google/service-account", &body, http.Header{"Content-Type": {w.FormDataContentType()}})
}

func post(t *testing.T, u string, v url.Values) []byte {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

func TestServiceAccountUploadOnThePage(t *testing.T) {
	t.Parallel()
	a, emu := start(t)
	admin := a.SignIn(t, "admin@example.com")
	if cal := admin.Get("/integrations/calendars").Body; !strings.Contains(cal, "Google Workspace</a> — Not connected") {
		t.Errorf("Integrations → Calendars does not offer Google Workspace: %s", cal)
	}
	res := upload(t, admin, []byte("not a key"), "admin@example.com")
	if res.StatusCode != 400 || !strings.Contains(res.Body, "The file is not JSON") {
		t.Errorf("not JSON: %d %s", res.StatusCode, res.Body)
	}
	key := post(t, emu+"/console/keys", url.Values{"project_id": {"acme-scheduling"}, "name": {"interviewplanner"}})
	res = upload(t, admin, key, "admin@example.com")
	clientID := regexp.MustCompile(`"client_id": "(\d+)"`).FindSubmatch(key)
	if res.StatusCode != 400 || !strings.Contains(res.Body, "unauthorized_client") || clientID == nil ||
		!strings.Contains(res.Body, `<code id="dwd-client-id">`+string(clientID[1])+`</code>`) ||
		!strings.Contains(res.Body, strings.Join(googleconnect.Scopes, ",")) {
		t.Fatalf("without delegation: %d %s", res.StatusCode, res.Body)
	}
	if page := admin.Get("/integrations/google").Body; strings.Contains(page, "google-status") {
		t.Error("a failed upload stored a connection")
	}
	post(t, emu+"/console/dwd", url.Values{"domain": {"example.com"}, "client_id": {string(clientID[1])}, "scopes": {strings.Join(googleconnect.Scopes, ",")}})
	// An interviewer may not connect.
	if res := upload(t, a.SignIn(t, "priya@example.com"), key, "admin@example.com"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an interviewer uploaded: %d", res.StatusCode)
	}
	res = upload(t, admin, key, "admin@example.com")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, res.Body)
	}
	page := admin.Get("/integrations/google").Body
	for _, want := range []string{"domain-wide delegation", "15 matched to interviewers", "Boardroom", "priya@example.com"} {
		if !strings.Contains(page, want) {
			t.Errorf("connected page lacks %q", want)
		}
	}
	if cal := admin.Get("/integrations/calendars").Body; !strings.Contains(cal, "Connected (example.com, domain-wide delegation)") || !strings.Contains(cal, "Google Calendar") {
		t.Errorf("calendars page after connecting: %s", cal)
	}
	// The scheduling calendar: none yet, picked from the admin's writable calendars, validated.
	if !strings.Contains(page, `id="scheduling-calendar-select"`) || !strings.Contains(page, `<option value="admin@example.com">`) ||
		!strings.Contains(page, "Not chosen: interviews are not written to Google Calendar") {
		t.Errorf("no scheduling calendar picker: %s", page)
	}
	if res := admin.PostForm("/integrations/google/scheduling-calendar", url.Values{"calendar": {"priya@example.com"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "not one the connected administrator can write to") {
		t.Errorf("someone else's calendar: %d %s", res.StatusCode, res.Body)
	}
	if res := a.SignIn(t, "priya@example.com").PostForm("/integrations/google/scheduling-calendar", url.Values{"calendar": {"admin@example.com"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an interviewer chose the scheduling calendar: %d", res.StatusCode)
	}
	if res := admin.PostForm("/integrations/google/scheduling-calendar", url.Values{"calendar": {"admin@example.com"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("choose the scheduling calendar: %d %s", res.StatusCode, res.Body)
	}
	page = admin.Get("/integrations/google").Body
	if !strings.Contains(page, `<option value="admin@example.com" selected>`) || !regexp.MustCompile(`id="scheduling-calendar">[^<]*admin@example.com`).MatchString(page) {
		t.Errorf("the chosen scheduling calendar is not shown: %s", page)
	}
	// A Workspace user not in InterviewPlanner is invited from the page
	// (admins only, directory addresses only).
	if res, err := http.Post(emu+"/_emulator/users", "application/json", strings.NewReader(`{"email":"olivia@example.com","given_name":"Olivia","family_name":"Ng"}`)); err != nil || res.StatusCode >= 300 {
		t.Fatalf("add a Workspace user: %v %v", err, res)
	}
	admin.PostForm("/integrations/google/refresh", nil)
	if page := admin.Get("/integrations/google").Body; !strings.Contains(page, `<input type="hidden" name="email" value="olivia@example.com"><button class="btn secondary small invite"`) {
		t.Errorf("no Invite for an unmatched Workspace user: %s", page)
	}
	if res := a.SignIn(t, "priya@example.com").PostForm("/integrations/google/invite", url.Values{"email": {"olivia@example.com"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an interviewer invited: %d", res.StatusCode)
	}
	if res := admin.PostForm("/integrations/google/invite", url.Values{"email": {"stranger@elsewhere.example"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a stranger was invited: %d", res.StatusCode)
	}
	if res := admin.PostForm("/integrations/google/invite", url.Values{"email": {"priya@example.com"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an existing user was invited: %d", res.StatusCode)
	}
	if res := admin.PostForm("/integrations/google/invite", url.Values{"email": {"Olivia@example.com"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", res.StatusCode, res.Body)
	}
	if users := admin.Get("/users").Body; !strings.Contains(users, "olivia@example.com") {
		t.Error("the invitation is not listed on the users page")
	}
	// Google's usage limits reached: admins are told on the page and at home.
	until := time.Now().Add(2 * time.Hour)
	if err := googlestore.New(a.DB).PauseWrites(t.Context(), accountOf(t, a), &until); err != nil {
		t.Fatal(err)
	}
	if page := admin.Get("/integrations/google").Body; !strings.Contains(page, `id="writes-paused"`) {
		t.Error("the page does not say writes are paused")
	}
	if home := admin.Get("/").Body; !strings.Contains(home, "Google paused writes to the scheduling calendar") {
		t.Error("the admin's home page does not say writes are paused")
	}
	if home := a.SignIn(t, "priya@example.com").Get("/").Body; strings.Contains(home, "Google paused writes") {
		t.Error("an interviewer is told about paused writes")
	}
	if err := googlestore.New(a.DB).PauseWrites(t.Context(), accountOf(t, a), nil); err != nil {
		t.Fatal(err)
	}
	if home := admin.Get("/").Body; strings.Contains(home, "Google paused writes") {
		t.Error("the notice stays after writes resumed")
	}
	if res := admin.PostForm("/integrations/google/disconnect", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", res.StatusCode)
	}
	if cal := admin.Get("/integrations/calendars").Body; strings.Contains(cal, ">Google Calendar<") || !strings.Contains(cal, "Not connected") {
		t.Errorf("calendars page after disconnecting still lists Google calendars")
	}
}

// TestBrowserConnectWithGoogle walks "Connect your Google Workspace" as an
// admin would: from Integrations → Calendars, through Google's account
// chooser and consent page, back to the connected page.
func TestBrowserConnectWithGoogle(t *testing.T) {
	a, _ := start(t)
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	b.Do(
		chromedp.Navigate(a.URL+"/integrations/calendars"),
		chromedp.WaitVisible(chromedp.CSS(`#company-calendars`)),
		chromedp.Click(chromedp.CSS(`#company-calendars a[href="/integrations/google"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#google-oauth`)),
		chromedp.Click(chromedp.CSS(`#google-oauth`)),
		chromedp.WaitVisible(chromedp.CSS(`button.acct`)),
	)
	if h := b.Text("h1"); h != "Choose an account" {
		t.Fatalf("Google's page: %q", h)
	}
	b.Do(
		chromedp.Click(`//button[contains(., 'admin@example.com')]`),
		chromedp.WaitVisible(chromedp.CSS(`button[value=allow]`)),
		chromedp.Click(chromedp.CSS(`button[value=allow]`)),
		chromedp.WaitVisible(chromedp.CSS(`#google-status`)),
	)
	if s := b.Text(`#google-status`); !strings.Contains(s, "Connected") || !strings.Contains(s, "OAuth as a Workspace admin") {
		t.Errorf("status: %q", s)
	}
	b.Screenshot("google-connected")
}

// TestBrowserSchedulingCalendarPicker connects with a service account,
// picks the scheduling calendar in the browser (phone and desktop width)
// and sees it shown, and the paused-writes notice on the home page.
func TestBrowserSchedulingCalendarPicker(t *testing.T) {
	a, emu := start(t)
	admin := a.SignIn(t, "admin@example.com")
	key := post(t, emu+"/console/keys", url.Values{"project_id": {"acme-scheduling"}, "name": {"interviewplanner"}})
	clientID := regexp.MustCompile(`"client_id": "(\d+)"`).FindSubmatch(key)
	post(t, emu+"/console/dwd", url.Values{"domain": {"example.com"}, "client_id": {string(clientID[1])}, "scopes": {strings.Join(googleconnect.Scopes, ",")}})
	if res := upload(t, admin, key, "admin@example.com"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.StatusCode, res.Body)
	}
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	for _, width := range []int64{390, 1280} {
		b.Do(
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(a.URL+"/integrations/google"),
			chromedp.WaitVisible(chromedp.CSS(`#scheduling-calendar-select`)),
			chromedp.SetValue(chromedp.CSS(`#scheduling-calendar-select`), "admin@example.com"),
			// A mark on this page's window: the page after the submit has none.
			chromedp.Evaluate[chromedp.Void](`window.beforeSubmit = true`),
			chromedp.Click(chromedp.CSS(`#scheduling-calendar-form button`)),
		)
		// Asked again until the new page answers: a question put while the
		// page navigates is refused, not answered.
		for loaded := false; !loaded; {
			if err := b.Ctx.Err(); err != nil {
				t.Fatalf("the page after choosing a scheduling calendar never loaded: %v", err)
			}
			loaded, _ = chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`!window.beforeSubmit && document.readyState === "complete" && !!document.querySelector("#scheduling-calendar")`))
			if !loaded {
				time.Sleep(20 * time.Millisecond)
			}
		}
		if s := b.Text(`#scheduling-calendar`); !strings.Contains(s, "admin@example.com") || !strings.Contains(s, "Google sends the invitations") {
			t.Errorf("scheduling calendar shown as %q", s)
		}
		b.Screenshot(fmt.Sprintf("google-scheduling-calendar-%d", width))
	}
	until := time.Now().Add(2 * time.Hour)
	if err := googlestore.New(a.DB).PauseWrites(t.Context(), accountOf(t, a), &until); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{390, 1280} {
		b.Do(chromedp.EmulateViewport(width, 900), chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#home-notices`)))
		if s := b.Text(`#home-notices`); !strings.Contains(s, "Google paused writes") {
			t.Errorf("home notices %q", s)
		}
		b.Screenshot(fmt.Sprintf("home-google-paused-%d", width))
		b.Do(chromedp.Navigate(a.URL+"/integrations/google"), chromedp.WaitVisible(chromedp.CSS(`#writes-paused`)))
		b.Screenshot(fmt.Sprintf("google-paused-%d", width))
	}
}
