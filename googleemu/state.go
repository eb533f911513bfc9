package googleemu

import (
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"
)

const stateVersion = 1

// State is everything Google would remember; it is what the state file
// holds. Maps are keyed by lower-case email or id.
type State struct {
	Version         int                        `json:"version"`
	Customers       map[string]*Customer       `json:"customers"`
	Users           map[string]*User           `json:"users"`
	Rooms           map[string]*Room           `json:"rooms"`
	Buildings       map[string]*Building       `json:"buildings"`
	Calendars       map[string]*Calendar       `json:"calendars"`
	ServiceAccounts map[string]*ServiceAccount `json:"service_accounts"`
	Access          map[string]*Token          `json:"access"`
	Refresh         map[string]*Token          `json:"refresh"`
	Consented       map[string]bool            `json:"consented"` // user email → has consented once (first consent gets a refresh token)
	Channels        map[string]*Channel        `json:"channels"`
	Sessions        map[string]string          `json:"sessions"` // cookie → email
	Seq             int64                      `json:"seq"`      // event change counter, for sync tokens
	Stats           Stats                      `json:"stats"`
}

// Stats counts grants, for tests.
type Stats struct {
	CodeGrants, RefreshGrants, JWTGrants, FailedGrants, Revocations int
}

// Customer is one Google Workspace (one company).
type Customer struct {
	ID     string `json:"id"` // "C01abcd"
	Domain string `json:"domain"`
	Name   string `json:"name"`
	// DWD is the Admin console's domain-wide delegation list: a service
	// account's numeric client id → the scopes granted to it.
	DWD map[string][]string `json:"dwd"`
}

// User is a Workspace user.
type User struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	CustomerID string `json:"customer_id"`
	Admin      bool   `json:"admin"`
	Suspended  bool   `json:"suspended"`
	TimeZone   string `json:"time_zone"`
	Deleted    bool   `json:"deleted"`
}

// Name is the user's full name.
func (u *User) Name() string { return strings.TrimSpace(u.GivenName + " " + u.FamilyName) }

// Room is a calendar resource.
type Room struct {
	ResourceID string `json:"resource_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Capacity   int64  `json:"capacity"`
	BuildingID string `json:"building_id"`
	FloorName  string `json:"floor_name"`
	CustomerID string `json:"customer_id"`
}

// Building holds rooms.
type Building struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CustomerID string `json:"customer_id"`
}

// Calendar is one calendar: a user's primary (id = email), a room's (id =
// resource email) or a secondary one an owner made.
type Calendar struct {
	ID         string                  `json:"id"`
	Summary    string                  `json:"summary"`
	TimeZone   string                  `json:"time_zone"`
	Owner      string                  `json:"owner"` // user email; "" for rooms
	CustomerID string                  `json:"customer_id"`
	Epoch      int                     `json:"epoch"` // bumped to invalidate every sync token
	Events     map[string]*StoredEvent `json:"events"`
	// ReadOnlyUntil: the calendar hit Google's usage limits
	// (quotaExceeded) and refuses writes until then.
	ReadOnlyUntil time.Time `json:"read_only_until,omitzero"`
}

// StoredEvent is an event and when it last changed.
type StoredEvent struct {
	Event       *calendar.Event `json:"event"`
	Seq         int64           `json:"seq"`
	Deleted     bool            `json:"deleted"`
	SendUpdates []string        `json:"send_updates"` // sendUpdates of every write, for tests
}

// ServiceAccount is a Cloud project's service account and its keys' public
// halves (Google keeps no private key).
type ServiceAccount struct {
	Email      string            `json:"email"`
	ClientID   string            `json:"client_id"` // numeric, what the admin pastes into DWD
	ProjectID  string            `json:"project_id"`
	CustomerID string            `json:"customer_id"`
	Keys       map[string]string `json:"keys"` // private_key_id → public key PEM
}

// Token is an access or refresh token.
type Token struct {
	Token          string    `json:"token"`
	ClientID       string    `json:"client_id"`
	User           string    `json:"user"`            // the acting user (email); "" for a service account alone
	ServiceAccount string    `json:"service_account"` // set for JWT-bearer tokens
	Scopes         []string  `json:"scopes"`
	Expires        time.Time `json:"expires,omitzero"`
	Refresh        string    `json:"refresh"` // an access token's refresh token
	Revoked        bool      `json:"revoked"`
}

// Channel is a push notification channel on one calendar's events.
type Channel struct {
	ID         string    `json:"id"`
	ResourceID string    `json:"resource_id"`
	CalendarID string    `json:"calendar_id"`
	Address    string    `json:"address"`
	Token      string    `json:"token"`
	Expiration time.Time `json:"expiration"`
	Message    int64     `json:"message"`
	Stopped    bool      `json:"stopped"`
}

func newState() *State {
	s := &State{Version: stateVersion}
	s.fill()
	return s
}

// fill makes every nil map empty: a new state, or one loaded from a file
// that lacks some.
func (s *State) fill() {
	ensureMap(&s.Customers)
	ensureMap(&s.Users)
	ensureMap(&s.Rooms)
	ensureMap(&s.Buildings)
	ensureMap(&s.Calendars)
	ensureMap(&s.ServiceAccounts)
	ensureMap(&s.Access)
	ensureMap(&s.Refresh)
	ensureMap(&s.Consented)
	ensureMap(&s.Channels)
	ensureMap(&s.Sessions)
	for _, c := range s.Customers {
		ensureMap(&c.DWD)
	}
	for _, c := range s.Calendars {
		ensureMap(&c.Events)
	}
}

func key(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func (s *State) userByEmail(email string) *User {
	u := s.Users[key(email)]
	if u == nil || u.Deleted {
		return nil
	}
	return u
}

func (s *State) customerOfDomain(domain string) *Customer {
	for _, c := range s.Customers {
		if strings.EqualFold(c.Domain, domain) {
			return c
		}
	}
	return nil
}

func (s *State) nextSeq() int64 {
	s.Seq++
	return s.Seq
}

// ensureMap makes *m an empty map when it is nil.
func ensureMap[K comparable, V any](m *map[K]V) {
	if *m == nil {
		*m = map[K]V{}
	}
}
