package web

import (
	"fmt"
	"net/http"

	"interviewplanner/domain"
)

// SettingsShow: GET /settings — the signed-in user's own profile.
func (s *Server) SettingsShow(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, Page{})
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, p Page) {
	p.Title = "Your settings"
	p.Data = map[string]any{"CanRevokeTokens": s.RevokeAPITokens != nil}
	s.Render(w, r, status, "settings", p)
}

// ProfileUpdate: POST /settings/profile.
func (s *Server) ProfileUpdate(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	me := UserFrom(r.Context())
	if _, err := s.DB.UpdateUserProfile(r.Context(), me.AccountID, me.ID, r.PostForm.Get("name"), r.PostForm.Get("time_zone")); err != nil {
		if de, ok := domain.AsError(err); ok && de.Code == domain.EINVALID {
			s.renderSettings(w, r, http.StatusUnprocessableEntity, Page{Error: de.Message, Fields: de.Fields})
			return
		}
		s.Error(w, r, err)
		return
	}
	s.RedirectWithFlash(w, r, "/settings", "Profile saved.")
}

// PasswordUpdate: POST /settings/password. The current password
// is throttled like sign-in, so a session left open is no oracle for it.
// A change signs out every other session and can revoke the API tokens.
func (s *Server) PasswordUpdate(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	me := UserFrom(ctx)
	fail := func(status int, msg string) {
		s.renderSettings(w, r, status, Page{Error: msg})
	}
	a, answered := s.tryPasswordForm(w, r, me.Email, r.PostForm.Get("current"), fail)
	if answered {
		return
	}
	if !a.OK {
		fail(http.StatusUnprocessableEntity, "Your current password is not right.")
		return
	}
	pw := r.PostForm.Get("password")
	if err := domain.CheckPassword(pw); err != nil {
		fail(http.StatusUnprocessableEntity, domain.ErrorMessage(err))
		return
	}
	if pw != r.PostForm.Get("password_confirm") {
		fail(http.StatusUnprocessableEntity, "The two new passwords differ.")
		return
	}
	newHash, err := s.hashPassword(ctx, pw)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ended, err := s.DB.UpdateUserPassword(ctx, me.AccountID, me.ID, newHash, SessionHash(ctx))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	_ = s.DB.CreateAuditEvent(ctx, me.AccountID, &me.ID, "user.password_changed", fmt.Sprintf("%s; %d other sessions signed out", me.Email, ended))
	msg := fmt.Sprintf("Password changed. %s signed out.", plural(ended, "other session was", "other sessions were"))
	if r.PostForm.Get("revoke_tokens") != "" && s.RevokeAPITokens != nil {
		n, err := s.RevokeAPITokens(ctx, me.AccountID, me.ID)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		msg += fmt.Sprintf(" %s revoked.", plural(n, "API token was", "API tokens were"))
	}
	s.RedirectWithFlash(w, r, "/settings", msg)
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
