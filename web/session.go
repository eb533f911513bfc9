package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

const (
	sessionCookie = "ip_session"
	flashCookie   = "ip_flash"
	sessionTTL    = 14 * 24 * time.Hour
)

// NewToken returns a random URL-safe token and the hash stored in its place.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is what the database keeps of a session, invitation or API token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func sleep(d time.Duration) { time.Sleep(d) }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// loadUser puts the user behind the session cookie, or behind an API
// token, into the request context.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); isAPI(r) && strings.HasPrefix(auth, "Bearer ") {
			if s.TokenUser == nil {
				s.Error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "API tokens are not enabled."))
				return
			}
			u, err := s.TokenUser(ctx, strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")))
			if err != nil {
				s.Error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "The API token is not valid."))
				return
			}
			next.ServeHTTP(w, r.WithContext(WithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && len(c.Value) < 100 {
			hash := HashToken(c.Value)
			if _, u, err := s.DB.GetSessionUser(ctx, hash); err == nil {
				ctx = WithUser(ctx, u)
				ctx = context.WithValue(ctx, ctxSessionHash, hash)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// startSession signs u in with a brand-new session token, so a token
// planted before sign-in (session fixation) is worthless.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if old, ok := r.Context().Value(ctxSessionHash).(string); ok {
		_ = s.DB.DeleteSession(r.Context(), old)
	}
	token, hash := NewToken()
	expires := s.DB.Now().Add(sessionTTL)
	if err := s.DB.CreateSession(r.Context(), store.Session{TokenHash: hash, AccountID: u.AccountID, UserID: u.ID, ExpiresAt: expires}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies()})
	return nil
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if hash, ok := r.Context().Value(ctxSessionHash).(string); ok {
		_ = s.DB.DeleteSession(r.Context(), hash)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies()})
}

// SessionHash returns the hash of the request's session token; OAuth state
// is bound to it.
func SessionHash(ctx context.Context) string {
	h, _ := ctx.Value(ctxSessionHash).(string)
	return h
}

// Flash stores a one-time message shown on the next page.
func (s *Server) Flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies()})
}

// ConsentStarter begins an admin's OAuth connect with a provider (Zoom,
// Google, Microsoft): it returns the provider's consent page, its state
// bound to the session.
type ConsentStarter interface {
	StartConnect(ctx context.Context, u *domain.User, sessionHash string) (string, error)
}

// RedirectToConsent sends the signed-in admin's browser to p's consent
// page: the Connect button of an integration.
func (s *Server) RedirectToConsent(w http.ResponseWriter, r *http.Request, p ConsentStarter) {
	target, err := p.StartConnect(r.Context(), UserFrom(r.Context()), SessionHash(r.Context()))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// RedirectWithFlash ends a form post: it sends the browser to the page to
// (a GET, so reloading does not post again) and shows msg there once.
func (s *Server) RedirectWithFlash(w http.ResponseWriter, r *http.Request, to, msg string) {
	s.Flash(w, msg)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies()})
	msg, _ := url.QueryUnescape(c.Value)
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return msg
}
