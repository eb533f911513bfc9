package googleemu

import (
	"cmp"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/emuhttp"
)

// Fault makes matching requests misbehave before the emulator handles them.
type Fault struct {
	Method      string            `json:"method"`       // "" = any
	PathPattern string            `json:"path_pattern"` // path.Match glob; a trailing "/**" matches any suffix
	Status      int               `json:"status"`       // 0 = no canned answer (only latency or drop)
	Reason      string            `json:"reason"`       // rateLimitExceeded, userRateLimitExceeded, quotaExceeded, fullSyncRequired, …
	Header      map[string]string `json:"header"`
	Latency     time.Duration     `json:"latency"` // before answering (JSON: nanoseconds)
	Drop        bool              `json:"drop"`    // close the connection without an answer
	After       bool              `json:"after"`   // with Drop: handle the request, then drop the answer (a lost answer)
	Times       int               `json:"times"`   // > 0: only the next N matching calls
	Probability float64           `json:"probability"`
}

func (f Fault) match() emuhttp.Match {
	return emuhttp.Match{Method: f.Method, PathPattern: f.PathPattern, Times: f.Times, Probability: f.Probability}
}

// InjectFault adds a fault; faults are tried in the order added.
func (e *Emulator) InjectFault(f Fault) { e.faults.Add(f, f.match()) }

// ClearFaults removes every fault.
func (e *Emulator) ClearFaults() { e.faults.Clear() }

// applyFault answers (or drops) the request when a fault matches; it
// reports whether the request is done.
func (e *Emulator) applyFault(w *emuhttp.Recorder, r *http.Request) bool {
	f, ok := e.faults.Pick(r)
	if !ok {
		return false
	}
	if f.Latency > 0 && !emuhttp.Delay(r, f.Latency, nil) {
		return true
	}
	if f.Drop {
		if f.After {
			// Serve it, then lose the answer.
			e.mux.ServeHTTP(&discard{header: http.Header{}}, r)
			if err := e.Save(); err != nil {
				e.Log.Error("googleemu: save", "err", err)
			}
		}
		emuhttp.Drop(w)
		return true
	}
	if f.Status == 0 {
		return false
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	if r.URL.Path == "/token" {
		tokenError(w, f.Status, "internal_failure", "Backend Error")
		return true
	}
	cannedError(w, f.Status, f.Reason)
	return true
}

type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// RecordedRequest is one request the emulator received (not the control API).
type RecordedRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query"`
	Body   string `json:"body"`
	Status int    `json:"status"` // -1 = dropped
}

func (e *Emulator) record(r *http.Request, body []byte, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := string(body)
	if r.URL.Path == "/token" || r.URL.Path == "/revoke" {
		b = "" // credentials
	}
	e.requests = append(e.requests, RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: b, Status: status})
}

// Requests returns every request received so far.
func (e *Emulator) Requests() []RecordedRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.requests)
}

// Deliveries returns every push notification so far.
func (e *Emulator) Deliveries() []Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Delivery, len(e.deliveries))
	for i, d := range e.deliveries {
		d.Statuses = slices.Clone(d.Statuses)
		out[i] = d
	}
	return out
}

// AddCustomer creates a Workspace for domain.
func (e *Emulator) AddCustomer(domain, name string) *Customer {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.st.customerOfDomain(domain); c != nil {
		return c
	}
	c := &Customer{ID: "C0" + randomToken(5), Domain: strings.ToLower(domain), Name: name, DWD: map[string][]string{}}
	e.st.Customers[c.ID] = c
	return c
}

// NewUser is a user to add.
type NewUser struct {
	Email      string `json:"email"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Admin      bool   `json:"admin"`
	TimeZone   string `json:"time_zone"`
}

// AddUser adds a user (and their primary calendar) to the Workspace of
// their email's domain.
func (e *Emulator) AddUser(n NewUser) (*User, error) {
	_, domain, ok := strings.Cut(n.Email, "@")
	if !ok {
		return nil, fmt.Errorf("googleemu: %q is not an email", n.Email)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.st.customerOfDomain(domain)
	if cust == nil {
		return nil, fmt.Errorf("googleemu: no workspace for %s", domain)
	}
	if n.TimeZone == "" {
		n.TimeZone = "UTC"
	}
	u := &User{ID: randomDigits(21), Email: key(n.Email), GivenName: n.GivenName, FamilyName: n.FamilyName, CustomerID: cust.ID,
		Admin: n.Admin, TimeZone: n.TimeZone}
	e.st.Users[u.Email] = u
	if e.st.Calendars[u.Email] == nil {
		e.st.Calendars[u.Email] = &Calendar{ID: u.Email, Summary: u.Email, TimeZone: n.TimeZone, Owner: u.Email, CustomerID: cust.ID, Events: map[string]*StoredEvent{}}
	}
	return u, nil
}

// UpdateUser changes a user: suspend, delete, make admin.
func (e *Emulator) UpdateUser(email string, f func(*User)) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.Users[key(email)]
	if u == nil {
		return fmt.Errorf("googleemu: no user %s", email)
	}
	f(u)
	return nil
}

// NewRoom is a room resource to add.
type NewRoom struct {
	Domain    string `json:"domain"`
	Name      string `json:"name"`
	Capacity  int64  `json:"capacity"`
	Building  string `json:"building"`
	FloorName string `json:"floor_name"`
	TimeZone  string `json:"time_zone"`
}

// AddRoom adds a room resource and its calendar.
func (e *Emulator) AddRoom(n NewRoom) (*Room, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.st.customerOfDomain(n.Domain)
	if cust == nil {
		return nil, fmt.Errorf("googleemu: no workspace for %s", n.Domain)
	}
	rm := &Room{ResourceID: randomDigits(11), Name: n.Name, Capacity: n.Capacity, FloorName: n.FloorName, CustomerID: cust.ID,
		Email: cust.Domain + "_" + randomDigits(16) + "@resource.calendar.google.com"}
	if n.Building != "" {
		bid := strings.ToLower(strings.ReplaceAll(n.Building, " ", "-"))
		if e.st.Buildings[bid] == nil {
			e.st.Buildings[bid] = &Building{ID: bid, Name: n.Building, CustomerID: cust.ID}
		}
		rm.BuildingID = bid
	}
	e.st.Rooms[key(rm.Email)] = rm
	e.st.Calendars[key(rm.Email)] = &Calendar{ID: rm.Email, Summary: rm.Name, TimeZone: cmp.Or(n.TimeZone, "UTC"), CustomerID: cust.ID, Events: map[string]*StoredEvent{}}
	return rm, nil
}

// DeleteRoom removes a room resource.
func (e *Emulator) DeleteRoom(email string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.st.Rooms, key(email))
}

// AddCalendar adds a secondary calendar owned by a user (the scheduling
// calendar, say) and returns its id.
func (e *Emulator) AddCalendar(owner, summary string) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.st.userByEmail(owner)
	if u == nil {
		return "", fmt.Errorf("googleemu: no user %s", owner)
	}
	id := "c_" + randomToken(16) + "@group.calendar.google.com"
	e.st.Calendars[id] = &Calendar{ID: id, Summary: summary, TimeZone: u.TimeZone, Owner: u.Email, CustomerID: u.CustomerID, Events: map[string]*StoredEvent{}}
	return id, nil
}

// PutEvent stores an event in a calendar as its owner would (no API rules
// beyond an id), and tells the calendar's channels.
func (e *Emulator) PutEvent(calID string, ev *calendar.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cal := e.st.Calendars[key(calID)]
	if cal == nil {
		return fmt.Errorf("googleemu: no calendar %s", calID)
	}
	e.fillNewEvent(ev)
	if ev.Organizer == nil {
		ev.Organizer = &calendar.EventOrganizer{Email: cal.ID, Self: true}
	}
	se := cal.Events[ev.Id]
	if se == nil {
		se = &StoredEvent{}
		cal.Events[ev.Id] = se
	}
	se.Event, se.Deleted = ev, false
	e.touchLocked(cal, se, "")
	return nil
}

// storedEventLocked finds an event the calendar holds, deleted ones too.
func (e *Emulator) storedEventLocked(calID, eventID string) (*Calendar, *StoredEvent, error) {
	cal := e.st.Calendars[key(calID)]
	if cal == nil || cal.Events[eventID] == nil {
		return nil, nil, fmt.Errorf("googleemu: no event %s in %s", eventID, calID)
	}
	return cal, cal.Events[eventID], nil
}

// DeleteEvent deletes an event behind the application's back.
func (e *Emulator) DeleteEvent(calID, eventID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cal, se, err := e.storedEventLocked(calID, eventID)
	if err != nil {
		return err
	}
	se.Deleted, se.Event.Status = true, "cancelled"
	e.touchLocked(cal, se, "")
	return nil
}

// Event returns a stored event (deleted ones too) and the sendUpdates of
// every write to it.
func (e *Emulator) Event(calID, eventID string) (*calendar.Event, []string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, se, err := e.storedEventLocked(calID, eventID)
	if err != nil {
		return nil, nil, false
	}
	b, _ := json.Marshal(se.Event)
	var out calendar.Event
	_ = json.Unmarshal(b, &out)
	return &out, slices.Clone(se.SendUpdates), !se.Deleted
}

// Events lists a calendar's stored events that are not deleted.
func (e *Emulator) Events(calID string) []*calendar.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	cal := e.st.Calendars[key(calID)]
	if cal == nil {
		return nil
	}
	var out []*calendar.Event
	for _, se := range cal.Events {
		if !se.Deleted {
			out = append(out, se.Event)
		}
	}
	return out
}

// Respond sets an attendee's answer to an event (Priya declines), as their
// calendar would.
func (e *Emulator) Respond(calID, eventID, attendee, status string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cal, se, err := e.storedEventLocked(calID, eventID)
	if err != nil {
		return err
	}
	for _, a := range se.Event.Attendees {
		if key(a.Email) == key(attendee) {
			a.ResponseStatus = status
			e.touchLocked(cal, se, "")
			return nil
		}
	}
	return fmt.Errorf("googleemu: %s is not invited to %s", attendee, eventID)
}

// ExpireSyncTokens makes every sync token of a calendar answer 410.
func (e *Emulator) ExpireSyncTokens(calID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cal := e.st.Calendars[key(calID)]; cal != nil {
		cal.Epoch++
	}
}

// SetReadOnly makes a calendar refuse writes with quotaExceeded until t.
func (e *Emulator) SetReadOnly(calID string, until time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if cal := e.st.Calendars[key(calID)]; cal != nil {
		cal.ReadOnlyUntil = until
	}
}

// SetFreeBusyError makes free/busy report an error for one calendar inside
// its 200 answer ("" clears it).
func (e *Emulator) SetFreeBusyError(calID, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if reason == "" {
		delete(e.fbErrors, key(calID))
	} else {
		e.fbErrors[key(calID)] = reason
	}
}

// DropPush makes push notifications get lost (true) or delivered (false).
func (e *Emulator) DropPush(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.dropPush = on
}

// Channels lists push channels.
func (e *Emulator) Channels() []Channel {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Channel
	for _, c := range e.st.Channels {
		out = append(out, *c)
	}
	return out
}

// ExpireAccessTokens makes every access token expired now.
func (e *Emulator) ExpireAccessTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.st.Access {
		t.Expires = e.Now().Add(-time.Second)
	}
}

// RevokeUserGrants revokes every grant a user gave (they removed the app
// from their Google Account).
func (e *Emulator) RevokeUserGrants(email string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, rt := range e.st.Refresh {
		if key(rt.User) == key(email) && !rt.Revoked {
			e.revokeGrantLocked(rt.Token)
		}
	}
}

// Stats returns grant counts.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.Stats
}

// KeyFile is a service account key file as the Cloud console downloads it.
type KeyFile struct {
	Type                    string `json:"type"`
	ProjectID               string `json:"project_id"`
	PrivateKeyID            string `json:"private_key_id"`
	PrivateKey              string `json:"private_key"`
	ClientEmail             string `json:"client_email"`
	ClientID                string `json:"client_id"`
	AuthURI                 string `json:"auth_uri"`
	TokenURI                string `json:"token_uri"`
	AuthProviderX509CertURL string `json:"auth_provider_x509_cert_url"`
	ClientX509CertURL       string `json:"client_x509_cert_url"`
	UniverseDomain          string `json:"universe_domain"`
}

// CreateServiceAccountKey makes a service account in a project (once) and a
// new key for it, returning the key file. The private half is not kept;
// token_uri points at the emulator (baseURL).
func (e *Emulator) CreateServiceAccountKey(baseURL, projectID, name string) ([]byte, error) {
	newKey := e.cfg.NewKey
	if newKey == nil {
		newKey = func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }
	}
	k, err := newKey()
	if err != nil {
		return nil, err
	}
	priv, _ := x509.MarshalPKCS8PrivateKey(k)
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	email := name + "@" + projectID + ".iam.gserviceaccount.com"
	kid := randomToken(20)
	e.mu.Lock()
	sa := e.st.ServiceAccounts[email]
	if sa == nil {
		sa = &ServiceAccount{Email: email, ClientID: "1" + randomDigits(20), ProjectID: projectID, Keys: map[string]string{}}
		e.st.ServiceAccounts[email] = sa
	}
	sa.Keys[kid] = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	clientID := sa.ClientID
	e.mu.Unlock()
	f := KeyFile{Type: "service_account", ProjectID: projectID, PrivateKeyID: kid,
		PrivateKey:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})),
		ClientEmail: email, ClientID: clientID, AuthURI: baseURL + "/o/oauth2/auth", TokenURI: baseURL + "/token",
		AuthProviderX509CertURL: "https://www.googleapis.com/oauth2/v1/certs",
		ClientX509CertURL:       "https://www.googleapis.com/robot/v1/metadata/x509/" + email, UniverseDomain: "googleapis.com"}
	return json.MarshalIndent(f, "", "  ")
}

// DeleteServiceAccountKey deletes a key: tokens can no longer be signed with it.
func (e *Emulator) DeleteServiceAccountKey(email, kid string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if sa := e.st.ServiceAccounts[key(email)]; sa != nil {
		delete(sa.Keys, kid)
	}
}

// GrantDWD sets the scopes a service account (by numeric client id) is
// granted in a Workspace's domain-wide delegation; nil removes it.
func (e *Emulator) GrantDWD(domain, clientID string, scopes []string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.st.customerOfDomain(domain)
	if cust == nil {
		return fmt.Errorf("googleemu: no workspace for %s", domain)
	}
	if scopes == nil {
		delete(cust.DWD, clientID)
	} else {
		cust.DWD[clientID] = slices.Clone(scopes)
	}
	return nil
}

// Reset forgets everything.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st = newState()
	e.faults.Clear()
	e.requests, e.deliveries = nil, nil
	e.fbErrors = map[string]string{}
	e.dropPush = false
}

func randomDigits(n int) string {
	var b strings.Builder
	for range n {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String()
}

// controlRoutes is the JSON control API for demos and tests in other
// processes.
func (e *Emulator) controlRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, r *http.Request) { e.Reset(); w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("GET /_emulator/state", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		b, err := json.Marshal(e.st)
		e.mu.Unlock()
		if err != nil {
			fail(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	m.HandleFunc("POST /_emulator/customers", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Domain, Name string }
		if jsonIn(w, r, &in) {
			writeJSON(w, http.StatusOK, e.AddCustomer(in.Domain, in.Name))
		}
	})
	m.HandleFunc("POST /_emulator/users", jsonCall(func(_ *http.Request, in NewUser) (*User, error) { return e.AddUser(in) }))
	m.HandleFunc("PATCH /_emulator/users/{email}", jsonAction(func(r *http.Request, in struct{ Admin, Suspended, Deleted *bool }) error {
		return e.UpdateUser(r.PathValue("email"), func(u *User) {
			if in.Admin != nil {
				u.Admin = *in.Admin
			}
			if in.Suspended != nil {
				u.Suspended = *in.Suspended
			}
			if in.Deleted != nil {
				u.Deleted = *in.Deleted
			}
		})
	}))
	m.HandleFunc("POST /_emulator/rooms", jsonCall(func(_ *http.Request, in NewRoom) (*Room, error) { return e.AddRoom(in) }))
	m.HandleFunc("POST /_emulator/calendars/{id}/events", func(w http.ResponseWriter, r *http.Request) {
		var ev calendar.Event
		if !jsonIn(w, r, &ev) {
			return
		}
		if err := e.PutEvent(r.PathValue("id"), &ev); err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, &ev)
	})
	m.HandleFunc("POST /_emulator/calendars/{id}/events/{event}/respond", jsonAction(func(r *http.Request, in struct{ Email, ResponseStatus string }) error {
		return e.Respond(r.PathValue("id"), r.PathValue("event"), in.Email, in.ResponseStatus)
	}))
	m.HandleFunc("POST /_emulator/calendars/{id}/expire-sync-tokens", func(w http.ResponseWriter, r *http.Request) {
		e.ExpireSyncTokens(r.PathValue("id"))
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /_emulator/service-accounts", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ ProjectID, Name string }
		if !jsonIn(w, r, &in) {
			return
		}
		b, err := e.CreateServiceAccountKey(emuhttp.BaseURL(r), in.ProjectID, in.Name)
		if err != nil {
			fail(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	m.HandleFunc("PUT /_emulator/dwd", jsonAction(func(_ *http.Request, in struct {
		Domain, ClientID string
		Scopes           []string
	}) error {
		return e.GrantDWD(in.Domain, in.ClientID, in.Scopes)
	}))
	m.HandleFunc("POST /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if jsonIn(w, r, &f) {
			e.InjectFault(f)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	m.HandleFunc("DELETE /_emulator/faults", func(w http.ResponseWriter, r *http.Request) { e.ClearFaults(); w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("GET /_emulator/requests", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.Requests()) })
	m.HandleFunc("GET /_emulator/deliveries", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.Deliveries()) })
	m.HandleFunc("POST /_emulator/tokens/expire", func(w http.ResponseWriter, r *http.Request) {
		e.ExpireAccessTokens()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /_emulator/users/{email}/revoke-grants", func(w http.ResponseWriter, r *http.Request) {
		e.RevokeUserGrants(r.PathValue("email"))
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("/_emulator/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "global", "notFound", errors.New("no such control call").Error())
	})
}

// jsonCall is a control call that takes an In as JSON and answers what do
// returns, as JSON.
func jsonCall[In, Out any](do func(*http.Request, In) (Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if !jsonIn(w, r, &in) {
			return
		}
		out, err := do(r, in)
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// jsonAction is a control call that takes an In as JSON and answers 204
// once do succeeds.
func jsonAction[In any](do func(*http.Request, In) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if !jsonIn(w, r, &in) {
			return
		}
		if err := do(r, in); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// jsonIn decodes a control call's body into v, refusing unknown fields.
func jsonIn(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(strings.NewReader(string(emuhttp.Body(r))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "global", "badRequest", "Bad control request: "+err.Error())
		return false
	}
	return true
}

func fail(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, "global", "badRequest", err.Error())
}
