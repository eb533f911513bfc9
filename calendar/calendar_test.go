package calendar

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utcAt(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// ics wraps VEVENT lines (and anything else) in a VCALENDAR with CRLFs.
func ics(lines ...string) string {
	all := append([]string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN"}, lines...)
	all = append(all, "END:VCALENDAR")
	return strings.Join(all, "\r\n") + "\r\n"
}

func read(t *testing.T, text string, opt Options) []Block {
	t.Helper()
	bs, err := Read(strings.NewReader(text), opt)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return bs
}

func readFile(t *testing.T, name string, opt Options) []Block {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, string(data), opt)
}

type span struct{ start, end string }

func spans(bs []Block) []span {
	var out []span
	for _, b := range bs {
		out = append(out, span{b.Start.UTC().Format("2006-01-02 15:04"), b.End.UTC().Format("2006-01-02 15:04")})
	}
	return out
}

func wantSpans(t *testing.T, bs []Block, want ...span) {
	t.Helper()
	got := spans(bs)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("blocks\n got %v\nwant %v", got, want)
	}
}

func march(t *testing.T, zone string) Options {
	return Options{Zone: mustZone(t, zone), From: utcAt("2026-03-01 00:00"), To: utcAt("2026-04-01 00:00")}
}

// An Outlook feed: Windows TZID with its VTIMEZONE, a weekly rule with a
// UTC UNTIL, two dates on one EXDATE line, and an all-day event. No single
// library got all of it right.
func TestOutlookFeed(t *testing.T) {
	bs := readFile(t, "outlook.ics", march(t, "Europe/Berlin"))
	wantSpans(t, bs,
		span{"2026-03-02 16:00", "2026-03-02 16:30"},
		// All day on 5 March in the owner's zone (Berlin), not UTC midnight.
		span{"2026-03-04 23:00", "2026-03-05 23:00"},
		// After the US DST change 11:00 New York is 15:00 UTC.
		span{"2026-03-09 15:00", "2026-03-09 15:30"},
		span{"2026-03-16 15:00", "2026-03-16 15:30"},
		// UNTIL=…T150000Z includes the 18th's 11:00 EDT instance.
		span{"2026-03-18 15:00", "2026-03-18 15:30"},
	)
	if !bs[1].AllDay || bs[1].Title != "Out of office" {
		t.Fatalf("all-day block = %+v", bs[1])
	}
}

// A recurring series blocks every instance in the window, across DST, with
// an excluded date, a moved instance and a cancelled one.
func TestRecurringSeriesEveryInstance(t *testing.T) {
	bs := readFile(t, "series.ics", march(t, "America/New_York"))
	wantSpans(t, bs,
		span{"2026-03-03 14:30", "2026-03-03 15:00"},
		span{"2026-03-04 14:30", "2026-03-04 15:00"},
		span{"2026-03-06 19:00", "2026-03-06 19:30"}, // moved to 14:00
		span{"2026-03-07 14:30", "2026-03-07 15:00"},
		span{"2026-03-08 13:30", "2026-03-08 14:00"}, // EDT from the 8th
		span{"2026-03-09 13:30", "2026-03-09 14:00"},
		span{"2026-03-11 13:30", "2026-03-11 14:00"},
		span{"2026-03-12 13:30", "2026-03-12 14:00"},
	)
	if bs[2].Title != "Team standup (moved)" {
		t.Fatalf("override title = %q", bs[2].Title)
	}
}

func TestExpansionBoundedToWindow(t *testing.T) {
	text := ics("BEGIN:VEVENT", "UID:u", "SUMMARY:Daily", "DTSTART:20200101T090000Z", "DTEND:20200101T100000Z",
		"RRULE:FREQ=DAILY", "END:VEVENT")
	bs := read(t, text, Options{From: utcAt("2026-03-10 00:00"), To: utcAt("2026-03-13 00:00")})
	wantSpans(t, bs,
		span{"2026-03-10 09:00", "2026-03-10 10:00"},
		span{"2026-03-11 09:00", "2026-03-11 10:00"},
		span{"2026-03-12 09:00", "2026-03-12 10:00"},
	)
	// An occurrence that started before the window but runs into it counts.
	bs = read(t, text, Options{From: utcAt("2026-03-10 09:30"), To: utcAt("2026-03-10 09:45")})
	wantSpans(t, bs, span{"2026-03-10 09:00", "2026-03-10 10:00"})
}

func TestRDate(t *testing.T) {
	text := ics("BEGIN:VEVENT", "UID:r", "SUMMARY:Extra", "DTSTART;TZID=Europe/London:20260302T100000",
		"DURATION:PT1H", "RDATE;TZID=Europe/London:20260304T100000,20260330T100000", "END:VEVENT")
	bs := read(t, text, march(t, "UTC"))
	wantSpans(t, bs,
		span{"2026-03-02 10:00", "2026-03-02 11:00"},
		span{"2026-03-04 10:00", "2026-03-04 11:00"},
		span{"2026-03-30 09:00", "2026-03-30 10:00"}, // BST
	)
}

// Free, cancelled and declined events never block; tentative ones are
// marked so the account's policy can decide; private ones lose their title.
func TestWhatCountsAsBusy(t *testing.T) {
	text := ics(
		"BEGIN:VEVENT", "UID:free", "SUMMARY:Lunch maybe", "TRANSP:TRANSPARENT", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:msfree", "SUMMARY:FYI", "X-MICROSOFT-CDO-BUSYSTATUS:FREE", "DTSTART:20260302T120000Z", "DTEND:20260302T130000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:cancelled", "SUMMARY:Off", "STATUS:CANCELLED", "DTSTART:20260302T140000Z", "DTEND:20260302T150000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:declined", "SUMMARY:All hands", "DTSTART:20260302T160000Z", "DTEND:20260302T170000Z",
		"ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com", "ATTENDEE;CN=Priya;PARTSTAT=DECLINED:mailto:Priya@Example.com", "END:VEVENT",
		"BEGIN:VEVENT", "UID:tentative", "SUMMARY:Maybe", "DTSTART:20260303T090000Z", "DTEND:20260303T100000Z",
		"ATTENDEE;PARTSTAT=TENTATIVE:mailto:priya@example.com", "END:VEVENT",
		"BEGIN:VEVENT", "UID:private", "SUMMARY:Doctor", "CLASS:PRIVATE", "DTSTART:20260303T110000Z", "DTEND:20260303T120000Z", "END:VEVENT",
		"BEGIN:VEVENT", "UID:someone-else-declined", "SUMMARY:Review", "DTSTART:20260303T130000Z", "DTEND:20260303T140000Z",
		"ATTENDEE;PARTSTAT=DECLINED:mailto:other@example.com", "END:VEVENT",
	)
	opt := march(t, "UTC")
	opt.Emails = []string{"priya@example.com"}
	bs := read(t, text, opt)
	wantSpans(t, bs,
		span{"2026-03-03 09:00", "2026-03-03 10:00"},
		span{"2026-03-03 11:00", "2026-03-03 12:00"},
		span{"2026-03-03 13:00", "2026-03-03 14:00"},
	)
	if bs[0].Kind != KindTentative || bs[2].Kind != KindBusy {
		t.Fatalf("kinds: %v %v", bs[0].Kind, bs[2].Kind)
	}
	if !bs[1].Private || bs[1].Title != "" {
		t.Fatalf("private event leaks: %+v", bs[1])
	}
}

// All-day events block whole dates in the owner's zone; multi-day and
// overnight events block exactly their span.
func TestAllDayAndMultiDay(t *testing.T) {
	text := ics(
		"BEGIN:VEVENT", "UID:conf", "SUMMARY:Conference", "DTSTART;VALUE=DATE:20260310", "DTEND;VALUE=DATE:20260313", "END:VEVENT",
		"BEGIN:VEVENT", "UID:one", "SUMMARY:Holiday", "DTSTART;VALUE=DATE:20260320", "END:VEVENT",
		"BEGIN:VEVENT", "UID:night", "SUMMARY:Release", "DTSTART;TZID=Asia/Kolkata:20260324T220000", "DTEND;TZID=Asia/Kolkata:20260325T020000", "END:VEVENT",
	)
	bs := read(t, text, march(t, "Asia/Kolkata"))
	wantSpans(t, bs,
		span{"2026-03-09 18:30", "2026-03-12 18:30"}, // three whole days in +05:30
		span{"2026-03-19 18:30", "2026-03-20 18:30"},
		span{"2026-03-24 16:30", "2026-03-24 20:30"},
	)
	// An all-day event across a DST change still covers whole local days.
	text = ics("BEGIN:VEVENT", "UID:trip", "SUMMARY:Trip", "DTSTART;VALUE=DATE:20260307", "DTEND;VALUE=DATE:20260310", "END:VEVENT")
	wantSpans(t, read(t, text, march(t, "America/New_York")), span{"2026-03-07 05:00", "2026-03-10 04:00"})
}

func TestFloatingTimesAreTheOwners(t *testing.T) {
	text := ics("BEGIN:VEVENT", "UID:f", "SUMMARY:Gym", "DTSTART:20260302T070000", "DTEND:20260302T080000", "END:VEVENT")
	wantSpans(t, read(t, text, march(t, "Asia/Kathmandu")), span{"2026-03-02 01:15", "2026-03-02 02:15"}) // +05:45
}

// A TZID known only from the file's VTIMEZONE is placed by its rules; one
// nobody defines is an error, never silently UTC.
func TestVTimezoneOnlyAndUnknownTZID(t *testing.T) {
	vtz := []string{"BEGIN:VTIMEZONE", "TZID:Company Time",
		"BEGIN:STANDARD", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
		"BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
		"END:VTIMEZONE"}
	ev := []string{"BEGIN:VEVENT", "UID:w", "SUMMARY:Weekly", "DTSTART;TZID=Company Time:20260323T090000", "DTEND;TZID=Company Time:20260323T100000",
		"RRULE:FREQ=WEEKLY;COUNT=2", "END:VEVENT"}
	bs := read(t, ics(append(vtz, ev...)...), march(t, "UTC"))
	wantSpans(t, bs,
		span{"2026-03-23 08:00", "2026-03-23 09:00"}, // +01:00
		span{"2026-03-30 07:00", "2026-03-30 08:00"}, // +02:00 after the last Sunday of March
	)
	_, err := Read(strings.NewReader(ics(ev...)), march(t, "UTC"))
	if err == nil || !strings.Contains(err.Error(), `unknown time zone "Company Time"`) {
		t.Fatalf("unknown TZID: err = %v", err)
	}
	// An IANA name embedded in a longer id is found.
	text := ics("BEGIN:VEVENT", "UID:m", "SUMMARY:M", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20260302T090000", "DURATION:PT30M", "END:VEVENT")
	wantSpans(t, read(t, text, march(t, "UTC")), span{"2026-03-02 08:00", "2026-03-02 08:30"})
}

func TestHostileInput(t *testing.T) {
	opt := march(t, "UTC")
	cases := map[string]struct{ text, want string }{
		"secondly without end": {ics("BEGIN:VEVENT", "UID:s", "SUMMARY:Spam", "DTSTART:20200101T000000Z", "DTEND:20200101T000001Z",
			"RRULE:FREQ=SECONDLY", "END:VEVENT"), "repeats too often"},
		"malformed": {"BEGIN:VCALENDAR\r\nthis is not\r\n", "not a valid iCalendar file"},
		// go-ical's decoder panics on this line; it must be an error.
		"decoder panic":  {"0;0=", "not a valid iCalendar file"},
		"empty":          {"", "empty"},
		"html":           {"<html><body>Sign in</body></html>", "not a valid iCalendar file"},
		"bad date":       {ics("BEGIN:VEVENT", "UID:b", "DTSTART:2026-03-02", "END:VEVENT"), "bad date"},
		"bad rule":       {ics("BEGIN:VEVENT", "UID:b", "DTSTART:20260302T100000Z", "RRULE:FREQ=SOMETIMES", "END:VEVENT"), "bad RRULE"},
		"unknown zone":   {ics("BEGIN:VEVENT", "UID:b", "DTSTART;TZID=Mars/Olympus:20260302T100000", "END:VEVENT"), "unknown time zone"},
		"path-like zone": {ics("BEGIN:VEVENT", "UID:b", "DTSTART;TZID=../../etc/passwd:20260302T100000", "END:VEVENT"), "unknown time zone"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Read(strings.NewReader(c.text), opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}

func TestFeedLargerThanLimit(t *testing.T) {
	huge := io50MB()
	_, err := Read(huge, march(t, "UTC"))
	if err == nil || !strings.Contains(err.Error(), "larger than 50 MB") {
		t.Fatalf("err = %v", err)
	}
}

func TestMatchKeyword(t *testing.T) {
	kws := []string{"DNB", "Focus time"}
	if k, ok := MatchKeyword("focus TIME (deep work)", kws); !ok || k != "Focus time" {
		t.Fatalf("got %q %v", k, ok)
	}
	if _, ok := MatchKeyword("Team standup", kws); ok {
		t.Fatal("matched a title without a keyword")
	}
	if _, ok := MatchKeyword("anything", []string{"  "}); ok {
		t.Fatal("blank keyword matched")
	}
}

// The parser and expansion never panic, and whatever they return lies in
// the window with positive length.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"outlook.ics", "series.ics"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(ics("BEGIN:VEVENT", "UID:x", "DTSTART:20260302T100000Z", "RRULE:FREQ=HOURLY;BYSETPOS=-1", "DURATION:PT1H", "END:VEVENT"))
	from, to := utcAt("2026-03-01 00:00"), utcAt("2026-03-15 00:00")
	f.Fuzz(func(t *testing.T, text string) {
		bs, err := Read(strings.NewReader(text), Options{Zone: time.UTC, From: from, To: to})
		if err != nil {
			return
		}
		for _, b := range bs {
			if !b.End.After(b.Start) || !b.End.After(from) || !b.Start.Before(to) {
				t.Fatalf("block outside window or empty: %+v", b)
			}
		}
	})
}

// The fast reader of dates agrees with time.Parse on every shape, good or bad.
func TestWallDigitsAgreesWithTimeParse(t *testing.T) {
	for _, v := range []string{"20260302", "20260302T093000", "20240229", "20250229", "20261231T235959", "20260230", "20260132",
		"20261300", "20260002", "20260302T240000", "20260302T126000", "20260302T120060", "2026030", "20260302X093000",
		"2026-03-02", "+0260302", "20260302T09300", "00010101", "99991231T235959", "2026030Z"} {
		got, err := parseWall(v)
		layout := "20060102"
		if len(v) > 8 {
			layout = "20060102T150405"
		}
		want, werr := time.ParseInLocation(layout, v, time.UTC)
		if (err == nil) != (werr == nil) || (err == nil && !got.Equal(want)) {
			t.Errorf("%q: got %v (%v), time.Parse %v (%v)", v, got, err, want, werr)
		}
	}
}
