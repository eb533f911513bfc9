package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	arran "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"interviewplanner/calendar"
	"interviewplanner/ical"
)

// Every invitation we write is read back by two parsers that share no code
// with ours (arran4/golang-ical and emersion/go-ical, the one calendar
// sources use), so a calendar app reads what we meant.
func TestInvitationsReadByIndependentParsers(t *testing.T) {
	start := time.Date(2030, 3, 5, 15, 0, 0, 0, time.UTC)
	event := ical.Event{UID: "item-42@interviewplanner", Sequence: 2, Start: start, End: start.Add(45 * time.Minute),
		Summary: "Interview: System design, with Acme; Inc.", Description: "Join: https://zoom.example/j/1?pwd=a\nBring a laptop — ünïcødé " + strings.Repeat("long ", 30),
		Location: "https://zoom.example/j/1?pwd=a", URL: "https://zoom.example/j/1?pwd=a", Conference: "https://zoom.example/j/1?pwd=a",
		Organizer: ical.Attendee{Name: "Acme Recruiting", Email: "recruiting@example.com"},
		Attendees: []ical.Attendee{{Name: `Grace "G" Hopper`, Email: "grace@example.net"}, {Name: "Priya Patel", Email: "priya@example.com"}}}
	for _, method := range []string{ical.MethodRequest, ical.MethodCancel} {
		t.Run(method, func(t *testing.T) {
			e := event
			e.Cancelled = method == ical.MethodCancel
			var buf bytes.Buffer
			if err := ical.Write(&buf, ical.Calendar{Method: method, Events: []ical.Event{e}}, start.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			text := buf.String()

			a, err := arran.ParseCalendar(strings.NewReader(text))
			if err != nil {
				t.Fatalf("arran4/golang-ical: %v\n%s", err, text)
			}
			var gotMethod string
			for _, p := range a.CalendarProperties {
				if p.IANAToken == "METHOD" {
					gotMethod = p.Value
				}
			}
			evs := a.Events()
			if gotMethod != method || len(evs) != 1 {
				t.Fatalf("arran4: method %q, %d events", gotMethod, len(evs))
			}
			ae := evs[0]
			s, err1 := ae.GetStartAt()
			en, err2 := ae.GetEndAt()
			if err1 != nil || err2 != nil || !s.Equal(e.Start) || !en.Equal(e.End) {
				t.Fatalf("arran4: times %v %v (%v %v)", s, en, err1, err2)
			}
			if ae.GetProperty(arran.ComponentPropertyUniqueId).Value != e.UID || ae.GetProperty(arran.ComponentPropertySequence).Value != "2" ||
				ae.GetProperty(arran.ComponentPropertySummary).Value != e.Summary || ae.GetProperty(arran.ComponentPropertyDescription).Value != e.Description {
				t.Fatalf("arran4: properties differ:\n%s", text)
			}
			if org := ae.GetProperty(arran.ComponentPropertyOrganizer); org == nil || !strings.EqualFold(org.Value, "mailto:recruiting@example.com") {
				t.Fatalf("arran4: organizer %+v", org)
			}
			as := ae.Attendees()
			if len(as) != 2 || as[0].Email() != "grace@example.net" || as[1].Email() != "priya@example.com" {
				t.Fatalf("arran4: attendees %+v", as)
			}
			// A request asks each attendee to answer; a cancellation does not.
			if want := map[string]arran.ParticipationStatus{ical.MethodRequest: arran.ParticipationStatusNeedsAction}[method]; as[0].ParticipationStatus() != want {
				t.Fatalf("arran4: PARTSTAT %q, want %q", as[0].ParticipationStatus(), want)
			}
			if conf := ae.GetProperty("CONFERENCE"); conf == nil || conf.Value != e.Conference || conf.ICalParameters["VALUE"][0] != "URI" {
				t.Fatalf("arran4: CONFERENCE %+v", conf)
			}

			g, err := goical.NewDecoder(strings.NewReader(text)).Decode()
			if err != nil {
				t.Fatalf("emersion/go-ical: %v", err)
			}
			ge := g.Events()
			if len(ge) != 1 {
				t.Fatalf("go-ical: %d events", len(ge))
			}
			if uid, _ := ge[0].Props.Text(goical.PropUID); uid != e.UID {
				t.Fatalf("go-ical: uid %q", uid)
			}
			if sum, _ := ge[0].Props.Text(goical.PropSummary); sum != e.Summary {
				t.Fatalf("go-ical: summary %q", sum)
			}
			if seq := ge[0].Props.Get(goical.PropSequence); seq == nil || seq.Value != "2" || len(seq.Params) != 0 {
				t.Fatalf("go-ical: SEQUENCE %+v", seq)
			}
			// Read as a calendar source would: a request blocks its hour, a
			// cancellation frees it.
			blocks, err := calendar.BusyBlocks([]*goical.Calendar{g}, calendar.Options{From: start.Add(-time.Hour), To: start.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]int{ical.MethodRequest: 1, ical.MethodCancel: 0}[method]; len(blocks) != want {
				t.Fatalf("%s: %d busy blocks, want %d", method, len(blocks), want)
			}
		})
	}
}
