// Package ical writes and reads the iCalendar (RFC 5545) that interview
// invitations use: one VCALENDAR with a METHOD (REQUEST or CANCEL, RFC
// 5546) and VEVENTs with times in UTC, an ORGANIZER, ATTENDEEs asked to
// reply, and the join link as LOCATION, in the DESCRIPTION and as an RFC
// 7986 CONFERENCE. Both directions go through emersion/go-ical, the
// library calendar sources are parsed with; this package only adds line
// folding, which the library's encoder leaves out.
package ical

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
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
	// Conference is the video meeting's join URL, written as an RFC 7986
	// CONFERENCE property that calendar apps show as a join button.
	Conference string
	Organizer  Attendee
	Attendees  []Attendee
	Cancelled  bool
}

// Calendar is one VCALENDAR.
type Calendar struct {
	Method string
	Events []Event
}

// ProductID names us in PRODID.
const ProductID = "-//InterviewPlanner//Interviews//EN"

// Write writes cal as RFC 5545 text: CRLF line ends, lines folded at 75
// octets, text values escaped, times in UTC.
func Write(w io.Writer, cal Calendar, now time.Time) error {
	if len(cal.Events) == 0 {
		return errors.New("ical: a calendar needs at least one event")
	}
	c := goical.NewCalendar()
	c.Props.SetText(goical.PropVersion, "2.0")
	c.Props.SetText(goical.PropProductID, ProductID)
	c.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	if cal.Method != "" {
		c.Props.SetText(goical.PropMethod, cal.Method)
	}
	for _, e := range cal.Events {
		c.Children = append(c.Children, component(cal.Method, e, now))
	}
	var buf bytes.Buffer
	if err := goical.NewEncoder(&buf).Encode(c); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for line := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		fold(bw, line)
	}
	return bw.Flush()
}

func component(method string, e Event, now time.Time) *goical.Component {
	ev := goical.NewEvent()
	p := ev.Props
	p.SetText(goical.PropUID, e.UID)
	seq := goical.NewProp(goical.PropSequence) // INTEGER: SetText would add VALUE=TEXT
	seq.Value = strconv.Itoa(e.Sequence)
	p.Set(seq)
	p.SetDateTime(goical.PropDateTimeStamp, now.UTC())
	p.SetDateTime(goical.PropDateTimeStart, e.Start.UTC())
	p.SetDateTime(goical.PropDateTimeEnd, e.End.UTC())
	p.SetText(goical.PropSummary, e.Summary)
	if e.Description != "" {
		p.SetText(goical.PropDescription, e.Description)
	}
	if e.Location != "" {
		p.SetText(goical.PropLocation, e.Location)
	}
	if e.URL != "" {
		uri(p, goical.PropURL, e.URL)
	}
	if e.Conference != "" {
		conf := uri(p, "CONFERENCE", e.Conference)
		conf.Params.Set(goical.ParamValue, "URI")
		conf.Params[goical.ParamFeature] = []string{"AUDIO", "VIDEO"}
		conf.Params.Set(goical.ParamLabel, "Join the video meeting")
	}
	if e.Organizer.Email != "" {
		org := goical.NewProp(goical.PropOrganizer)
		org.Value = "mailto:" + e.Organizer.Email
		setCN(org, e.Organizer.Name)
		p.Set(org)
	}
	request := method != MethodCancel && !e.Cancelled
	for _, a := range e.Attendees {
		at := goical.NewProp(goical.PropAttendee)
		at.Value = "mailto:" + a.Email
		setCN(at, a.Name)
		at.Params.Set(goical.ParamRole, "REQ-PARTICIPANT")
		at.Params.Set("CUTYPE", "INDIVIDUAL")
		if request {
			// Calendar apps show Accept / Decline and send the answer to
			// the organizer.
			at.Params.Set(goical.ParamParticipationStatus, "NEEDS-ACTION")
			at.Params.Set(goical.ParamRSVP, "TRUE")
		}
		p.Add(at)
	}
	status := "CONFIRMED"
	if !request {
		status = "CANCELLED"
	}
	p.SetText(goical.PropStatus, status)
	p.SetText(goical.PropTransparency, "OPAQUE")
	return ev.Component
}

// uri sets a URI-valued property; a link is written as is, not escaped
// as text.
func uri(p goical.Props, name, value string) *goical.Prop {
	prop := goical.NewProp(name)
	prop.Value = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, value)
	p.Set(prop)
	return p.Get(name)
}

// setCN sets the CN parameter without the characters a parameter value
// may not hold (RFC 5545 3.2: no DQUOTE, no controls); the encoder quotes
// it when it holds ; : or ,.
func setCN(prop *goical.Prop, name string) {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name != "" {
		prop.Params.Set(goical.ParamCommonName, name)
	}
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

// Parse reads an invitation (ours or a compatible one) with go-ical: the
// METHOD and the VEVENTs' properties this package writes.
func Parse(r io.Reader) (Calendar, error) {
	var cal Calendar
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return cal, err
	}
	if len(data) > maxInput {
		return cal, errors.New("ical: calendar too large")
	}
	c, err := decode(data)
	if err != nil {
		return cal, fmt.Errorf("ical: %w", err)
	}
	if c.Name != goical.CompCalendar {
		return cal, fmt.Errorf("ical: %s is not a calendar", c.Name)
	}
	cal.Method, _ = c.Props.Text(goical.PropMethod)
	for _, child := range c.Children {
		if child.Name != goical.CompEvent {
			continue
		}
		if len(cal.Events) >= maxEvents {
			return cal, errors.New("ical: too many events")
		}
		e, err := event(child)
		if err != nil {
			return cal, err
		}
		cal.Events = append(cal.Events, e)
	}
	return cal, nil
}

// decode runs go-ical's decoder, which panics on some malformed lines
// (an index out of range on "0;0="): bad input is an error, not a crash.
func decode(data []byte) (c *goical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			c, err = nil, fmt.Errorf("malformed line (%v)", p)
		}
	}()
	return goical.NewDecoder(bytes.NewReader(data)).Decode()
}

func event(c *goical.Component) (Event, error) {
	var e Event
	var err error
	text := func(name string) string {
		if err != nil {
			return ""
		}
		var v string
		v, err = c.Props.Text(name)
		return v
	}
	e.UID = text(goical.PropUID)
	e.Summary = text(goical.PropSummary)
	e.Description = text(goical.PropDescription)
	e.Location = text(goical.PropLocation)
	if err != nil {
		return e, fmt.Errorf("ical: %w", err)
	}
	if p := c.Props.Get(goical.PropSequence); p != nil {
		if e.Sequence, err = strconv.Atoi(p.Value); err != nil {
			return e, fmt.Errorf("ical: SEQUENCE %q: %w", p.Value, err)
		}
	}
	for _, name := range []string{goical.PropDateTimeStart, goical.PropDateTimeEnd} {
		if c.Props.Get(name) == nil {
			continue
		}
		t, err := c.Props.DateTime(name, time.UTC)
		if err != nil {
			return e, fmt.Errorf("ical: %s: %w", name, err)
		}
		if name == goical.PropDateTimeStart {
			e.Start = t
		} else {
			e.End = t
		}
	}
	if p := c.Props.Get(goical.PropURL); p != nil {
		e.URL = p.Value
	}
	if p := c.Props.Get("CONFERENCE"); p != nil {
		e.Conference = p.Value
	}
	if p := c.Props.Get(goical.PropStatus); p != nil {
		e.Cancelled = strings.EqualFold(p.Value, "CANCELLED")
	}
	if p := c.Props.Get(goical.PropOrganizer); p != nil {
		e.Organizer = person(p)
	}
	for _, p := range c.Props.Values(goical.PropAttendee) {
		e.Attendees = append(e.Attendees, person(&p))
	}
	return e, nil
}

func person(p *goical.Prop) Attendee {
	email := p.Value
	if len(email) >= 7 && strings.EqualFold(email[:7], "mailto:") {
		email = email[7:]
	}
	return Attendee{Name: p.Params.Get(goical.ParamCommonName), Email: email}
}
