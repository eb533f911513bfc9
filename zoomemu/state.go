package zoomemu

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Built-in role ids, as Zoom numbers them.
const (
	RoleOwner  = "Owner"
	RoleAdmin  = "Admin"
	RoleMember = "Member"
)

// AllPermissions are the privileges an Owner or Admin holds (the subset of
// Zoom's list that matters to apps like InterviewPlanner).
var AllPermissions = []string{
	"Account:Edit", "Account:Read", "MarketPlace:Edit", "MarketPlace:Read",
	"Meeting:Edit", "Meeting:Read", "Role:Edit", "Role:Read",
	"User:Edit", "User:Read", "ZoomRooms:Edit", "ZoomRooms:Read",
}

// Account is a Zoom account.
type Account struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	AccountNumber int64  `json:"account_number"`
	// Plan sets the per-second rate limits: "free", "pro" (default) or "business".
	Plan string `json:"plan"`
}

// UserSpec describes a user to add.
type UserSpec struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Role      string `json:"role"` // "Owner", "Admin", "Member" or a custom role name
	Timezone  string `json:"timezone"`
}

// User is a Zoom user.
type User struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Type      int       `json:"type"`   // 1 Basic, 2 Licensed
	Status    string    `json:"status"` // active, inactive, pending
	Timezone  string    `json:"timezone"`
	RoleName  string    `json:"role_name"`
	RoleID    string    `json:"role_id"`
	PMI       int64     `json:"pmi"`
	CreatedAt time.Time `json:"created_at"`
}

// DisplayName is "First Last".
func (u User) DisplayName() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }

// Role is a built-in or custom role.
type Role struct {
	ID          string   `json:"id"`
	AccountID   string   `json:"account_id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Permissions []string `json:"permissions"`
	BuiltIn     bool     `json:"built_in"`
}

// Room is a Zoom Room.
type Room struct {
	ID             string `json:"id"`
	RoomID         string `json:"room_id"`
	AccountID      string `json:"account_id"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	ActivationCode string `json:"activation_code"`
}

// Meeting is a scheduled meeting.
type Meeting struct {
	ID        int64          `json:"id"`
	UUID      string         `json:"uuid"`
	AccountID string         `json:"account_id"`
	HostID    string         `json:"host_id"`
	HostEmail string         `json:"host_email"`
	Topic     string         `json:"topic"`
	Type      int            `json:"type"`
	StartTime time.Time      `json:"start_time"` // UTC
	Duration  int            `json:"duration"`
	Timezone  string         `json:"timezone"`
	Agenda    string         `json:"agenda"`
	Password  string         `json:"password"`
	JoinURL   string         `json:"join_url"`
	StartURL  string         `json:"start_url"`
	CreatedAt time.Time      `json:"created_at"`
	Settings  map[string]any `json:"settings,omitempty"`
	// Deleted meetings are kept so tests can see how they were deleted.
	Deleted               bool `json:"deleted,omitempty"`
	DeletedByApp          bool `json:"deleted_by_app,omitempty"`
	ScheduleForReminder   bool `json:"schedule_for_reminder,omitempty"`
	CancelMeetingReminder bool `json:"cancel_meeting_reminder,omitempty"`
}

// Install is the app's state in one account.
type Install struct {
	AccountID   string    `json:"account_id"`
	PreApproved bool      `json:"pre_approved"`
	Installed   bool      `json:"installed"`
	InstalledBy string    `json:"installed_by,omitempty"` // user id
	InstalledAt time.Time `json:"installed_at,omitzero"`
}

type authCode struct {
	code, accountID, userID, redirectURI string
	challenge, method                    string
	scopes                               []string
	expires                              time.Time
	used                                 bool
}

type accessToken struct {
	token, accountID, userID string
	scopes                   []string
	expires                  time.Time
	revoked                  bool
}

type refreshToken struct {
	token, accountID, userID string
	scopes                   []string
	dead                     bool
}

type pageCursor struct {
	kind    string // "users", "rooms", "meetings:<host>"
	account string
	offset  int
	expires time.Time
}

type state struct {
	appScopes []string
	accounts  map[string]*Account
	accOrder  []string
	users     map[string]*User
	userOrder []string
	roles     map[string]*Role
	rooms     map[string]*Room
	roomOrder []string
	meetings  map[int64]*Meeting
	installs  map[string]*Install
	codes     map[string]*authCode
	access    map[string]*accessToken
	refresh   map[string]*refreshToken
	sessions  map[string]string // Zoom web session -> user id
	cursors   map[string]*pageCursor
	requests  []RecordedRequest
	delivs    []*WebhookDelivery
	stats     TokenStats
	qpsSecond int64
	qps       map[string]int // account|label -> calls this second
	dailyDay  string
	daily     map[string]int // host id -> creates+updates today (UTC)
}

func newState(scopes []string) *state {
	return &state{
		appScopes: slices.Clone(scopes),
		accounts:  map[string]*Account{},
		users:     map[string]*User{},
		roles:     map[string]*Role{},
		rooms:     map[string]*Room{},
		meetings:  map[int64]*Meeting{},
		installs:  map[string]*Install{},
		codes:     map[string]*authCode{},
		access:    map[string]*accessToken{},
		refresh:   map[string]*refreshToken{},
		sessions:  map[string]string{},
		cursors:   map[string]*pageCursor{},
		qps:       map[string]int{},
		daily:     map[string]int{},
	}
}

// Errors returned by the Go API.
var (
	ErrNotFound = errors.New("zoomemu: not found")
	ErrInvalid  = errors.New("zoomemu: invalid input")
)

// Reset forgets every account, token, meeting, fault and recording. The app
// registration stays.
func (e *Emulator) Reset() {
	e.faults.Clear()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st = newState(e.cfg.Scopes)
}

// CreateAccount adds an account on the Pro plan and returns its id.
func (e *Emulator) CreateAccount(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.createAccountLocked(name)
}

func (e *Emulator) createAccountLocked(name string) string {
	a := &Account{ID: randomID(), Name: name, AccountNumber: randomInt(10_000_000, 99_999_999), Plan: "pro"}
	e.st.accounts[a.ID] = a
	e.st.accOrder = append(e.st.accOrder, a.ID)
	e.st.installs[a.ID] = &Install{AccountID: a.ID}
	for _, b := range []struct{ id, name, desc string }{
		{"0", RoleOwner, "Account owner has full privileges to access and manage a Zoom account."},
		{"1", RoleAdmin, "Admins have wide-ranging privileges to manage users and settings."},
		{"2", RoleMember, "Members have access to basic Zoom video meeting functions but no account management."},
	} {
		perms := slices.Clone(AllPermissions)
		if b.name == RoleMember {
			perms = []string{}
		}
		r := &Role{ID: a.ID + "/" + b.id, AccountID: a.ID, Name: b.name, Description: b.desc, Permissions: perms, BuiltIn: true}
		e.st.roles[r.ID] = r
	}
	return a.ID
}

// UpdateAccount changes an account's name or plan ("" leaves a field).
func (e *Emulator) UpdateAccount(accountID, name, plan string) (Account, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, err := e.accountLocked(accountID)
	if err != nil {
		return Account{}, err
	}
	if plan != "" {
		if _, ok := qpsLimits[plan]; !ok {
			return Account{}, fmt.Errorf("%w: plan %q (free, pro, business)", ErrInvalid, plan)
		}
	}
	if name != "" {
		a.Name = name
	}
	if plan != "" {
		a.Plan = plan
	}
	return *a, nil
}

// accountLocked finds an account; an unknown one is ErrNotFound.
func (e *Emulator) accountLocked(accountID string) (*Account, error) {
	a, ok := e.st.accounts[accountID]
	if !ok {
		return nil, fmt.Errorf("%w: account %q", ErrNotFound, accountID)
	}
	return a, nil
}

// Accounts lists the accounts in creation order.
func (e *Emulator) Accounts() []Account {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Account, 0, len(e.st.accOrder))
	for _, id := range e.st.accOrder {
		out = append(out, *e.st.accounts[id])
	}
	return out
}

// publicRoleID is the id the REST API shows: "0", "1", "2" for built-ins.
func publicRoleID(r *Role) string {
	if r.BuiltIn {
		return r.ID[strings.LastIndexByte(r.ID, '/')+1:]
	}
	return r.ID
}

func (e *Emulator) roleByNameLocked(accountID, name string) *Role {
	for _, r := range e.st.roles {
		if r.AccountID == accountID && strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// AddUser adds an active, licensed user. Role defaults to Member.
func (e *Emulator) AddUser(accountID string, u UserSpec) (User, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addUserLocked(accountID, u)
}

func (e *Emulator) addUserLocked(accountID string, u UserSpec) (User, error) {
	if _, err := e.accountLocked(accountID); err != nil {
		return User{}, err
	}
	email := strings.ToLower(strings.TrimSpace(u.Email))
	if !validEmail(email) {
		return User{}, fmt.Errorf("%w: email %q", ErrInvalid, u.Email)
	}
	if e.userByEmailLocked(email) != nil {
		return User{}, fmt.Errorf("%w: email %q already has a Zoom user", ErrInvalid, email)
	}
	tz := u.Timezone
	if tz == "" {
		tz = "America/Los_Angeles"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return User{}, fmt.Errorf("%w: timezone %q", ErrInvalid, tz)
	}
	role := e.roleByNameLocked(accountID, cmp.Or(u.Role, RoleMember))
	if role == nil {
		return User{}, fmt.Errorf("%w: role %q", ErrNotFound, u.Role)
	}
	user := &User{
		ID: randomID(), AccountID: accountID, Email: email,
		FirstName: u.FirstName, LastName: u.LastName, Type: 2, Status: "active",
		Timezone: tz, RoleName: role.Name, RoleID: role.ID,
		PMI: randomInt(1_000_000_000, 9_999_999_999), CreatedAt: e.Now().UTC().Truncate(time.Second),
	}
	e.st.users[user.ID] = user
	e.st.userOrder = append(e.st.userOrder, user.ID)
	return e.publicUser(user), nil
}

func (e *Emulator) publicUser(u *User) User {
	out := *u
	if r := e.st.roles[u.RoleID]; r != nil {
		out.RoleID = publicRoleID(r)
		out.RoleName = r.Name
	}
	return out
}

func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>\"'/") && strings.Count(s, "@") == 1 && len(s) <= 128
}

// UserChange edits a user; nil fields stay.
type UserChange struct {
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Role      *string `json:"role"`
	Status    *string `json:"status"`
	Timezone  *string `json:"timezone"`
}

// UpdateUser changes a user. Everything is checked before anything changes.
func (e *Emulator) UpdateUser(userID string, c UserChange) (User, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.st.users[userID]
	if !ok {
		return User{}, fmt.Errorf("%w: user %q", ErrNotFound, userID)
	}
	var role *Role
	if c.Role != nil {
		if role = e.roleByNameLocked(u.AccountID, *c.Role); role == nil {
			return User{}, fmt.Errorf("%w: role %q", ErrNotFound, *c.Role)
		}
	}
	if c.Status != nil && !slices.Contains([]string{"active", "inactive", "pending"}, *c.Status) {
		return User{}, fmt.Errorf("%w: status %q", ErrInvalid, *c.Status)
	}
	if c.Timezone != nil {
		if _, err := time.LoadLocation(*c.Timezone); err != nil || *c.Timezone == "" {
			return User{}, fmt.Errorf("%w: timezone %q", ErrInvalid, *c.Timezone)
		}
	}
	if c.FirstName != nil {
		u.FirstName = *c.FirstName
	}
	if c.LastName != nil {
		u.LastName = *c.LastName
	}
	if role != nil {
		u.RoleID, u.RoleName = role.ID, role.Name
	}
	if c.Status != nil {
		u.Status = *c.Status
	}
	if c.Timezone != nil {
		u.Timezone = *c.Timezone
	}
	return e.publicUser(u), nil
}

// DeleteUser removes a user; their tokens stop working (Zoom's 4735 case).
func (e *Emulator) DeleteUser(userID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.st.users[userID]; !ok {
		return fmt.Errorf("%w: user %q", ErrNotFound, userID)
	}
	delete(e.st.users, userID)
	e.st.userOrder = slices.DeleteFunc(e.st.userOrder, func(id string) bool { return id == userID })
	for s, uid := range e.st.sessions {
		if uid == userID {
			delete(e.st.sessions, s)
		}
	}
	return nil
}

// Users lists an account's users in creation order.
func (e *Emulator) Users(accountID string) []User {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.usersWhereLocked(func(u *User) bool { return u.AccountID == accountID })
}

// usersWhereLocked lists the users keep accepts, in creation order, as
// they are shown outside the emulator.
func (e *Emulator) usersWhereLocked(keep func(*User) bool) []User {
	var out []User
	for _, id := range e.st.userOrder {
		if u := e.st.users[id]; keep(u) {
			out = append(out, e.publicUser(u))
		}
	}
	return out
}

// UserByEmail finds a user in any account.
func (e *Emulator) UserByEmail(email string) (User, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.userByEmailLocked(email)
	if u == nil {
		return User{}, false
	}
	return e.publicUser(u), true
}

func (e *Emulator) userByEmailLocked(email string) *User {
	for _, u := range e.st.users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// AddRole adds a custom role holding permissions like "User:Read".
func (e *Emulator) AddRole(accountID, name, description string, permissions []string) (Role, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.accountLocked(accountID); err != nil {
		return Role{}, err
	}
	name, err := checkName("role", name, 64)
	if err != nil {
		return Role{}, err
	}
	if e.roleByNameLocked(accountID, name) != nil {
		return Role{}, fmt.Errorf("%w: role %q exists", ErrInvalid, name)
	}
	perms, err := checkPermissions(permissions)
	if err != nil {
		return Role{}, err
	}
	r := &Role{ID: randomID(), AccountID: accountID, Name: name, Description: description, Permissions: perms}
	e.st.roles[r.ID] = r
	return *r, nil
}

// SetRolePermissions replaces a custom role's permissions.
func (e *Emulator) SetRolePermissions(roleID string, permissions []string) (Role, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.st.roles[roleID]
	if !ok || r.BuiltIn {
		return Role{}, fmt.Errorf("%w: custom role %q", ErrNotFound, roleID)
	}
	perms, err := checkPermissions(permissions)
	if err != nil {
		return Role{}, err
	}
	r.Permissions = perms
	return *r, nil
}

// checkPermissions accepts privileges of the form Area:Read or Area:Edit.
func checkPermissions(in []string) ([]string, error) {
	out := []string{}
	for _, p := range in {
		area, level, ok := strings.Cut(p, ":")
		if !ok || area == "" || (level != "Read" && level != "Edit") || strings.ContainsAny(area, " \t<>\"") {
			return nil, fmt.Errorf("%w: permission %q (want Area:Read or Area:Edit)", ErrInvalid, p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Roles lists an account's roles, built-ins first.
func (e *Emulator) Roles(accountID string) []Role {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Role
	for _, r := range e.st.roles {
		if r.AccountID == accountID {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].BuiltIn != out[j].BuiltIn {
			return out[i].BuiltIn
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (e *Emulator) permissionsLocked(u *User) []string {
	if r := e.st.roles[u.RoleID]; r != nil {
		return slices.Clone(r.Permissions)
	}
	return []string{}
}

// isAdminLocked: Owner or Admin.
func (e *Emulator) isAdminLocked(u *User) bool {
	r := e.st.roles[u.RoleID]
	return r != nil && r.BuiltIn && (r.Name == RoleOwner || r.Name == RoleAdmin)
}

// AddRoom adds an available Zoom Room. An unknown account gets no room (the
// zero Room).
func (e *Emulator) AddRoom(accountID, name string) Room {
	r, _ := e.addRoom(accountID, name)
	return r
}

func (e *Emulator) addRoom(accountID, name string) (Room, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.accountLocked(accountID); err != nil {
		return Room{}, err
	}
	name, err := checkName("room", name, 128)
	if err != nil {
		return Room{}, err
	}
	r := &Room{ID: randomID(), RoomID: randomID(), AccountID: accountID, Name: name, Status: "Available", ActivationCode: randomAlnum(8)}
	e.st.rooms[r.ID] = r
	e.st.roomOrder = append(e.st.roomOrder, r.ID)
	return *r, nil
}

// checkName trims a new role's or room's name and refuses it empty or
// longer than maxLen.
func checkName(kind, name string, maxLen int) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxLen {
		return "", fmt.Errorf("%w: %s name %q", ErrInvalid, kind, name)
	}
	return name, nil
}

// roomStatuses are the statuses GET /rooms can filter on.
var roomStatuses = []string{"Available", "InMeeting", "Offline", "UnderConstruction"}

// UpdateRoom renames a room or changes its status ("" leaves a field).
func (e *Emulator) UpdateRoom(roomID, name, status string) (Room, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.st.rooms[roomID]
	if !ok {
		return Room{}, fmt.Errorf("%w: room %q", ErrNotFound, roomID)
	}
	if status != "" && !slices.Contains(roomStatuses, status) {
		return Room{}, fmt.Errorf("%w: room status %q", ErrInvalid, status)
	}
	if len(name) > 128 {
		return Room{}, fmt.Errorf("%w: room name too long", ErrInvalid)
	}
	if name = strings.TrimSpace(name); name != "" {
		r.Name = name
	}
	if status != "" {
		r.Status = status
	}
	return *r, nil
}

// Rooms lists an account's rooms.
func (e *Emulator) Rooms(accountID string) []Room {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Room
	for _, id := range e.st.roomOrder {
		if r := e.st.rooms[id]; r.AccountID == accountID {
			out = append(out, *r)
		}
	}
	return out
}

// SetPreApproved flips the app's pre-approval for an account.
func (e *Emulator) SetPreApproved(accountID string, on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in, ok := e.st.installs[accountID]; ok {
		in.PreApproved = on
	}
}

// InstallState reports the app's state in an account.
func (e *Emulator) InstallState(accountID string) (Install, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	in, ok := e.st.installs[accountID]
	if !ok {
		return Install{}, false
	}
	return *in, true
}

// SetAppScopes changes the app's registered scopes. Tokens already issued
// keep the scopes they were granted (Zoom answers 4711 until an admin
// authorizes again).
func (e *Emulator) SetAppScopes(scopes []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st.appScopes = slices.Clone(scopes)
}

// ExpireAccessTokens makes every live access token expired now.
func (e *Emulator) ExpireAccessTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	past := e.Now().Add(-time.Second)
	for _, t := range e.st.access {
		if t.expires.After(past) {
			t.expires = past
		}
	}
}

// DeleteMeetingBehindApp deletes a meeting as if a user did it in Zoom.
func (e *Emulator) DeleteMeetingBehindApp(id int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, ok := e.st.meetings[id]
	if !ok || m.Deleted {
		return fmt.Errorf("%w: meeting %d", ErrNotFound, id)
	}
	m.Deleted = true
	return nil
}

// Meetings lists an account's live meetings by start time ("" = all accounts).
func (e *Emulator) Meetings(accountID string) []Meeting {
	return e.meetingList(accountID, false)
}

// DeletedMeetings lists deleted meetings with how they were deleted.
func (e *Emulator) DeletedMeetings(accountID string) []Meeting {
	return e.meetingList(accountID, true)
}

func (e *Emulator) meetingList(accountID string, deleted bool) []Meeting {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Meeting
	for _, m := range e.st.meetings {
		if (accountID == "" || m.AccountID == accountID) && m.Deleted == deleted {
			c := *m
			c.Settings = cloneMap(m.Settings)
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].StartTime.Equal(out[j].StartTime) {
			return out[i].StartTime.Before(out[j].StartTime)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TokenStats counts grants and live tokens.
type TokenStats struct {
	CodeGrants        int `json:"code_grants"`
	RefreshGrants     int `json:"refresh_grants"`
	FailedGrants      int `json:"failed_grants"`
	Revocations       int `json:"revocations"`
	LiveAccessTokens  int `json:"live_access_tokens"`
	LiveRefreshTokens int `json:"live_refresh_tokens"`
}

// TokenStats reports token activity.
func (e *Emulator) TokenStats() TokenStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.st.stats
	now := e.Now()
	for _, t := range e.st.access {
		if !t.revoked && now.Before(t.expires) {
			s.LiveAccessTokens++
		}
	}
	for _, t := range e.st.refresh {
		if !t.dead {
			s.LiveRefreshTokens++
		}
	}
	return s
}

// TokenInfo describes one issued token, for the control API. Tokens are
// shown in full: this is an emulator and tests need them.
type TokenInfo struct {
	Kind      string    `json:"kind"` // "access" or "refresh"
	Token     string    `json:"token"`
	AccountID string    `json:"account_id"`
	UserID    string    `json:"user_id"`
	Scopes    []string  `json:"scopes"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Live      bool      `json:"live"`
}

// Tokens lists every token issued.
func (e *Emulator) Tokens() []TokenInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.Now()
	var out []TokenInfo
	for _, t := range e.st.access {
		out = append(out, TokenInfo{"access", t.token, t.accountID, t.userID, slices.Clone(t.scopes), t.expires, !t.revoked && now.Before(t.expires)})
	}
	for _, t := range e.st.refresh {
		out = append(out, TokenInfo{"refresh", t.token, t.accountID, t.userID, slices.Clone(t.scopes), time.Time{}, !t.dead})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Token < out[j].Token })
	return out
}

// killTokensLocked revokes every token of an account.
func (e *Emulator) killTokensLocked(accountID string) {
	for _, t := range e.st.access {
		if t.accountID == accountID {
			t.revoked = true
		}
	}
	for _, t := range e.st.refresh {
		if t.accountID == accountID {
			t.dead = true
		}
	}
}

// Demo lists extra users for the demo account.
type Demo struct {
	Members []UserSpec `json:"members"`
	// WithoutRole leaves the help article's "InterviewPlanner" role for an
	// admin to create on the Zoom Roles page; Riley starts as a Member.
	WithoutRole bool `json:"without_role"`
}

// SeedDemo creates the demo account "Acme Inc." and returns its id. Members
// whose email already has a Zoom user are skipped.
func (e *Emulator) SeedDemo(d Demo) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	id := e.createAccountLocked("Acme Inc.")
	rileyRole := RoleMember
	if !d.WithoutRole {
		perms, _ := checkPermissions([]string{"User:Read", "User:Edit", "ZoomRooms:Read"})
		role := &Role{ID: randomID(), AccountID: id, Name: "InterviewPlanner",
			Description: "Role with the necessary permissions for InterviewPlanner to schedule interviews", Permissions: perms}
		e.st.roles[role.ID] = role
		rileyRole = role.Name
	}
	seed := []UserSpec{
		{Email: "admin@example.com", FirstName: "Ada", LastName: "Lovelace", Role: RoleOwner, Timezone: "Europe/London"},
		{Email: "it@example.com", FirstName: "Ivy", LastName: "Tran", Role: RoleAdmin, Timezone: "America/New_York"},
		{Email: "sam@example.com", FirstName: "Sam", LastName: "Rivera", Role: RoleMember, Timezone: "America/Chicago"},
		{Email: "riley@example.com", FirstName: "Riley", LastName: "Morgan", Role: rileyRole, Timezone: "America/Los_Angeles"},
	}
	for _, m := range d.Members {
		m.Role = RoleMember
		seed = append(seed, m)
	}
	for _, u := range seed {
		if _, err := e.addUserLocked(id, u); err != nil {
			e.Log.Info("zoomemu: demo user skipped", "email", u.Email, "err", err)
		}
	}
	for _, name := range []string{"Boardroom", "Huddle Room 1", "Lisbon", "Tokyo"} {
		r := &Room{ID: randomID(), RoomID: randomID(), AccountID: id, Name: name, Status: "Available", ActivationCode: randomAlnum(8)}
		e.st.rooms[r.ID] = r
		e.st.roomOrder = append(e.st.roomOrder, r.ID)
	}
	return id
}
