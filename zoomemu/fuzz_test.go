package zoomemu_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

func newFuzzEmulator(f *testing.F) (*zoomemu.Emulator, string) {
	f.Helper()
	emu, err := zoomemu.New(zoomemu.Config{
		ClientID: clientID, ClientSecret: clientSecret, RedirectURLs: []string{redirectURL},
		WebhookRetryDelays: []time.Duration{time.Millisecond},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(emu.Close)
	acct := emu.SeedDemo(zoomemu.Demo{})
	emu.SetPreApproved(acct, true)
	owner, _ := emu.UserByEmail("admin@example.com")
	// Sign in and authorize in-process to get a token.
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, formRequest("/signin", url.Values{"user_id": {owner.ID}}, nil))
	cookie := rec.Result().Cookies()[0]
	rec = httptest.NewRecorder()
	emu.ServeHTTP(rec, formRequest("/oauth/authorize", url.Values{"client_id": {clientID}, "redirect_uri": {redirectURL}, "decision": {"allow"}}, cookie))
	loc, _ := url.Parse(rec.Header().Get("Location"))
	rec = httptest.NewRecorder()
	req := formRequest("/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirectURL}}, nil)
	req.SetBasicAuth(clientID, clientSecret)
	emu.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		f.Fatalf("no token: %s", rec.Body)
	}
	return emu, tok.AccessToken
}

func formRequest(path string, form url.Values, cookie *http.Cookie) *http.Request {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return req
}

// FuzzCreateMeeting sends hostile bodies and user ids: the emulator must
// answer with Zoom's JSON error shape or a created meeting, never panic.
func FuzzCreateMeeting(f *testing.F) {
	emu, access := newFuzzEmulator(f)
	f.Add("me", `{"topic":"t","type":2,"start_time":"2026-12-01T15:00:00Z","duration":30}`)
	f.Add("me", `{"topic":"t","start_time":"2026-12-01T15:00:00","timezone":"../../etc/passwd"}`)
	f.Add("sam@example.com", `{"duration":"abc"}`)
	f.Add("%00", `{"settings":{"waiting_room":"yes"}}`)
	f.Add("me", `{"start_time":"9999-99-99T99:99:99"}`)
	f.Add("me", `[`)
	f.Fuzz(func(t *testing.T, user, body string) {
		req := httptest.NewRequest("POST", "/v2/users/x/meetings", strings.NewReader(body))
		req.URL.Path = "/v2/users/" + user + "/meetings"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+access)
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code == 201 {
			return
		}
		var e struct {
			Code    *int    `json:"code"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code == nil || e.Message == nil {
			t.Fatalf("status %d body %q is not a Zoom error", rec.Code, rec.Body)
		}
	})
}

// FuzzToken sends hostile token requests: only 200 with tokens, or an OAuth
// error body.
func FuzzToken(f *testing.F) {
	emu, _ := newFuzzEmulator(f)
	f.Add("grant_type=refresh_token&refresh_token=x", "application/x-www-form-urlencoded", true)
	f.Add("grant_type=authorization_code&code=%zz", "application/x-www-form-urlencoded", true)
	f.Add(`{"grant_type":"refresh_token"}`, "application/json", true)
	f.Add("grant_type=password", "", false)
	f.Fuzz(func(t *testing.T, body, contentType string, basic bool) {
		req := httptest.NewRequest("POST", "/oauth/token", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", contentType)
		if basic {
			req.SetBasicAuth(clientID, clientSecret)
		}
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%d %q", rec.Code, rec.Body)
		}
		if rec.Code == 200 {
			if m["access_token"] == nil {
				t.Fatalf("200 without token: %q", rec.Body)
			}
			return
		}
		if m["error"] == nil && m["code"] == nil {
			t.Fatalf("%d %q", rec.Code, rec.Body)
		}
	})
}
