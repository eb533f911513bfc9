package findtimes_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// mustConnectZoom runs the OAuth flow against the Zoom emulator as its
// Owner, admin@example.com.
func mustConnectZoom(tb testing.TB, a *apptest.App, admin *apptest.Client) {
	tb.Helper()
	emu := a.Main.Zoom.AuthURL
	var accts []struct {
		Users []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	res, err := http.Get(emu + "/_emulator/accounts")
	if err != nil {
		tb.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	mustJSON(tb, apptest.Response{StatusCode: res.StatusCode, Body: string(body)}, 200, &accts)
	owner := ""
	for _, ac := range accts {
		for _, u := range ac.Users {
			if u.Email == "admin@example.com" {
				owner = u.ID
			}
		}
	}
	if owner == "" {
		tb.Fatal("the emulator has no Owner admin@example.com")
	}
	start := admin.PostForm("/integrations/zoom/authorize", url.Values{})
	if start.StatusCode != http.StatusSeeOther {
		tb.Fatalf("authorize: %d %s", start.StatusCode, start.Body)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, v url.Values) *http.Response {
		r, err := browser.PostForm(emu+path, v)
		if err != nil {
			tb.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		return r
	}
	post("/signin", url.Values{"user_id": {owner}, "next": {"/"}})
	r, err := browser.Get(start.Header.Get("Location"))
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	form := url.Values{"decision": {"allow"}}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	back := post("/oauth/authorize", form)
	loc, _ := url.Parse(back.Header.Get("Location"))
	if loc == nil || loc.Query().Get("code") == "" {
		tb.Fatalf("Zoom did not redirect back with a code: %d %s", back.StatusCode, back.Header.Get("Location"))
	}
	if done := admin.Get(loc.RequestURI()); done.StatusCode >= 400 {
		tb.Fatalf("callback: %d %s", done.StatusCode, done.Body)
	}
}

// TestZoomStageOptionBooksWithMeetings: with Zoom connected, Find times
// plans the video stage with its hosts, and confirming the chosen option
// through the existing flow creates the Zoom meetings.
func TestZoomStageOptionBooksWithMeetings(t *testing.T) {
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0"}})
	admin := a.SignIn(t, "admin@example.com")
	mustConnectZoom(t, a, admin)
	st := mustStage(t, admin, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, admin, st.ID, "America/New_York")[0]
	r := findTimes(t, admin, id)
	if len(r.Options) == 0 {
		t.Fatalf("no options with Zoom connected: %+v", r.Explanation)
	}
	scID := mustConfirmFirstOption(t, admin, id, r)
	var sc struct {
		Video bool `json:"video"`
		Items []struct {
			Meeting *struct {
				State   string `json:"state"`
				JoinURL string `json:"join_url"`
			} `json:"meeting"`
		} `json:"items"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mustJSON(t, admin.Get(fmt.Sprintf("/api/v1/schedules/%d", scID)), 200, &sc)
		created := len(sc.Items) > 0
		for _, it := range sc.Items {
			created = created && it.Meeting != nil && it.Meeting.State == "created" && it.Meeting.JoinURL != ""
		}
		if created {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the option's Zoom meetings were not created: %+v", sc.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !sc.Video {
		t.Error("the schedule has video off; the stage has Zoom on")
	}
}
