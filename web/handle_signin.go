package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"interviewplanner/domain"
)

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// handleSignInPage: GET /signin.
func (s *Server) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	if UserFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "signin", Page{Title: "Sign in", Data: map[string]any{"Next": safeNext(r.URL.Query().Get("next")), "Email": ""}})
}

// handleSignIn: POST /signin — email and password.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	rawEmail := r.PostForm.Get("email")
	fail := func(status int, msg string) {
		s.Render(w, r, status, "signin", Page{Title: "Sign in", Error: msg, Data: map[string]any{"Next": next, "Email": rawEmail}})
	}
	email, err := domain.NormalizeEmail(rawEmail)
	if err != nil {
		fail(http.StatusUnprocessableEntity, "Enter the email address you were invited with.")
		return
	}
	wait, err := s.DB.SignInWait(r.Context(), email)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if wait > 0 {
		fail(http.StatusTooManyRequests, fmt.Sprintf("Too many failed attempts. Try again in %s.", wait.Round(time.Second)))
		return
	}
	u, hash, err := s.DB.FindUserForSignIn(r.Context(), email)
	pw := r.PostForm.Get("password")
	if err == nil && u.Active && hash != "" && s.PasswordVerify(pw, hash) == nil {
		_ = s.DB.ClearSignInFailures(r.Context(), email)
		if err := s.startSession(w, r, u); err != nil {
			s.Error(w, r, err)
			return
		}
		s.Log.Info("signed in", "user_id", u.ID, "account_id", u.AccountID)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
		s.Error(w, r, err)
		return
	}
	if err := s.DB.RecordSignInFailure(r.Context(), email); err != nil {
		s.Error(w, r, err)
		return
	}
	// A short pause on every failure slows guessing even before the
	// per-address wait kicks in; the same text for unknown addresses and
	// wrong passwords reveals nothing.
	s.Sleep(300 * time.Millisecond)
	fail(http.StatusUnauthorized, "That email and password do not match.")
}

// handleSignOut: POST /signout.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
