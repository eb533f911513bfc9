package web

import (
	"net/http"

	"interviewplanner/domain"
)

// InvitationShow: GET /invitations/{token} — choose a name and password.
func (s *Server) InvitationShow(w http.ResponseWriter, r *http.Request) {
	inv, acct, err := s.loadInvitation(r, "This invitation link is not valid. Check that you copied all of it, or ask your admin for a new one.")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.Render(w, r, http.StatusOK, "invitation", Page{Title: "Join " + acct.Name, Data: map[string]any{"Invitation": inv, "Account": acct, "TimeZone": "", "Name": ""}})
}

// InvitationAccept: POST /invitations/{token} — create the user and sign in.
func (s *Server) InvitationAccept(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	hash := HashToken(r.PathValue("token"))
	inv, acct, err := s.loadInvitation(r, "This invitation link is not valid.")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name, tz, pw := r.PostForm.Get("name"), r.PostForm.Get("time_zone"), r.PostForm.Get("password")
	again := func(err error) {
		s.Render(w, r, http.StatusUnprocessableEntity, "invitation", Page{Title: "Join " + acct.Name, Error: domain.ErrorMessage(err), Fields: domain.ErrorFields(err),
			Data: map[string]any{"Invitation": inv, "Account": acct, "TimeZone": tz, "Name": name}})
	}
	if err := domain.CheckPassword(pw); err != nil {
		again(err)
		return
	}
	if pw != r.PostForm.Get("password_confirm") {
		again(domain.Errorf(domain.EINVALID, "The two passwords differ."))
		return
	}
	pwHash, err := s.hashPassword(r.Context(), pw)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	u, err := s.DB.AcceptInvitation(r.Context(), hash, name, tz, pwHash)
	if err != nil {
		if domain.IsCode(err, domain.EINVALID) {
			again(err)
			return
		}
		s.Error(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.Error(w, r, err)
		return
	}
	s.RedirectWithFlash(w, r, "/", "Welcome to InterviewPlanner, "+u.Name+".")
}

// loadInvitation reads the invitation of the {token} in the path and its
// account; an unknown or used token is notFound.
func (s *Server) loadInvitation(r *http.Request, notFound string) (*domain.Invitation, *domain.Account, error) {
	inv, err := s.DB.GetInvitationByToken(r.Context(), HashToken(r.PathValue("token")))
	if err != nil {
		if domain.IsCode(err, domain.ENOTFOUND) {
			err = domain.Errorf(domain.ENOTFOUND, "%s", notFound)
		}
		return nil, nil, err
	}
	acct, err := s.DB.GetAccount(r.Context(), inv.AccountID)
	if err != nil {
		return nil, nil, err
	}
	return inv, acct, nil
}
