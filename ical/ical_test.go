package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"interviewplanner/ical"
)

func TestWriteParseRoundTrip(t *testing.T) {
	start := time.Date(2030, 3, 5, 15, 0, 0, 0, time.UTC)
	cal := ical.Calendar{Method: ical.MethodRequest, Events: []ical.Event{{
		UID: "item-42@interviewplanner", Sequence: 3, Start: start, End: start.Add(45 * time.Minute),
		Summary: "System design; with Acme, Inc.", Description: "Join Zoom: https://zoom.example/j/123?pwd=abc\nSee you there — ünïcødé " + strings.Repeat("long ", 40),
		Location: "Zoom", URL: "https://zoom.example/j/123?pwd=abc",
		Organizer: ical.Attendee{Name: "Acme Recruiting", Email: "recruiting@example.com"},
		Attendees: []ical.Attendee{{Name: `Grace "G" Hopper`, Email: "grace@example.net"}},
	}}}
	var buf bytes.Buffer
	if err := ical.Write(&buf, cal, start.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line longer than 75 octets: %q", line)
		}
	}
	if !strings.Contains(buf.String(), "DTSTART:20300305T150000Z\r\n") || !strings.Contains(buf.String(), "METHOD:REQUEST\r\n") {
		t.Fatalf("missing UTC start or method:\n%s", buf.String())
	}
	got, err := ical.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	e := got.Events[0]
	want := cal.Events[0]
	if got.Method != ical.MethodRequest || e.UID != want.UID || e.Sequence != 3 || !e.Start.Equal(want.Start) || !e.End.Equal(want.End) ||
		e.Summary != want.Summary || e.Description != want.Description || e.URL != want.URL || e.Attendees[0].Email != "grace@example.net" || e.Cancelled {
		t.Fatalf("round trip:\n got %+v\nwant %+v", e, want)
	}
}

func TestCancelMarksEventsCancelled(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := ical.Write(&buf, ical.Calendar{Method: ical.MethodCancel, Events: []ical.Event{{UID: "x", Start: now, End: now.Add(time.Hour), Summary: "s"}}}, now); err != nil {
		t.Fatal(err)
	}
	got, err := ical.Parse(&buf)
	if err != nil || got.Method != ical.MethodCancel || !got.Events[0].Cancelled {
		t.Fatalf("cancel: %+v %v", got, err)
	}
}

func TestParseRefusesBrokenInput(t *testing.T) {
	for _, in := range []string{
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
		"END:VEVENT\r\n",
		"no colon here\r\n",
	} {
		if _, err := ical.Parse(strings.NewReader(in)); err == nil {
			t.Errorf("accepted %q", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	var buf bytes.Buffer
	now := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	_ = ical.Write(&buf, ical.Calendar{Method: ical.MethodRequest, Events: []ical.Event{{UID: "u", Start: now, End: now.Add(time.Hour), Summary: "a,b;c",
		Attendees: []ical.Attendee{{Name: "N", Email: "n@example.com"}}}}}, now)
	f.Add(buf.String())
	f.Add("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n y\nEND:VEVENT\nEND:VCALENDAR\n")
	f.Fuzz(func(t *testing.T, in string) {
		cal, err := ical.Parse(strings.NewReader(in))
		if err != nil || len(cal.Events) == 0 {
			return
		}
		// What parses must survive a write and parse again unchanged.
		var out bytes.Buffer
		if err := ical.Write(&out, cal, now); err != nil {
			t.Fatal(err)
		}
		again, err := ical.Parse(&out)
		if err != nil {
			t.Fatalf("re-parse: %v\n%q", err, out.String())
		}
		if len(again.Events) != len(cal.Events) {
			t.Fatalf("events %d, then %d", len(cal.Events), len(again.Events))
		}
		for i := range cal.Events {
			a, b := cal.Events[i], again.Events[i]
			if a.UID != b.UID || a.Summary != b.Summary || a.Description != b.Description || !a.Start.Equal(b.Start) {
				t.Fatalf("event %d changed:\n%+v\n%+v", i, a, b)
			}
		}
	})
}
