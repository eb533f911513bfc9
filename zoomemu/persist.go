package zoomemu

import (
	"encoding/json"
	"slices"
	"time"
)

// stateFileVersion changes when the saved shape changes incompatibly.
const stateFileVersion = 1

// savedState is what a state file holds: everything Zoom itself would still
// know after a restart (accounts, users, roles, rooms, meetings, the app's
// install and its tokens). Test machinery — faults, request log, webhook
// deliveries, page cursors and unused authorization codes — is not kept.
type savedState struct {
	Version       int               `json:"version"`
	AppScopes     []string          `json:"app_scopes"`
	Accounts      []*Account        `json:"accounts"`
	Users         []*User           `json:"users"`
	Roles         []*Role           `json:"roles"`
	Rooms         []*Room           `json:"rooms"`
	Meetings      []*Meeting        `json:"meetings"`
	Installs      []*Install        `json:"installs"`
	AccessTokens  []savedToken      `json:"access_tokens"`
	RefreshTokens []savedToken      `json:"refresh_tokens"`
	Sessions      map[string]string `json:"sessions"`
	Stats         TokenStats        `json:"stats"`
	DailyDay      string            `json:"daily_day"`
	Daily         map[string]int    `json:"daily"`
}

type savedToken struct {
	Token     string    `json:"token"`
	AccountID string    `json:"account_id"`
	UserID    string    `json:"user_id"`
	Scopes    []string  `json:"scopes"`
	Expires   time.Time `json:"expires,omitzero"`
	Dead      bool      `json:"dead,omitempty"`
}

// HasState reports whether the emulator holds any account, for example one
// loaded from its state file.
func (e *Emulator) HasState() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.st.accOrder) > 0
}

// Save writes the state to Config.StateFile (a no-op without one). The file
// is replaced atomically, so a crash mid-write leaves the previous state.
func (e *Emulator) Save() error {
	return e.file.Save(func() ([]byte, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		return json.Marshal(e.snapshotLocked())
	})
}

// load reads Config.StateFile when it exists.
func (e *Emulator) load() error {
	var s savedState
	if found, err := e.file.Load(&s, stateFileVersion); !found || err != nil {
		return err
	}
	st := newState(s.AppScopes)
	for _, a := range s.Accounts {
		st.accounts[a.ID] = a
		st.accOrder = append(st.accOrder, a.ID)
	}
	for _, u := range s.Users {
		st.users[u.ID] = u
		st.userOrder = append(st.userOrder, u.ID)
	}
	for _, r := range s.Roles {
		st.roles[r.ID] = r
	}
	for _, r := range s.Rooms {
		st.rooms[r.ID] = r
		st.roomOrder = append(st.roomOrder, r.ID)
	}
	for _, m := range s.Meetings {
		st.meetings[m.ID] = m
	}
	for _, in := range s.Installs {
		st.installs[in.AccountID] = in
	}
	for _, t := range s.AccessTokens {
		st.access[t.Token] = &accessToken{token: t.Token, accountID: t.AccountID, userID: t.UserID, scopes: t.Scopes, expires: t.Expires, revoked: t.Dead}
	}
	for _, t := range s.RefreshTokens {
		st.refresh[t.Token] = &refreshToken{token: t.Token, accountID: t.AccountID, userID: t.UserID, scopes: t.Scopes, dead: t.Dead}
	}
	for k, v := range s.Sessions {
		st.sessions[k] = v
	}
	for k, v := range s.Daily {
		st.daily[k] = v
	}
	st.stats, st.dailyDay = s.Stats, s.DailyDay
	e.mu.Lock()
	e.st = st
	e.mu.Unlock()
	return nil
}

func (e *Emulator) snapshotLocked() savedState {
	st := e.st
	s := savedState{Version: stateFileVersion, AppScopes: slices.Clone(st.appScopes), Sessions: st.sessions,
		Stats: st.stats, DailyDay: st.dailyDay, Daily: st.daily}
	for _, id := range st.accOrder {
		s.Accounts = append(s.Accounts, st.accounts[id])
		s.Installs = append(s.Installs, st.installs[id])
	}
	for _, id := range st.userOrder {
		s.Users = append(s.Users, st.users[id])
	}
	for _, r := range st.roles {
		s.Roles = append(s.Roles, r)
	}
	for _, id := range st.roomOrder {
		s.Rooms = append(s.Rooms, st.rooms[id])
	}
	for _, m := range st.meetings {
		s.Meetings = append(s.Meetings, m)
	}
	for _, t := range st.access {
		s.AccessTokens = append(s.AccessTokens, savedToken{t.token, t.accountID, t.userID, t.scopes, t.expires, t.revoked})
	}
	for _, t := range st.refresh {
		s.RefreshTokens = append(s.RefreshTokens, savedToken{t.token, t.accountID, t.userID, t.scopes, time.Time{}, t.dead})
	}
	return s
}
