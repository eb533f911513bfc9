package calendarpages_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/openapitest"
	"interviewplanner/calendars/radicaletest"
)

// Over the API, an interviewer connects a CalDAV account (a real server,
// Radicale) and chooses which of its calendars count as busy; a path the
// account does not have, or a choice on a feed, is refused and changes
// nothing.
func TestCalDAVCalendarChoiceOverAPI(t *testing.T) {
	t.Parallel()
	r := radicaletest.Start(t)
	r.MkCalendar(t, "/priya/work/", "Work")
	r.MkCalendar(t, "/priya/home/", "Home")
	a := apptest.Start(t, apptest.Options{})
	priya := a.SignIn(t, "priya@example.com")
	doc := openapitest.Load(t, priya)
	me, err := a.Main.DB.GetUserByEmail(t.Context(), mustAcme(t, a), "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	type calendar struct {
		Path     string `json:"path"`
		Name     string `json:"name"`
		Selected bool   `json:"selected"`
	}
	var src struct {
		source
		Calendars []calendar `json:"calendars"`
	}
	body := fmt.Sprintf(`{"kind":"caldav","name":"Radicale","server_url":%q,"username":%q,"password":%q}`, r.URL, r.User, r.Password)
	mustDecode(t, priya.JSON("POST", fmt.Sprintf("/api/v1/interviewers/%d/calendars", me.ID), body), 201, &src)
	if src.State != "ok" || len(src.Calendars) != 2 || !src.Calendars[0].Selected || !src.Calendars[1].Selected {
		t.Fatalf("source = %+v", src)
	}
	var work string
	for _, c := range src.Calendars {
		if c.Name == "Work" {
			work = c.Path
		}
	}
	path := fmt.Sprintf("/api/v1/calendars/%d", src.ID)
	choice := fmt.Sprintf(`{"selected":[%q]}`, work)
	res := priya.JSON("PATCH", path, choice)
	doc.Check(t, "PATCH", path, choice, res)
	mustDecode(t, res, 200, &src)
	for _, c := range src.Calendars {
		if c.Selected != (c.Path == work) {
			t.Fatalf("after choosing Work: %+v", src.Calendars)
		}
	}
	for _, bad := range []string{`{"selected":["/someone/else/"]}`, `{}`, `{"selected":[],"x":1}`} {
		res := priya.JSON("PATCH", path, bad)
		doc.Check(t, "PATCH", path, bad, res)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
	if res := a.SignIn(t, "marcus@example.com").JSON("PATCH", path, choice); res.StatusCode != 404 {
		t.Fatalf("another interviewer chooses priya's calendars: %d", res.StatusCode)
	}
	var feed source
	mustDecode(t, priya.JSON("POST", fmt.Sprintf("/api/v1/interviewers/%d/calendars", me.ID), `{"kind":"upload","name":"x","ics":"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n"}`), 201, &feed)
	if res := priya.JSON("PATCH", fmt.Sprintf("/api/v1/calendars/%d", feed.ID), choice); res.StatusCode != 422 || !strings.Contains(res.Body, "Only a CalDAV account") {
		t.Fatalf("a choice on an uploaded file: %d %s", res.StatusCode, res.Body)
	}
	var list struct {
		Calendars []struct {
			ID        int64      `json:"id"`
			Calendars []calendar `json:"calendars"`
		} `json:"calendars"`
	}
	mustDecode(t, priya.Get(fmt.Sprintf("/api/v1/interviewers/%d/calendars", me.ID)), 200, &list)
	for _, s := range list.Calendars {
		for _, c := range s.Calendars {
			if s.ID == src.ID && c.Selected != (c.Path == work) {
				t.Fatalf("a refused choice changed the calendars: %+v", s.Calendars)
			}
		}
	}
}
