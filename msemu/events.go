package msemu

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/msgraph"
)

// eventInput is what create and update read.
type eventInput struct {
	Subject       *string                   `json:"subject"`
	Body          *msgraph.ItemBody         `json:"body"`
	Start         *msgraph.DateTimeTimeZone `json:"start"`
	End           *msgraph.DateTimeTimeZone `json:"end"`
	ShowAs        *string                   `json:"showAs"`
	Sensitivity   *string                   `json:"sensitivity"`
	IsAllDay      *bool                     `json:"isAllDay"`
	Attendees     *[]msgraph.Attendee       `json:"attendees"`
	Location      *msgraph.Location         `json:"location"`
	TransactionID *string                   `json:"transactionId"`
}

func (e *Emulator) readEvent(w http.ResponseWriter, r *http.Request) (eventInput, bool) {
	var in eventInput
	dec := json.NewDecoder(strings.NewReader(string(emuhttp.Body(r))))
	if err := dec.Decode(&in); err != nil {
		graphError(w, http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body: "+err.Error())
		return in, false
	}
	for _, d := range []*msgraph.DateTimeTimeZone{in.Start, in.End} {
		if d != nil {
			if _, err := msgraph.ParseDateTime(*d); err != nil {
				graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. "+err.Error())
				return in, false
			}
		}
	}
	if in.Attendees != nil && len(*in.Attendees) > 500 {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. An event can have at most 500 attendees.")
		return in, false
	}
	return in, true
}

func (ev *Event) apply(in eventInput) {
	if in.Subject != nil {
		ev.Subject = *in.Subject
	}
	if in.Body != nil {
		ev.Body, ev.BodyType = in.Body.Content, in.Body.ContentType
	}
	if in.Start != nil {
		ev.Start, _ = msgraph.ParseDateTime(*in.Start)
		ev.Start, ev.Zone = ev.Start.UTC(), in.Start.TimeZone
	}
	if in.End != nil {
		ev.End, _ = msgraph.ParseDateTime(*in.End)
		ev.End = ev.End.UTC()
	}
	if in.ShowAs != nil {
		ev.ShowAs = *in.ShowAs
	}
	if in.Sensitivity != nil {
		ev.Sensitivity = *in.Sensitivity
	}
	if in.IsAllDay != nil {
		ev.AllDay = *in.IsAllDay
	}
	if in.Location != nil {
		ev.Location = in.Location.DisplayName
	}
	if in.Attendees != nil {
		old := map[string]string{}
		for _, a := range ev.Attendees {
			old[strings.ToLower(a.Address)] = a.Response
		}
		ev.Attendees = nil
		for _, a := range *in.Attendees {
			resp := old[strings.ToLower(a.EmailAddress.Address)]
			if resp == "" {
				resp = msgraph.ResponseNone
			}
			ev.Attendees = append(ev.Attendees, Attendee{Name: a.EmailAddress.Name, Address: a.EmailAddress.Address, Type: cmp.Or(a.Type, "required"), Response: resp})
		}
	}
}

// createEvent: POST /users/{id}/events. The mailbox organises; attendees in
// the tenant get the invitation on their own calendars (rooms accept).
func (e *Emulator) createEvent(w http.ResponseWriter, r *http.Request) {
	in, ok := e.readEvent(w, r)
	if !ok {
		return
	}
	if in.Start == nil || in.End == nil {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. Start and End are required.")
		return
	}
	mailbox := r.PathValue("user")
	loc, zone := outZone(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.TransactionID != nil && *in.TransactionID != "" {
		if _, used := e.st.Txns[mailbox+"/"+*in.TransactionID]; used {
			graphError(w, http.StatusBadRequest, "ErrorDuplicateTransactionId", "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.")
			return
		}
	}
	_, addr, name, _, _ := e.st.mailbox(mailbox)
	now := e.Now()
	ev := &Event{Mailbox: mailbox, ID: "AAMkA" + randomToken(20), ICalUID: "040000008200E00074C5B7101A82E008" + strings.ToUpper(randomToken(16)),
		ShowAs: msgraph.ShowBusy, Organizer: Attendee{Name: name, Address: addr}, IsOrganizer: true, Response: msgraph.ResponseOrganizer,
		Created: now, Modified: now, Sensitivity: "normal"}
	ev.apply(in)
	if in.TransactionID != nil {
		ev.TransactionID = *in.TransactionID
		e.st.Txns[mailbox+"/"+ev.TransactionID] = ev.ID
	}
	ev.Seq = e.st.next()
	e.st.Events = append(e.st.Events, ev)
	e.changedLocked(ev, "created")
	e.syncCopiesLocked(ev, false)
	w.Header().Set("Location", baseURL(r)+"/users/"+mailbox+"/events/"+ev.ID)
	writeJSON(w, http.StatusCreated, wire(Instance{Event: ev, ID: ev.ID, Start: ev.Start, End: ev.End, Type: "singleInstance"}, loc, zone))
}

// syncCopiesLocked puts the organizer's event on each attendee's calendar
// in the tenant, removes it (as cancelled) from attendees no longer
// invited, and sets rooms' answers.
func (e *Emulator) syncCopiesLocked(org *Event, timesChanged bool) {
	invited := map[string]bool{}
	for i, a := range org.Attendees {
		id, _, _, user, ok := e.st.mailbox(a.Address)
		if !ok || id == org.Mailbox {
			continue
		}
		invited[id] = true
		if user == nil { // a room accepts at once
			org.Attendees[i].Response = msgraph.ResponseAccepted
		}
		cp := e.copyOf(org, id)
		if cp == nil {
			cp = &Event{Mailbox: id, ID: "AAMkA" + randomToken(20), ICalUID: org.ICalUID, Response: msgraph.ResponseNone, ShowAs: msgraph.ShowTentative, Created: e.Now()}
			if user == nil {
				cp.Response, cp.ShowAs = msgraph.ResponseAccepted, msgraph.ShowBusy
			}
			e.st.Events = append(e.st.Events, cp)
		} else if timesChanged && user != nil {
			cp.Response, cp.ShowAs = msgraph.ResponseNone, msgraph.ShowTentative
			org.Attendees[i].Response = msgraph.ResponseNone
		}
		cp.Subject, cp.Body, cp.BodyType, cp.Start, cp.End, cp.Zone = org.Subject, org.Body, org.BodyType, org.Start, org.End, org.Zone
		cp.Organizer, cp.Attendees, cp.Location, cp.Sensitivity, cp.Cancelled = org.Organizer, append([]Attendee(nil), org.Attendees...), org.Location, org.Sensitivity, false
		cp.Modified, cp.Seq = e.Now(), e.st.next()
		e.changedLocked(cp, "updated")
	}
	for _, cp := range e.st.Events {
		if cp.ICalUID == org.ICalUID && cp.Mailbox != org.Mailbox && !cp.Deleted && !invited[cp.Mailbox] && !cp.Cancelled {
			e.cancelCopyLocked(cp)
		}
	}
}

// cancelCopyLocked is Outlook's cancellation on an attendee's calendar.
func (e *Emulator) cancelCopyLocked(cp *Event) {
	cp.Cancelled, cp.ShowAs = true, msgraph.ShowFree
	if !strings.HasPrefix(cp.Subject, "Canceled: ") {
		cp.Subject = "Canceled: " + cp.Subject
	}
	cp.Modified, cp.Seq = e.Now(), e.st.next()
	e.changedLocked(cp, "updated")
}

func (e *Emulator) copyOf(org *Event, mailbox string) *Event {
	for _, ev := range e.st.Events {
		if ev.ICalUID == org.ICalUID && ev.Mailbox == mailbox && !ev.Deleted {
			return ev
		}
	}
	return nil
}

// updateEvent: PATCH /users/{id}/events/{id}.
func (e *Emulator) updateEvent(w http.ResponseWriter, r *http.Request) {
	in, ok := e.readEvent(w, r)
	if !ok {
		return
	}
	if in.TransactionID != nil {
		graphError(w, http.StatusBadRequest, "ErrorInvalidPropertySet", "The property 'TransactionId' cannot be set on an existing item.")
		return
	}
	loc, zone := outZone(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	ev := e.requestedEventLocked(w, r)
	if ev == nil {
		return
	}
	start, end := ev.Start, ev.End
	ev.apply(in)
	ev.Modified, ev.Seq = e.Now(), e.st.next()
	e.changedLocked(ev, "updated")
	if ev.IsOrganizer {
		e.syncCopiesLocked(ev, !ev.Start.Equal(start) || !ev.End.Equal(end))
		ev.Seq = e.st.next()
	}
	writeJSON(w, http.StatusOK, wire(Instance{Event: ev, ID: ev.ID, Start: ev.Start, End: ev.End, Type: evType(ev)}, loc, zone))
}

// deleteEvent: DELETE /users/{id}/events/{id} → 204; attendees get the
// cancellation.
func (e *Emulator) deleteEvent(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev := e.requestedEventLocked(w, r)
	if ev == nil {
		return
	}
	e.deleteLocked(ev)
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) deleteLocked(ev *Event) {
	ev.Deleted, ev.Seq, ev.Modified = true, e.st.next(), e.Now()
	e.changedLocked(ev, "deleted")
	if ev.IsOrganizer {
		for _, cp := range e.st.Events {
			if cp.ICalUID == ev.ICalUID && cp.Mailbox != ev.Mailbox && !cp.Deleted && !cp.Cancelled {
				e.cancelCopyLocked(cp)
			}
		}
	}
}

// respondLocked is an attendee answering an invitation: their copy changes
// (a decline removes it, as Outlook does) and the organizer's event
// records the answer.
func (e *Emulator) respondLocked(mailbox, iCalUID, response string) bool {
	var cp, org *Event
	for _, ev := range e.st.Events {
		if ev.ICalUID != iCalUID || ev.Deleted {
			continue
		}
		if ev.Mailbox == mailbox {
			cp = ev
		}
		if ev.IsOrganizer {
			org = ev
		}
	}
	if cp == nil || org == nil {
		return false
	}
	for i := range org.Attendees {
		if id, _, _, _, ok := e.st.mailbox(org.Attendees[i].Address); ok && id == mailbox {
			org.Attendees[i].Response = response
		}
	}
	org.Modified, org.Seq = e.Now(), e.st.next()
	e.changedLocked(org, "updated")
	if response == msgraph.ResponseDeclined {
		e.deleteLocked(cp)
		return true
	}
	cp.Response = response
	cp.ShowAs = msgraph.ShowBusy
	if response == msgraph.ResponseTentative {
		cp.ShowAs = msgraph.ShowTentative
	}
	cp.Modified, cp.Seq = e.Now(), e.st.next()
	e.changedLocked(cp, "updated")
	return true
}

// getSchedule: POST /users/{id}/calendar/getSchedule. Body keys are read
// in any case and the interval may be a numeric string, as Graph allows.
func (e *Emulator) getSchedule(w http.ResponseWriter, r *http.Request) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(emuhttp.Body(r), &raw); err != nil {
		graphError(w, http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body.")
		return
	}
	get := func(k string) json.RawMessage {
		for key, v := range raw {
			if strings.EqualFold(key, k) {
				return v
			}
		}
		return nil
	}
	var schedules []string
	var startDT, endDT msgraph.DateTimeTimeZone
	if json.Unmarshal(get("schedules"), &schedules) != nil || json.Unmarshal(get("startTime"), &startDT) != nil || json.Unmarshal(get("endTime"), &endDT) != nil || len(schedules) == 0 {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. Schedules, StartTime and EndTime are required.")
		return
	}
	interval := 30
	if v := get("availabilityViewInterval"); v != nil {
		var n int
		var s string
		switch {
		case json.Unmarshal(v, &n) == nil:
		case json.Unmarshal(v, &s) == nil:
			if _, err := strconvAtoi(s, &n); err != nil {
				n = -1
			}
		default:
			n = -1
		}
		if n < 5 || n > 1440 {
			graphError(w, http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'AvailabilityViewInterval' is out of range (5 to 1440).")
			return
		}
		interval = n
	}
	from, err1 := msgraph.ParseDateTime(startDT)
	to, err2 := msgraph.ParseDateTime(endDT)
	if err1 != nil || err2 != nil || !to.After(from) {
		graphError(w, http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. The start or end time is not valid.")
		return
	}
	if len(schedules) > 100 {
		graphError(w, http.StatusBadRequest, "ErrorMailboxDataArrayTooBig", "The allowed size = 100.")
		return
	}
	if to.Sub(from) >= 62*24*time.Hour {
		graphError(w, http.StatusBadRequest, "ErrorTimeIntervalTooBig", "The specified time interval is too big; the maximum is 62 days.")
		return
	}
	loc, zone := outZone(r)
	e.mu.Lock()
	defer e.mu.Unlock()
	out := msgraph.ScheduleResponse{Context: baseURL(r) + "/$metadata#Collection(microsoft.graph.scheduleInformation)", Value: []msgraph.ScheduleInformation{}}
	slots := int(to.Sub(from) / (time.Duration(interval) * time.Minute))
	for _, addr := range schedules {
		id, _, _, user, ok := e.st.mailbox(addr)
		if !ok {
			out.Value = append(out.Value, msgraph.ScheduleInformation{ScheduleID: addr, ScheduleItems: []msgraph.ScheduleItem{},
				Error: &msgraph.FreeBusyError{ResponseCode: "ErrorMailRecipientNotFound", Message: "The e-mail address cannot be found."}})
			continue
		}
		if user != nil && user.OutsidePolicy {
			out.Value = append(out.Value, msgraph.ScheduleInformation{ScheduleID: addr, ScheduleItems: []msgraph.ScheduleItem{},
				Error: &msgraph.FreeBusyError{ResponseCode: "ErrorAccessDenied", Message: "Access is denied. Check credentials and try again."}})
			continue
		}
		view := []byte(strings.Repeat("0", slots))
		info := msgraph.ScheduleInformation{ScheduleID: addr, ScheduleItems: []msgraph.ScheduleItem{}}
		for _, in := range e.st.instances(id, from.UTC(), to.UTC(), func(ev *Event) bool { return !ev.Deleted && !ev.Cancelled && ev.ShowAs != msgraph.ShowFree }) {
			item := msgraph.ScheduleItem{Start: *dtz(in.Start, loc, zone), End: *dtz(in.End, loc, zone), Status: in.ShowAs}
			if in.Sensitivity == "" || in.Sensitivity == "normal" || in.Sensitivity == "personal" {
				item.IsPrivate, item.Subject, item.Location = ptr(false), in.Subject, in.Location
			}
			info.ScheduleItems = append(info.ScheduleItems, item)
			digit := map[string]byte{msgraph.ShowTentative: '1', msgraph.ShowBusy: '2', msgraph.ShowOOF: '3', msgraph.ShowWorkingElsewhere: '4'}[in.ShowAs]
			for i := range slots {
				s := from.Add(time.Duration(i*interval) * time.Minute)
				if in.Start.Before(s.Add(time.Duration(interval)*time.Minute)) && in.End.After(s) && digit > view[i] {
					view[i] = digit
				}
			}
		}
		info.AvailabilityView = string(view)
		out.Value = append(out.Value, info)
	}
	writeJSON(w, http.StatusOK, out)
}

func strconvAtoi(s string, n *int) (int, error) {
	v, err := atoi(s)
	*n = v
	return v, err
}

func atoi(s string) (int, error) {
	if s == "" {
		return 0, errBadNumber
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errBadNumber
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

type numErr struct{}

func (numErr) Error() string { return "not a number" }

var errBadNumber error = numErr{}

// requestedEventLocked finds the event the request names in its mailbox;
// without one it has answered Graph's 404.
func (e *Emulator) requestedEventLocked(w http.ResponseWriter, r *http.Request) *Event {
	ev := e.st.event(r.PathValue("user"), r.PathValue("id"))
	if ev == nil {
		graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
	}
	return ev
}
