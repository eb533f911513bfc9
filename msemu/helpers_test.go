package msemu_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"interviewplanner/msemu"
	"interviewplanner/msgraph"
	"interviewplanner/msspec"
)

const (
	clientID = "11111111-2222-3333-4444-555555555555"
	secret   = "s3cr3t~value"
)

// fixture is an emulator over real HTTP whose every request and response
// is checked against the derived schema and the official CSDL.
type fixture struct {
	t      *testing.T
	emu    *msemu.Emulator
	srv    *httptest.Server
	client *msgraph.Client
	api    *msgraph.API
	mu     sync.Mutex
	bad    []string
	now    time.Time
	ada    string // global admin
	ben    string // member
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func mustFixture(t *testing.T, mod func(*msemu.Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, now: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	cfg := msemu.Config{ClientID: clientID, ClientSecret: secret, RedirectURLs: []string{"http://app.example/integrations/microsoft/callback"},
		TenantDomain: "globex.example", Now: f.clock, AllowHTTPNotifications: true, RetryAfter: time.Second}
	if mod != nil {
		mod(&cfg)
	}
	emu, err := msemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.emu = emu
	f.srv = httptest.NewServer(f.validating(emu))
	t.Cleanup(func() {
		f.srv.Close()
		emu.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, b := range f.bad {
			t.Error(b)
		}
	})
	f.ada = emu.AddUser(msemu.User{DisplayName: "Ada Admin", Mail: "ada@globex.example", GlobalAdmin: true})
	f.ben = emu.AddUser(msemu.User{DisplayName: "Ben Member", Mail: "ben@globex.example", UPN: "ben.member@globex.example"})
	f.client = msgraph.New(msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0", MaxWait: 5 * time.Second})
	f.api = f.client.Tenant(emu.TenantID())
	return f
}

func (f *fixture) fail(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bad = append(f.bad, "schema: "+strings.TrimSpace(fmt.Sprintf(format, args...)))
}

// validating checks traffic: request bodies the app sends, answers the
// emulator gives, and entities against the CSDL.
func (f *fixture) validating(h http.Handler) http.Handler {
	model, err := msspec.LoadModel()
	if err != nil {
		f.t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		p := r.URL.Path
		if r.Method == http.MethodPost && strings.HasSuffix(p, "/calendar/getSchedule") && r.Header.Get("X-Test-Raw") == "" {
			f.check("getScheduleRequest", body, p)
		}
		if r.Method == http.MethodPost && strings.HasSuffix(p, "/events") {
			f.check("eventCreateRequest", body, p)
		}
		if r.Method == http.MethodPost && p == "/v1.0/subscriptions" {
			f.check("subscriptionCreateRequest", body, p)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		switch {
		case rec.Header().Get("X-Emulator-Fault") != "" || strings.HasPrefix(p, "/_emulator/") || !strings.Contains(rec.Header().Get("Content-Type"), "json"):
		case strings.HasSuffix(p, "/oauth2/v2.0/token") && rec.Code == 200:
			f.check("tokenResponse", out, p)
		case strings.HasSuffix(p, "/oauth2/v2.0/token"):
			f.check("tokenErrorResponse", out, p)
		case rec.Code >= 400:
			f.check("graphError", out, p)
		case strings.HasSuffix(p, "/calendarView") || strings.HasSuffix(p, "/calendarView/delta") || (strings.HasSuffix(p, "/events") && r.Method == "GET"):
			f.check("eventCollectionPage", out, p)
			var page struct{ Value []json.RawMessage }
			_ = json.Unmarshal(out, &page)
			for _, v := range page.Value {
				if err := model.CheckEntity("event", v); err != nil {
					f.fail("%s: %v", p, err)
				}
			}
		case strings.HasSuffix(p, "/getSchedule"):
			f.check("getScheduleResponse", out, p)
			var page struct{ Value []json.RawMessage }
			_ = json.Unmarshal(out, &page)
			for _, v := range page.Value {
				if err := model.CheckEntity("scheduleInformation", v); err != nil {
					f.fail("%s: %v", p, err)
				}
			}
		case p == "/v1.0/users":
			f.check("userCollectionPage", out, p)
		case strings.HasPrefix(p, "/v1.0/places/"):
			f.check("roomCollectionPage", out, p)
			var page struct{ Value []json.RawMessage }
			_ = json.Unmarshal(out, &page)
			for _, v := range page.Value {
				if err := model.CheckEntity("room", v); err != nil {
					f.fail("%s: %v", p, err)
				}
			}
		case strings.HasPrefix(p, "/v1.0/subscriptions"):
			f.check("subscription", out, p)
			if err := model.CheckEntity("subscription", out); err != nil {
				f.fail("%s: %v", p, err)
			}
		case strings.Contains(p, "/events/") || strings.HasSuffix(p, "/events"):
			f.check("event", out, p)
			if err := model.CheckEntity("event", out); err != nil {
				f.fail("%s: %v", p, err)
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
}

func (f *fixture) check(def string, body []byte, p string) {
	if err := msspec.Validate(def, body); err != nil {
		f.fail("%s %s: %v\n%s", def, p, err, clip(body))
	}
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

func at(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, time.UTC) }

// raw sends a request straight to the emulator with a token.
func (f *fixture) raw(method, path, body string, hdr map[string]string) (*http.Response, []byte) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if tok := f.token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (f *fixture) token() string {
	resp, err := http.PostForm(f.srv.URL+"/"+f.emu.TenantID()+"/oauth2/v2.0/token", map[string][]string{
		"client_id": {clientID}, "client_secret": {secret}, "grant_type": {"client_credentials"}, "scope": {msgraph.Scope}})
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.AccessToken
}
