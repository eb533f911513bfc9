package zoomemu_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

// TestEveryOperationMatchesZoomDescription runs each operation the
// application uses, success and error cases, and validates every response
// against ZoomMeetingAPISpec.json (call does the validation).
func TestEveryOperationMatchesZoomDescription(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	other := e.CreateAccount("Other Corp")
	stranger, err := e.AddUser(other, zoomemu.UserSpec{Email: "x@other.test", FirstName: "X", LastName: "Y"})
	if err != nil {
		t.Fatal(err)
	}
	ines := e.users["ines@example.com"]

	created := e.call(t, tok.Access, "POST", "/v2/users/"+ines.ID+"/meetings", map[string]any{
		"topic": "Interview: Jane Doe", "type": 2, "start_time": "2026-12-01T15:00:00Z", "duration": 45,
		"timezone": "Europe/Lisbon", "agenda": "IP-marker-42",
		"settings": map[string]any{"join_before_host": false, "waiting_room": true},
	})
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	meetingID := num(t, created.json(t), "id")
	mid := strconv.FormatInt(meetingID, 10)

	tests := []struct {
		name       string
		method     string
		path       string
		body       any
		access     string
		wantStatus int
		wantCode   int64
	}{
		{"get me", "GET", "/v2/users/me", nil, tok.Access, 200, 0},
		{"get user by id", "GET", "/v2/users/" + ines.ID, nil, tok.Access, 200, 0},
		{"get user by email", "GET", "/v2/users/ines@example.com", nil, tok.Access, 200, 0},
		{"get user of another account", "GET", "/v2/users/" + stranger.ID, nil, tok.Access, 404, 1001},
		{"get unknown user", "GET", "/v2/users/nobody@example.com", nil, tok.Access, 404, 1001},
		{"bad token", "GET", "/v2/users/me", nil, "garbage", 401, 124},
		{"no token", "GET", "/v2/users/me", nil, "", 401, 124},
		{"list users", "GET", "/v2/users?page_size=2", nil, tok.Access, 200, 0},
		{"list users bad page token", "GET", "/v2/users?next_page_token=bogus", nil, tok.Access, 400, 300},
		{"list users page size over max", "GET", "/v2/users?page_size=5000", nil, tok.Access, 400, 300},
		{"permissions", "GET", "/v2/users/me/permissions", nil, tok.Access, 200, 0},
		{"permissions of unknown user", "GET", "/v2/users/zzz/permissions", nil, tok.Access, 404, 1001},
		{"create meeting", "POST", "/v2/users/me/meetings", map[string]any{"topic": "t", "type": 2, "start_time": "2026-12-02T09:30:00", "timezone": "Asia/Tokyo", "duration": 30}, tok.Access, 201, 0},
		{"create meeting bad duration", "POST", "/v2/users/me/meetings", `{"topic":"t","duration":"abc"}`, tok.Access, 400, 300},
		{"create meeting bad type", "POST", "/v2/users/me/meetings", `{"topic":"t","type":7}`, tok.Access, 400, 300},
		{"create meeting unknown timezone", "POST", "/v2/users/me/meetings", `{"topic":"t","type":2,"start_time":"2026-12-02T09:30:00","timezone":"Mars/Olympus"}`, tok.Access, 400, 300},
		{"create meeting malformed json", "POST", "/v2/users/me/meetings", `{"topic":`, tok.Access, 400, 300},
		{"create meeting for another account's user", "POST", "/v2/users/" + stranger.ID + "/meetings", `{"topic":"t"}`, tok.Access, 404, 1001},
		{"list upcoming meetings", "GET", "/v2/users/" + ines.ID + "/meetings?type=upcoming&page_size=300", nil, tok.Access, 200, 0},
		{"list meetings bad type", "GET", "/v2/users/me/meetings?type=soon", nil, tok.Access, 400, 300},
		{"get meeting", "GET", "/v2/meetings/" + mid, nil, tok.Access, 200, 0},
		{"get meeting bad id", "GET", "/v2/meetings/abc", nil, tok.Access, 400, 300},
		{"get unknown meeting", "GET", "/v2/meetings/12345678901", nil, tok.Access, 404, 3001},
		{"patch meeting", "PATCH", "/v2/meetings/" + mid, map[string]any{"duration": 60, "start_time": "2026-12-01T16:00:00Z"}, tok.Access, 204, 0},
		{"patch meeting bad body", "PATCH", "/v2/meetings/" + mid, `{"duration":"long"}`, tok.Access, 400, 300},
		{"patch unknown meeting", "PATCH", "/v2/meetings/12345678901", `{"duration":5}`, tok.Access, 404, 3001},
		{"rooms", "GET", "/v2/rooms?page_size=2", nil, tok.Access, 200, 0},
		{"rooms bad page size", "GET", "/v2/rooms?page_size=many", nil, tok.Access, 400, 300},
		{"delete meeting", "DELETE", "/v2/meetings/" + mid + "?schedule_for_reminder=false&cancel_meeting_reminder=true", nil, tok.Access, 204, 0},
		{"delete meeting again", "DELETE", "/v2/meetings/" + mid, nil, tok.Access, 404, 3001},
		{"delete meeting bad flag", "DELETE", "/v2/meetings/" + mid + "?cancel_meeting_reminder=perhaps", nil, tok.Access, 400, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, tt.access, tt.method, tt.path, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantCode != 0 {
				m := r.json(t)
				if got := num(t, m, "code"); got != tt.wantCode {
					t.Fatalf("code %d, want %d: %s", got, tt.wantCode, r.body)
				}
				if tt.wantCode == 300 && strings.HasPrefix(fmt.Sprint(m["message"]), "Validation Failed") {
					if errs, _ := m["errors"].([]any); len(errs) == 0 {
						t.Fatalf("validation failure without errors: %s", r.body)
					}
				}
			}
		})
	}
}

func TestValidationErrorNamesField(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	r := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t","duration":"abc"}`)
	var body struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Errors  []struct {
			Field, Message string
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if r.status != 400 || body.Code != 300 || body.Message != "Validation Failed." || len(body.Errors) == 0 || body.Errors[0].Field != "duration" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if n := len(e.Meetings(e.account)); n != 0 {
		t.Fatalf("invalid create left %d meetings", n)
	}
}

func TestMeetingDetails(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	tests := []struct {
		name, startTime, timezone string
		wantUTC                   string
		wantTZ                    string
	}{
		{"Z means UTC", "2026-12-01T15:00:00Z", "Asia/Tokyo", "2026-12-01T15:00:00Z", "Asia/Tokyo"},
		{"local time in timezone", "2026-12-01T15:00:00", "Asia/Tokyo", "2026-12-01T06:00:00Z", "Asia/Tokyo"},
		{"local time in host timezone", "2026-07-01T15:00:00", "", "2026-07-01T14:00:00Z", "Europe/London"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{"topic": "Interview", "type": 2, "start_time": tt.startTime, "duration": 45}
			if tt.timezone != "" {
				body["timezone"] = tt.timezone
			}
			r := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", body)
			if r.status != 201 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			m := r.json(t)
			if m["start_time"] != tt.wantUTC || m["timezone"] != tt.wantTZ {
				t.Fatalf("start_time %v timezone %v, want %s %s", m["start_time"], m["timezone"], tt.wantUTC, tt.wantTZ)
			}
			id := num(t, m, "id")
			if id <= 1<<32 {
				t.Fatalf("meeting id %d fits in 32 bits", id)
			}
			join, err := url.Parse(m["join_url"].(string))
			if err != nil || join.Query().Get("pwd") == "" || !strings.Contains(join.Path, strconv.FormatInt(id, 10)) {
				t.Fatalf("join_url %v", m["join_url"])
			}
			if m["host_email"] != "admin@example.com" {
				t.Fatalf("host_email %v", m["host_email"])
			}
		})
	}
}

func TestPatchAndDeleteKeepState(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	r := e.call(t, tok.Access, "POST", "/v2/users/it@example.com/meetings", map[string]any{"topic": "A", "type": 2, "start_time": "2026-12-01T15:00:00Z", "duration": 30})
	id := num(t, r.json(t), "id")
	path := "/v2/meetings/" + strconv.FormatInt(id, 10)
	if p := e.call(t, tok.Access, "PATCH", path, map[string]any{"topic": "B", "start_time": "2026-12-01T10:00:00", "timezone": "America/New_York"}); p.status != 204 || len(p.body) != 0 {
		t.Fatalf("patch: %d %q", p.status, p.body)
	}
	g := e.call(t, tok.Access, "GET", path, nil).json(t)
	if g["topic"] != "B" || g["start_time"] != "2026-12-01T15:00:00Z" || g["timezone"] != "America/New_York" || num(t, g, "duration") != 30 {
		t.Fatalf("after patch: %v", g)
	}
	if d := e.call(t, tok.Access, "DELETE", path+"?schedule_for_reminder=true&cancel_meeting_reminder=false", nil); d.status != 204 {
		t.Fatalf("delete: %d", d.status)
	}
	del := e.DeletedMeetings(e.account)
	if len(del) != 1 || !del[0].ScheduleForReminder || del[0].CancelMeetingReminder || !del[0].DeletedByApp {
		t.Fatalf("deleted %+v", del)
	}
}

// Zoom does not hand an app's meeting to another host: PATCH with another
// user's schedule_for is refused with 3000 and changes nothing (the app
// creates the meeting again under the new host instead).
func TestPatchScheduleForAnotherHostIsRefused(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	id := num(t, e.call(t, tok.Access, "POST", "/v2/users/it@example.com/meetings", map[string]any{"topic": "A", "type": 2, "start_time": "2026-12-01T15:00:00Z", "duration": 30}).json(t), "id")
	path := "/v2/meetings/" + strconv.FormatInt(id, 10)
	r := e.call(t, tok.Access, "PATCH", path, map[string]any{"schedule_for": "admin@example.com", "topic": "B"})
	if r.status != 400 || num(t, r.json(t), "code") != 3000 || !strings.Contains(string(r.body), "You cannot schedule a meeting for") {
		t.Fatalf("patch to another host: %d %s", r.status, r.body)
	}
	if g := e.call(t, tok.Access, "GET", path, nil).json(t); g["host_email"] != "it@example.com" || g["topic"] != "A" {
		t.Fatalf("a refused patch changed the meeting: %v", g)
	}
	if r := e.call(t, tok.Access, "PATCH", path, map[string]any{"schedule_for": "nobody@example.com"}); r.status != 400 || num(t, r.json(t), "code") != 300 {
		t.Fatalf("patch for an unknown user: %d %s", r.status, r.body)
	}
	// Naming the current host is no change and allowed.
	if r := e.call(t, tok.Access, "PATCH", path, map[string]any{"schedule_for": "it@example.com", "topic": "C"}); r.status != 204 {
		t.Fatalf("patch for the same host: %d %s", r.status, r.body)
	}
}

func TestMeetingDeletedBehindAppsBack(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	id := num(t, e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"A","type":2}`).json(t), "id")
	if err := e.DeleteMeetingBehindApp(id); err != nil {
		t.Fatal(err)
	}
	r := e.call(t, tok.Access, "GET", "/v2/meetings/"+strconv.FormatInt(id, 10), nil)
	if r.status != 404 || num(t, r.json(t), "code") != 3001 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if err := e.DeleteMeetingBehindApp(id); err == nil {
		t.Fatal("deleting twice succeeded")
	}
}

func TestMeetingsScopedToAccount(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	other := e.CreateAccount("Other")
	owner, _ := e.AddUser(other, zoomemu.UserSpec{Email: "boss@other.test", Role: "Owner"})
	e.users[owner.Email] = owner
	theirs := e.MustConnect2(t, owner.Email)
	id := num(t, e.call(t, theirs.Access, "POST", "/v2/users/me/meetings", `{"topic":"theirs","type":2}`).json(t), "id")
	for _, m := range []string{"GET", "DELETE"} {
		r := e.call(t, tok.Access, m, "/v2/meetings/"+strconv.FormatInt(id, 10), nil)
		if r.status != 404 || num(t, r.json(t), "code") != 3001 {
			t.Fatalf("%s of another account's meeting: %d %s", m, r.status, r.body)
		}
	}
	if len(e.Meetings(other)) != 1 {
		t.Fatal("other account's meeting was touched")
	}
}

// MustConnect2 authorizes as any user (sign-in by email).
func (e *env) MustConnect2(tb testing.TB, email string) tokens {
	tb.Helper()
	return e.MustExchange(tb, e.MustCode(tb, email, nil), nil)
}

func TestTokenExpiry(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	e.clock.Advance(59 * time.Minute)
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 200 {
		t.Fatalf("token died early: %d", r.status)
	}
	e.clock.Advance(time.Minute)
	r := e.call(t, tok.Access, "GET", "/v2/users/me", nil)
	if r.status != 401 || num(t, r.json(t), "code") != 124 || r.json(t)["message"] != "Access token is expired." {
		t.Fatalf("%d %s", r.status, r.body)
	}
	fresh := e.MustConnect(t)
	e.ExpireAccessTokens()
	if r := e.call(t, fresh.Access, "GET", "/v2/users/me", nil); r.status != 401 {
		t.Fatalf("ExpireAccessTokens: %d", r.status)
	}
}

func TestMissingScopes(t *testing.T) {
	e := MustStart(t)
	e.SetAppScopes([]string{"user:read:user:admin"})
	tok := e.MustConnect(t)
	r := e.call(t, tok.Access, "GET", "/v2/rooms", nil)
	m := r.json(t)
	if r.status != 400 || num(t, m, "code") != 4711 || !strings.Contains(m["message"].(string), "zoom_rooms:read:list_rooms:admin") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 200 {
		t.Fatalf("granted scope refused: %d", r.status)
	}
	// Adding scopes later does not change tokens already issued.
	e.SetAppScopes(zoomemu.DefaultScopes)
	if r := e.call(t, tok.Access, "GET", "/v2/rooms", nil); r.status != 400 {
		t.Fatalf("old token gained scopes: %d", r.status)
	}
}

func TestUserFields(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	tests := []struct {
		path, email, role, roleID string
	}{
		{"/v2/users/me", "admin@example.com", "Owner", "0"},
		{"/v2/users/it@example.com", "it@example.com", "Admin", "1"},
		{"/v2/users/sam@example.com", "sam@example.com", "Member", "2"},
		{"/v2/users/riley@example.com", "riley@example.com", "InterviewPlanner", ""},
	}
	for _, tt := range tests {
		m := e.call(t, tok.Access, "GET", tt.path, nil).json(t)
		if m["email"] != tt.email || m["role_name"] != tt.role || (tt.roleID != "" && m["role_id"] != tt.roleID) || m["account_id"] != e.account || m["status"] != "active" || m["timezone"] == "" {
			t.Errorf("%s: %v", tt.path, m)
		}
	}
	perms := e.call(t, tok.Access, "GET", "/v2/users/riley@example.com/permissions", nil).json(t)
	if fmt.Sprint(perms["permissions"]) != "[User:Edit User:Read ZoomRooms:Read]" {
		t.Fatalf("riley permissions %v", perms["permissions"])
	}
}

func TestPagination(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	for i := range 5 {
		e.AddRoom(e.account, fmt.Sprintf("Extra %d", i))
	}
	for _, tt := range []struct {
		path, list string
		want       int
	}{
		{"/v2/users?page_size=2", "users", 5},
		{"/v2/rooms?page_size=3", "rooms", 9},
	} {
		t.Run(tt.list, func(t *testing.T) {
			seen := map[string]bool{}
			next := ""
			for page := 0; ; page++ {
				if page > 10 {
					t.Fatal("pagination does not end")
				}
				p := tt.path
				if next != "" {
					p += "&next_page_token=" + url.QueryEscape(next)
				}
				m := e.call(t, tok.Access, "GET", p, nil).json(t)
				for _, it := range m[tt.list].([]any) {
					seen[it.(map[string]any)["id"].(string)] = true
				}
				next, _ = m["next_page_token"].(string)
				if next == "" {
					break
				}
			}
			if len(seen) != tt.want {
				t.Fatalf("saw %d %s, want %d", len(seen), tt.list, tt.want)
			}
		})
	}
	// Page tokens expire after 15 minutes.
	m := e.call(t, tok.Access, "GET", "/v2/users?page_size=1", nil).json(t)
	e.clock.Advance(16 * time.Minute)
	tok2 := e.MustConnect(t)
	r := e.call(t, tok2.Access, "GET", "/v2/users?page_size=1&next_page_token="+url.QueryEscape(m["next_page_token"].(string)), nil)
	if r.status != 400 || num(t, r.json(t), "code") != 300 {
		t.Fatalf("expired page token: %d %s", r.status, r.body)
	}
}

func TestListUpcomingFindsMarker(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	long := "ip-interview:7781 " + strings.Repeat("x", 400)
	e.call(t, tok.Access, "POST", "/v2/users/ines@example.com/meetings", map[string]any{"topic": "Past", "type": 2, "start_time": "2026-11-20T10:00:00Z", "duration": 30, "agenda": "ip-interview:1"})
	e.call(t, tok.Access, "POST", "/v2/users/ines@example.com/meetings", map[string]any{"topic": "Future", "type": 2, "start_time": "2026-12-20T10:00:00Z", "duration": 30, "agenda": long})
	e.call(t, tok.Access, "POST", "/v2/users/admin@example.com/meetings", map[string]any{"topic": "Someone else", "type": 2, "start_time": "2026-12-20T10:00:00Z", "duration": 30})
	m := e.call(t, tok.Access, "GET", "/v2/users/ines@example.com/meetings?type=upcoming&page_size=300", nil).json(t)
	list := m["meetings"].([]any)
	if len(list) != 1 {
		t.Fatalf("want only the upcoming meeting of this host, got %v", list)
	}
	got := list[0].(map[string]any)
	if got["topic"] != "Future" || !strings.HasPrefix(got["agenda"].(string), "ip-interview:7781") || len(got["agenda"].(string)) != 250 {
		t.Fatalf("listing %v", got)
	}
}

func TestPerSecondRateLimit(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	if _, err := e.UpdateAccount(e.account, "", "free"); err != nil {
		t.Fatal(err)
	}
	// The clock stands still, so all calls fall in one second: Free allows 2 Medium calls.
	for i := range 2 {
		r := e.call(t, tok.Access, "GET", "/v2/users", nil)
		if r.status != 200 || r.header.Get("X-RateLimit-Remaining") != strconv.Itoa(1-i) {
			t.Fatalf("call %d: %d remaining %q", i, r.status, r.header.Get("X-RateLimit-Remaining"))
		}
	}
	r := e.call(t, tok.Access, "GET", "/v2/rooms", nil)
	if r.status != 429 || num(t, r.json(t), "code") != 429 ||
		r.json(t)["message"] != "You have reached the maximum per-second rate limit for this API. Try again later." {
		t.Fatalf("%d %s", r.status, r.body)
	}
	for k, want := range map[string]string{"X-RateLimit-Category": "Medium", "X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0", "Retry-After": "1"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// Light calls have their own bucket.
	if r := e.call(t, tok.Access, "GET", "/v2/users/me", nil); r.status != 200 {
		t.Fatalf("light call limited: %d", r.status)
	}
	e.clock.Advance(time.Second)
	if r := e.call(t, tok.Access, "GET", "/v2/users", nil); r.status != 200 {
		t.Fatalf("next second still limited: %d", r.status)
	}
}

func TestDailyMeetingCap(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	var id int64
	for i := range 100 {
		e.clock.Advance(time.Second) // stay under the per-second limit
		if i == 99 {
			r := e.call(t, tok.Access, "PATCH", "/v2/meetings/"+strconv.FormatInt(id, 10), `{"topic":"updates count too"}`)
			if r.status != 204 {
				t.Fatalf("update %d: %d %s", i, r.status, r.body)
			}
			continue
		}
		r := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t","type":2}`)
		if r.status != 201 {
			t.Fatalf("create %d: %d %s", i, r.status, r.body)
		}
		id = num(t, r.json(t), "id")
	}
	e.clock.Advance(time.Second)
	r := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t","type":2}`)
	m := r.json(t)
	if r.status != 429 || m["message"] != "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00." {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r.header.Get("X-RateLimit-Type") != "Daily-limit" || r.header.Get("Retry-After") != "2026-11-25T00:00:00Z" || r.header.Get("X-RateLimit-Limit") != "100" {
		t.Fatalf("headers %v", r.header)
	}
	// Another host is not limited; the next UTC day resets the cap.
	if r := e.call(t, tok.Access, "POST", "/v2/users/it@example.com/meetings", `{"topic":"t","type":2}`); r.status != 201 {
		t.Fatalf("other host: %d", r.status)
	}
	e.clock.Advance(9 * time.Hour)
	tok = e.MustConnect(t)
	if r := e.call(t, tok.Access, "POST", "/v2/users/me/meetings", `{"topic":"t","type":2}`); r.status != 201 {
		t.Fatalf("next day: %d %s", r.status, r.body)
	}
}

func TestBadRequestBodies(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	tests := []struct {
		name, contentType string
		body              []byte
		wantStatus        int
		wantCode          int64
	}{
		{"wrong content type", "text/plain", []byte(`{"topic":"t"}`), 400, 300},
		{"json array", "application/json", []byte(`[1,2]`), 400, 300},
		{"not json", "application/json", []byte(`<xml/>`), 400, 300},
		{"empty body", "application/json", nil, 400, 300},
		{"oversized", "application/json", []byte(`{"topic":"` + strings.Repeat("a", 1<<20) + `"}`), 413, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.callRaw(t, tok.Access, "POST", "/v2/users/me/meetings", tt.contentType, tt.body, true)
			if r.status != tt.wantStatus || num(t, r.json(t), "code") != tt.wantCode {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
	if n := len(e.Meetings("")); n != 0 {
		t.Fatalf("bad requests created %d meetings", n)
	}
}

func TestUnknownAPIPath(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/v2/nowhere", 404},
		{"GET", "/v2/webinars/123", 501},
		{"PUT", "/v2/meetings/123/status", 501},
	} {
		r := e.callRaw(t, tok.Access, tt.method, tt.path, "", nil, false)
		if r.status != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, r.status, tt.want)
		}
		r.json(t)
	}
}
