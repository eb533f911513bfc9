package web

import (
	"net/http"
	"strconv"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// APIUser is a user as the JSON API shows it.
type APIUser struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Active    bool      `json:"active"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

func apiUser(u *domain.User) APIUser {
	return APIUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Active: u.Active, TimeZone: u.TimeZone, CreatedAt: u.CreatedAt}
}

// MeJSON: GET /api/v1/me.
func (s *Server) MeJSON(w http.ResponseWriter, r *http.Request) {
	s.JSON(w, http.StatusOK, apiUser(UserFrom(r.Context())))
}

// UserListJSON: GET /api/v1/users — a page at a time, by name
// (?limit=, ?after= the previous page's next, ?q= part of a name or email).
func (s *Server) UserListJSON(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := store.DefaultUserPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxUserPage {
			s.Error(w, r, domain.Invalid(map[string]string{"limit": "limit must be 1 to " + strconv.Itoa(store.MaxUserPage) + "."}))
			return
		}
		limit = n
	}
	page, err := s.DB.ListUsersPage(r.Context(), UserFrom(r.Context()).AccountID, store.UserFilter{Search: q.Get("q"), After: q.Get("after"), Limit: limit})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]APIUser, 0, len(page.Users))
	for _, u := range page.Users {
		out = append(out, apiUser(u))
	}
	body := map[string]any{"users": out}
	if page.Next != "" {
		body["next"] = page.Next
	}
	s.JSON(w, http.StatusOK, body)
}

// UserShowJSON: GET /api/v1/users/{id}.
func (s *Server) UserShowJSON(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.DB.GetUser(r.Context(), UserFrom(r.Context()).AccountID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, http.StatusOK, apiUser(u))
}

// UserUpdateJSON: PATCH /api/v1/users/{id} — role and/or active.
func (s *Server) UserUpdateJSON(w http.ResponseWriter, r *http.Request) {
	me := UserFrom(r.Context())
	id, err := PathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var in struct {
		Role   *string `json:"role"`
		Active *bool   `json:"active"`
	}
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := s.DB.GetUser(r.Context(), me.AccountID, id); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.Role != nil && !domain.Role(*in.Role).Valid() {
		s.Error(w, r, domain.Invalid(map[string]string{"role": "Choose a role: admin, scheduler or interviewer."}))
		return
	}
	var u *domain.User
	if in.Role != nil {
		if u, err = s.DB.UpdateUserRole(r.Context(), me.AccountID, id, domain.Role(*in.Role)); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if in.Active != nil {
		if u, err = s.DB.UpdateUserActive(r.Context(), me.AccountID, id, *in.Active); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if u == nil {
		u, _ = s.DB.GetUser(r.Context(), me.AccountID, id)
	}
	s.JSON(w, http.StatusOK, apiUser(u))
}

// InvitationCreateJSON: POST /api/v1/invitations {"email","role"}.
func (s *Server) InvitationCreateJSON(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := DecodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	link, emailed, err := s.Invite(r.Context(), UserFrom(r.Context()), in.Email, domain.Role(in.Role))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := map[string]any{"email": in.Email, "role": in.Role, "emailed": emailed}
	if !emailed {
		out["link"] = link
	}
	s.JSON(w, http.StatusCreated, out)
}

// APINotFound answers unknown API paths with problem JSON.
func (s *Server) APINotFound(w http.ResponseWriter, r *http.Request) {
	s.Error(w, r, domain.Errorf(domain.ENOTFOUND, "No such API endpoint."))
}
