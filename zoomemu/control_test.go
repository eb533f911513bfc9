package zoomemu_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

func (e *env) control(tb testing.TB, method, path string, body any) resp {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.(string)
		if !ok {
			raw, _ := json.Marshal(body)
			b = string(raw)
		}
		rd = strings.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(tb.Context(), method, e.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return do(tb, http.DefaultClient, req)
}

func TestControlAPIBuildsAccounts(t *testing.T) {
	e := MustStart(t)
	r := e.control(t, "POST", "/_emulator/accounts", map[string]any{"name": "Globex", "plan": "business"})
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	acct := r.json(t)["id"].(string)
	role := e.control(t, "POST", "/_emulator/accounts/"+acct+"/roles", map[string]any{"name": "Schedulers", "description": "d", "permissions": []string{"User:Read", "User:Edit", "ZoomRooms:Read"}})
	if role.status != 200 {
		t.Fatalf("role: %d %s", role.status, role.body)
	}
	roleID := role.json(t)["id"].(string)
	user := e.control(t, "POST", "/_emulator/accounts/"+acct+"/users", map[string]any{"email": "Hank@Globex.test", "first_name": "Hank", "last_name": "Scorpio", "role": "Schedulers", "timezone": "Europe/Paris"})
	if user.status != 200 || user.json(t)["email"] != "hank@globex.test" || user.json(t)["role_name"] != "Schedulers" {
		t.Fatalf("user: %d %s", user.status, user.body)
	}
	userID := user.json(t)["id"].(string)
	if r := e.control(t, "PATCH", "/_emulator/users/"+userID, map[string]any{"role": "Admin", "timezone": "Asia/Tokyo"}); r.status != 200 || r.json(t)["role_name"] != "Admin" {
		t.Fatalf("patch user: %d %s", r.status, r.body)
	}
	if r := e.control(t, "PUT", "/_emulator/roles/"+roleID+"/permissions", map[string]any{"permissions": []string{"User:Read"}}); r.status != 200 {
		t.Fatalf("role permissions: %d %s", r.status, r.body)
	}
	room := e.control(t, "POST", "/_emulator/accounts/"+acct+"/rooms", map[string]any{"name": "Springfield"})
	if room.status != 200 || room.json(t)["name"] != "Springfield" {
		t.Fatalf("room: %d %s", room.status, room.body)
	}
	roomID := room.json(t)["id"].(string)
	if r := e.control(t, "PATCH", "/_emulator/rooms/"+roomID, map[string]any{"status": "Offline"}); r.status != 200 || r.json(t)["status"] != "Offline" {
		t.Fatalf("room patch: %d %s", r.status, r.body)
	}
	if r := e.control(t, "PATCH", "/_emulator/rooms/"+roomID, map[string]any{"status": "Exploded"}); r.status != 400 {
		t.Fatalf("bad room status: %d %s", r.status, r.body)
	}
	if r := e.control(t, "PUT", "/_emulator/accounts/"+acct+"/preapproval", map[string]any{"on": true}); r.status != 200 || r.json(t)["pre_approved"] != true {
		t.Fatalf("preapproval: %d %s", r.status, r.body)
	}
	var accounts []struct {
		ID    string `json:"id"`
		Plan  string `json:"plan"`
		Users []any  `json:"users"`
		Rooms []any  `json:"rooms"`
		App   struct {
			PreApproved bool `json:"pre_approved"`
		} `json:"app"`
	}
	list := e.control(t, "GET", "/_emulator/accounts", nil)
	if err := json.Unmarshal(list.body, &accounts); err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 2 || accounts[1].ID != acct || accounts[1].Plan != "business" || len(accounts[1].Users) != 1 || len(accounts[1].Rooms) != 1 || !accounts[1].App.PreApproved {
		t.Fatalf("accounts %s", list.body)
	}
	if r := e.control(t, "DELETE", "/_emulator/users/"+userID, nil); r.status != 204 {
		t.Fatalf("delete user: %d", r.status)
	}
	if r := e.control(t, "POST", "/_emulator/reset", nil); r.status != 204 || len(e.Accounts()) != 0 {
		t.Fatalf("reset: %d, %d accounts left", r.status, len(e.Accounts()))
	}
	demo := e.control(t, "POST", "/_emulator/demo", map[string]any{"members": []map[string]string{{"email": "pat@example.com"}}})
	if demo.status != 200 || len(e.Users(demo.json(t)["account_id"].(string))) != 5 {
		t.Fatalf("demo: %d %s", demo.status, demo.body)
	}
}

func TestControlAPIRejectsBadInputWithoutChangingState(t *testing.T) {
	e := MustStart(t)
	before := e.control(t, "GET", "/_emulator/accounts", nil).body
	tests := []struct {
		name, method, path string
		body               any
		contentType        string
		wantStatus         int
	}{
		{"malformed json", "POST", "/_emulator/accounts", `{"name":`, "", 400},
		{"unknown field", "POST", "/_emulator/accounts", `{"name":"x","colour":"red"}`, "", 400},
		{"missing name", "POST", "/_emulator/accounts", `{}`, "", 400},
		{"bad plan", "POST", "/_emulator/accounts", `{"name":"x","plan":"gold"}`, "", 400},
		{"wrong content type", "POST", "/_emulator/accounts", `{"name":"x"}`, "text/plain", 400},
		{"two objects", "POST", "/_emulator/accounts", `{"name":"x"}{"name":"y"}`, "", 400},
		{"user in unknown account", "POST", "/_emulator/accounts/nope/users", `{"email":"a@b.c"}`, "", 404},
		{"duplicate email", "POST", "/_emulator/accounts/" + e.account + "/users", `{"email":"admin@example.com"}`, "", 400},
		{"bad email", "POST", "/_emulator/accounts/" + e.account + "/users", `{"email":"not an email"}`, "", 400},
		{"unknown role", "POST", "/_emulator/accounts/" + e.account + "/users", `{"email":"n@example.com","role":"Wizard"}`, "", 404},
		{"bad timezone", "PATCH", "/_emulator/users/" + e.users["sam@example.com"].ID, `{"timezone":"Mars/Base","role":"Admin"}`, "", 400},
		{"bad permission", "POST", "/_emulator/accounts/" + e.account + "/roles", `{"name":"R","permissions":["everything"]}`, "", 400},
		{"built-in role permissions", "PUT", "/_emulator/roles/x/permissions", `{"permissions":[]}`, "", 404},
		{"preapproval without on", "PUT", "/_emulator/accounts/" + e.account + "/preapproval", `{}`, "", 400},
		{"preapproval unknown account", "PUT", "/_emulator/accounts/nope/preapproval", `{"on":true}`, "", 404},
		{"uninstall when not installed", "POST", "/_emulator/accounts/" + e.account + "/uninstall", nil, "", 400},
		{"delete unknown meeting", "DELETE", "/_emulator/meetings/42", nil, "", 404},
		{"delete meeting bad id", "DELETE", "/_emulator/meetings/abc", nil, "", 400},
		{"fault without effect", "POST", "/_emulator/faults", `{"path_pattern":"/v2/**"}`, "", 400},
		{"fault bad status", "POST", "/_emulator/faults", `{"status":42}`, "", 400},
		{"fault bad probability", "POST", "/_emulator/faults", `{"status":500,"probability":2}`, "", 400},
		{"unknown control endpoint", "GET", "/_emulator/nothing", nil, "", 404},
		{"oversized", "POST", "/_emulator/accounts", `{"name":"` + strings.Repeat("a", 1<<20+1) + `"}`, "", 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rd io.Reader
			if tt.body != nil {
				rd = strings.NewReader(tt.body.(string))
			}
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, e.URL+tt.path, rd)
			if tt.body != nil {
				req.Header.Set("Content-Type", cmp.Or(tt.contentType, "application/json"))
			}
			r := do(t, http.DefaultClient, req)
			if r.status != tt.wantStatus {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.json(t)
			if _, ok := m["code"]; !ok || m["message"] == "" {
				t.Fatalf("not a Zoom error body: %s", r.body)
			}
		})
	}
	if after := e.control(t, "GET", "/_emulator/accounts", nil).body; !bytes.Equal(before, after) {
		t.Fatalf("state changed:\nbefore %s\nafter  %s", before, after)
	}
	if len(e.Faults()) != 0 {
		t.Fatal("a rejected fault was added")
	}
}

func TestControlAPIListsAndActs(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	id := num(t, e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t","type":2}`).json(t), "id")
	var meetings struct {
		Meetings []struct {
			ID int64 `json:"id"`
		} `json:"meetings"`
	}
	_ = json.Unmarshal(e.control(t, "GET", "/_emulator/meetings?account_id="+e.account, nil).body, &meetings)
	if len(meetings.Meetings) != 1 || meetings.Meetings[0].ID != id {
		t.Fatalf("meetings %+v", meetings)
	}
	if r := e.control(t, "DELETE", "/_emulator/meetings/"+strconv.FormatInt(id, 10), nil); r.status != 204 {
		t.Fatalf("delete behind back: %d", r.status)
	}
	if r := e.call(t, tok.Access, "GET", "/v2/meetings/"+strconv.FormatInt(id, 10), nil); r.status != 404 {
		t.Fatalf("deleted meeting still there: %d", r.status)
	}
	tokens := e.control(t, "GET", "/_emulator/tokens", nil).json(t)
	if tokens["stats"].(map[string]any)["code_grants"] != json.Number("1") {
		t.Fatalf("tokens %v", tokens)
	}
	if r := e.control(t, "POST", "/_emulator/tokens/expire", nil); r.status != 204 {
		t.Fatal(r.status)
	}
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 401 {
		t.Fatalf("expired token works: %d", r.status)
	}
	var reqs []struct {
		Method string `json:"method"`
		Path   string `json:"path"`
		Status int    `json:"status"`
	}
	_ = json.Unmarshal(e.control(t, "GET", "/_emulator/requests", nil).body, &reqs)
	var sawCreate, sawToken bool
	for _, r := range reqs {
		sawCreate = sawCreate || (r.Method == "POST" && r.Path == "/v2/users/me/meetings" && r.Status == 201)
		sawToken = sawToken || (r.Path == "/oauth/token" && r.Status == 200)
		if strings.HasPrefix(r.Path, "/_emulator/") {
			t.Fatalf("control call recorded: %+v", r)
		}
	}
	if !sawCreate || !sawToken {
		t.Fatalf("requests %+v", reqs)
	}
	if r := e.control(t, "POST", "/_emulator/accounts/"+e.account+"/uninstall", map[string]string{"by_user_id": e.users["it@example.com"].ID}); r.status != 204 {
		t.Fatalf("uninstall: %d %s", r.status, r.body)
	}
	waitFor(t, "delivery", func() bool {
		var d []struct {
			Delivered bool `json:"delivered"`
		}
		_ = json.Unmarshal(e.control(t, "GET", "/_emulator/deliveries", nil).body, &d)
		return len(d) == 1 && d[0].Delivered
	})
	e.recv.mu.Lock()
	e.recv.answer = func([]byte) (int, []byte) { return 200, []byte(`{}`) }
	e.recv.mu.Unlock()
	v := e.control(t, "POST", "/_emulator/webhooks/validate", nil)
	if v.status != 200 || v.json(t)["valid"] != false {
		t.Fatalf("validate: %d %s", v.status, v.body)
	}
}

func TestFaults(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	t.Run("status body and headers for the next N calls", func(t *testing.T) {
		r := e.control(t, "POST", "/_emulator/faults", map[string]any{
			"method": "GET", "path_pattern": "/v2/users/*", "status": 429, "times": 2,
			"body":   `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`,
			"header": map[string]string{"Retry-After": "3", "X-RateLimit-Type": "QPS"},
		})
		if r.status != 204 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		for range 2 {
			got := e.call(t, tok.Access, "GET", "/v2/users/me", nil)
			if got.status != 429 || got.header.Get("Retry-After") != "3" || num(t, got.json(t), "code") != 429 {
				t.Fatalf("%d %v %s", got.status, got.header, got.body)
			}
		}
		if got := e.call(t, tok.Access, "GET", "/v2/users/me", nil); got.status != 200 {
			t.Fatalf("fault outlived its count: %d", got.status)
		}
	})
	t.Run("default 5xx body", func(t *testing.T) {
		e.InjectFault(faultFor("POST", "/v2/users/*/meetings", 503, 1))
		got := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t"}`)
		if got.status != 503 || num(t, got.json(t), "code") != 503 {
			t.Fatalf("%d %s", got.status, got.body)
		}
		if len(e.Meetings("")) != 0 {
			t.Fatal("faulted create still created")
		}
	})
	t.Run("probability one always fires", func(t *testing.T) {
		f := faultFor("", "/oauth/**", 500, 0)
		f.Probability = 1
		e.InjectFault(f)
		for range 3 {
			if r := e.token(t, nil, true); r.status != 500 {
				t.Fatalf("%d", r.status)
			}
		}
		e.ClearFaults()
	})
	t.Run("dropped connection", func(t *testing.T) {
		e.InjectFault(zoomFault("GET", "/v2/rooms", true, 0))
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.URL+"/v2/rooms", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Access)
		// A fresh connection: Go's transport silently retries an idempotent
		// request once when a reused connection dies.
		fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		_, err := fresh.Do(req)
		if err == nil {
			t.Fatal("dropped connection answered")
		}
		if got := e.call(t, tok.Access, "GET", "/v2/rooms", nil); got.status != 200 {
			t.Fatalf("after drop: %d", got.status)
		}
	})
	t.Run("latency then normal answer", func(t *testing.T) {
		e.InjectFault(zoomFault("GET", "/v2/users/me", false, 20*time.Millisecond))
		if got := e.call(t, tok.Access, "GET", "/v2/users/me", nil); got.status != 200 {
			t.Fatalf("%d", got.status)
		}
		if len(e.Faults()) != 0 {
			t.Fatal("latency fault not used up")
		}
	})
	t.Run("latency beyond the client's patience", func(t *testing.T) {
		e.InjectFault(zoomFault("GET", "/v2/users/me", false, time.Minute))
		c := &http.Client{Timeout: 50 * time.Millisecond}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.URL+"/v2/users/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Access)
		_, err := c.Do(req)
		var ne interface{ Timeout() bool }
		if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("want a client timeout, got %v", err)
		}
	})
}

func faultFor(method, pattern string, status, times int) zoomemu.Fault {
	return zoomemu.Fault{Method: method, PathPattern: pattern, Status: status, Times: times}
}

func zoomFault(method, pattern string, drop bool, latency time.Duration) zoomemu.Fault {
	return zoomemu.Fault{Method: method, PathPattern: pattern, Drop: drop, Latency: latency, Times: 1}
}
