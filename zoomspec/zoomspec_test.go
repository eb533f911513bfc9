package zoomspec_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"interviewplanner/zoomspec"
)

func MustLoad(tb testing.TB) *zoomspec.Validator {
	tb.Helper()
	v, err := zoomspec.Load()
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	return v
}

func jsonRequest(method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Authorization", "Bearer test")
	return r
}

func TestLoadIsCached(t *testing.T) {
	a, b := MustLoad(t), MustLoad(t)
	if a != b {
		t.Fatal("Load returned two different validators")
	}
}

func TestValidateRequest(t *testing.T) {
	v := MustLoad(t)
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		wantErr bool
	}{
		{"create meeting", "POST", "http://127.0.0.1:9090/v2/users/me/meetings",
			`{"topic":"Interview","type":2,"start_time":"2026-12-01T15:00:00Z","duration":45,"timezone":"Europe/Lisbon","agenda":"x","settings":{"join_before_host":false,"waiting_room":true}}`, false},
		{"create meeting for email host", "POST", "http://example.test/v2/users/jchill@example.com/meetings",
			`{"topic":"Interview","type":2,"duration":30}`, false},
		{"local start time in timezone", "POST", "http://h/v2/users/me/meetings",
			`{"topic":"Interview","type":2,"start_time":"2026-12-01T15:00:00","timezone":"Asia/Tokyo"}`, false},
		{"start time garbage", "POST", "http://h/v2/users/me/meetings",
			`{"topic":"Interview","type":2,"start_time":"tomorrow"}`, true},
		{"duration not a number", "POST", "http://127.0.0.1:9090/v2/users/me/meetings",
			`{"topic":"Interview","type":2,"duration":"abc"}`, true},
		{"agenda too long", "POST", "http://127.0.0.1:9090/v2/users/me/meetings",
			`{"topic":"Interview","agenda":"` + strings.Repeat("a", 2001) + `"}`, true},
		{"get user by id", "GET", "http://h/v2/users/z8yAAAAA8bbbQ", "", false},
		{"list users paginated", "GET", "http://h/v2/users?page_size=30&next_page_token=abc", "", false},
		{"meeting id not a number", "GET", "http://h/v2/meetings/abc", "", true},
		{"delete meeting with reminders", "DELETE", "http://h/v2/meetings/85746065123?schedule_for_reminder=false&cancel_meeting_reminder=true", "", false},
		{"delete meeting bad reminder flag", "DELETE", "http://h/v2/meetings/85746065123?schedule_for_reminder=maybe", "", true},
		{"unknown operation", "GET", "http://h/v2/nowhere", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			err := v.ValidateRequest(jsonRequest(tt.method, tt.target, tt.body), body)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func TestFieldErrorsNameTheField(t *testing.T) {
	v := MustLoad(t)
	body := `{"topic":"Interview","duration":"abc"}`
	err := v.ValidateRequest(jsonRequest("POST", "http://h/v2/users/me/meetings", body), []byte(body))
	if err == nil {
		t.Fatal("want an error")
	}
	fields := zoomspec.FieldErrors(err)
	found := false
	for _, f := range fields {
		if f.Field == "duration" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no error for field duration in %+v", fields)
	}
}

func TestValidateResponse(t *testing.T) {
	v := MustLoad(t)
	meeting := `{"id":85746065123,"uuid":"aDYlohsHRtCd4ii1uC2+hA==","host_id":"z8yAAAAA8bbbQ","host_email":"jchill@example.com","topic":"Interview","type":2,"status":"waiting","start_time":"2026-12-01T15:00:00Z","duration":45,"timezone":"Europe/Lisbon","agenda":"x","created_at":"2026-11-24T10:00:00Z","join_url":"https://us05web.zoom.us/j/85746065123?pwd=abc","start_url":"https://us05web.zoom.us/s/85746065123?zak=x","password":"abc123","settings":{"join_before_host":false,"waiting_room":true}}`
	tests := []struct {
		name    string
		method  string
		target  string
		status  int
		body    string
		wantErr bool
	}{
		{"created meeting", "POST", "http://h/v2/users/me/meetings", 201, meeting, false},
		{"meeting id as string", "POST", "http://h/v2/users/me/meetings", 201, strings.Replace(meeting, `"id":85746065123`, `"id":"85746065123"`, 1), true},
		{"patch no content", "PATCH", "http://h/v2/meetings/85746065123", 204, "", false},
		{"error with code", "GET", "http://h/v2/meetings/1", 404, `{"code":3001,"message":"Meeting does not exist: 1."}`, false},
		{"error without code", "GET", "http://h/v2/meetings/1", 404, `{"message":"Meeting does not exist: 1."}`, true},
		{"error with string code", "GET", "http://h/v2/meetings/1", 404, `{"code":"3001","message":"x"}`, true},
		{"error not json", "GET", "http://h/v2/meetings/1", 500, `<html>`, true},
		{"undocumented status", "GET", "http://h/v2/meetings/1", 202, `{}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.body != "" {
				h.Set("Content-Type", "application/json")
			}
			err := v.ValidateResponse(jsonRequest(tt.method, tt.target, ""), tt.status, h, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func TestHasOperation(t *testing.T) {
	v := MustLoad(t)
	tests := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/v2/users/me", true},
		{"GET", "/users/me", true},
		{"POST", "/v2/users/abc/meetings", true},
		{"PATCH", "/v2/meetings/123", true},
		{"GET", "/v2/rooms", true},
		{"PUT", "/v2/users/me/meetings", false},
		{"GET", "/v2/no/such/thing", false},
	}
	for _, tt := range tests {
		if got := v.HasOperation(tt.method, tt.path); got != tt.want {
			t.Errorf("HasOperation(%s %s) = %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestMendRemovesBooleanRequiredAndOverlappingOneOf(t *testing.T) {
	raw := []byte(`{"paths":{"/x/{userId}":{"get":{"parameters":[{"name":"userId","in":"path","required":true,"schema":{"oneOf":[{"type":"string"},{"type":"string","enum":["me"]}]}}],
	"requestBody":{"required":true,"content":{"application/json":{"schema":{"properties":{"method":{"type":"string","required":true}}}}}}}}}}`)
	out, err := zoomspec.Mend(raw)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, `"oneOf"`) || !strings.Contains(s, `"anyOf"`) {
		t.Errorf("oneOf not turned into anyOf: %s", s)
	}
	if strings.Count(s, `"required":true`) != 2 {
		t.Errorf("want only the parameter's and body's required flags kept: %s", s)
	}
}
