package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"interviewplanner/domain"
	"interviewplanner/mail"
	"interviewplanner/store"
)

// Invite creates an invitation and emails its link. Without SMTP the link
// is returned (to show to the admin) and logged.
func (s *Server) Invite(ctx context.Context, by *domain.User, email string, role domain.Role) (link string, emailed bool, err error) {
	token, hash := NewToken()
	inv, err := s.DB.CreateInvitation(ctx, by.AccountID, by.ID, email, role, hash)
	if err != nil {
		return "", false, err
	}
	acct, err := s.DB.GetAccount(ctx, by.AccountID)
	if err != nil {
		return "", false, err
	}
	link = s.BaseURL + "/invitations/" + token
	msg := mail.Message{AccountID: by.AccountID, To: []string{inv.Email}, Subject: fmt.Sprintf("%s invited you to %s on InterviewPlanner", by.Name, acct.Name),
		Text: fmt.Sprintf("%s invited you to join %s on InterviewPlanner as %s.\n\nChoose your password here (the link works once, until %s):\n%s\n",
			by.Name, acct.Name, inv.Role.Label(), inv.ExpiresAt.Format("2 Jan 2006"), link)}
	if err := s.Mail.Send(ctx, msg); err != nil {
		s.Log.Error("invitation email failed", "err", err, "account_id", by.AccountID)
		return link, false, nil
	}
	_, outbox := s.Mail.(*mail.Outbox)
	if outbox {
		s.Log.Info("invitation link (no IP_SMTP_URL set, so it was not emailed)", "email", inv.Email, "link", link)
	}
	_ = s.DB.CreateAuditEvent(ctx, by.AccountID, &by.ID, "user.invited", fmt.Sprintf("%s as %s", inv.Email, inv.Role.Label()))
	return link, !outbox, nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, status int, p Page) {
	u := UserFrom(r.Context())
	q := r.URL.Query()
	page, err := s.DB.ListUsersPage(r.Context(), u.AccountID, store.UserFilter{Search: q.Get("q"), After: q.Get("after")})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	invs, err := s.DB.ListInvitations(r.Context(), u.AccountID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	rows := make([]userRow, len(page.Users))
	for i, x := range page.Users {
		rows[i] = userRow{ID: x.ID, Name: x.Name, Email: x.Email, Active: x.Active, Roles: roleOptions[x.Role]}
	}
	data["Users"], data["Invitations"] = rows, invs
	data["Query"], data["FirstPage"] = q.Get("q"), q.Get("after") == ""
	if page.Next != "" {
		data["Next"] = "/users?" + url.Values{"q": {q.Get("q")}, "after": {page.Next}}.Encode()
	}
	p.Title, p.Data = "Users", data
	s.Render(w, r, status, "users", p)
}

// userRow is one line of the users list; its role menu is made once per
// role, not once per row.
type userRow struct {
	ID          int64
	Name, Email string
	Active      bool
	Roles       []roleOption
}

type roleOption struct {
	Value    domain.Role
	Label    string
	Selected bool
}

// roleOptions is the role menu with each role selected in turn.
var roleOptions = func() map[domain.Role][]roleOption {
	m := map[domain.Role][]roleOption{}
	for _, sel := range domain.Roles {
		for _, r := range domain.Roles {
			m[sel] = append(m[sel], roleOption{Value: r, Label: r.Label(), Selected: r == sel})
		}
	}
	return m
}()

// UserList: GET /users — the account's users and open invitations.
func (s *Server) UserList(w http.ResponseWriter, r *http.Request) {
	s.usersPage(w, r, http.StatusOK, Page{})
}

// UserInvite: POST /users/invitations.
func (s *Server) UserInvite(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	u := UserFrom(r.Context())
	email, role := r.PostForm.Get("email"), domain.Role(r.PostForm.Get("role"))
	link, emailed, err := s.Invite(r.Context(), u, email, role)
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Code == domain.EINVALID {
			s.usersPage(w, r, http.StatusUnprocessableEntity, Page{Error: de.Message, Fields: de.Fields, Data: map[string]any{"InviteEmail": email, "InviteRole": string(role)}})
			return
		}
		s.Error(w, r, err)
		return
	}
	msg := "Invitation emailed to " + email + "."
	if !emailed {
		msg = "Invitation created. Email is not set up, so send this link to " + email + " yourself: " + link
	}
	s.usersPage(w, r, http.StatusOK, Page{Flash: msg, Data: map[string]any{"InviteLink": link}})
}

// InvitationRevoke: POST /users/invitations/{id}/revoke.
func (s *Server) InvitationRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r, "id")
	if err == nil {
		err = s.DB.DeleteInvitation(r.Context(), UserFrom(r.Context()).AccountID, id)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.RedirectWithFlash(w, r, "/users", "Invitation revoked.")
}

// UserRoleUpdate: POST /users/{id}/role.
func (s *Server) UserRoleUpdate(w http.ResponseWriter, r *http.Request) {
	me := UserFrom(r.Context())
	id, err := PathIDAndForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.DB.UpdateUserRole(r.Context(), me.AccountID, id, domain.Role(r.PostForm.Get("role")))
	if err != nil {
		if domain.IsCode(err, domain.ECONFLICT) || domain.IsCode(err, domain.EINVALID) {
			s.usersPage(w, r, statusOf(domain.ErrorCode(err)), Page{Error: domain.ErrorMessage(err)})
			return
		}
		s.Error(w, r, err)
		return
	}
	_ = s.DB.CreateAuditEvent(r.Context(), me.AccountID, &me.ID, "user.role_changed", fmt.Sprintf("%s is now %s", u.Email, u.Role.Label()))
	s.RedirectWithFlash(w, r, "/users", u.Name+" is now "+u.Role.Label()+".")
}

// UserActiveUpdate: POST /users/{id}/active — deactivate or reactivate.
func (s *Server) UserActiveUpdate(w http.ResponseWriter, r *http.Request) {
	me := UserFrom(r.Context())
	id, err := PathIDAndForm(w, r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	active := r.PostForm.Get("active") == "true"
	u, err := s.DB.UpdateUserActive(r.Context(), me.AccountID, id, active)
	if err != nil {
		if domain.IsCode(err, domain.ECONFLICT) {
			s.usersPage(w, r, http.StatusConflict, Page{Error: domain.ErrorMessage(err)})
			return
		}
		s.Error(w, r, err)
		return
	}
	state := "deactivated"
	if active {
		state = "reactivated"
	}
	_ = s.DB.CreateAuditEvent(r.Context(), me.AccountID, &me.ID, "user."+state, u.Email)
	s.RedirectWithFlash(w, r, "/users", u.Name+" was "+state+".")
}

// AuditList: GET /audit — who changed what.
func (s *Server) AuditList(w http.ResponseWriter, r *http.Request) {
	ev, err := s.DB.ListAuditEvents(r.Context(), UserFrom(r.Context()).AccountID, 500)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "audit", Page{Title: "Audit log", Data: ev})
}
