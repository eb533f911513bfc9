package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"interviewplanner/domain"
)

// safeNext keeps redirects after sign-in on this site: only a plain path
// is accepted, nothing a browser or http.Redirect's cleaning could turn
// into another scheme or host. Anything else goes home.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || len(next) > 2000 {
		return "/"
	}
	// Browsers read a backslash as a slash and drop tabs and newlines, so
	// "/\evil.example" and "/\t/evil.example" lead off-site.
	for i := 0; i < len(next); i++ {
		if c := next[i]; c == '\\' || c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	lower := strings.ToLower(next)
	for i := strings.Index(lower, "%"); i >= 0; i = indexFrom(lower, "%", i+1) {
		if i+3 > len(lower) {
			return "/"
		}
		if h := lower[i+1 : i+3]; h[0] == '0' || h[0] == '1' || h == "7f" || h == "5c" {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	// http.Redirect cleans the path: "/.//evil.example" must not become
	// "//evil.example", nor may a decoded path start with two slashes.
	p, _, _ := strings.Cut(next, "?")
	p, _, _ = strings.Cut(p, "#")
	if strings.HasPrefix(path.Clean(p), "//") || strings.HasPrefix(u.Path, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") {
		return "/"
	}
	return next
}

func indexFrom(s, sub string, from int) int {
	if i := strings.Index(s[from:], sub); i >= 0 {
		return from + i
	}
	return -1
}

// SignInShow: GET /signin.
func (s *Server) SignInShow(w http.ResponseWriter, r *http.Request) {
	if UserFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.Render(w, r, http.StatusOK, "signin", Page{Title: "Sign in", Data: map[string]any{"Next": safeNext(r.URL.Query().Get("next")), "Email": ""}})
}

// SignIn: POST /signin — email and password.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request) {
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
	a, answered := s.tryPasswordForm(w, r, email, r.PostForm.Get("password"), fail)
	if answered {
		return
	}
	if a.OK {
		u := a.User
		if err := s.startSession(w, r, u); err != nil {
			s.Error(w, r, err)
			return
		}
		if err := s.rememberDevice(w, r, email, a.Client); err != nil {
			s.Error(w, r, err)
			return
		}
		s.Log.Info("signed in", "user_id", u.ID, "account_id", u.AccountID)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	// A short pause on every failure slows guessing even before the
	// wait kicks in; the same text for unknown addresses and wrong
	// passwords reveals nothing.
	s.Sleep(300 * time.Millisecond)
	fail(http.StatusUnauthorized, "That email and password do not match.")
}

// SignOut: POST /signout.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
