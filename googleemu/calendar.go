package googleemu

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/emuhttp"
)

// Access roles a caller can have on a calendar.
const (
	roleNone     = ""
	roleFreeBusy = "freeBusyReader"
	roleWriter   = "writer"
	roleOwner    = "owner"
)

// calendarLocked finds a calendar and the caller's role on it: the owner;
// a room's calendar is writable by its company (rooms are booked by
// inviting them); anyone else in the company sees free/busy only.
func (e *Emulator) calendarLocked(c *caller, id string) (*Calendar, string) {
	if c.user == nil {
		return nil, roleNone
	}
	if id == "primary" {
		id = c.user.Email
	}
	cal := e.st.Calendars[key(id)]
	if cal == nil {
		return nil, roleNone
	}
	switch {
	case cal.Owner != "" && key(cal.Owner) == key(c.user.Email):
		return cal, roleOwner
	case cal.CustomerID != c.user.CustomerID:
		return cal, roleNone
	case cal.Owner == "":
		return cal, roleWriter
	default:
		return cal, roleFreeBusy
	}
}

func notFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "global", "notFound", "Not Found")
}

// readable finds a calendar whose events the caller may read.
func (e *Emulator) readable(w http.ResponseWriter, c *caller, id string) *Calendar {
	cal, role := e.calendarLocked(c, id)
	if cal == nil || (role != roleOwner && role != roleWriter) {
		notFound(w)
		return nil
	}
	return cal
}

// writable finds a calendar the caller may write, refusing while Google
// holds it read-only after its usage limits were hit.
func (e *Emulator) writable(w http.ResponseWriter, c *caller, id string) *Calendar {
	cal := e.readable(w, c, id)
	if cal == nil {
		return nil
	}
	if e.Now().Before(cal.ReadOnlyUntil) {
		cannedError(w, http.StatusForbidden, "quotaExceeded")
		return nil
	}
	return cal
}

// eventOf finds the event the request names, in a calendar the caller may
// read (or, with write, write); without one it has answered.
func (e *Emulator) eventOf(w http.ResponseWriter, r *http.Request, c *caller, write bool) (*Calendar, *StoredEvent) {
	find := e.readable
	if write {
		find = e.writable
	}
	cal := find(w, c, r.PathValue("calendarId"))
	if cal == nil {
		return nil, nil
	}
	se := cal.Events[r.PathValue("eventId")]
	if se == nil {
		notFound(w)
		return nil, nil
	}
	return cal, se
}

func (e *Emulator) calendarList(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := &calendar.CalendarList{Kind: "calendar#calendarList", Etag: etag(e.st.Seq), Items: []*calendar.CalendarListEntry{}}
	var cals []*Calendar
	for _, cal := range e.st.Calendars {
		if c.user != nil && key(cal.Owner) == key(c.user.Email) {
			cals = append(cals, cal)
		}
	}
	sort.Slice(cals, func(i, j int) bool { return cals[i].ID < cals[j].ID })
	for _, cal := range cals {
		out.Items = append(out.Items, &calendar.CalendarListEntry{Kind: "calendar#calendarListEntry", Etag: etag(1), Id: cal.ID,
			Summary: cal.Summary, TimeZone: cal.TimeZone, AccessRole: roleOwner, Primary: key(cal.ID) == key(c.user.Email)})
	}
	writeJSON(w, http.StatusOK, out)
}

// syncToken is what an opaque nextSyncToken carries.
type syncToken struct {
	Cal    string `json:"c"`
	Epoch  int    `json:"e"`
	Seq    int64  `json:"s"`
	Single bool   `json:"o"`
	From   int64  `json:"f"` // the full sync's window, for expanding series later
	To     int64  `json:"t"`
}

func encodeToken(v any) string {
	b, _ := json.Marshal(v)
	return "CP" + base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "CP"))
	return err == nil && strings.HasPrefix(s, "CP") && json.Unmarshal(b, v) == nil
}

type pageToken struct {
	Offset int    `json:"o"`
	Sync   string `json:"s"`
}

func (e *Emulator) eventsList(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	e.mu.Lock()
	defer e.mu.Unlock()
	cal := e.readable(w, c, r.PathValue("calendarId"))
	if cal == nil {
		return
	}
	loc := zone(cal.TimeZone)
	single := q.Get("singleEvents") == "true"
	var since *syncToken
	var pt pageToken
	if s := q.Get("pageToken"); s != "" {
		if !decodeToken(s, &pt) {
			writeError(w, http.StatusBadRequest, "global", "invalid", "Invalid page token value.", "parameter", "pageToken")
			return
		}
	}
	from, to := time.Time{}, time.Time{}
	if s := q.Get("syncToken"); s != "" {
		for _, p := range []string{"timeMin", "timeMax", "orderBy", "q", "updatedMin", "iCalUID"} {
			if q.Has(p) {
				writeError(w, http.StatusBadRequest, "global", "invalid", "Sync token cannot be used together with "+p+".", "parameter", p)
				return
			}
		}
		var st syncToken
		if !decodeToken(s, &st) || key(st.Cal) != key(cal.ID) {
			writeError(w, http.StatusBadRequest, "global", "invalid", "Invalid sync token value.", "parameter", "syncToken")
			return
		}
		if st.Epoch != cal.Epoch {
			cannedError(w, http.StatusGone, "fullSyncRequired")
			return
		}
		since = &st
		single = st.Single
		from, to = time.UnixMilli(st.From), time.UnixMilli(st.To)
	} else {
		var err error
		if from, err = parseTimeParam(q.Get("timeMin")); err != nil {
			writeError(w, http.StatusBadRequest, "global", "invalid", "Bad Request", "parameter", "timeMin")
			return
		}
		if to, err = parseTimeParam(q.Get("timeMax")); err != nil {
			writeError(w, http.StatusBadRequest, "global", "invalid", "Bad Request", "parameter", "timeMax")
			return
		}
		if !from.IsZero() && !to.IsZero() && !to.After(from) {
			writeError(w, http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.", "parameter", "timeMax")
			return
		}
	}
	if q.Get("orderBy") == "startTime" && !single {
		writeError(w, http.StatusBadRequest, "global", "invalid", "The requested ordering is not available for the particular query.", "parameter", "orderBy")
		return
	}
	// Series are expanded within a bounded window, as Google pages them.
	expFrom, expTo := from, to
	if expFrom.IsZero() {
		expFrom = e.Now().AddDate(-1, 0, 0)
	}
	if expTo.IsZero() {
		expTo = expFrom.AddDate(2, 0, 0)
	}
	var items []*calendar.Event
	showDeleted := since != nil || q.Get("showDeleted") == "true"
	ids := make([]string, 0, len(cal.Events))
	for id := range cal.Events {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		se := cal.Events[id]
		if since != nil && se.Seq <= since.Seq {
			continue
		}
		if se.Deleted {
			if showDeleted {
				items = append(items, cancelledStub(se.Event))
			}
			continue
		}
		ev := se.Event
		if single && len(ev.Recurrence) > 0 {
			items = append(items, e.instances(cal, ev, expFrom, expTo, loc)...)
			continue
		}
		if single && ev.RecurringEventId != "" && ev.Status == "cancelled" {
			if showDeleted {
				items = append(items, ev)
			}
			continue
		}
		if since == nil {
			s, en, err := bounds(ev, loc)
			if err != nil || (!from.IsZero() && !en.After(from)) || (!to.IsZero() && !s.Before(to)) {
				continue
			}
		}
		items = append(items, ev)
	}
	if q.Get("orderBy") == "startTime" {
		sort.SliceStable(items, func(i, j int) bool {
			a, _, _ := bounds(items[i], loc)
			b, _, _ := bounds(items[j], loc)
			return a.Before(b)
		})
	}
	next := pt.Sync
	if next == "" {
		next = encodeToken(syncToken{Cal: cal.ID, Epoch: cal.Epoch, Seq: e.st.Seq, Single: single, From: expFrom.UnixMilli(), To: expTo.UnixMilli()})
	}
	size := 250
	if v, err := strconv.Atoi(q.Get("maxResults")); err == nil && v > 0 {
		size = min(v, 2500)
	}
	off := min(pt.Offset, len(items))
	end := min(off+size, len(items))
	out := &calendar.Events{Kind: "calendar#events", Etag: etag(e.st.Seq), Summary: cal.Summary, TimeZone: cal.TimeZone,
		Updated: e.Now().UTC().Format(time.RFC3339Nano), AccessRole: roleOwner, Items: items[off:end], DefaultReminders: []*calendar.EventReminder{}}
	if end < len(items) {
		out.NextPageToken = encodeToken(pageToken{Offset: end, Sync: next})
	} else {
		out.NextSyncToken = next
	}
	writeJSON(w, http.StatusOK, out)
}

func cancelledStub(ev *calendar.Event) *calendar.Event {
	return &calendar.Event{Kind: "calendar#event", Etag: ev.Etag, Id: ev.Id, Status: "cancelled", RecurringEventId: ev.RecurringEventId, OriginalStartTime: ev.OriginalStartTime}
}

func parseTimeParam(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// bounds is an event's start and end; all-day dates are midnights in the
// calendar's zone.
func bounds(ev *calendar.Event, loc *time.Location) (time.Time, time.Time, error) {
	s, err := edt(ev.Start, loc)
	if err != nil {
		return s, s, err
	}
	en, err := edt(ev.End, loc)
	return s, en, err
}

func edt(d *calendar.EventDateTime, loc *time.Location) (time.Time, error) {
	if d == nil {
		return time.Time{}, fmt.Errorf("missing time")
	}
	if d.DateTime != "" {
		return time.Parse(time.RFC3339, d.DateTime)
	}
	if d.TimeZone != "" {
		loc = zone(d.TimeZone)
	}
	return time.ParseInLocation("2006-01-02", d.Date, loc)
}

// instances expands a series over [from, to): its occurrences less
// EXDATEs and less those replaced by stored exceptions.
func (e *Emulator) instances(cal *Calendar, ev *calendar.Event, from, to time.Time, calLoc *time.Location) []*calendar.Event {
	start, end, err := bounds(ev, calLoc)
	if err != nil {
		return nil
	}
	loc := calLoc
	if ev.Start.TimeZone != "" {
		loc = zone(ev.Start.TimeZone)
	}
	start = start.In(loc)
	dur := end.Sub(start)
	set := &rrule.Set{}
	for _, line := range ev.Recurrence {
		switch {
		case strings.HasPrefix(line, "RRULE:"):
			opt, err := rrule.StrToROption(strings.TrimPrefix(line, "RRULE:"))
			if err != nil {
				continue
			}
			opt.Dtstart = start
			if rr, err := rrule.NewRRule(*opt); err == nil {
				set.RRule(rr)
			}
		case strings.HasPrefix(line, "EXDATE"):
			_, vals, _ := strings.Cut(line, ":")
			for _, v := range strings.Split(vals, ",") {
				for _, layout := range []string{"20060102T150405Z", "20060102T150405", "20060102"} {
					if t, err := time.ParseInLocation(layout, v, loc); err == nil {
						set.ExDate(t)
						break
					}
				}
			}
		}
	}
	var out []*calendar.Event
	for _, occ := range set.Between(from.Add(-dur), to, true) {
		id := ev.Id + "_" + occ.UTC().Format("20060102T150405Z")
		allDay := ev.Start.Date != ""
		if allDay {
			id = ev.Id + "_" + occ.Format("20060102")
		}
		if ex := cal.Events[id]; ex != nil {
			if !ex.Deleted && ex.Event.Status != "cancelled" {
				out = append(out, ex.Event)
			}
			continue
		}
		inst := *ev
		inst.Id, inst.Recurrence, inst.RecurringEventId = id, nil, ev.Id
		if allDay {
			inst.Start = &calendar.EventDateTime{Date: occ.Format("2006-01-02")}
			inst.End = &calendar.EventDateTime{Date: occ.Add(dur).Format("2006-01-02")}
			inst.OriginalStartTime = &calendar.EventDateTime{Date: occ.Format("2006-01-02")}
		} else {
			inst.Start = &calendar.EventDateTime{DateTime: occ.Format(time.RFC3339), TimeZone: ev.Start.TimeZone}
			inst.End = &calendar.EventDateTime{DateTime: occ.Add(dur).Format(time.RFC3339), TimeZone: ev.End.TimeZone}
			inst.OriginalStartTime = &calendar.EventDateTime{DateTime: occ.Format(time.RFC3339), TimeZone: ev.Start.TimeZone}
		}
		out = append(out, &inst)
	}
	return out
}

func (e *Emulator) eventsGet(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, se := e.eventOf(w, r, c, false)
	if se == nil {
		return
	}
	if se.Deleted {
		writeJSON(w, http.StatusOK, cancelledStub(se.Event))
		return
	}
	writeJSON(w, http.StatusOK, se.Event)
}

// A client-chosen event id: base32hex (a-v, 0-9), 5 to 1024 characters
// (CAL-DISC Event.id).
var eventIDRe = regexp.MustCompile(`^[a-v0-9]{5,}$`)

func (e *Emulator) eventsInsert(w http.ResponseWriter, r *http.Request, c *caller) {
	var ev calendar.Event
	if !readJSON(w, r, &ev) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cal := e.writable(w, c, r.PathValue("calendarId"))
	if cal == nil {
		return
	}
	if ev.Id != "" && (!eventIDRe.MatchString(ev.Id) || len(ev.Id) > 1024) {
		writeError(w, http.StatusBadRequest, "global", "invalid", "Invalid resource id value.")
		return
	}
	if ev.Id != "" && cal.Events[ev.Id] != nil {
		// Ids stay taken after a delete (FACTS #28).
		writeError(w, http.StatusConflict, "global", "duplicate", "The requested identifier already exists.")
		return
	}
	if ev.Start == nil {
		writeError(w, http.StatusBadRequest, "global", "required", "Missing start time.")
		return
	}
	if ev.End == nil {
		writeError(w, http.StatusBadRequest, "global", "required", "Missing end time.")
		return
	}
	if s, en, err := bounds(&ev, zone(cal.TimeZone)); err != nil || en.Before(s) {
		writeError(w, http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.")
		return
	}
	e.fillNewEvent(&ev)
	ev.ICalUID = ev.Id + "@google.com"
	ev.HtmlLink = emuhttp.BaseURL(r) + "/calendar/event?eid=" + ev.Id
	ev.Creator = &calendar.EventCreator{Email: c.user.Email}
	ev.Organizer = &calendar.EventOrganizer{Email: cal.ID, DisplayName: cal.Summary, Self: true}
	for _, a := range ev.Attendees {
		if room := e.st.Rooms[key(a.Email)]; room != nil {
			a.Resource, a.ResponseStatus, a.DisplayName = true, "accepted", room.Name
		}
		if a.ResponseStatus == "" {
			a.ResponseStatus = "needsAction"
		}
	}
	ev.Reminders = &calendar.EventReminders{UseDefault: true}
	se := &StoredEvent{Event: &ev}
	cal.Events[ev.Id] = se
	e.touchLocked(cal, se, r.URL.Query().Get("sendUpdates"))
	writeJSON(w, http.StatusOK, &ev)
}

// fillNewEvent gives a new event what Google fills in on creation: an id
// when none was chosen, its kind and creation time, and the default status
// and type. Its update time is touchLocked's.
func (e *Emulator) fillNewEvent(ev *calendar.Event) {
	if ev.Id == "" {
		ev.Id = randomToken(13)
	}
	ev.Kind, ev.Created = "calendar#event", e.timestamp()
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	if ev.EventType == "" {
		ev.EventType = "default"
	}
}

// timestamp is the clock's time as Google writes it: UTC, milliseconds.
func (e *Emulator) timestamp() string { return e.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// touchLocked marks an event changed and tells the calendar's channels.
func (e *Emulator) touchLocked(cal *Calendar, se *StoredEvent, sendUpdates string) {
	se.Seq = e.st.nextSeq()
	se.Event.Etag = etag(se.Seq)
	se.Event.Updated = e.timestamp()
	if sendUpdates == "" {
		sendUpdates = "none"
	}
	se.SendUpdates = append(se.SendUpdates, sendUpdates)
	e.notifyLocked(cal, "exists")
}

func (e *Emulator) eventsPatch(w http.ResponseWriter, r *http.Request, c *caller) {
	var patch map[string]json.RawMessage
	if !readJSON(w, r, &patch) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cal, se := e.eventOf(w, r, c, true)
	if se == nil {
		return
	}
	var cur map[string]json.RawMessage
	b, _ := json.Marshal(se.Event)
	_ = json.Unmarshal(b, &cur)
	timesChanged := false
	for k, v := range patch {
		switch k {
		case "id", "kind", "etag", "created", "updated", "creator", "organizer", "iCalUID", "htmlLink":
			continue
		case "start", "end":
			timesChanged = true
		}
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			delete(cur, k)
		} else {
			cur[k] = v
		}
	}
	merged, _ := json.Marshal(cur)
	var ev calendar.Event
	if err := json.Unmarshal(merged, &ev); err != nil {
		writeError(w, http.StatusBadRequest, "global", "invalid", "Invalid value.")
		return
	}
	if s, en, err := bounds(&ev, zone(cal.TimeZone)); err != nil || en.Before(s) {
		writeError(w, http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.")
		return
	}
	if se.Deleted {
		// Patching a deleted event restores it (FACTS #28).
		se.Deleted = false
		if _, ok := patch["status"]; !ok {
			ev.Status = "confirmed"
		}
	}
	if timesChanged {
		// Only a real move is a new sequence (what attendees' calendars compare).
		os, oe, _ := bounds(se.Event, zone(cal.TimeZone))
		ns, ne, _ := bounds(&ev, zone(cal.TimeZone))
		if !os.Equal(ns) || !oe.Equal(ne) {
			ev.Sequence++
		}
	}
	for _, a := range ev.Attendees {
		if room := e.st.Rooms[key(a.Email)]; room != nil {
			a.Resource, a.ResponseStatus, a.DisplayName = true, "accepted", room.Name
		}
		if a.ResponseStatus == "" {
			a.ResponseStatus = "needsAction"
		}
	}
	se.Event = &ev
	e.touchLocked(cal, se, r.URL.Query().Get("sendUpdates"))
	writeJSON(w, http.StatusOK, se.Event)
}

func (e *Emulator) eventsDelete(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cal, se := e.eventOf(w, r, c, true)
	if se == nil {
		return
	}
	if se.Deleted {
		writeError(w, http.StatusGone, "global", "deleted", "Resource has been deleted")
		return
	}
	se.Deleted = true
	se.Event.Status = "cancelled"
	e.touchLocked(cal, se, r.URL.Query().Get("sendUpdates"))
	w.WriteHeader(http.StatusNoContent)
}

// Google's limits on a free/busy query.
const (
	FreeBusyMaxCalendars = 50
	FreeBusyMaxRange     = 90 * 24 * time.Hour
)

func (e *Emulator) freeBusy(w http.ResponseWriter, r *http.Request, c *caller) {
	var req calendar.FreeBusyRequest
	if !readJSON(w, r, &req) {
		return
	}
	from, err1 := time.Parse(time.RFC3339, req.TimeMin)
	to, err2 := time.Parse(time.RFC3339, req.TimeMax)
	switch {
	case req.TimeMin == "":
		writeError(w, http.StatusBadRequest, "global", "required", "Missing timeMin parameter.", "parameter", "timeMin")
		return
	case req.TimeMax == "":
		writeError(w, http.StatusBadRequest, "global", "required", "Missing timeMax parameter.", "parameter", "timeMax")
		return
	case err1 != nil || err2 != nil:
		writeError(w, http.StatusBadRequest, "global", "invalid", "Bad Request")
		return
	case !to.After(from):
		writeError(w, http.StatusBadRequest, "calendar", "timeRangeEmpty", "The specified time range is empty.", "parameter", "timeMax")
		return
	case to.Sub(from) > FreeBusyMaxRange:
		writeError(w, http.StatusBadRequest, "calendar", "timeRangeTooLong", "The requested time range is too long.", "parameter", "timeMax")
		return
	case len(req.Items) > FreeBusyMaxCalendars:
		writeError(w, http.StatusBadRequest, "calendar", "tooManyCalendarsRequested", "The number of calendars requested is too large for a single query.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out := &calendar.FreeBusyResponse{Kind: "calendar#freeBusy", TimeMin: from.UTC().Format(time.RFC3339), TimeMax: to.UTC().Format(time.RFC3339),
		Calendars: map[string]calendar.FreeBusyCalendar{}}
	for _, it := range req.Items {
		cal, role := e.calendarLocked(c, it.Id)
		if cal == nil || role == roleNone {
			out.Calendars[it.Id] = calendar.FreeBusyCalendar{Errors: []*calendar.Error{{Domain: "global", Reason: "notFound"}}, Busy: []*calendar.TimePeriod{}}
			continue
		}
		if reason := e.fbErrors[key(cal.ID)]; reason != "" {
			out.Calendars[it.Id] = calendar.FreeBusyCalendar{Errors: []*calendar.Error{{Domain: "global", Reason: reason}}, Busy: []*calendar.TimePeriod{}}
			continue
		}
		out.Calendars[it.Id] = calendar.FreeBusyCalendar{Busy: e.busyLocked(cal, from, to)}
	}
	writeJSON(w, http.StatusOK, out)
}

type span struct{ s, e time.Time }

// busyLocked is what free/busy reports for a calendar: opaque events the
// owner has not declined, merged.
func (e *Emulator) busyLocked(cal *Calendar, from, to time.Time) []*calendar.TimePeriod {
	loc := zone(cal.TimeZone)
	var spans []span
	add := func(ev *calendar.Event) {
		if ev.Transparency == "transparent" || ev.Status == "cancelled" || ev.EventType == "workingLocation" {
			return
		}
		for _, a := range ev.Attendees {
			if key(a.Email) == key(cal.ID) && a.ResponseStatus == "declined" {
				return
			}
		}
		s, en, err := bounds(ev, loc)
		if err != nil || !en.After(from) || !s.Before(to) {
			return
		}
		// Free/busy speaks only of the asked window.
		if s.Before(from) {
			s = from
		}
		if en.After(to) {
			en = to
		}
		spans = append(spans, span{s, en})
	}
	for _, se := range cal.Events {
		if se.Deleted {
			continue
		}
		if len(se.Event.Recurrence) > 0 {
			for _, inst := range e.instances(cal, se.Event, from, to, loc) {
				add(inst)
			}
			continue
		}
		if se.Event.RecurringEventId != "" {
			continue // exceptions come with their series
		}
		add(se.Event)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].s.Before(spans[j].s) })
	out := []*calendar.TimePeriod{}
	var cur *span
	for i := range spans {
		sp := spans[i]
		if cur != nil && !sp.s.After(cur.e) {
			if sp.e.After(cur.e) {
				cur.e = sp.e
			}
			continue
		}
		if cur != nil {
			out = append(out, &calendar.TimePeriod{Start: cur.s.UTC().Format(time.RFC3339), End: cur.e.UTC().Format(time.RFC3339)})
		}
		cur = &sp
	}
	if cur != nil {
		out = append(out, &calendar.TimePeriod{Start: cur.s.UTC().Format(time.RFC3339), End: cur.e.UTC().Format(time.RFC3339)})
	}
	return out
}
