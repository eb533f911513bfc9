package zoom

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Role permissions the authorizing Zoom user needs, as Zoom's role editor names them.
const (
	PermissionUsersViewEdit = "Users: View and Edit"
	PermissionRoomsView     = "Zoom Rooms: View"
)

// Scope is one capability the app needs. Apps created since 2024 get granular
// scope names, older ones classic names; either satisfies the need.
type Scope struct {
	Granular string
	Classic  string
	Why      string
}

// RequiredScopes are the scopes the app must be granted (admin-managed app).
var RequiredScopes = []Scope{
	{"user:read:user:admin", "user:read:admin", "read the Zoom user who connects"},
	{"user:read:list_users:admin", "user:read:admin", "list Zoom users to match interviewers"},
	{"user:read:list_permissions:admin", "user:read:admin", "check the connecting user's role permissions"},
	{"meeting:write:meeting:admin", "meeting:write:admin", "create interview meetings"},
	{"meeting:update:meeting:admin", "meeting:write:admin", "move interview meetings"},
	{"meeting:delete:meeting:admin", "meeting:write:admin", "delete meetings of cancelled interviews"},
	{"meeting:read:meeting:admin", "meeting:read:admin", "read interview meetings"},
	{"meeting:read:list_meetings:admin", "meeting:read:admin", "find meetings when an answer from Zoom was lost"},
	{"zoom_rooms:read:list_rooms:admin", "room:read:admin", "list Zoom Rooms as interview locations"},
}

// Probe holds what the post-connect check learned with the new token.
type Probe struct {
	// Granted is GrantedScopes of the token; empty means Zoom did not say.
	Granted []string
	// Me is GET /users/me (role_name "Owner" has every permission).
	Me User
	// Permissions is GET /users/me/permissions; PermissionsErr its error.
	Permissions    []string
	PermissionsErr error
	// ListUsersErr and ListRoomsErr are the errors of one-item GET /users and GET /rooms.
	ListUsersErr error
	ListRoomsErr error
}

// Missing is one thing the connection lacks.
type Missing struct {
	// Kind is "permission" (a role permission of the Zoom user) or "scope" (of the app).
	Kind string
	// Name is the permission label ("Users: View and Edit") or scope
	// ("meeting:write:meeting:admin (or meeting:write:admin)").
	Name string
	Why  string
}

// ProbeAccess runs the post-connect checks with the API's token: GET
// /users/me, GET /users/me/permissions and one-item pages of GET /users and
// GET /rooms. Failures of the last three are recorded in the Probe for
// MissingAccess; only a failing /users/me is returned as an error.
func (a *API) ProbeAccess(ctx context.Context, granted []string) (Probe, error) {
	p := Probe{Granted: granted}
	var err error
	if p.Me, err = a.Me(ctx); err != nil {
		return p, err
	}
	p.Permissions, p.PermissionsErr = a.Permissions(ctx, "me")
	_, p.ListUsersErr = a.ListUsers(ctx, 1, "")
	_, p.ListRoomsErr = a.ListRooms(ctx, 1, "")
	return p, nil
}

// MissingAccess returns what keeps the connection from working, empty if
// nothing does. Permissions come first, in the order Zoom's role editor lists them.
func MissingAccess(p Probe) []Missing {
	var out []Missing
	usersOK := !deniedByZoom(p.ListUsersErr)
	roomsOK := !deniedByZoom(p.ListRoomsErr)
	// Owners hold every privilege, but Zoom's permission list for them may be incomplete.
	if p.PermissionsErr == nil && p.Me.RoleName != "Owner" && len(p.Permissions) > 0 {
		has := func(names ...string) bool {
			return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(p.Permissions, n) })
		}
		usersOK = usersOK && has("User:Read") && has("User:Edit")
		roomsOK = roomsOK && has("ZoomRooms:Read", "ZoomRooms:Edit")
	}
	if !usersOK {
		out = append(out, Missing{"permission", PermissionUsersViewEdit, "to list users and manage their meetings"})
	}
	if !roomsOK {
		out = append(out, Missing{"permission", PermissionRoomsView, "to offer Zoom Rooms as locations"})
	}
	if len(p.Granted) > 0 {
		for _, s := range RequiredScopes {
			if slices.Contains(p.Granted, s.Granular) || slices.Contains(p.Granted, s.Classic) {
				continue
			}
			out = append(out, Missing{"scope", s.Granular + " (or " + s.Classic + ")", s.Why})
		}
	}
	return out
}

// deniedByZoom reports whether a probe failed because access is denied
// (403, missing scope, or Zoom's "No permission."), as opposed to succeeding
// or failing for some unrelated reason.
func deniedByZoom(err error) bool {
	if err == nil {
		return false
	}
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	switch {
	case e.Status == http.StatusForbidden, errors.Is(e, ErrMissingScopes), e.Code == 4700:
		return true
	case e.Code == 200:
		// Code 200 also means "Zoom Room subscription not found": no rooms, not no permission.
		return !strings.Contains(strings.ToLower(e.Message), "subscription")
	}
	return false
}
