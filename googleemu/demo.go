package googleemu

import (
	"cmp"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/emuhttp"
)

// DemoPerson is one person of the demo Workspace.
type DemoPerson struct {
	Email, Name, TimeZone string
	Admin                 bool
}

// SeedDemo creates a Workspace for domain with people and realistic
// calendars around now: a daily standup and a weekly team sync across time
// zones (series), one-to-ones, focus time, a working location, someone out
// of office, a declined all-hands; and two rooms.
func (e *Emulator) SeedDemo(domain, name string, people []DemoPerson, now time.Time) error {
	e.AddCustomer(domain, name)
	for _, p := range people {
		first, last, _ := strings.Cut(p.Name, " ")
		if _, err := e.AddUser(NewUser{Email: p.Email, GivenName: first, FamilyName: last, Admin: p.Admin, TimeZone: p.TimeZone}); err != nil {
			return err
		}
	}
	for _, r := range []NewRoom{{Domain: domain, Name: "Boardroom", Capacity: 12, Building: "New York HQ", FloorName: "5"},
		{Domain: domain, Name: "Huddle 1", Capacity: 4, Building: "New York HQ", FloorName: "5"}} {
		if _, err := e.AddRoom(r); err != nil {
			return err
		}
	}
	monday := now.UTC().Truncate(24 * time.Hour)
	for monday.Weekday() != time.Monday {
		monday = monday.Add(-24 * time.Hour)
	}
	local := func(p DemoPerson, day time.Time, h, m int) time.Time {
		loc := zone(p.TimeZone)
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	}
	timed := func(id, summary string, s, en time.Time, tz string) *calendar.Event {
		return &calendar.Event{Id: id, Summary: summary, Start: &calendar.EventDateTime{DateTime: s.Format(time.RFC3339), TimeZone: tz},
			End: &calendar.EventDateTime{DateTime: en.Format(time.RFC3339), TimeZone: tz}}
	}
	nyTeamSync := time.Date(monday.Year(), monday.Month(), monday.Day()+1, 11, 0, 0, 0, zone("America/New_York"))
	for i, p := range people {
		id := func(s string) string { return fmt.Sprintf("demo%02d%s", i, s) }
		standup := timed(id("standup"), "Team standup", local(p, monday, 9, 30), local(p, monday, 9, 45), p.TimeZone)
		standup.Recurrence = []string{"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}
		sync := timed(id("teamsync"), "Engineering sync (NY/London/LA/Kolkata)", nyTeamSync, nyTeamSync.Add(time.Hour), "America/New_York")
		sync.Recurrence = []string{"RRULE:FREQ=WEEKLY;BYDAY=TU"}
		focus := timed(id("focus"), "Focus time", local(p, monday.AddDate(0, 0, 2), 13, 0), local(p, monday.AddDate(0, 0, 2), 15, 0), p.TimeZone)
		focus.EventType = "focusTime"
		focus.Recurrence = []string{"RRULE:FREQ=WEEKLY;BYDAY=WE"}
		office := &calendar.Event{Id: id("office"), Summary: "Office", EventType: "workingLocation", Transparency: "transparent", Visibility: "public",
			Start: &calendar.EventDateTime{Date: monday.Format("2006-01-02")}, End: &calendar.EventDateTime{Date: monday.AddDate(0, 0, 1).Format("2006-01-02")},
			Recurrence: []string{"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}}
		oneOnOne := timed(id("oneonone"), "1:1", local(p, monday.AddDate(0, 0, 3), 14+i%3, 0), local(p, monday.AddDate(0, 0, 3), 14+i%3, 30), p.TimeZone)
		oneOnOne.Recurrence = []string{"RRULE:FREQ=WEEKLY;BYDAY=TH"}
		allHands := timed(id("allhands"), "Company all-hands", local(p, monday.AddDate(0, 0, 4), 16, 0), local(p, monday.AddDate(0, 0, 4), 17, 0), p.TimeZone)
		status := "accepted"
		if i%4 == 1 {
			status = "declined"
		}
		allHands.Attendees = []*calendar.EventAttendee{{Email: p.Email, Self: true, ResponseStatus: status}}
		events := []*calendar.Event{standup, sync, focus, office, oneOnOne, allHands}
		if i%5 == 3 {
			start := local(p, monday.AddDate(0, 0, 8), 0, 0)
			ooo := timed(id("ooo"), "Out of office", start, start.AddDate(0, 0, 2), p.TimeZone)
			ooo.EventType = "outOfOffice"
			events = append(events, ooo)
		}
		for _, ev := range events {
			if err := e.PutEvent(p.Email, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

var consolePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Google Cloud and Admin console (emulator)</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}input,textarea{width:100%%}</style></head><body>
<p>Google (emulator)</p><h1>Cloud console: service account key</h1>
<form method="post" action="/console/keys"><label>Project id <input name="project_id" value="acme-scheduling"></label>
<label>Service account name <input name="name" value="interviewplanner"></label><button type="submit">Create key (downloads the JSON key file)</button></form>
<h1>Admin console: domain-wide delegation</h1><p>Security → Access and data control → API controls → Manage Domain Wide Delegation</p>
<form method="post" action="/console/dwd"><label>Domain <input name="domain" value="%s"></label><label>Client ID <input name="client_id"></label>
<label>OAuth scopes (comma-delimited) <textarea name="scopes" rows="3"></textarea></label><button type="submit">Authorize</button></form>
<p>%s</p></body></html>`

// console stands in for the Cloud console (create a key) and the Admin
// console (domain-wide delegation), for people walking the demo.
func (e *Emulator) console(w http.ResponseWriter, r *http.Request) {
	domain := ""
	e.mu.Lock()
	for _, c := range e.st.Customers {
		if domain == "" || c.Domain < domain {
			domain = c.Domain
		}
	}
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, consolePage, htmlEscape(domain), htmlEscape(r.URL.Query().Get("msg")))
}

func (e *Emulator) consoleKey(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	b, err := e.CreateServiceAccountKey(emuhttp.BaseURL(r), cmp.Or(form.Get("project_id"), "acme-scheduling"), cmp.Or(form.Get("name"), "interviewplanner"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="service-account-key.json"`)
	_, _ = w.Write(b)
}

func (e *Emulator) consoleDWD(w http.ResponseWriter, r *http.Request) {
	form, _ := url.ParseQuery(string(emuhttp.Body(r)))
	var scopes []string
	for _, s := range strings.Split(form.Get("scopes"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	msg := "Authorized."
	if err := e.GrantDWD(form.Get("domain"), strings.TrimSpace(form.Get("client_id")), scopes); err != nil {
		msg = err.Error()
	}
	http.Redirect(w, r, "/console?msg="+url.QueryEscape(msg), http.StatusSeeOther)
}

func htmlEscape(s string) string { return html.EscapeString(s) }
