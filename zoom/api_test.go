package zoom_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"interviewplanner/zoom"
)

// mustAPI returns an API of a loopback fake with a connected token.
func mustAPI(tb testing.TB, opts ...clientOption) (*fakeZoom, *zoom.API) {
	tb.Helper()
	f := newFakeZoom(tb)
	return f, mustClient(tb, f, f.mustLoopback(tb), opts...).API(zoom.NewMemoryTokenStore(f.issueToken()))
}

func TestUsers(t *testing.T) {
	f, api := mustAPI(t)
	ctx := t.Context()
	me, err := api.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "zu0" || me.RoleName != "Owner" || me.AccountID != "ZA1" || me.RoleID != "0" || me.Email != "u0@zoom.example" {
		t.Fatalf("Me = %+v", me)
	}
	u, err := api.User(ctx, "u3@zoom.example")
	if err != nil || u.ID != "zu3" || u.Type != 2 || u.Status != "active" {
		t.Fatalf("User by email = %+v, %v", u, err)
	}
	if _, err := api.User(ctx, "nobody"); !errors.Is(err, zoom.ErrUserNotFound) || !zoom.IsCode(err, zoom.CodeUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	p, err := api.ListUsers(ctx, 2, "")
	if err != nil || len(p.Users) != 2 || p.NextPageToken == "" || p.TotalRecords != 5 {
		t.Fatalf("first page = %+v, %v", p, err)
	}
	all, err := api.AllUsers(ctx)
	if err != nil || len(all) != 5 || all[4].ID != "zu4" {
		t.Fatalf("AllUsers = %d users, %v", len(all), err)
	}
	// Pages are fetched with page_size and next_page_token, never page_number.
	for _, r := range f.recorded() {
		if r.URL.Query().Has("page_number") {
			t.Fatalf("request uses deprecated page_number: %s", r.URL)
		}
	}
	perms, err := api.Permissions(ctx, "me")
	if err != nil || strings.Join(perms, ",") != "User:Read,User:Edit,ZoomRooms:Read" {
		t.Fatalf("Permissions = %v, %v", perms, err)
	}
}

func TestRooms(t *testing.T) {
	f, api := mustAPI(t)
	for i := range 400 {
		f.rooms = append(f.rooms, map[string]any{"id": fmt.Sprintf("x%d", i), "room_id": i, "name": "Extra", "status": "Offline"})
	}
	p, err := api.ListRooms(t.Context(), 1, "")
	if err != nil || len(p.Rooms) != 1 || p.Rooms[0] != (zoom.Room{ID: "r0", RoomID: "R0", Name: "Room 0", Status: "Available", LocationID: "L1"}) {
		t.Fatalf("ListRooms = %+v, %v", p, err)
	}
	all, err := api.AllRooms(t.Context())
	if err != nil || len(all) != 403 || all[402].RoomID != "399" {
		t.Fatalf("AllRooms = %d rooms, %v", len(all), err)
	}
	if got := f.calls("GET /v2/rooms"); got != 1+2 {
		t.Fatalf("room requests = %d, want 3 (page size 300)", got)
	}
}

func TestMeetingLifecycle(t *testing.T) {
	f, api := mustAPI(t)
	ctx := t.Context()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	start := time.Date(2026, 3, 29, 10, 30, 0, 0, berlin) // the day clocks change
	req := zoom.MeetingRequest{Topic: "Interview: Ada", Agenda: strings.Repeat("é", 2500), StartTime: start,
		Duration: 45 * time.Minute, Timezone: "Europe/Berlin", AlternativeHosts: []string{"a@x.example", "b@x.example"}}
	m, err := api.CreateMeeting(ctx, "zu1", req)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != firstMeetingID || m.ID <= 1<<32 {
		t.Fatalf("meeting id = %d, want %d", m.ID, firstMeetingID)
	}
	body := f.lastCreateBody
	if body["start_time"] != "2026-03-29T08:30:00Z" {
		t.Fatalf("start_time = %v, want UTC with Z", body["start_time"])
	}
	if body["duration"] != float64(45) || body["type"] != float64(2) || body["timezone"] != "Europe/Berlin" {
		t.Fatalf("body = %v", body)
	}
	if n := len([]rune(body["agenda"].(string))); n != 2000 {
		t.Fatalf("agenda length = %d, want 2000", n)
	}
	settings := body["settings"].(map[string]any)
	if settings["waiting_room"] != true || settings["use_pmi"] != false || settings["alternative_hosts"] != "a@x.example;b@x.example" {
		t.Fatalf("settings = %v", settings)
	}
	if !m.StartTime.Equal(start) || m.Duration != 45*time.Minute || !strings.HasPrefix(m.JoinURL, "https://") {
		t.Fatalf("meeting = %+v", m)
	}
	if fmt.Sprint(m.StartURL) != "REDACTED" || !strings.Contains(string(m.StartURL), "zak=") {
		t.Fatalf("start url not kept as a secret: %v", m.StartURL)
	}

	got, err := api.GetMeeting(ctx, m.ID)
	if err != nil || got.ID != m.ID || got.Topic != "Interview: Ada" {
		t.Fatalf("GetMeeting = %+v, %v", got, err)
	}
	req.StartTime = start.Add(24 * time.Hour)
	if err := api.UpdateMeeting(ctx, m.ID, req); err != nil {
		t.Fatal(err)
	}
	if got, _ := api.GetMeeting(ctx, m.ID); got.StartTime.Format(time.RFC3339) != "2026-03-30T08:30:00Z" {
		t.Fatalf("after update start = %v", got.StartTime)
	}
	second, err := api.CreateMeeting(ctx, "zu1", req)
	if err != nil {
		t.Fatal(err)
	}
	upcoming, err := api.ListUpcomingMeetings(ctx, "zu1")
	if err != nil || len(upcoming) != 2 || upcoming[1].ID != second.ID {
		t.Fatalf("upcoming = %+v, %v", upcoming, err)
	}
	if err := api.DeleteMeeting(ctx, m.ID, zoom.DeleteOptions{ScheduleForReminder: true}); err != nil {
		t.Fatal(err)
	}
	// Deleting again: already gone, reported as ErrMeetingNotFound (3001).
	if err := api.DeleteMeeting(ctx, m.ID, zoom.DeleteOptions{}); !errors.Is(err, zoom.ErrMeetingNotFound) || !zoom.IsCode(err, 3001) {
		t.Fatalf("second delete: %v", err)
	}
	reqs := f.recorded()
	last := reqs[len(reqs)-2]
	if last.Method != "DELETE" || last.URL.Query().Get("schedule_for_reminder") != "true" {
		t.Fatalf("delete request = %s %s", last.Method, last.URL)
	}
}

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name     string
		canned   cannedResponse
		wantCode int
		wantMsg  string
		is       error
	}{
		{"validation", cannedResponse{status: 400, header: jsonHeader(), body: `{"code":300,"message":"Validation Failed.","errors":[{"field":"start_time","message":"Invalid field."}]}`}, 300, "Validation Failed.", nil},
		{"missing scopes", cannedResponse{status: 400, header: jsonHeader(), body: `{"code":4711,"message":"Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin]."}`}, 4711, "Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin].", zoom.ErrMissingScopes},
		{"old missing scope", cannedResponse{status: 400, header: jsonHeader(), body: `{"code":4700,"message":"Invalid access token, does not contain role:read:admin scope."}`}, 4700, "Invalid access token, does not contain role:read:admin scope.", zoom.ErrMissingScopes},
		{"forbidden", cannedResponse{status: 403, header: jsonHeader(), body: `{"code":200,"message":"No permission."}`}, 200, "No permission.", zoom.ErrForbidden},
		{"xml", cannedResponse{status: 400, body: `<?xml version="1.0"?><error><code>3000</code><message>You cannot schedule a meeting for zu1</message></error>`}, 3000, "You cannot schedule a meeting for zu1", nil},
		{"plain text", cannedResponse{status: 400, body: "Bad Request"}, 0, "Bad Request", nil},
		{"empty", cannedResponse{status: 404}, 0, "Not Found", nil},
		{"code as string", cannedResponse{status: 404, header: jsonHeader(), body: `{"code":"1001","message":"User does not exist: x."}`}, 1001, "User does not exist: x.", zoom.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, api := mustAPI(t)
			f.failNext("GET /v2/users/me", tt.canned)
			_, err := api.Me(t.Context())
			var ae *zoom.APIError
			if !errors.As(err, &ae) || ae.Code != tt.wantCode || ae.Message != tt.wantMsg || ae.Status != tt.canned.status {
				t.Fatalf("err = %#v", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if tt.name == "validation" && (len(ae.Errors) != 1 || ae.Errors[0].Field != "start_time") {
				t.Fatalf("field errors = %+v", ae.Errors)
			}
		})
	}
}

func TestNoSecretsInLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFakeZoom(t)
	c := mustClient(t, f, f.mustLoopback(t), withLogger(logger))
	tok := f.issueToken()
	tok.Expiry = time.Now().Add(-time.Minute)
	api := c.API(zoom.NewMemoryTokenStore(tok))
	f.failNext("GET /v2/users", cannedResponse{status: 503})
	if _, err := api.ListUsers(t.Context(), 1, ""); err != nil {
		t.Fatal(err)
	}
	f.issueToken() // kill the chain: the next refresh fails and is logged
	f.expireAccess()
	_, _ = api.Me(t.Context())
	logger.Info("config", "zoom", zoom.Config{ClientID: testClientID, ClientSecret: testClientSecret})

	logs := buf.String()
	if !strings.Contains(logs, "retrying") || !strings.Contains(logs, "needs reconnecting") {
		t.Fatalf("expected retry and dead-token logs, got:\n%s", logs)
	}
	f.mu.Lock()
	secrets := append([]string{testClientSecret}, f.issuedTokens...)
	f.mu.Unlock()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Fatalf("log contains secret %q:\n%s", s, logs)
		}
	}
	var rec map[string]any
	last := strings.TrimSpace(logs[strings.LastIndex(strings.TrimSpace(logs), "\n")+1:])
	if err := json.Unmarshal([]byte(last), &rec); err != nil || rec["zoom"].(map[string]any)["client_secret"] != "REDACTED" {
		t.Fatalf("config log = %s (%v)", last, err)
	}
}
