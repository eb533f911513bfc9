package msemu

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"interviewplanner/calendar"
	"interviewplanner/emuhttp"
	"interviewplanner/msgraph"
)

func baseURL(r *http.Request) string {
	return emuhttp.BaseURL(r) + "/v1.0"
}

func (e *Emulator) listUsers(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	page := msgraph.UserPage{Context: baseURL(r) + "/$metadata#users", Value: []msgraph.User{}}
	for _, u := range e.st.Users {
		page.Value = append(page.Value, wireUser(u))
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, page)
}

func wireUser(u *User) msgraph.User {
	return msgraph.User{ID: u.ID, DisplayName: u.DisplayName, Mail: u.Mail, UserPrincipalName: u.UPN, JobTitle: u.JobTitle}
}

func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	_, _, _, u, ok := e.st.mailbox(r.PathValue("user"))
	e.mu.Unlock()
	if !ok || u == nil {
		graphError(w, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", r.PathValue("user")))
		return
	}
	writeJSON(w, http.StatusOK, wireUser(u))
}

func (e *Emulator) listRooms(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	page := msgraph.RoomPage{Context: baseURL(r) + "/$metadata#places/microsoft.graph.room", Value: []msgraph.Room{}}
	for _, rm := range e.st.Rooms {
		out := msgraph.Room{ODataType: "#microsoft.graph.room", ID: rm.ID, DisplayName: rm.DisplayName, EmailAddress: rm.Email, Building: rm.Building}
		if rm.Capacity > 0 {
			c := rm.Capacity
			out.Capacity = &c
		}
		if rm.Floor != 0 {
			f := rm.Floor
			out.FloorNumber = &f
		}
		page.Value = append(page.Value, out)
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, page)
}

// parseWindowParam reads startDateTime/endDateTime: ISO 8601, an offset
// honoured, none meaning UTC.
func parseWindowParam(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date-time %q", s)
}

func (e *Emulator) window(w http.ResponseWriter, q url.Values) (time.Time, time.Time, bool) {
	from, err1 := parseWindowParam(q.Get("startDateTime"))
	to, err2 := parseWindowParam(q.Get("endDateTime"))
	if q.Get("startDateTime") == "" || q.Get("endDateTime") == "" {
		graphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
		return from, to, false
	}
	if err1 != nil || err2 != nil || !to.After(from) {
		graphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The value of the parameter 'StartDateTime' or 'EndDateTime' is invalid.")
		return from, to, false
	}
	if to.Sub(from) > 1825*24*time.Hour {
		graphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The time window cannot be longer than 1825 days.")
		return from, to, false
	}
	return from, to, true
}

// outZone is the zone answers use: Prefer outlook.timezone, else UTC.
func outZone(r *http.Request) (*time.Location, string) {
	for _, p := range r.Header.Values("Prefer") {
		for _, part := range strings.Split(p, ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "outlook.timezone="); ok {
				name := strings.Trim(v, `"`)
				if loc, err := calendar.LoadZone(name); err == nil {
					return loc, name
				}
			}
		}
	}
	return time.UTC, "UTC"
}

func pageSize(r *http.Request, def int) int {
	for _, p := range r.Header.Values("Prefer") {
		for _, part := range strings.Split(p, ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "odata.maxpagesize="); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					return min(n, 1000)
				}
			}
		}
	}
	return def
}

func dtz(t time.Time, loc *time.Location, name string) *msgraph.DateTimeTimeZone {
	return &msgraph.DateTimeTimeZone{DateTime: t.In(loc).Format("2006-01-02T15:04:05.0000000"), TimeZone: name}
}

func ptr[T any](v T) *T { return &v }

// wire renders an instance as Graph's event.
func wire(in Instance, loc *time.Location, zone string) msgraph.Event {
	ev := in.Event
	out := msgraph.Event{ODataType: "#microsoft.graph.event", ID: in.ID, ICalUID: ev.ICalUID, Subject: ptr(ev.Subject),
		Start: dtz(in.Start, loc, zone), End: dtz(in.End, loc, zone), ShowAs: ev.ShowAs, IsCancelled: ptr(ev.Cancelled),
		IsAllDay: ptr(ev.AllDay), IsOrganizer: ptr(ev.IsOrganizer), Sensitivity: cmp.Or(ev.Sensitivity, "normal"), Type: in.Type,
		SeriesMasterID: in.Master, ResponseStatus: &msgraph.ResponseStatus{Response: ev.Response, Time: "0001-01-01T00:00:00Z"},
		Organizer: &msgraph.Recipient{EmailAddress: msgraph.EmailAddress{Name: ev.Organizer.Name, Address: ev.Organizer.Address}},
		Location:  &msgraph.Location{DisplayName: ev.Location, LocationType: "default"}, TransactionID: ev.TransactionID,
		ChangeKey: strconv.FormatInt(ev.Seq, 10), LastModified: ev.Modified.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		Body: &msgraph.ItemBody{ContentType: cmp.Or(ev.BodyType, "html"), Content: ev.Body}}
	if in.Type == "occurrence" {
		out.TransactionID = ""
	}
	for _, a := range ev.Attendees {
		out.Attendees = append(out.Attendees, msgraph.Attendee{Type: a.Type, Status: &msgraph.ResponseStatus{Response: a.Response, Time: "0001-01-01T00:00:00Z"},
			EmailAddress: msgraph.EmailAddress{Name: a.Name, Address: a.Address}})
	}
	return out
}

func live(ev *Event) bool { return !ev.Deleted }

// calendarView: GET /users/{id}/calendarView?startDateTime&endDateTime[&$skip].
func (e *Emulator) calendarView(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, ok := e.window(w, q)
	if !ok {
		return
	}
	skip, _ := strconv.Atoi(q.Get("$skip"))
	size := pageSize(r, 10)
	if top, err := strconv.Atoi(q.Get("$top")); err == nil && top > 0 {
		size = min(top, 1000)
	}
	loc, zone := outZone(r)
	e.mu.Lock()
	all := e.st.instances(r.PathValue("user"), from, to, live)
	page := msgraph.EventPage{Context: baseURL(r) + "/$metadata#users('" + r.PathValue("user") + "')/calendarView", Value: []msgraph.Event{}}
	for i := skip; i < len(all) && i < skip+size; i++ {
		page.Value = append(page.Value, wire(all[i], loc, zone))
	}
	e.mu.Unlock()
	if skip+size < len(all) {
		nq := url.Values{"startDateTime": {q.Get("startDateTime")}, "endDateTime": {q.Get("endDateTime")}, "$top": {strconv.Itoa(size)}, "$skip": {strconv.Itoa(skip + size)}}
		page.NextLink = baseURL(r) + "/users/" + r.PathValue("user") + "/calendarView?" + nq.Encode()
	}
	writeJSON(w, http.StatusOK, page)
}

// deltaState is what a $skiptoken or $deltatoken carries: the window, the
// change sequence the round reads from (exclusive) and up to (inclusive),
// the offset reached, and the mailbox's token generation.
type deltaState struct {
	Mailbox string    `json:"m"`
	From    time.Time `json:"f"`
	To      time.Time `json:"t"`
	Since   int64     `json:"s"`
	Upto    int64     `json:"u"`
	Offset  int       `json:"o"`
	Epoch   int64     `json:"e"`
	Size    int       `json:"z"`
}

func encodeToken(d deltaState) string {
	b, _ := json.Marshal(d)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s string) (deltaState, bool) {
	var d deltaState
	b, err := base64.RawURLEncoding.DecodeString(s)
	return d, err == nil && json.Unmarshal(b, &d) == nil
}

// delta: GET /users/{id}/calendarView/delta — an initial round (window
// parameters) or a page of one ($skiptoken) or a new round ($deltatoken).
func (e *Emulator) delta(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, opt := range []string{"$select", "$expand", "$filter", "$orderby", "$search"} {
		if q.Has(opt) {
			graphError(w, http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter '"+opt+"' is not supported with delta.")
			return
		}
	}
	// The page is encoded after the lock is let go: other mailboxes'
	// requests wait for the state, not for this answer's JSON.
	if page, ok := e.deltaPage(w, r); ok {
		writeJSON(w, http.StatusOK, page)
	}
}

func (e *Emulator) deltaPage(w http.ResponseWriter, r *http.Request) (msgraph.EventPage, bool) {
	q := r.URL.Query()
	mailbox := r.PathValue("user")
	e.mu.Lock()
	defer e.mu.Unlock()
	epoch := e.st.DeltaEpoch[mailbox]
	var d deltaState
	switch {
	case q.Get("$skiptoken") != "" || q.Get("$deltatoken") != "":
		tok := q.Get("$skiptoken")
		if tok == "" {
			tok = q.Get("$deltatoken")
		}
		var ok bool
		if d, ok = decodeToken(tok); !ok || d.Mailbox != mailbox {
			graphError(w, http.StatusBadRequest, "ErrorInvalidUrlQuery", "The sync state is not valid.")
			return msgraph.EventPage{}, false
		}
		if d.Epoch < epoch {
			graphError(w, http.StatusGone, "syncStateNotFound", "The sync state generation is not found. Please restart the sync from the beginning.")
			return msgraph.EventPage{}, false
		}
		if q.Get("$deltatoken") != "" {
			d.Since, d.Upto, d.Offset = d.Upto, e.st.Seq, 0
			d.Size = pageSize(r, d.Size)
		}
	default:
		e.mu.Unlock()
		from, to, ok := e.window(w, q)
		e.mu.Lock()
		if !ok {
			return msgraph.EventPage{}, false
		}
		d = deltaState{Mailbox: mailbox, From: from, To: to, Upto: e.st.Seq, Epoch: epoch, Size: pageSize(r, 10)}
	}
	loc, zone := outZone(r)
	items := e.deltaItems(d)
	page := msgraph.EventPage{Context: baseURL(r) + "/$metadata#Collection(event)", Value: []msgraph.Event{}}
	end := min(d.Offset+d.Size, len(items))
	for _, it := range items[min(d.Offset, end):end] {
		if it.removed != "" {
			page.Value = append(page.Value, msgraph.Event{ODataType: "#microsoft.graph.event", ID: it.removed, Removed: &msgraph.Removed{Reason: "deleted"}})
			continue
		}
		page.Value = append(page.Value, wire(it.Instance, loc, zone))
	}
	link := baseURL(r) + "/users/" + mailbox + "/calendarView/delta?"
	if end < len(items) {
		n := d
		n.Offset = end
		page.NextLink = link + url.Values{"$skiptoken": {encodeToken(n)}}.Encode()
	} else {
		n := d
		n.Offset = 0
		page.DeltaLink = link + url.Values{"$deltatoken": {encodeToken(n)}}.Encode()
	}
	return page, true
}

// deltaItem is an instance to send, or the id of one removed.
type deltaItem struct {
	Instance
	removed string
}

// deltaItems lists a round's items: on the first round every instance in
// the window; later, instances of events changed since the last round, and
// @removed for those deleted or now outside the window. Only the page
// asked for is rendered.
func (e *Emulator) deltaItems(d deltaState) []deltaItem {
	inRound := func(ev *Event) bool { return ev.Seq > d.Since && ev.Seq <= d.Upto }
	if d.Since == 0 {
		var out []deltaItem
		for _, in := range e.st.instances(d.Mailbox, d.From, d.To, func(ev *Event) bool { return !ev.Deleted && ev.Seq <= d.Upto }) {
			out = append(out, deltaItem{Instance: in})
		}
		return out
	}
	present := map[string]bool{}
	var out []deltaItem
	for _, in := range e.st.instances(d.Mailbox, d.From, d.To, func(ev *Event) bool { return !ev.Deleted && inRound(ev) }) {
		present[in.ID] = true
		out = append(out, deltaItem{Instance: in})
	}
	for _, ev := range e.st.of(d.Mailbox) {
		if !inRound(ev) {
			continue
		}
		ids := []string{ev.ID}
		if ev.Every > 0 {
			ids = ids[:0]
			for i := range ev.Count {
				ids = append(ids, occurrenceID(ev.ID, i))
			}
		}
		for _, id := range ids {
			if !present[id] {
				out = append(out, deltaItem{removed: id})
			}
		}
	}
	return out
}

var txnFilter = regexp.MustCompile(`^transactionId eq '([^']*)'$`)

// listEvents: GET /users/{id}/events, with $filter=transactionId eq '…'
// to find what an earlier attempt created.
func (e *Emulator) listEvents(w http.ResponseWriter, r *http.Request) {
	f := r.URL.Query().Get("$filter")
	m := txnFilter.FindStringSubmatch(f)
	if f != "" && m == nil {
		graphError(w, http.StatusBadRequest, "ErrorInvalidUrlQueryFilter", "The filter expression is not supported.")
		return
	}
	loc, zone := outZone(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	page := msgraph.EventPage{Value: []msgraph.Event{}}
	for _, ev := range e.st.of(r.PathValue("user")) {
		if ev.Deleted || (m != nil && ev.TransactionID != m[1]) {
			continue
		}
		page.Value = append(page.Value, wire(Instance{Event: ev, ID: ev.ID, Start: ev.Start, End: ev.End, Type: evType(ev)}, loc, zone))
	}
	writeJSON(w, http.StatusOK, page)
}

func evType(ev *Event) string {
	if ev.Every > 0 {
		return "seriesMaster"
	}
	return "singleInstance"
}

func (e *Emulator) getEvent(w http.ResponseWriter, r *http.Request) {
	loc, zone := outZone(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	ev := e.requestedEventLocked(w, r)
	if ev == nil {
		return
	}
	writeJSON(w, http.StatusOK, wire(Instance{Event: ev, ID: ev.ID, Start: ev.Start, End: ev.End, Type: evType(ev)}, loc, zone))
}
