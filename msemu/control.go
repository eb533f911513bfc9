package msemu

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/msgraph"
)

// Fault answers matching requests with Status (and Graph's error body)
// instead of serving them, Count times (0 = until cleared); Drop serves
// the request but loses the answer (the connection dies).
type Fault struct {
	Method     string        `json:"method,omitempty"`
	Path       string        `json:"path,omitempty"` // substring of the path
	Status     int           `json:"status,omitempty"`
	Code       string        `json:"code,omitempty"`
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	Count      int           `json:"count,omitempty"`
	Drop       bool          `json:"drop,omitempty"`
	Body       string        `json:"body,omitempty"` // raw body instead of Graph's error (malformed answers)
}

func (f Fault) match() emuhttp.Match {
	return emuhttp.Match{Method: f.Method, PathContains: f.Path, Times: f.Count}
}

func (f Fault) write(w http.ResponseWriter) {
	w.Header().Set("X-Emulator-Fault", "injected")
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(f.RetryAfter/time.Second)))
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	code := f.Code
	if code == "" {
		code = map[int]string{429: "TooManyRequests", 503: "serviceNotAvailable", 500: "generalException", 502: "BadGateway", 504: "GatewayTimeout"}[f.Status]
	}
	graphError(w, f.Status, code, "Injected fault.")
}

// AddFault injects a fault; faults are tried in the order added.
func (e *Emulator) AddFault(f Fault) {
	if f.Status == 0 && !f.Drop && f.Body == "" {
		f.Status = http.StatusServiceUnavailable
	}
	if f.Body != "" && f.Status == 0 {
		f.Status = http.StatusOK
	}
	e.faults.Add(f, f.match())
}

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() { e.faults.Clear() }

// AddUser adds a directory user with a mailbox; it returns the user's id.
func (e *Emulator) AddUser(u User) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u.ID == "" {
		u.ID = newGUID()
	}
	if u.UPN == "" {
		u.UPN = u.Mail
	}
	e.st.Users = append(e.st.Users, &u)
	return u.ID
}

// AddRoom adds a room; it returns the room's id.
func (e *Emulator) AddRoom(r Room) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r.ID == "" {
		r.ID = newGUID()
	}
	e.st.Rooms = append(e.st.Rooms, &r)
	return r.ID
}

// NewEvent is an event put straight on someone's calendar (their own
// meeting, or one organised by someone outside the app).
type NewEvent struct {
	Mailbox     string // id or address
	Subject     string
	Start, End  time.Time
	ShowAs      string // default busy
	Sensitivity string
	Cancelled   bool
	AllDay      bool
	// Every/Count make a series: Count occurrences Every days apart.
	Every, Count int
	// Response is the owner's answer ("declined" for a self-declined
	// invitation); default organizer.
	Response string
}

// AddEvent adds an event and notifies subscribers; it returns its id.
func (e *Emulator) AddEvent(n NewEvent) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, addr, name, _, ok := e.st.mailbox(n.Mailbox)
	if !ok {
		return "", errors.New("msemu: no mailbox " + n.Mailbox)
	}
	now := e.Now()
	ev := &Event{Mailbox: id, ID: "AAMkA" + randomToken(20), ICalUID: "040000008200E00074C5B7101A82E008" + strings.ToUpper(randomToken(16)),
		Subject: n.Subject, Start: n.Start.UTC(), End: n.End.UTC(), ShowAs: cmp.Or(n.ShowAs, msgraph.ShowBusy), Sensitivity: cmp.Or(n.Sensitivity, "normal"),
		Cancelled: n.Cancelled, AllDay: n.AllDay, Every: n.Every, Count: n.Count, Organizer: Attendee{Name: name, Address: addr},
		IsOrganizer: n.Response == "" || n.Response == msgraph.ResponseOrganizer, Response: cmp.Or(n.Response, msgraph.ResponseOrganizer),
		Created: now, Modified: now, Seq: e.st.next()}
	if !ev.IsOrganizer {
		ev.Organizer = Attendee{Name: "External Organizer", Address: "someone@fabrikam.example"}
	}
	e.st.Events = append(e.st.Events, ev)
	e.changedLocked(ev, "created")
	return ev.ID, nil
}

// mailboxEventLocked finds a mailbox's event for the control calls.
func (e *Emulator) mailboxEventLocked(mailbox, id string) (*Event, error) {
	mid, _, _, _, _ := e.st.mailbox(mailbox)
	if ev := e.st.event(mid, id); ev != nil {
		return ev, nil
	}
	return nil, errors.New("msemu: no such event")
}

// UpdateEventTimes moves an event (someone changed their own meeting).
func (e *Emulator) UpdateEventTimes(mailbox, id string, start, end time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev, err := e.mailboxEventLocked(mailbox, id)
	if err != nil {
		return err
	}
	ev.Start, ev.End, ev.Modified, ev.Seq = start.UTC(), end.UTC(), e.Now(), e.st.next()
	e.changedLocked(ev, "updated")
	return nil
}

// DeleteEvent deletes an event from a calendar.
func (e *Emulator) DeleteEvent(mailbox, id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev, err := e.mailboxEventLocked(mailbox, id)
	if err != nil {
		return err
	}
	e.deleteLocked(ev)
	return nil
}

// Respond answers an invitation as an attendee (accepted, tentativelyAccepted, declined).
func (e *Emulator) Respond(mailbox, iCalUID, response string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, _, _, _, ok := e.st.mailbox(mailbox)
	if !ok || !e.respondLocked(id, iCalUID, response) {
		return errors.New("msemu: no such invitation")
	}
	return nil
}

// PeakInFlight is the most requests a mailbox had in flight at once.
func (e *Emulator) PeakInFlight(mailbox string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, _, _, _, _ := e.st.mailbox(mailbox)
	return e.peak[id]
}

// Events lists a mailbox's live events (not expanded).
func (e *Emulator) Events(mailbox string) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, _, _, _, _ := e.st.mailbox(mailbox)
	var out []Event
	for _, ev := range e.st.Events {
		if ev.Mailbox == id && !ev.Deleted {
			out = append(out, *ev)
		}
	}
	return out
}

// ExpireDeltaTokens makes the mailbox's delta tokens unknown (Exchange's
// sync state was dropped): the next delta call answers 410.
func (e *Emulator) ExpireDeltaTokens(mailbox string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id, _, _, _, _ := e.st.mailbox(mailbox)
	e.st.DeltaEpoch[id]++
	// Tokens issued from now on carry the new generation.
}

// SetOutsidePolicy puts a mailbox outside (or back inside) the app's
// Exchange application access policy.
func (e *Emulator) SetOutsidePolicy(mailbox string, outside bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _, _, u, _ := e.st.mailbox(mailbox)
	if u != nil {
		u.OutsidePolicy = outside
	}
}

// Users lists the directory.
func (e *Emulator) Users() []User {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]User, len(e.st.Users))
	for i, u := range e.st.Users {
		out[i] = *u
	}
	return out
}

func ctlRead(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.Unmarshal(emuhttp.Body(r), v); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func ctlOK(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (e *Emulator) ctlState(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	b, _ := json.Marshal(e.st)
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (e *Emulator) ctlAddUser(w http.ResponseWriter, r *http.Request) {
	var u User
	if ctlRead(w, r, &u) {
		ctlOK(w, map[string]string{"id": e.AddUser(u)})
	}
}

func (e *Emulator) ctlAddRoom(w http.ResponseWriter, r *http.Request) {
	var rm Room
	if ctlRead(w, r, &rm) {
		ctlOK(w, map[string]string{"id": e.AddRoom(rm)})
	}
}

func (e *Emulator) ctlAddEvent(w http.ResponseWriter, r *http.Request) {
	var n NewEvent
	if !ctlRead(w, r, &n) {
		return
	}
	id, err := e.AddEvent(n)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	ctlOK(w, map[string]string{"id": id})
}

func (e *Emulator) ctlDeleteEvent(w http.ResponseWriter, r *http.Request) {
	if err := e.DeleteEvent(r.PathValue("user"), r.PathValue("id")); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlRespond(w http.ResponseWriter, r *http.Request) {
	var in struct{ Mailbox, ICalUID, Response string }
	if !ctlRead(w, r, &in) {
		return
	}
	if err := e.Respond(in.Mailbox, in.ICalUID, in.Response); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if ctlRead(w, r, &f) {
		e.AddFault(f)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (e *Emulator) ctlClearFaults(w http.ResponseWriter, r *http.Request) {
	e.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlConsent(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Grant    bool
		By       string
		Disabled *bool
	}
	if !ctlRead(w, r, &in) {
		return
	}
	if in.Grant {
		e.GrantConsent(cmp.Or(in.By, "admin"))
	} else if in.Disabled == nil {
		e.RevokeConsent()
	}
	if in.Disabled != nil {
		e.SetAppDisabled(*in.Disabled)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlExpireDelta(w http.ResponseWriter, r *http.Request) {
	e.ExpireDeltaTokens(r.PathValue("user"))
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlLifecycle(w http.ResponseWriter, r *http.Request) {
	var in struct{ SubscriptionID, Event string }
	if !ctlRead(w, r, &in) {
		return
	}
	if err := e.SendLifecycle(in.SubscriptionID, in.Event); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) ctlPolicy(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Mailbox string
		Outside bool
	}
	if ctlRead(w, r, &in) {
		e.SetOutsidePolicy(in.Mailbox, in.Outside)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (e *Emulator) ctlRequests(w http.ResponseWriter, r *http.Request) { ctlOK(w, e.Requests()) }

func (e *Emulator) ctlDeliveries(w http.ResponseWriter, r *http.Request) { ctlOK(w, e.Deliveries()) }
