package googleconnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	admin "google.golang.org/api/admin/directory/v1"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
	"interviewplanner/store/lease"
)

// secret is what is sealed for a connection: an OAuth token, or a service
// account key file and the admin it acts as for the directory.
type secret struct {
	Token   *oauth2.Token `json:"token,omitempty"`
	Key     []byte        `json:"key,omitempty"`
	Subject string        `json:"subject,omitempty"`
}

func secretAD(accountID int64) []byte {
	return fmt.Appendf(nil, "interviewplanner/google/%d", accountID)
}

func (s *Service) seal(accountID int64, sec secret) ([]byte, string, error) {
	b, err := json.Marshal(sec)
	if err != nil {
		return nil, "", err
	}
	sealed, err := s.keys.Seal(b, secretAD(accountID))
	return []byte(sealed), s.keys.CurrentKeyID(), err
}

func (s *Service) open(accountID int64, sec googlestore.Secret) (secret, error) {
	var out secret
	b, err := s.keys.Open(string(sec.Sealed), secretAD(accountID))
	if err != nil {
		return out, errors.New("the stored Google secret could not be decrypted (was the secret key changed?)")
	}
	return out, json.Unmarshal(b, &out)
}

// ErrNotConnected: the account has no live Google connection.
var ErrNotConnected = errors.New("Google Workspace is not connected")

// errNeedsReconnecting is what every read answers once Google refused the grant.
var errNeedsReconnecting = errors.New("Google Workspace needs reconnecting: Google refused InterviewPlanner's access. An admin must reconnect it on the Integrations page")

// storedTokenSource hands out the connection's access token, refreshing it
// when it expires — once at a time across instances (a lease on the
// connection row), saving the new token sealed before anyone uses it.
type storedTokenSource struct {
	s         *Service
	ctx       context.Context
	accountID int64
}

func (t storedTokenSource) current() (*oauth2.Token, googlestore.Secret, error) {
	sec, state, err := t.s.store.GetSecret(t.ctx, t.accountID)
	if domain.IsCode(err, domain.ENOTFOUND) {
		return nil, sec, ErrNotConnected
	}
	if err != nil {
		return nil, sec, err
	}
	switch state {
	case googlestore.StateNeedsReconnecting:
		return nil, sec, errNeedsReconnecting
	case googlestore.StateConnected:
	default:
		return nil, sec, ErrNotConnected
	}
	plain, err := t.s.open(t.accountID, sec)
	if err != nil {
		return nil, sec, err
	}
	if plain.Token == nil {
		return nil, sec, errors.New("the connection holds no OAuth token")
	}
	return plain.Token, sec, nil
}

func (t storedTokenSource) Token() (*oauth2.Token, error) {
	tok, _, err := t.current()
	if err != nil || tok.Valid() {
		return tok, err
	}
	return t.refreshUnless(func(tok *oauth2.Token) bool { return tok.Valid() })
}

// Force refreshes although the stored token looked valid: Google refused
// it (401), unless another caller already replaced it.
func (t storedTokenSource) Force(old string) (*oauth2.Token, error) {
	return t.refreshUnless(func(tok *oauth2.Token) bool { return tok.AccessToken != old && tok.Valid() })
}

// refreshLease is the connection row's refresh lease (store/lease).
var refreshLease = lease.Row{Table: "google_connections", Key: "account_id", Holder: "refreshing_by", Until: "refreshing_until"}

// refreshUnless refreshes the stored token under the connection's lease,
// unless good says the token stored by then (another caller's or
// instance's refresh) will do.
func (t storedTokenSource) refreshUnless(good func(*oauth2.Token) bool) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var sec googlestore.Secret
	fresh := func(context.Context) (bool, error) {
		var err error
		tok, sec, err = t.current()
		return err == nil && good(tok), err
	}
	err := lease.Once(t.ctx, t.s.db, refreshLease, t.accountID, t.s.instance, t.s.leaseTTL, fresh, func(context.Context) error {
		var err error
		tok, err = t.refresh(tok, sec)
		return err
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

func (t storedTokenSource) refresh(tok *oauth2.Token, sec googlestore.Secret) (*oauth2.Token, error) {
	next, err := t.s.oauth.TokenSource(t.s.ctxHTTP(t.ctx), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			t.s.grantDead(t.ctx, t.accountID, "Google refused the refresh token (it was revoked, or the admin's access was removed)")
			return nil, errNeedsReconnecting
		}
		return nil, err
	}
	if next.RefreshToken == "" {
		next.RefreshToken = tok.RefreshToken // Google does not rotate it
	}
	sealed, keyID, err := t.s.seal(t.accountID, secret{Token: next})
	if err != nil {
		return nil, err
	}
	if _, err := t.s.store.UpdateSecret(t.ctx, t.accountID, sec.Version, keyID, sealed); err != nil {
		return nil, err
	}
	return next, nil
}

// grantDead puts the connection in "needs reconnecting" and every
// interviewer it serves in "unknown" at once.
func (s *Service) grantDead(ctx context.Context, accountID int64, why string) {
	ctx = context.WithoutCancel(ctx)
	if _, _, err := s.store.End(ctx, accountID, googlestore.StateNeedsReconnecting, googlestore.ReasonTokenDead, why, nil); err != nil {
		s.log.ErrorContext(ctx, "google: marking needs reconnecting failed", "account_id", accountID, "err", err)
	}
	s.forget(accountID)
	if err := s.cals.FailProviderSources(ctx, accountID, calendarstore.KindGoogle, errNeedsReconnecting.Error()); err != nil {
		s.log.ErrorContext(ctx, "google: failing sources failed", "account_id", accountID, "err", err)
	}
	s.log.WarnContext(ctx, "google connection needs reconnecting", "account_id", accountID, "why", why)
}

// tokenSource returns the token source acting as subject ("" = the
// connection's admin).
func (s *Service) tokenSource(ctx context.Context, c *googlestore.Connection, subject string) (oauth2.TokenSource, error) {
	if c == nil || c.State == googlestore.StateDisconnected {
		return nil, ErrNotConnected
	}
	if c.State == googlestore.StateNeedsReconnecting {
		return nil, errNeedsReconnecting
	}
	if c.Method == googlestore.MethodOAuth {
		return storedTokenSource{s: s, ctx: ctx, accountID: c.AccountID}, nil
	}
	if subject == "" {
		subject = c.AdminEmail
	}
	k := fmt.Sprintf("%d/%s", c.AccountID, strings.ToLower(subject))
	s.mu.Lock()
	ts, ok := s.jwt[k]
	s.mu.Unlock()
	if ok {
		return ts, nil
	}
	sec, _, err := s.store.GetSecret(ctx, c.AccountID)
	if err != nil {
		return nil, err
	}
	plain, err := s.open(c.AccountID, sec)
	if err != nil {
		return nil, err
	}
	cfg, err := google.JWTConfigFromJSON(plain.Key, Scopes...)
	if err != nil {
		return nil, err
	}
	cfg.Subject = subject
	// The token source outlives the request that made it.
	base := cfg.TokenSource(s.ctxHTTP(context.Background()))
	ts = &delegatedSource{s: s, accountID: c.AccountID, base: base, src: oauth2.ReuseTokenSource(nil, base)}
	s.mu.Lock()
	s.jwt[k] = ts
	s.mu.Unlock()
	return ts, nil
}

// delegatedSource notices a withdrawn delegation (401 unauthorized_client
// for every user) and puts the connection in "needs reconnecting".
type delegatedSource struct {
	s         *Service
	accountID int64
	base      oauth2.TokenSource

	mu  sync.Mutex
	src oauth2.TokenSource
}

func (d *delegatedSource) Token() (*oauth2.Token, error) {
	d.mu.Lock()
	src := d.src
	d.mu.Unlock()
	return d.check(src.Token())
}

// Force gets a new token: Google refused the cached one.
func (d *delegatedSource) Force(string) (*oauth2.Token, error) {
	tok, err := d.check(d.base.Token())
	if err == nil {
		d.mu.Lock()
		d.src = oauth2.ReuseTokenSource(tok, d.base)
		d.mu.Unlock()
	}
	return tok, err
}

func (d *delegatedSource) check(tok *oauth2.Token, err error) (*oauth2.Token, error) {
	if err != nil {
		if ce := delegationError(err); ce != nil && (ce.Kind == KindDelegationMissing || ce.Kind == KindKeyFile) {
			d.s.grantDead(context.Background(), d.accountID, ce.Message)
			return nil, errNeedsReconnecting
		}
	}
	return tok, err
}

func (s *Service) httpClient(ts oauth2.TokenSource) *http.Client {
	return &http.Client{Transport: authTransport{ts: ts, base: s.http.Transport}, Timeout: 60 * time.Second}
}

type forcer interface {
	Force(old string) (*oauth2.Token, error)
}

// authTransport adds the bearer token; when Google answers 401 (the token
// died before its expiry: revoked, or its grant withdrawn) it gets a new
// one once and retries — which also finds out when the grant itself is gone.
type authTransport struct {
	ts   oauth2.TokenSource
	base http.RoundTripper
}

func (t authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	tok, err := t.ts.Token()
	if err != nil {
		return nil, err
	}
	resp, err := t.send(r, tok)
	f, ok := t.ts.(forcer)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !ok || (r.Body != nil && r.GetBody == nil) {
		return resp, err
	}
	resp.Body.Close()
	if tok, err = f.Force(tok.AccessToken); err != nil {
		return nil, err
	}
	if r.GetBody != nil {
		b, err := r.GetBody()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = b
	}
	return t.send(r, tok)
}

func (t authTransport) send(r *http.Request, tok *oauth2.Token) (*http.Response, error) {
	req := r.Clone(r.Context())
	tok.SetAuthHeader(req)
	return t.base.RoundTrip(req)
}

// calendarAs is the Calendar API acting as subject.
func (s *Service) calendarAs(ctx context.Context, c *googlestore.Connection, subject string) (*calendar.Service, error) {
	ts, err := s.tokenSource(ctx, c, subject)
	if err != nil {
		return nil, err
	}
	return calendar.NewService(ctx, option.WithEndpoint(s.ep.CalendarURL), option.WithHTTPClient(s.httpClient(ts)))
}

// directory is the Directory API acting as the connection's admin.
func (s *Service) directory(ctx context.Context, c *googlestore.Connection) (*admin.Service, error) {
	ts, err := s.tokenSource(ctx, c, "")
	if err != nil {
		return nil, err
	}
	return admin.NewService(ctx, option.WithEndpoint(s.ep.DirectoryURL), option.WithHTTPClient(s.httpClient(ts)))
}
