package msgraph

import (
	"fmt"
	"strings"
	"time"

	"interviewplanner/calendar"
)

// wallLayout is Graph's dateTime: no offset, up to seven fractional digits
// ("2026-03-03T09:00:00.0000000"), which time.RFC3339 does not read.
const wallLayout = "2006-01-02T15:04:05"

// ParseDateTime reads a dateTimeTimeZone exactly: the wall clock in its
// zone (Windows or IANA name; none means UTC, as Graph answers without a
// Prefer header). A trailing offset or an unknown zone is an error.
func ParseDateTime(d DateTimeTimeZone) (time.Time, error) {
	s := d.DateTime
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i+1:]
		if len(frac) == 0 || len(frac) > 7 || strings.Trim(frac, "0123456789") != "" {
			return time.Time{}, fmt.Errorf("bad Graph date-time %q", d.DateTime)
		}
	}
	wall, err := time.Parse(wallLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad Graph date-time %q", d.DateTime)
	}
	var ns int
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			ns += int(frac[i] - '0')
		}
	}
	loc := time.UTC
	if z := d.TimeZone; z != "" && z != "UTC" && z != "tzone://Microsoft/Utc" {
		if loc, err = calendar.LoadZone(z); err != nil {
			return time.Time{}, err
		}
	}
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), ns, loc), nil
}

// FormatDateTime writes t as Graph does: UTC wall clock, seven fractional
// digits, zone "UTC".
func FormatDateTime(t time.Time) DateTimeTimeZone {
	return DateTimeTimeZone{DateTime: t.UTC().Format("2006-01-02T15:04:05.0000000"), TimeZone: "UTC"}
}

// FormatIn writes t as a wall clock in loc with loc's Windows zone name
// when one exists (as Outlook does), else the IANA name.
func FormatIn(t time.Time, loc *time.Location) DateTimeTimeZone {
	name := calendar.WindowsZone(loc.String())
	if name == "" {
		name = loc.String()
	}
	return DateTimeTimeZone{DateTime: t.In(loc).Format("2006-01-02T15:04:05.0000000"), TimeZone: name}
}
