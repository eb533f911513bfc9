package demo

import (
	"fmt"
	"strings"
	"time"
)

// The demo interviewers' own calendars: each gets an uploaded .ics at first
// start, written here relative to that day, whose repeating events keep it
// current for as long as the demo runs. Together they show every rule Find
// times applies to calendars: recurring standups in four zones, weekly 1:1s
// across zones (one with a Windows zone name, as Outlook writes), an
// all-day out-of-office, a declined meeting (free), a tentative one (busy),
// "Focus time" (a conflict keyword: shown, not blocking), a private event
// (shown as "Busy"), a cancelled and a moved instance of a series, and an
// on-call shift across a daylight-saving change.

// DemoKeywords are the demo company's conflict keywords.
var DemoKeywords = []string{"Focus time", "DNB", "Office hours"}

// oneOnOne is a weekly 1:1 between two interviewers, in the first one's
// zone (so the other sees it at another local hour).
type oneOnOne struct {
	a, b  string // emails
	day   string // RRULE BYDAY
	clock string // HHMMSS in a's zone
}

var oneOnOnes = []oneOnOne{
	{"priya@example.com", "elena@example.com", "TU", "110000"},   // 16:00 in London
	{"marcus@example.com", "aiko@example.com", "WE", "130000"},   // 10:00 in Los Angeles
	{"jordan@example.com", "arjun@example.com", "TH", "083000"},  // 19:00 in Kolkata
	{"tomas@example.com", "diego@example.com", "MO", "160000"},   // 08:00 in Los Angeles
	{"hannah@example.com", "fatima@example.com", "WE", "100000"}, // 15:30 in Kolkata
	{"grace@example.com", "noah@example.com", "FR", "140000"},    // 17:00 in New York
}

// windowsZones are zone names as Outlook writes them, for the one calendar
// that looks like an Outlook export.
var windowsZones = map[string]string{"America/New_York": "Eastern Standard Time"}

var weekdays = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// CalendarICS is the demo calendar of person p (one of people), written
// for a demo seeded at now.
func CalendarICS(p Person, people []Person, now time.Time) []byte {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	zoneOf := map[string]string{}
	nameOf := map[string]string{}
	index := 0
	for i, q := range people {
		zoneOf[q.Email], nameOf[q.Email] = q.TimeZone, q.Name
		if q.Email == p.Email {
			index = i
		}
	}
	local := now.In(loc)
	// The series start on the Monday of the week before, so they are
	// already running.
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, -1)
	}
	monday = monday.AddDate(0, 0, -7)
	day := func(offset int) string { return monday.AddDate(0, 0, offset).Format("20060102") }
	tzid := p.TimeZone
	outlook := p.Email == "marcus@example.com"
	if w, ok := windowsZones[p.TimeZone]; ok && outlook {
		tzid = w
	}
	user := strings.SplitN(p.Email, "@", 2)[0]
	var b strings.Builder
	line := func(s ...string) {
		for _, l := range s {
			b.WriteString(l)
			b.WriteString("\r\n")
		}
	}
	stamp := now.UTC().Format("20060102T150405Z")
	event := func(uid, summary string, props ...string) {
		line("BEGIN:VEVENT", "UID:"+uid+"-"+user+"@demo.interviewplanner", "DTSTAMP:"+stamp, "SUMMARY:"+summary)
		line(props...)
		line("END:VEVENT")
	}
	local9 := func(offset int, clock string) string { return ";TZID=" + tzid + ":" + day(offset) + "T" + clock }

	line("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//InterviewPlanner demo//"+p.Name+"//EN", "CALSCALE:GREGORIAN",
		"X-WR-CALNAME:"+p.Name)
	if outlook {
		// An Outlook export names its zone the Windows way and describes it.
		line("BEGIN:VTIMEZONE", "TZID:"+tzid,
			"BEGIN:STANDARD", "DTSTART:16011104T020000", "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "END:STANDARD",
			"BEGIN:DAYLIGHT", "DTSTART:16010311T020000", "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "END:DAYLIGHT",
			"END:VTIMEZONE")
	}

	// The team standup every working day at the team's local hour; one
	// day cancelled (EXDATE) and one moved an hour later (an override).
	standup := map[string]string{"America/New_York": "093000", "Europe/London": "093000", "America/Los_Angeles": "100000", "Asia/Kolkata": "100000", "Asia/Tokyo": "093000"}[p.TimeZone]
	if standup == "" {
		standup = "093000"
	}
	var hour int
	fmt.Sscanf(standup[:2], "%d", &hour)
	event("standup", "Team standup", "DTSTART"+local9(0, standup), "DURATION:PT15M", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
		"EXDATE"+local9(9, standup))
	event("standup", "Team standup (moved)", "RECURRENCE-ID"+local9(10, standup),
		"DTSTART"+local9(10, fmt.Sprintf("%02d%s", hour+1, standup[2:])), "DURATION:PT15M")

	// Weekly 1:1s, in the organizer's zone.
	for _, o := range oneOnOnes {
		if o.a != p.Email && o.b != p.Email {
			continue
		}
		other := o.b
		if o.b == p.Email {
			other = o.a
		}
		zone := zoneOf[o.a]
		if o.a == p.Email {
			zone = tzid
		}
		zloc, _ := time.LoadLocation(zoneOf[o.a])
		if zloc == nil {
			zloc = time.UTC
		}
		zmon := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, zloc)
		line("BEGIN:VEVENT", "UID:one-on-one-"+strings.SplitN(o.a, "@", 2)[0]+"-"+strings.SplitN(o.b, "@", 2)[0]+"@demo.interviewplanner",
			"DTSTAMP:"+stamp, "SUMMARY:1:1 "+firstName(nameOf[p.Email])+" / "+firstName(nameOf[other]),
			"DTSTART;TZID="+zone+":"+zmon.Format("20060102")+"T"+o.clock, "DURATION:PT30M",
			"RRULE:FREQ=WEEKLY;BYDAY="+o.day, "END:VEVENT")
	}

	// Out of office one whole day every four weeks (a different weekday
	// for each person), the first one next week: an all-day date blocks
	// that day in the interviewer's own zone.
	ooo := 14 + index%5 // Monday to Friday of next week
	event("ooo", "Out of office", "DTSTART;VALUE=DATE:"+day(ooo), "DTEND;VALUE=DATE:"+day(ooo+1),
		"RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY="+weekdays[1+index%5], "X-MICROSOFT-CDO-BUSYSTATUS:OOF")

	// Focus time most afternoons: a conflict keyword, shown but free.
	event("focus", "Focus time", "DTSTART"+local9(0, "140000"), "DURATION:PT2H", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE")

	// The company all-hands, which this person declined: free.
	event("all-hands", "Company all-hands", "DTSTART"+local9(3, "120000"), "DURATION:PT1H", "RRULE:FREQ=WEEKLY;BYDAY=TH",
		"ORGANIZER;CN=Ada Lovelace:mailto:admin@example.com",
		"ATTENDEE;CN="+p.Name+";PARTSTAT=DECLINED:mailto:"+p.Email)

	// An architecture review they answered "maybe" to: busy unless the
	// company says tentative is free.
	event("arch-review", "Architecture review", "DTSTART"+local9(1, "153000"), "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
		"ORGANIZER;CN=Ada Lovelace:mailto:admin@example.com",
		"ATTENDEE;CN="+p.Name+";PARTSTAT=TENTATIVE:mailto:"+p.Email)

	// A private appointment: blocks, shown to schedulers as "Busy".
	event("private", "Dentist", "DTSTART"+local9(11, "110000"), "DURATION:PT1H30M", "RRULE:FREQ=MONTHLY", "CLASS:PRIVATE")

	// Free time marked as such: never blocks.
	event("lunch-walk", "Lunch walk", "DTSTART"+local9(0, "123000"), "DURATION:PT30M", "RRULE:FREQ=DAILY", "TRANSP:TRANSPARENT")

	// An on-call shift across the next daylight-saving change of the
	// person's zone: its span is the real hours, not the wall-clock ones.
	if from, to, ok := acrossNextDSTChange(loc, now); ok {
		event("on-call", "On-call handover", "DTSTART;TZID="+tzid+":"+from.Format("20060102T150405"),
			"DTEND;TZID="+tzid+":"+to.Format("20060102T150405"))
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

// acrossNextDSTChange finds the next day on which loc's offset changes
// and returns 22:00 the evening before to 06:00 that morning, local time
// (zones without a change in the coming year: none).
func acrossNextDSTChange(loc *time.Location, now time.Time) (from, to time.Time, ok bool) {
	l := now.In(loc)
	for i := 1; i < 400; i++ {
		start := time.Date(l.Year(), l.Month(), l.Day()+i, 0, 0, 0, 0, loc)
		end := time.Date(l.Year(), l.Month(), l.Day()+i+1, 0, 0, 0, 0, loc)
		_, a := start.Zone()
		_, b := end.Zone()
		if a != b {
			return time.Date(start.Year(), start.Month(), start.Day()-1, 22, 0, 0, 0, loc),
				time.Date(start.Year(), start.Month(), start.Day(), 6, 0, 0, 0, loc), true
		}
	}
	return from, to, false
}

func firstName(name string) string {
	first, _, _ := strings.Cut(name, " ")
	return first
}

// DemoRoomWithCalendar is the demo room whose own calendar is read: the
// company's board meets there, outside InterviewPlanner.
const DemoRoomWithCalendar = "Hopper (2nd floor)"

// RoomCalendarICS is that room's calendar, written for a demo seeded at
// now: the board meeting, Tuesdays and Thursdays 13:00–15:00 New York time.
func RoomCalendarICS(now time.Time) []byte {
	loc, _ := time.LoadLocation("America/New_York")
	d := now.In(loc)
	start := time.Date(d.Year(), d.Month(), d.Day(), 13, 0, 0, 0, loc)
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//InterviewPlanner//Demo//EN", "X-WR-CALNAME:" + DemoRoomWithCalendar, "X-WR-TIMEZONE:America/New_York",
		"BEGIN:VEVENT", "UID:board-meeting@hopper.demo", "SUMMARY:Board meeting",
		"DTSTAMP:" + now.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID=America/New_York:" + start.Format("20060102T150405"),
		"DTEND;TZID=America/New_York:" + start.Add(2*time.Hour).Format("20060102T150405"),
		"RRULE:FREQ=WEEKLY;BYDAY=TU,TH", "END:VEVENT", "END:VCALENDAR"}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}
