// Package ical writes and reads the small part of iCalendar (RFC 5545)
// that interview invitations use: one VCALENDAR with a METHOD (REQUEST or
// CANCEL, RFC 5546) and VEVENTs with times in UTC.
package ical

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Methods of an invitation (RFC 5546).
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// Attendee is a person invited to an event.
type Attendee struct {
	Name  string
	Email string
}

// Event is one VEVENT.
type Event struct {
	UID         string
	Sequence    int
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Organizer   Attendee
	Attendees   []Attendee
	Cancelled   bool
}

// Calendar is one VCALENDAR.
type Calendar struct {
	Method string
	Events []Event
}

const stamp = "20060102T150405Z"

// Write writes cal as RFC 5545 text: CRLF line ends, lines folded at 75
// octets, text values escaped, times in UTC.
func Write(w io.Writer, cal Calendar, now time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) {
		fold(bw, name+":"+value)
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//InterviewPlanner//Interviews//EN")
	line("CALSCALE", "GREGORIAN")
	if cal.Method != "" {
		line("METHOD", cal.Method)
	}
	for _, e := range cal.Events {
		line("BEGIN", "VEVENT")
		line("UID", escape(e.UID))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		line("DTSTAMP", now.UTC().Format(stamp))
		line("DTSTART", e.Start.UTC().Format(stamp))
		line("DTEND", e.End.UTC().Format(stamp))
		line("SUMMARY", escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", escape(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", escape(e.Location))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		if e.Organizer.Email != "" {
			fold(bw, "ORGANIZER"+cn(e.Organizer.Name)+":mailto:"+e.Organizer.Email)
		}
		for _, a := range e.Attendees {
			fold(bw, "ATTENDEE"+cn(a.Name)+";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:"+a.Email)
		}
		status := "CONFIRMED"
		if e.Cancelled || cal.Method == MethodCancel {
			status = "CANCELLED"
		}
		line("STATUS", status)
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// cn is the CN parameter, quoted (RFC 5545 3.2: DQUOTE excluded inside).
func cn(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}

// escape escapes a TEXT value (RFC 5545 3.3.11).
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fold writes a content line folded at 75 octets without splitting a
// UTF-8 character.
func fold(w *bufio.Writer, s string) {
	first := true
	for len(s) > 0 {
		limit := 75
		if !first {
			limit = 74 // the leading space counts
		}
		if len(s) <= limit {
			if !first {
				w.WriteByte(' ')
			}
			w.WriteString(s)
			break
		}
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if !first {
			w.WriteByte(' ')
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
	w.WriteString("\r\n")
}

// Limits on what Parse accepts, so hostile input stays cheap.
const (
	maxInput  = 1 << 20
	maxEvents = 1000
)

// Parse reads a calendar written by Write (or a compatible one): unfolds
// lines, reads METHOD and the VEVENTs' properties it knows, ignores others.
func Parse(r io.Reader) (Calendar, error) {
	var cal Calendar
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return cal, err
	}
	if len(data) > maxInput {
		return cal, errors.New("ical: calendar too large")
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.ReplaceAll(text, "\n ", "")
	text = strings.ReplaceAll(text, "\n\t", "")
	var cur *Event
	depth := 0
	for n, raw := range strings.Split(text, "\n") {
		if raw == "" {
			continue
		}
		name, params, value, ok := splitLine(raw)
		if !ok {
			return cal, fmt.Errorf("ical: line %d: no property name", n+1)
		}
		switch name {
		case "BEGIN":
			depth++
			if value == "VEVENT" {
				if cur != nil {
					return cal, fmt.Errorf("ical: line %d: nested VEVENT", n+1)
				}
				if len(cal.Events) >= maxEvents {
					return cal, errors.New("ical: too many events")
				}
				cur = &Event{}
			}
			if depth > 10 {
				return cal, errors.New("ical: components nested too deeply")
			}
		case "END":
			depth--
			if value == "VEVENT" {
				if cur == nil {
					return cal, fmt.Errorf("ical: line %d: END:VEVENT without BEGIN", n+1)
				}
				cal.Events = append(cal.Events, *cur)
				cur = nil
			}
			if depth < 0 {
				return cal, fmt.Errorf("ical: line %d: END without BEGIN", n+1)
			}
		case "METHOD":
			cal.Method = value
		default:
			if cur == nil {
				continue
			}
			if err := setProp(cur, name, params, value); err != nil {
				return cal, fmt.Errorf("ical: line %d: %w", n+1, err)
			}
		}
	}
	if cur != nil || depth != 0 {
		return cal, errors.New("ical: unterminated component")
	}
	return cal, nil
}

// splitLine splits "NAME;PARAM=x:VALUE", minding quoted parameter values.
func splitLine(s string) (name, params, value string, ok bool) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ':':
			if !inQuote {
				head := s[:i]
				name, params, _ = strings.Cut(head, ";")
				return strings.ToUpper(name), params, s[i+1:], name != ""
			}
		}
	}
	return "", "", "", false
}

func setProp(e *Event, name, params, value string) error {
	var err error
	switch name {
	case "UID":
		e.UID = unescape(value)
	case "SEQUENCE":
		e.Sequence, err = strconv.Atoi(value)
	case "DTSTART":
		e.Start, err = time.Parse(stamp, value)
	case "DTEND":
		e.End, err = time.Parse(stamp, value)
	case "SUMMARY":
		e.Summary = unescape(value)
	case "DESCRIPTION":
		e.Description = unescape(value)
	case "LOCATION":
		e.Location = unescape(value)
	case "URL":
		e.URL = value
	case "STATUS":
		e.Cancelled = value == "CANCELLED"
	case "ORGANIZER":
		e.Organizer = person(params, value)
	case "ATTENDEE":
		e.Attendees = append(e.Attendees, person(params, value))
	}
	return err
}

func person(params, value string) Attendee {
	a := Attendee{Email: strings.TrimPrefix(strings.TrimPrefix(value, "mailto:"), "MAILTO:")}
	for _, p := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "CN") {
			a.Name = strings.Trim(v, `"`)
		}
	}
	return a
}
