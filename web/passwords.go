package web

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// deviceCookie marks a browser that signed in as an address before; its
// attempts are throttled on their own (see store.ReserveSignInAttempt).
const deviceCookie = "ip_device"

// initPasswords sizes the hashing semaphore; the dummy hash is made when
// first needed, so starting costs no argon2id work (19 MiB, tens of ms).
func (s *Server) initPasswords() error {
	// argon2id takes 19 MiB per check: more checks at once than cores only
	// queue in memory, so a burst of guesses waits for a slot instead.
	s.hashSlots = make(chan struct{}, runtime.NumCPU())
	// Unknown addresses are checked against this, so they take as long as
	// a wrong password and timing does not reveal who has an account.
	s.dummyHash = sync.OnceValues(func() (string, error) { return s.PasswordHash("not a password anyone has") })
	return nil
}

func (s *Server) takeHashSlot(ctx context.Context) error {
	select {
	case s.hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hashPassword hashes pw with bounded concurrency.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	if err := s.takeHashSlot(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashSlots }()
	return s.PasswordHash(pw)
}

// passwordMatches checks pw against hash (against the dummy hash when
// hash is empty, and then never matches) with bounded concurrency.
func (s *Server) passwordMatches(ctx context.Context, pw, hash string) (bool, error) {
	if err := s.takeHashSlot(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashSlots }()
	if hash == "" {
		dummy, err := s.dummyHash()
		if err != nil {
			return false, err
		}
		_ = s.PasswordVerify(pw, dummy)
		return false, nil
	}
	return s.PasswordVerify(pw, hash) == nil, nil
}

// signInClient identifies who is attempting to sign in as email: a known
// browser by its device cookie, anyone else by network address.
func (s *Server) signInClient(r *http.Request, email string) store.SignInClient {
	c := store.SignInClient{Addr: r.RemoteAddr}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		c.Addr = host
	}
	if ck, err := r.Cookie(deviceCookie); err == nil && ck.Value != "" && len(ck.Value) < 100 {
		hash := HashToken(ck.Value)
		if ok, err := s.DB.IsSignInDevice(r.Context(), email, hash); err == nil && ok {
			c.DeviceHash = hash
		}
	}
	return c
}

// passwordAttempt is one throttled check of an email's password.
type passwordAttempt struct {
	// Client is who tried, as the throttle counts them.
	Client store.SignInClient
	// Wait, when above zero, says too many attempts failed: nothing was
	// checked.
	Wait time.Duration
	// OK: the password is the email's active user's, User; the past
	// failures are then forgotten.
	OK   bool
	User *domain.User
}

// tryPassword checks password against email's user, throttled like
// sign-in. The attempt is counted before the password is checked, so a
// burst of concurrent guesses gets no more checks than a sequence would;
// an unknown or deactivated address costs the same work as a wrong
// password.
func (s *Server) tryPassword(r *http.Request, email, password string) (passwordAttempt, error) {
	ctx := r.Context()
	a := passwordAttempt{Client: s.signInClient(r, email)}
	var err error
	if a.Wait, err = s.DB.ReserveSignInAttempt(ctx, email, a.Client); err != nil || a.Wait > 0 {
		return a, err
	}
	u, hash, err := s.DB.GetUserForSignIn(ctx, email)
	if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
		return a, err
	}
	if err != nil || !u.Active {
		hash = "" // checked against the dummy hash: the same work as a wrong password
	}
	if a.OK, err = s.passwordMatches(ctx, password, hash); err != nil || !a.OK {
		return a, err
	}
	a.User = u
	return a, s.DB.DeleteSignInFailures(ctx, email, a.Client)
}

// tryPasswordForm is tryPassword for a form: an error is answered as one,
// a throttled attempt by fail with the wait; answered reports either.
func (s *Server) tryPasswordForm(w http.ResponseWriter, r *http.Request, email, password string, fail func(status int, msg string)) (a passwordAttempt, answered bool) {
	a, err := s.tryPassword(r, email, password)
	if err != nil {
		s.Error(w, r, err)
		return a, true
	}
	if a.Wait > 0 {
		fail(http.StatusTooManyRequests, waitMessage(a.Wait))
		return a, true
	}
	return a, false
}

// rememberDevice marks the browser as known for email after a successful
// sign-in, unless it already is.
func (s *Server) rememberDevice(w http.ResponseWriter, r *http.Request, email string, client store.SignInClient) error {
	if client.DeviceHash != "" {
		return nil
	}
	token, hash := NewToken()
	if err := s.DB.CreateSignInDevice(r.Context(), email, hash); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: token, Path: "/", Expires: s.DB.Now().Add(store.DeviceTTL),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies()})
	return nil
}

// waitMessage tells someone throttled when to try again.
func waitMessage(wait time.Duration) string {
	return "Too many failed attempts. Try again in " + max(wait, time.Second).Round(time.Second).String() + "."
}
