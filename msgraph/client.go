package msgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Scope is the client-credentials scope: every application permission the
// tenant's admin consented.
const Scope = "https://graph.microsoft.com/.default"

// MailboxConcurrency is Outlook's limit of requests in flight per app and mailbox.
const MailboxConcurrency = 4

// Config is the app registration and where Microsoft is.
type Config struct {
	ClientID, ClientSecret string
	LoginURL               string // default https://login.microsoftonline.com
	GraphURL               string // default https://graph.microsoft.com/v1.0
	HTTPClient             *http.Client
	// Tokens caches app-only tokens per tenant; nil keeps them in memory.
	Tokens TokenCache
	// Slots holds a mailbox's four places across instances; nil counts
	// this process's requests only.
	Slots Slots
	// MaxAttempts bounds tries of one request (default 5); MaxWait bounds
	// one Retry-After wait (default 60 s).
	MaxAttempts int
	MaxWait     time.Duration
}

// TokenCache keeps a tenant's token where every instance sees it and
// fetches a new one at most once at a time per tenant.
type TokenCache interface {
	Token(ctx context.Context, tenant string, fetch func(context.Context) (*oauth2.Token, error)) (*oauth2.Token, error)
	// Forget drops a token Graph refused.
	Forget(ctx context.Context, tenant string, token *oauth2.Token) error
}

// Slots bounds the requests in flight per tenant and mailbox where every
// instance sees them. Acquire waits for one of the MailboxConcurrency
// places (or ctx); release gives it back. A holder sends one request at a
// time, so holders bound requests.
type Slots interface {
	Acquire(ctx context.Context, tenant, mailbox string) (release func(), err error)
}

// Client talks to Microsoft for one app registration.
type Client struct {
	cfg  Config
	http *http.Client

	mu    sync.Mutex
	slots map[string]chan struct{} // per tenant/mailbox
	mem   map[string]*oauth2.Token
}

// New returns a client.
func New(cfg Config) *Client {
	if cfg.LoginURL == "" {
		cfg.LoginURL = "https://login.microsoftonline.com"
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = "https://graph.microsoft.com/v1.0"
	}
	cfg.LoginURL, cfg.GraphURL = strings.TrimSuffix(cfg.LoginURL, "/"), strings.TrimSuffix(cfg.GraphURL, "/")
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 60 * time.Second
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{cfg: cfg, http: hc, slots: map[string]chan struct{}{}, mem: map[string]*oauth2.Token{}}
}

// ClientID is the app's id.
func (c *Client) ClientID() string { return c.cfg.ClientID }

// AdminConsentURL is where a tenant's admin grants the app's permissions.
func (c *Client) AdminConsentURL(tenant, state, redirectURL string) string {
	if tenant == "" {
		tenant = "organizations"
	}
	q := url.Values{"client_id": {c.cfg.ClientID}, "state": {state}, "redirect_uri": {redirectURL}}
	return c.cfg.LoginURL + "/" + url.PathEscape(tenant) + "/adminconsent?" + q.Encode()
}

// Error is a refusal from Graph or from the token endpoint.
type Error struct {
	Status     int
	Code       string // Graph's error.code, or the token endpoint's error
	Message    string
	AADSTS     int // the identity platform's AADSTS number
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.AADSTS != 0 {
		return fmt.Sprintf("Microsoft sign-in refused the app: AADSTS%d %s", e.AADSTS, firstLine(e.Message))
	}
	return fmt.Sprintf("Microsoft Graph answered %d %s: %s", e.Status, e.Code, e.Message)
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// AADSTS codes the app tells apart.
const (
	AADSTSNotConsented = 700016  // app not in the tenant: no admin consent (yet)
	AADSTSBadSecret    = 7000215 // wrong client secret
	AADSTSExpiredSec   = 7000222 // expired client secret
	AADSTSDisabled     = 7000112 // app disabled in the tenant
	AADSTSNoTenant     = 90002
)

// IsForbidden reports a 403 from Graph: the roles are missing (consent not
// yet propagated or removed) or a policy denies the mailbox.
func IsForbidden(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusForbidden
}

// IsPolicyDenied reports an Exchange application access policy refusal.
func IsPolicyDenied(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusForbidden && strings.Contains(e.Message, "Access to OData is disabled")
}

// AADSTSOf returns the AADSTS number of a token refusal, 0 otherwise.
func AADSTSOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.AADSTS
	}
	return 0
}

// IsSyncStateGone reports a delta token Graph no longer knows: start over.
func IsSyncStateGone(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Status == http.StatusGone || e.Code == "syncStateNotFound" || e.Code == "resyncRequired")
}

// IsNotFound reports a 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// API is the client bound to one tenant.
type API struct {
	c      *Client
	tenant string
}

// Tenant binds the client to a tenant (GUID or domain).
func (c *Client) Tenant(tenant string) *API { return &API{c: c, tenant: tenant} }

// TenantID is the tenant the API is bound to.
func (a *API) TenantID() string { return a.tenant }

func (a *API) fetch(ctx context.Context) (*oauth2.Token, error) {
	cc := clientcredentials.Config{ClientID: a.c.cfg.ClientID, ClientSecret: a.c.cfg.ClientSecret,
		TokenURL: a.c.cfg.LoginURL + "/" + url.PathEscape(a.tenant) + "/oauth2/v2.0/token", Scopes: []string{Scope}, AuthStyle: oauth2.AuthStyleInParams}
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, a.c.http))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			var te TokenError
			if json.Unmarshal(re.Body, &te) == nil && te.Error != "" {
				e := &Error{Status: re.Response.StatusCode, Code: te.Error, Message: te.ErrorDescription}
				if len(te.ErrorCodes) > 0 {
					e.AADSTS = te.ErrorCodes[0]
				}
				return nil, e
			}
			return nil, &Error{Status: re.Response.StatusCode, Code: "invalid_response", Message: "the token endpoint's answer could not be read"}
		}
		return nil, fmt.Errorf("the Microsoft sign-in endpoint could not be reached: %w", err)
	}
	return tok, nil
}

// token returns a valid token for the tenant.
func (a *API) token(ctx context.Context) (*oauth2.Token, error) {
	if a.c.cfg.Tokens != nil {
		return a.c.cfg.Tokens.Token(ctx, a.tenant, a.fetch)
	}
	a.c.mu.Lock()
	t := a.c.mem[a.tenant]
	a.c.mu.Unlock()
	if t != nil && t.Expiry.After(time.Now().Add(2*time.Minute)) {
		return t, nil
	}
	t, err := a.fetch(ctx)
	if err != nil {
		return nil, err
	}
	a.c.mu.Lock()
	a.c.mem[a.tenant] = t
	a.c.mu.Unlock()
	return t, nil
}

// Check gets a token: it proves the secret and the tenant's consent.
func (a *API) Check(ctx context.Context) error {
	_, err := a.token(ctx)
	return err
}

func (a *API) forget(ctx context.Context, t *oauth2.Token) {
	if a.c.cfg.Tokens != nil {
		_ = a.c.cfg.Tokens.Forget(ctx, a.tenant, t)
		return
	}
	a.c.mu.Lock()
	if a.c.mem[a.tenant] == t {
		delete(a.c.mem, a.tenant)
	}
	a.c.mu.Unlock()
}

// heldKey marks a context whose operation already holds a place of the
// mailbox: its requests, one at a time, use that place.
type heldKey struct{}

func (a *API) key(mailbox string) string { return a.tenant + "/" + strings.ToLower(mailbox) }

// slot takes one of the mailbox's four places: this process's first (a
// cheap queue), then the instances' (Config.Slots).
func (a *API) slot(ctx context.Context, mailbox string) (func(), error) {
	if mailbox == "" {
		return func() {}, nil
	}
	key := a.key(mailbox)
	if h, _ := ctx.Value(heldKey{}).(string); h == key {
		return func() {}, nil
	}
	a.c.mu.Lock()
	ch, ok := a.c.slots[key]
	if !ok {
		ch = make(chan struct{}, MailboxConcurrency)
		a.c.slots[key] = ch
	}
	a.c.mu.Unlock()
	select {
	case ch <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if a.c.cfg.Slots == nil {
		return func() { <-ch }, nil
	}
	release, err := a.c.cfg.Slots.Acquire(ctx, a.tenant, mailbox)
	if err != nil {
		<-ch
		return nil, err
	}
	return func() { release(); <-ch }, nil
}

// Hold takes a place of the mailbox for a sequence of requests sent one
// after another with the returned context (the pages of a delta round,
// one schedule's events): one acquisition, not one per request.
func (a *API) Hold(ctx context.Context, mailbox string) (context.Context, func(), error) {
	release, err := a.slot(ctx, mailbox)
	if err != nil {
		return nil, nil, err
	}
	return context.WithValue(ctx, heldKey{}, a.key(mailbox)), release, nil
}

// request is one Graph call.
type request struct {
	method, url, mailbox string
	body                 any
	prefer               []string
}

func (a *API) abs(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return a.c.cfg.GraphURL + p
}

// sameOrigin keeps the token from being sent anywhere but Graph: a
// nextLink pointing elsewhere is a malformed answer.
func (a *API) sameOrigin(link string) bool {
	u, err := url.Parse(link)
	g, _ := url.Parse(a.c.cfg.GraphURL)
	return err == nil && u.Scheme == g.Scheme && u.Host == g.Host
}

// do sends a request with Graph's rules: the mailbox's four slots, a fresh
// token once on 401, Retry-After on 429 and 503, backoff on other 5xx and
// on network errors. out receives the JSON answer.
func (a *API) do(ctx context.Context, rq request, out any) error {
	rq.url = a.abs(rq.url)
	if !a.sameOrigin(rq.url) {
		return &Error{Status: 0, Code: "malformedAnswer", Message: "a link pointed outside Microsoft Graph"}
	}
	var body []byte
	if rq.body != nil {
		b, err := json.Marshal(rq.body)
		if err != nil {
			return err
		}
		body = b
	}
	release, err := a.slot(ctx, rq.mailbox)
	if err != nil {
		return err
	}
	defer release()
	refreshed := false
	var last error
	for attempt := 0; attempt < a.c.cfg.MaxAttempts; attempt++ {
		tok, err := a.token(ctx)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, rq.method, rq.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for _, p := range rq.prefer {
			req.Header.Add("Prefer", p)
		}
		resp, err := a.c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// A timeout or a lost answer: try again (event creation is
			// safe to repeat thanks to its transactionId).
			last = fmt.Errorf("Microsoft Graph could not be reached: %w", err)
			if werr := a.wait(ctx, backoff(attempt)); werr != nil {
				return werr
			}
			continue
		}
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
		resp.Body.Close()
		if rerr != nil {
			last = fmt.Errorf("Microsoft Graph's answer was cut: %w", rerr)
			if werr := a.wait(ctx, backoff(attempt)); werr != nil {
				return werr
			}
			continue
		}
		if resp.StatusCode < 300 {
			if out == nil || resp.StatusCode == http.StatusNoContent {
				return nil
			}
			if err := json.Unmarshal(b, out); err != nil {
				return &Error{Status: resp.StatusCode, Code: "malformedAnswer", Message: "the answer is not the JSON Graph sends: " + err.Error()}
			}
			return nil
		}
		gerr := parseError(resp, b)
		switch {
		case resp.StatusCode == http.StatusUnauthorized && !refreshed:
			refreshed = true
			a.forget(ctx, tok)
			continue
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			last = gerr
			d := gerr.RetryAfter
			if d <= 0 {
				d = backoff(attempt)
			}
			if d > a.c.cfg.MaxWait {
				return gerr
			}
			if werr := a.wait(ctx, d); werr != nil {
				return werr
			}
		case resp.StatusCode >= 500:
			last = gerr
			if werr := a.wait(ctx, backoff(attempt)); werr != nil {
				return werr
			}
		default:
			return gerr
		}
	}
	return last
}

func backoff(attempt int) time.Duration {
	d := 100 * time.Millisecond << min(attempt, 6)
	return d + rand.N(d/2+1)
}

func (a *API) wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func parseError(resp *http.Response, b []byte) *Error {
	e := &Error{Status: resp.StatusCode}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	var body ErrorBody
	if json.Unmarshal(b, &body) == nil && body.Error.Code != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	} else {
		e.Code, e.Message = "unreadableError", http.StatusText(resp.StatusCode)
	}
	return e
}
