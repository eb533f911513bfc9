package calendar

import (
	"fmt"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// Times are handled as wall clocks (a time.Time in UTC whose fields are the
// local date and clock) plus the zone that turns them into instants.
// Recurrence rules repeat wall clocks — "every Monday at 09:30 New York
// time" stays 09:30 across a DST change — so rules are expanded on wall
// clocks and each occurrence is placed in its zone afterwards. It also
// lets a VTIMEZONE that Go's zone database does not know take part.
type zone interface {
	// at is the instant of wall clock w in this zone.
	at(w time.Time) time.Time
	// wallOf is the wall clock of instant t in this zone.
	wallOf(t time.Time) time.Time
	name() string
}

type locZone struct{ loc *time.Location }

func (z locZone) at(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, z.loc).UTC()
}

func (z locZone) wallOf(t time.Time) time.Time {
	l := t.In(z.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func (z locZone) name() string { return z.loc.String() }

var utc = locZone{time.UTC}

// vtimezone is a zone known only from the file's own VTIMEZONE: its
// STANDARD and DAYLIGHT observances say from which wall clock on which
// offset applies.
type vtimezone struct {
	id          string
	observances []observance
}

type observance struct {
	start      time.Time     // wall clock of the first onset
	rule       *rrule.RRule  // later onsets, nil when none
	rdates     []time.Time   // more onsets (wall clocks)
	offsetFrom time.Duration // before the onset
	offsetTo   time.Duration // from the onset on
}

// onsetBefore is the last onset at or before wall clock w.
func (o observance) onsetBefore(w time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	if !o.start.After(w) {
		best, found = o.start, true
	}
	if o.rule != nil {
		if t := o.rule.Before(w, true); !t.IsZero() && (!found || t.After(best)) {
			best, found = t, true
		}
	}
	for _, r := range o.rdates {
		if !r.After(w) && (!found || r.After(best)) {
			best, found = r, true
		}
	}
	return best, found
}

func (z *vtimezone) offset(w time.Time) time.Duration {
	var best time.Time
	var off time.Duration
	found := false
	for _, o := range z.observances {
		if t, ok := o.onsetBefore(w); ok && (!found || t.After(best)) {
			best, off, found = t, o.offsetTo, true
		}
	}
	if !found && len(z.observances) > 0 {
		return z.observances[0].offsetFrom
	}
	return off
}

func (z *vtimezone) at(w time.Time) time.Time { return w.Add(-z.offset(w)) }

func (z *vtimezone) wallOf(t time.Time) time.Time {
	w := t
	if len(z.observances) > 0 {
		w = t.Add(z.observances[0].offsetTo)
	}
	return t.Add(z.offset(w))
}

func (z *vtimezone) name() string { return z.id }

// parseVTimezone reads a VTIMEZONE's observances.
func parseVTimezone(c *ical.Component) (*vtimezone, error) {
	id := propValue(c, ical.PropTimezoneID)
	z := &vtimezone{id: id}
	for _, o := range c.Children {
		if o.Name != "STANDARD" && o.Name != "DAYLIGHT" {
			continue
		}
		var ob observance
		var err error
		p := o.Props.Get(ical.PropDateTimeStart)
		if p == nil {
			return nil, fmt.Errorf("time zone %q: an observance has no DTSTART", id)
		}
		if ob.start, err = parseWall(p.Value); err != nil {
			return nil, fmt.Errorf("time zone %q: %w", id, err)
		}
		if ob.offsetFrom, err = parseOffset(propValue(o, "TZOFFSETFROM")); err != nil {
			return nil, fmt.Errorf("time zone %q: %w", id, err)
		}
		if ob.offsetTo, err = parseOffset(propValue(o, "TZOFFSETTO")); err != nil {
			return nil, fmt.Errorf("time zone %q: %w", id, err)
		}
		if rp := o.Props.Get(ical.PropRecurrenceRule); rp != nil {
			opt, err := rrule.StrToROptionInLocation(rp.Value, time.UTC)
			if err != nil {
				return nil, fmt.Errorf("time zone %q: %w", id, err)
			}
			opt.Dtstart = ob.start
			if strings.Contains(strings.ToUpper(rp.Value), "UNTIL=") && strings.HasSuffix(strings.ToUpper(untilValue(rp.Value)), "Z") {
				opt.Until = opt.Until.Add(ob.offsetFrom)
			}
			if ob.rule, err = rrule.NewRRule(*opt); err != nil {
				return nil, fmt.Errorf("time zone %q: %w", id, err)
			}
		}
		for _, rp := range o.Props.Values(ical.PropRecurrenceDates) {
			for _, v := range strings.Split(rp.Value, ",") {
				w, err := parseWall(v)
				if err != nil {
					return nil, fmt.Errorf("time zone %q: %w", id, err)
				}
				ob.rdates = append(ob.rdates, w)
			}
		}
		z.observances = append(z.observances, ob)
	}
	if len(z.observances) == 0 {
		return nil, fmt.Errorf("time zone %q has no STANDARD or DAYLIGHT rules", id)
	}
	return z, nil
}

func untilValue(rule string) string {
	for _, part := range strings.Split(rule, ";") {
		if k, v, ok := strings.Cut(part, "="); ok && strings.EqualFold(k, "UNTIL") {
			return v
		}
	}
	return ""
}

// parseOffset reads a UTC offset such as "-0500" or "+0530" or "+013045".
func parseOffset(s string) (time.Duration, error) {
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	var h, m, sec int
	if _, err := fmt.Sscanf(s[1:5], "%02d%02d", &h, &m); err != nil {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	if len(s) == 7 {
		if _, err := fmt.Sscanf(s[5:], "%02d", &sec); err != nil {
			return 0, fmt.Errorf("bad UTC offset %q", s)
		}
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
	if s[0] == '-' {
		d = -d
	}
	return d, nil
}

// parseWall reads a DATE-TIME or DATE value as a wall clock, ignoring a
// trailing Z (the caller decides what the clock means).
func parseWall(v string) (time.Time, error) {
	v = strings.TrimSuffix(strings.TrimSpace(v), "Z")
	// Read the digits directly: a feed has tens of thousands of these and
	// time.Parse's general layout machinery is a tenth of a sync's CPU.
	if t, ok := wallDigits(v); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad date or time %q", v)
}

// wallDigits reads "YYYYMMDD" or "YYYYMMDDTHHMMSS", refusing any field out
// of range (30 February, 24:00, 12:60) as time.Parse does.
func wallDigits(v string) (time.Time, bool) {
	if len(v) != 8 && (len(v) != 15 || v[8] != 'T') {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(v[0:4])
	mo, ok2 := num(v[4:6])
	d, ok3 := num(v[6:8])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	var h, mi, sec int
	if len(v) == 15 {
		var ok4, ok5, ok6 bool
		h, ok4 = num(v[9:11])
		mi, ok5 = num(v[11:13])
		sec, ok6 = num(v[13:15])
		if !ok4 || !ok5 || !ok6 || h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // 30 February rolled over
		return time.Time{}, false
	}
	return t, true
}

// zones resolves TZID parameters: Go's zone database first, then the
// Windows names Outlook writes, then the IANA name some producers embed in
// a longer id ("/mozilla.org/20050126_1/America/New_York"), then the
// file's own VTIMEZONE. An id none of these knows is an error: guessing
// UTC would shift every event by hours.
type zones struct {
	defs  map[string]*ical.Component
	cache map[string]zone
}

func (zs *zones) lookup(tzid string) (zone, error) {
	tzid = strings.Trim(tzid, `"`)
	if z, ok := zs.cache[tzid]; ok {
		return z, nil
	}
	z, err := zs.resolve(tzid)
	if err != nil {
		return nil, err
	}
	zs.cache[tzid] = z
	return z, nil
}

func loadIANA(name string) *time.Location {
	// "Local" and "" would mean the server's own zone.
	if name == "" || name == "Local" {
		return nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return nil
}

func (zs *zones) resolve(tzid string) (zone, error) {
	if loc := loadIANA(tzid); loc != nil {
		return locZone{loc}, nil
	}
	if name, ok := windowsZones[tzid]; ok {
		if loc := loadIANA(name); loc != nil {
			return locZone{loc}, nil
		}
	}
	for i := 0; i < len(tzid); i++ {
		if tzid[i] == '/' && i+1 < len(tzid) && strings.Contains(tzid[i+1:], "/") {
			if loc := loadIANA(tzid[i+1:]); loc != nil {
				return locZone{loc}, nil
			}
		}
	}
	if def, ok := zs.defs[tzid]; ok {
		return parseVTimezone(def)
	}
	return nil, fmt.Errorf("unknown time zone %q (not an IANA or Windows name, and no VTIMEZONE defines it)", tzid)
}
