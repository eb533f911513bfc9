package calendarpages_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/openapitest"
)

// Every calendars endpoint answers as the OpenAPI document says, for
// success and for refusals.
func TestOpenAPIDescribesCalendarEndpoints(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	doc := openapitest.Load(t, c)
	priya, err := a.Main.DB.GetUserByEmail(t.Context(), mustAcme(t, a), "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&feed{body: daily("Standup")})
	defer srv.Close()
	dead := httptest.NewServer(&feed{status: http.StatusNotFound})
	defer dead.Close()
	base := fmt.Sprintf("/api/v1/interviewers/%d", priya.ID)
	var src source
	mustDecode(t, c.JSON("POST", base+"/calendars", fmt.Sprintf(`{"kind":"feed","name":"Work","url":%q}`, srv.URL)), 201, &src)
	from := time.Now().UTC().Truncate(time.Hour)
	calls := []struct{ method, path, body string }{
		{"GET", base + "/calendars", ""},
		{"POST", base + "/calendars", fmt.Sprintf(`{"kind":"feed","url":%q}`, dead.URL)},
		{"POST", base + "/calendars", `{"kind":"upload","name":"x","ics":"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"}`},
		{"POST", base + "/calendars", `{"kind":"caldav","server_url":"not a url","username":"u","password":"p"}`},
		{"POST", base + "/calendars", `{"kind":"feed","surprise":1}`},
		{"GET", base + fmt.Sprintf("/busy?from=%s&to=%s", from.Format(time.RFC3339), from.Add(48*time.Hour).Format(time.RFC3339)), ""},
		{"GET", base + "/busy?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", ""},
		{"GET", "/api/v1/interviewers/999999/busy?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", ""},
		{"POST", fmt.Sprintf("/api/v1/calendars/%d/sync", src.ID), ""},
		{"DELETE", fmt.Sprintf("/api/v1/calendars/%d", src.ID), ""},
		{"DELETE", fmt.Sprintf("/api/v1/calendars/%d", src.ID), ""},
	}
	for _, call := range calls {
		var res apptest.Response
		if call.body != "" {
			res = c.JSON(call.method, call.path, call.body)
		} else {
			res = c.Do(call.method, call.path, nil, nil)
		}
		doc.Check(t, call.method, call.path, call.body, res)
	}
}
