package web

import (
	"net/http"

	"interviewplanner/domain"
)

// handleSettings: GET /settings — the signed-in user's own profile.
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "settings", Page{Title: "Your settings"})
}

// handleSettingsProfile: POST /settings/profile.
func (s *Server) handleSettingsProfile(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	me := UserFrom(r.Context())
	if _, err := s.DB.UpdateUserProfile(r.Context(), me.AccountID, me.ID, r.PostForm.Get("name"), r.PostForm.Get("time_zone")); err != nil {
		if de, ok := domain.AsError(err); ok && de.Code == domain.EINVALID {
			s.Render(w, r, http.StatusUnprocessableEntity, "settings", Page{Title: "Your settings", Error: de.Message, Fields: de.Fields})
			return
		}
		s.Error(w, r, err)
		return
	}
	s.Flash(w, "Profile saved.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

// handleSettingsPassword: POST /settings/password.
func (s *Server) handleSettingsPassword(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	me := UserFrom(r.Context())
	fail := func(msg string) {
		s.Render(w, r, http.StatusUnprocessableEntity, "settings", Page{Title: "Your settings", Error: msg})
	}
	_, hash, err := s.DB.FindUserForSignIn(r.Context(), me.Email)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if s.PasswordVerify(r.PostForm.Get("current"), hash) != nil {
		fail("Your current password is not right.")
		return
	}
	pw := r.PostForm.Get("password")
	if err := domain.CheckPassword(pw); err != nil {
		fail(domain.ErrorMessage(err))
		return
	}
	if pw != r.PostForm.Get("password_confirm") {
		fail("The two new passwords differ.")
		return
	}
	newHash, err := s.PasswordHash(pw)
	if err == nil {
		err = s.DB.UpdateUserPassword(r.Context(), me.AccountID, me.ID, newHash)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.Flash(w, "Password changed.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}
