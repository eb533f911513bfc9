package googlespec

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLoadBothDocuments(t *testing.T) {
	t.Parallel()
	cal, err := Calendar()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := Directory()
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Methods) != 37 || cal.Prefix != "/calendar/v3/" {
		t.Errorf("calendar: %d methods, prefix %q", len(cal.Methods), cal.Prefix)
	}
	if len(dir.Methods) != 128 || dir.Prefix != "/" {
		t.Errorf("directory: %d methods, prefix %q", len(dir.Methods), dir.Prefix)
	}
}

func TestFind(t *testing.T) {
	t.Parallel()
	cal, _ := Calendar()
	dir, _ := Directory()
	for _, c := range []struct {
		api          *API
		method, path string
		want, param  string
	}{
		{cal, "GET", "/calendar/v3/calendars/priya%40example.com/events", "calendar.events.list", "priya@example.com"},
		{cal, "POST", "/calendar/v3/calendars/priya%40example.com/events/watch", "calendar.events.watch", "priya@example.com"},
		{cal, "PATCH", "/calendar/v3/calendars/primary/events/abc123", "calendar.events.patch", "primary"},
		{cal, "POST", "/calendar/v3/freeBusy", "calendar.freebusy.query", ""},
		{cal, "POST", "/calendar/v3/channels/stop", "calendar.channels.stop", ""},
		{dir, "GET", "/admin/directory/v1/users", "directory.users.list", ""},
		{dir, "GET", "/admin/directory/v1/customer/my_customer/resources/calendars", "directory.resources.calendars.list", ""},
		{dir, "POST", "/admin/directory_v1/channels/stop", "admin.channels.stop", ""},
	} {
		m, params, err := c.api.Find(c.method, c.path)
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if m.ID != c.want || (c.param != "" && params["calendarId"] != c.param) {
			t.Errorf("%s %s = %s %v, want %s", c.method, c.path, m.ID, params, c.want)
		}
	}
	if _, _, err := cal.Find("GET", "/calendar/v3/nothing/here"); err == nil {
		t.Error("an unknown path matched")
	}
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	cal, _ := Calendar()
	good := httptest.NewRequest("POST", "/calendar/v3/calendars/primary/events?sendUpdates=all&alt=json&prettyPrint=false",
		strings.NewReader(`{"id":"abc12345","summary":"Interview","start":{"dateTime":"2026-12-02T10:00:00Z"},"end":{"dateTime":"2026-12-02T11:00:00Z"},"attendees":[{"email":"priya@example.com"}]}`))
	if _, err := cal.ValidateRequest(good, []byte(`{"id":"abc12345","summary":"Interview","start":{"dateTime":"2026-12-02T10:00:00Z"},"end":{"dateTime":"2026-12-02T11:00:00Z"},"attendees":[{"email":"priya@example.com"}]}`)); err != nil {
		t.Errorf("good insert refused: %v", err)
	}
	for name, c := range map[string]struct{ url, body string }{
		"unknown field":     {"/calendar/v3/calendars/primary/events", `{"summry":"x"}`},
		"wrong type":        {"/calendar/v3/calendars/primary/events", `{"attendees":{"email":"x"}}`},
		"bad enum param":    {"/calendar/v3/calendars/primary/events?sendUpdates=everyone", `{}`},
		"unknown parameter": {"/calendar/v3/calendars/primary/events?sendNotifications=true&foo=1", `{}`},
		"bad date-time":     {"/calendar/v3/calendars/primary/events", `{"start":{"dateTime":"2026-12-02 10:00"}}`},
		"not JSON":          {"/calendar/v3/calendars/primary/events", `{`},
	} {
		r := httptest.NewRequest("POST", c.url, strings.NewReader(c.body))
		if _, err := cal.ValidateRequest(r, []byte(c.body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	list := httptest.NewRequest("GET", "/calendar/v3/calendars/primary/events?maxResults=0", nil)
	if _, err := cal.ValidateRequest(list, nil); err == nil {
		t.Error("maxResults=0 accepted (minimum is 1)")
	}
}

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	cal, _ := Calendar()
	ok := `{"kind":"api#channel","id":"c1","resourceId":"r1","resourceUri":"u","expiration":"1426325213000"}`
	if err := cal.ValidateResponse("POST", "/calendar/v3/calendars/primary/events/watch", 200, []byte(ok)); err != nil {
		t.Errorf("good channel refused: %v", err)
	}
	if err := cal.ValidateResponse("POST", "/calendar/v3/calendars/primary/events/watch", 200, []byte(`{"expiration":1426325213000}`)); err == nil {
		t.Error("an unquoted int64 expiration was accepted")
	}
	errBody := `{"error":{"errors":[{"domain":"calendar","reason":"fullSyncRequired","message":"Sync token is no longer valid, a full sync is required.","locationType":"parameter","location":"syncToken"}],"code":410,"message":"Sync token is no longer valid, a full sync is required."}}`
	if err := cal.ValidateResponse("GET", "/calendar/v3/calendars/primary/events", 410, []byte(errBody)); err != nil {
		t.Errorf("Google's 410 refused: %v", err)
	}
	if err := cal.ValidateResponse("GET", "/calendar/v3/calendars/primary/events", 410, []byte(`{"error":"fullSyncRequired"}`)); err == nil {
		t.Error("a non-Google error body was accepted")
	}
	if err := cal.ValidateResponse("DELETE", "/calendar/v3/calendars/primary/events/abcde", 204, []byte(`{}`)); err == nil {
		t.Error("a body on a method without a response was accepted")
	}
}
