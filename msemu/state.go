package msemu

import (
	"slices"
	"strings"
	"time"
)

// State is everything the tenant remembers.
type State struct {
	TenantID    string            `json:"tenant_id"`
	Consent     *Consent          `json:"consent,omitempty"`
	AppDisabled bool              `json:"app_disabled,omitempty"`
	Users       []*User           `json:"users"`
	Rooms       []*Room           `json:"rooms"`
	Events      []*Event          `json:"events"`
	Seq         int64             `json:"seq"`
	Subs        []*Sub            `json:"subscriptions"`
	Tokens      []*Token          `json:"tokens"`
	DeltaEpoch  map[string]int64  `json:"delta_epoch"`  // per mailbox id: older delta tokens are gone
	Txns        map[string]string `json:"transactions"` // mailbox id + "/" + transactionId → event id

	// byMailbox indexes Events[:indexed] by mailbox id: events are only
	// ever appended (a deletion is a flag), so the index catches up lazily
	// and a page of one mailbox does not walk every mailbox's events.
	byMailbox map[string][]*Event
	indexed   int
	// users and rooms index Users[:usersIndexed] and Rooms[:roomsIndexed]
	// by lower-cased id and addresses (the first holder of a key keeps
	// it), so a request does not walk the directory: both are only ever
	// appended to.
	users                      map[string]*User
	rooms                      map[string]*Room
	usersIndexed, roomsIndexed int
}

// of returns a mailbox's events (deleted ones included).
func (s *State) of(mailbox string) []*Event {
	if s.byMailbox == nil || s.indexed > len(s.Events) {
		s.byMailbox, s.indexed = map[string][]*Event{}, 0
	}
	for _, ev := range s.Events[s.indexed:] {
		s.byMailbox[ev.Mailbox] = append(s.byMailbox[ev.Mailbox], ev)
	}
	s.indexed = len(s.Events)
	return s.byMailbox[mailbox]
}

// Consent is the tenant admin's grant of the app's application permissions.
type Consent struct {
	By        string    `json:"by"`
	GrantedAt time.Time `json:"granted_at"`
	// EffectiveAt is when tokens start carrying the roles.
	EffectiveAt time.Time `json:"effective_at"`
}

// User is a directory user with a mailbox.
type User struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Mail        string `json:"mail"`
	UPN         string `json:"userPrincipalName"`
	JobTitle    string `json:"jobTitle,omitempty"`
	// GlobalAdmin may consent for the tenant.
	GlobalAdmin bool `json:"globalAdmin,omitempty"`
	// OutsidePolicy: an Exchange application access policy denies the app
	// this mailbox.
	OutsidePolicy bool   `json:"outsidePolicy,omitempty"`
	TimeZone      string `json:"timeZone,omitempty"` // Windows name
}

// Room is a room resource with a mailbox.
type Room struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Email       string `json:"emailAddress"`
	Building    string `json:"building,omitempty"`
	Floor       int    `json:"floorNumber,omitempty"`
	Capacity    int    `json:"capacity,omitempty"`
}

// Attendee of an emulated event.
type Attendee struct {
	Name     string `json:"name,omitempty"`
	Address  string `json:"address"`
	Type     string `json:"type"`
	Response string `json:"response"`
}

// Event is one calendar item in one mailbox. A series (Every > 0) expands
// into Count occurrences Every days apart.
type Event struct {
	Mailbox       string     `json:"mailbox"` // owner's user or room id
	ID            string     `json:"id"`
	ICalUID       string     `json:"iCalUId"`
	Subject       string     `json:"subject"`
	Body          string     `json:"body,omitempty"`
	BodyType      string     `json:"bodyType,omitempty"`
	Start         time.Time  `json:"start"`
	End           time.Time  `json:"end"`
	Zone          string     `json:"zone,omitempty"` // Windows name of the original zone
	ShowAs        string     `json:"showAs"`
	Cancelled     bool       `json:"cancelled,omitempty"`
	AllDay        bool       `json:"allDay,omitempty"`
	Sensitivity   string     `json:"sensitivity,omitempty"`
	Organizer     Attendee   `json:"organizer"`
	IsOrganizer   bool       `json:"isOrganizer"`
	Response      string     `json:"response"`
	Attendees     []Attendee `json:"attendees,omitempty"`
	Location      string     `json:"location,omitempty"`
	TransactionID string     `json:"transactionId,omitempty"`
	Every         int        `json:"every,omitempty"` // days between occurrences
	Count         int        `json:"count,omitempty"`
	Seq           int64      `json:"seq"`
	Deleted       bool       `json:"deleted,omitempty"`
	Created       time.Time  `json:"created"`
	Modified      time.Time  `json:"modified"`
}

// Sub is a change-notification subscription.
type Sub struct {
	ID              string    `json:"id"`
	Mailbox         string    `json:"mailbox"`
	Resource        string    `json:"resource"`
	ChangeType      string    `json:"changeType"`
	ClientState     string    `json:"clientState,omitempty"`
	NotificationURL string    `json:"notificationUrl"`
	LifecycleURL    string    `json:"lifecycleNotificationUrl,omitempty"`
	Expires         time.Time `json:"expires"`
}

// Token is an issued access token.
type Token struct {
	Value   string    `json:"value"`
	Expires time.Time `json:"expires"`
	Roles   bool      `json:"roles"` // carries the consented roles
}

func newState(tenant string) *State {
	s := &State{TenantID: tenant}
	s.fix()
	return s
}

func (s *State) fix() {
	if s.DeltaEpoch == nil {
		s.DeltaEpoch = map[string]int64{}
	}
	if s.Txns == nil {
		s.Txns = map[string]string{}
	}
}

func (s *State) next() int64 { s.Seq++; return s.Seq }

// mailbox finds a user or room by id, mail, UPN or room address.
func (s *State) mailbox(key string) (id, address, name string, user *User, ok bool) {
	if s.users == nil || s.usersIndexed > len(s.Users) || s.roomsIndexed > len(s.Rooms) {
		s.users, s.rooms, s.usersIndexed, s.roomsIndexed = map[string]*User{}, map[string]*Room{}, 0, 0
	}
	for _, u := range s.Users[s.usersIndexed:] {
		for _, k := range []string{u.ID, u.Mail, u.UPN} {
			if _, taken := s.users[strings.ToLower(k)]; !taken {
				s.users[strings.ToLower(k)] = u
			}
		}
	}
	for _, r := range s.Rooms[s.roomsIndexed:] {
		for _, k := range []string{r.ID, r.Email} {
			if _, taken := s.rooms[strings.ToLower(k)]; !taken {
				s.rooms[strings.ToLower(k)] = r
			}
		}
	}
	s.usersIndexed, s.roomsIndexed = len(s.Users), len(s.Rooms)
	key = strings.ToLower(key)
	if u := s.users[key]; u != nil {
		return u.ID, u.Mail, u.DisplayName, u, true
	}
	if r := s.rooms[key]; r != nil {
		return r.ID, r.Email, r.DisplayName, nil, true
	}
	return "", "", "", nil, false
}

func (s *State) event(mailbox, id string) *Event {
	for _, ev := range s.of(mailbox) {
		if ev.ID == id && !ev.Deleted {
			return ev
		}
	}
	return nil
}

// Instance is an event or an occurrence as calendarView lists it.
type Instance struct {
	*Event
	ID         string
	Start, End time.Time
	Type       string
	Master     string
}

// instances lists the mailbox's items overlapping [from, to): single
// instances by start, then occurrences of series by start — the order
// Graph pages them in, which loses occurrences for a client that does not
// follow every nextLink.
func (s *State) instances(mailbox string, from, to time.Time, pick func(*Event) bool) []Instance {
	var singles, occ []Instance
	for _, ev := range s.of(mailbox) {
		if !pick(ev) {
			continue
		}
		if ev.Every <= 0 {
			if ev.Start.Before(to) && ev.End.After(from) {
				singles = append(singles, Instance{Event: ev, ID: ev.ID, Start: ev.Start, End: ev.End, Type: "singleInstance"})
			}
			continue
		}
		d := ev.End.Sub(ev.Start)
		for i := range ev.Count {
			st := ev.Start.AddDate(0, 0, i*ev.Every)
			if st.Before(to) && st.Add(d).After(from) {
				occ = append(occ, Instance{Event: ev, ID: occurrenceID(ev.ID, i), Start: st, End: st.Add(d), Type: "occurrence", Master: ev.ID})
			}
		}
	}
	by := func(a, b Instance) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortStableFunc(singles, by)
	slices.SortStableFunc(occ, by)
	return append(singles, occ...)
}

func occurrenceID(master string, i int) string {
	return master + "_OCC" + strings.Repeat("0", 3-len(itoa(i))) + itoa(i)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
