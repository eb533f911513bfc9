package demo_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"interviewplanner/calendar"
	"interviewplanner/demo"
)

// Every demo interviewer's calendar parses and shows what the demo is
// for: a standup on working days (one cancelled, one moved), a 1:1, an
// out-of-office day, a declined meeting that does not block, a tentative
// one that does, focus time, a private event and an on-call shift whose
// span follows the daylight-saving change it crosses.
func TestDemoCalendars(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	for _, p := range demo.Acme {
		if p.Role != "interviewer" {
			continue
		}
		t.Run(p.Email, func(t *testing.T) {
			loc, _ := time.LoadLocation(p.TimeZone)
			ics := demo.CalendarICS(p, demo.Acme, now)
			blocks, err := calendar.Read(bytes.NewReader(ics), calendar.Options{Zone: loc, Emails: []string{p.Email}, From: now, To: now.AddDate(0, 0, 120)})
			if err != nil {
				t.Fatalf("%v\n%s", err, ics)
			}
			count := map[string]int{}
			var onCall *calendar.Block
			for i, b := range blocks {
				count[b.Title]++
				if b.Title == "On-call handover" {
					onCall = &blocks[i]
				}
				if b.Private && b.Title != "" {
					t.Fatalf("a private event keeps its title %q", b.Title)
				}
				if b.Title == "Architecture review" && b.Kind != calendar.KindTentative {
					t.Fatalf("the tentative review is %q", b.Kind)
				}
				if b.Title == "Out of office" && (!b.AllDay || b.End.Sub(b.Start) < 23*time.Hour) {
					t.Fatalf("out of office is not a whole day: %v–%v", b.Start, b.End)
				}
			}
			if count["Team standup"] < 70 || count["Team standup (moved)"] != 0 && count["Team standup (moved)"] != 1 {
				t.Fatalf("standups: %v", count)
			}
			if count["Company all-hands"] != 0 {
				t.Fatal("the declined all-hands blocks time")
			}
			if count["Lunch walk"] != 0 {
				t.Fatal("a transparent event blocks time")
			}
			for _, want := range []string{"Architecture review", "Focus time", "Out of office", ""} {
				if count[want] == 0 {
					t.Fatalf("no %q in 120 days: %v", want, count)
				}
			}
			one := 0
			for title, n := range count {
				if strings.HasPrefix(title, "1:1 ") {
					one += n
				}
			}
			if one < 15 {
				t.Fatalf("1:1s: %d in 120 days (%v)", one, count)
			}
			if p.TimeZone != "Asia/Kolkata" {
				if onCall == nil {
					t.Fatal("no on-call shift across the daylight-saving change")
				}
				// 22:00 to 06:00 local is 8 wall-clock hours but 7 or 9 real ones.
				if d := onCall.End.Sub(onCall.Start); d != 7*time.Hour && d != 9*time.Hour {
					t.Fatalf("on-call spans %v across the change", d)
				}
			}
		})
	}
}

// The Outlook-style calendar (Windows zone name) places its 1:1 at the
// same instant as the other side's copy, written with the IANA name.
func TestDemoCalendarsAgreeAcrossZones(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	read := func(email string) map[time.Time]bool {
		for _, p := range demo.Acme {
			if p.Email != email {
				continue
			}
			loc, _ := time.LoadLocation(p.TimeZone)
			ics := demo.CalendarICS(p, demo.Acme, now)
			if email == "marcus@example.com" && !bytes.Contains(ics, []byte("TZID=Eastern Standard Time")) {
				t.Fatal("Marcus's calendar is not the Outlook-style one")
			}
			blocks, err := calendar.Read(bytes.NewReader(ics), calendar.Options{Zone: loc, From: now, To: now.AddDate(0, 0, 28)})
			if err != nil {
				t.Fatal(err)
			}
			out := map[time.Time]bool{}
			for _, b := range blocks {
				if strings.HasPrefix(b.Title, "1:1 ") {
					out[b.Start] = true
				}
			}
			return out
		}
		return nil
	}
	marcus, aiko := read("marcus@example.com"), read("aiko@example.com")
	if len(marcus) != 4 || len(aiko) != 4 {
		t.Fatalf("1:1s in four weeks: Marcus %d, Aiko %d", len(marcus), len(aiko))
	}
	for at := range marcus {
		if !aiko[at] {
			t.Fatalf("Marcus's 1:1 at %v is not in Aiko's calendar (%v)", at, aiko)
		}
		if h := at.In(mustLoad(t, "America/New_York")).Hour(); h != 13 {
			t.Fatalf("the 1:1 is at %d:00 in New York, want 13:00", h)
		}
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
