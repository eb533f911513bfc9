package zoom

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// User is a Zoom user (GET /users/{id}, entries of GET /users).
type User struct {
	ID          string
	Email       string
	FirstName   string
	LastName    string
	DisplayName string
	// Type: 1 Basic, 2 Licensed, 4 Unassigned.
	Type      int
	RoleName  string
	RoleID    string
	AccountID string
	Timezone  string
	// Status: pending, active or inactive.
	Status string
	Dept   string
}

type userJSON struct {
	ID          looseString `json:"id"`
	Email       string      `json:"email"`
	FirstName   string      `json:"first_name"`
	LastName    string      `json:"last_name"`
	DisplayName string      `json:"display_name"`
	Type        int         `json:"type"`
	RoleName    string      `json:"role_name"`
	RoleID      looseString `json:"role_id"`
	AccountID   looseString `json:"account_id"`
	Timezone    string      `json:"timezone"`
	Status      string      `json:"status"`
	Dept        string      `json:"dept"`
}

func (u userJSON) user() User {
	return User{ID: string(u.ID), Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		DisplayName: u.DisplayName, Type: u.Type, RoleName: u.RoleName, RoleID: string(u.RoleID),
		AccountID: string(u.AccountID), Timezone: u.Timezone, Status: u.Status, Dept: u.Dept}
}

// UserPage is one page of GET /users.
type UserPage struct {
	Users []User
	// NextPageToken is "" on the last page; it expires after 15 minutes.
	NextPageToken string
	TotalRecords  int
}

// Me returns the user who authorized the connection.
func (a *API) Me(ctx context.Context) (User, error) { return a.User(ctx, "me") }

// User returns a user by id or email ("me" for the authorizing user).
func (a *API) User(ctx context.Context, id string) (User, error) {
	var out userJSON
	err := a.do(ctx, call{method: http.MethodGet, path: "/users/" + url.PathEscape(id), want: http.StatusOK, out: &out})
	return out.user(), err
}

// ListUsers returns one page of the account's active users (pageSize 1..2000).
func (a *API) ListUsers(ctx context.Context, pageSize int, pageToken string) (UserPage, error) {
	q := url.Values{"status": {"active"}, "page_size": {strconv.Itoa(clamp(pageSize, 1, 2000))}}
	if pageToken != "" {
		q.Set("next_page_token", pageToken)
	}
	var out struct {
		NextPageToken string     `json:"next_page_token"`
		TotalRecords  int        `json:"total_records"`
		Users         []userJSON `json:"users"`
	}
	if err := a.do(ctx, call{method: http.MethodGet, path: "/users", query: q, want: http.StatusOK, out: &out}); err != nil {
		return UserPage{}, err
	}
	p := UserPage{NextPageToken: out.NextPageToken, TotalRecords: out.TotalRecords, Users: make([]User, 0, len(out.Users))}
	for _, u := range out.Users {
		p.Users = append(p.Users, u.user())
	}
	return p, nil
}

// AllUsers walks every page of ListUsers.
func (a *API) AllUsers(ctx context.Context) ([]User, error) {
	return allPages(func(token string) ([]User, string, error) {
		p, err := a.ListUsers(ctx, 300, token)
		return p.Users, p.NextPageToken, err
	})
}

// Permissions lists the role privileges of a user, e.g. "User:Read", "ZoomRooms:Read".
func (a *API) Permissions(ctx context.Context, userID string) ([]string, error) {
	var out struct {
		Permissions []string `json:"permissions"`
	}
	err := a.do(ctx, call{method: http.MethodGet, path: "/users/" + url.PathEscape(userID) + "/permissions", want: http.StatusOK, out: &out})
	return out.Permissions, err
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
