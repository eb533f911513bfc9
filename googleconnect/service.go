// Package googleconnect connects an InterviewPlanner account to its
// company's Google Workspace, once, by an admin: OAuth as a Workspace
// admin (authorization code with PKCE, offline, prompt=consent), or a
// service account's key file with domain-wide delegation. It checks what
// it got before storing anything, keeps the secret sealed (refreshing the
// OAuth token once at a time across instances), reads the directory
// (users matched to interviewers by email, room resources as rooms), and
// is the calendars.Provider of kind "google": busy time through events.list
// with sync tokens (delegation) or freeBusy in batches (OAuth).
//
// Every Google call goes through Google's official Go clients.
package googleconnect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	admin "google.golang.org/api/admin/directory/v1"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
)

// Scopes InterviewPlanner asks for, both ways: read and write calendars
// (busy time and the interview events), read users and room resources.
var Scopes = []string{
	calendar.CalendarScope,
	admin.AdminDirectoryUserReadonlyScope,
	admin.AdminDirectoryResourceCalendarReadonlyScope,
}

// Paths served by the web layer.
const (
	CallbackPath = "/integrations/google/callback"
	PushPath     = "/integrations/google/push"
)

// StateTTL is how long a "Connect with Google" may take at Google.
const StateTTL = 10 * time.Minute

// Endpoints are Google's hosts (an emulator's in the demo and tests).
type Endpoints struct {
	AuthURL, TokenURL, RevokeURL string
	CalendarURL                  string // ends in /calendar/v3/
	DirectoryURL                 string // the root the Directory paths join, ends in /
}

// GoogleEndpoints are Google's own.
var GoogleEndpoints = Endpoints{AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token",
	RevokeURL: "https://oauth2.googleapis.com/revoke", CalendarURL: "https://www.googleapis.com/calendar/v3/", DirectoryURL: "https://admin.googleapis.com/"}

// EndpointsAt are an emulator's at base.
func EndpointsAt(base string) Endpoints {
	base = strings.TrimSuffix(base, "/")
	return Endpoints{AuthURL: base + "/o/oauth2/v2/auth", TokenURL: base + "/token", RevokeURL: base + "/revoke",
		CalendarURL: base + "/calendar/v3/", DirectoryURL: base + "/"}
}

// Config builds a Service.
type Config struct {
	DB        *store.DB
	Keys      *secretbox.Keyring
	Calendars *calendars.Service
	Log       *slog.Logger
	// The web OAuth client (Cloud console → Credentials → OAuth client ID).
	ClientID, ClientSecret, RedirectURL string
	Endpoints                           Endpoints
	// Transport carries every Google call (tests put a discovery checker here).
	Transport http.RoundTripper
	// LeaseTTL bounds how long a crashed refresher blocks others.
	LeaseTTL time.Duration
	// PushURL is where Google sends push notifications (BASE_URL +
	// PushPath); "" turns push channels off (polling only).
	PushURL string
	// BaseURL is the app's public URL (interviewers' events link to the
	// schedule's page).
	BaseURL string
	// QuotaPause is how long writes wait after Google answers
	// quotaExceeded (default 1 hour; Google says "hours", then retry).
	QuotaPause time.Duration
	// RetryDelay is the first backoff before retrying a rate-limited or
	// failed call (default 500ms; doubled, with jitter, for 4 attempts).
	RetryDelay time.Duration
}

// Service is the Google Workspace integration of every account.
type Service struct {
	store    *googlestore.Store
	db       *store.DB
	keys     *secretbox.Keyring
	cals     *calendars.Service
	log      *slog.Logger
	oauth    *oauth2.Config
	ep       Endpoints
	http     *http.Client
	leaseTTL time.Duration
	instance string
	pushURL  string
	baseURL  string
	// quotaPause: how long writes wait after quotaExceeded.
	quotaPause time.Duration

	mu     sync.Mutex
	jwt    map[string]oauth2.TokenSource // account/subject → cached delegated token source
	fbMemo map[int64]fbResult            // source → a batch's free/busy answer
	syncM  map[string]*sync.Mutex        // account/schedule → one events sync at a time
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Keys == nil || cfg.Calendars == nil {
		return nil, errors.New("googleconnect: DB, Keys and Calendars are required")
	}
	if cfg.Endpoints == (Endpoints{}) {
		cfg.Endpoints = GoogleEndpoints
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 30 * time.Second
	}
	if cfg.QuotaPause <= 0 {
		cfg.QuotaPause = time.Hour
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = 500 * time.Millisecond
	}
	s := &Service{store: googlestore.New(cfg.DB), db: cfg.DB, keys: cfg.Keys, cals: cfg.Calendars, log: cfg.Log, ep: cfg.Endpoints,
		http: &http.Client{Transport: retryTransport{base: cfg.Transport, attempts: 4, delay: cfg.RetryDelay}, Timeout: 30 * time.Second}, leaseTTL: cfg.LeaseTTL, instance: randomHex(12), pushURL: cfg.PushURL,
		baseURL: cfg.BaseURL, quotaPause: cfg.QuotaPause,
		jwt: map[string]oauth2.TokenSource{}, fbMemo: map[int64]fbResult{}, syncM: map[string]*sync.Mutex{}}
	s.oauth = &oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL, Scopes: Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: cfg.Endpoints.AuthURL, TokenURL: cfg.Endpoints.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	cfg.Calendars.AddProvider(Provider{s})
	return s, nil
}

// Store exposes the connection store (pages read the directory).
func (s *Service) Store() *googlestore.Store { return s.store }

// OAuthConfigured reports whether the OAuth client is set (the service
// account path works without it).
func (s *Service) OAuthConfigured() bool { return s.oauth.ClientID != "" && s.oauth.ClientSecret != "" }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ctxHTTP makes x/oauth2 use our transport for token calls.
func (s *Service) ctxHTTP(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.http)
}

// Connection returns the account's connection, nil when it never connected.
func (s *Service) Connection(ctx context.Context, accountID int64) (*googlestore.Connection, error) {
	return domain.Found(s.store.GetConnection(ctx, accountID))
}

// NeedsReconnecting reports whether an admin must reconnect Google.
func (s *Service) NeedsReconnecting(ctx context.Context, accountID int64) bool {
	c, err := s.Connection(ctx, accountID)
	return err == nil && c != nil && c.State == googlestore.StateNeedsReconnecting
}

// ConnectError explains why a connect did not happen; nothing was stored.
type ConnectError struct {
	Kind    string
	Message string
	// For KindDelegationMissing: what to paste in the Admin console.
	ClientID string
	Scopes   []string
}

func (e *ConnectError) Error() string { return "google connect: " + e.Kind + ": " + e.Message }

// Kinds of ConnectError.
const (
	KindDeclined          = "declined"
	KindGoogleError       = "google_error"
	KindState             = "state"
	KindCodeRejected      = "code_rejected"
	KindScopeMissing      = "scope_missing"
	KindNotAdmin          = "not_admin"
	KindKeyFile           = "key_file"
	KindDelegationMissing = "delegation_missing"
	KindUnknownAdmin      = "unknown_admin"
	KindUnavailable       = "google_unavailable"
)

// StartConnect records a single-use state bound to the session and returns
// Google's consent URL (PKCE, offline access, consent forced so a refresh
// token always comes back).
func (s *Service) StartConnect(ctx context.Context, u *domain.User, sessionHash string) (string, error) {
	if !u.IsAdmin() {
		return "", domain.Errorf(domain.EFORBIDDEN, "Only admins can connect Google Workspace.")
	}
	if !s.OAuthConfigured() {
		return "", domain.Errorf(domain.EINVALID, "Google sign-in is not configured on this server (IP_GOOGLE_CLIENT_ID, IP_GOOGLE_CLIENT_SECRET); use a service account key instead.")
	}
	verifier := oauth2.GenerateVerifier()
	state, err := s.store.States().Begin(ctx, store.OAuthState{AccountID: u.AccountID, UserID: u.ID, SessionHash: sessionHash,
		CodeVerifier: verifier, ExpiresAt: s.db.Now().Add(StateTTL)})
	if err != nil {
		return "", err
	}
	return s.oauth.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent select_account")), nil
}

// FinishConnect handles the browser coming back from Google.
func (s *Service) FinishConnect(ctx context.Context, u *domain.User, sessionHash string, q url.Values) (*googlestore.Connection, error) {
	state := q.Get("state")
	if state == "" {
		return nil, &ConnectError{Kind: KindState, Message: "Google sent you back without the state InterviewPlanner gave it, so the answer cannot be trusted. Nothing was changed. Start again with \"Connect with Google\"."}
	}
	st, err := s.store.States().Finish(ctx, u.AccountID, state, sessionHash)
	switch {
	case errors.Is(err, store.ErrStateUsed):
		return nil, &ConnectError{Kind: KindState, Message: "This link from Google was already used. Nothing was changed. Start again with \"Connect with Google\"."}
	case errors.Is(err, store.ErrStateExpired):
		return nil, &ConnectError{Kind: KindState, Message: "The connection attempt expired (it must finish within 10 minutes). Nothing was changed. Start again with \"Connect with Google\"."}
	case errors.Is(err, store.ErrStateUnknown), errors.Is(err, store.ErrStateForeign):
		return nil, &ConnectError{Kind: KindState, Message: "This link from Google does not belong to a connection you started in this session. Nothing was changed. Start again with \"Connect with Google\"."}
	case err != nil:
		return nil, err
	}
	if st.UserID != u.ID {
		return nil, &ConnectError{Kind: KindState, Message: "This link from Google belongs to another user's connection attempt. Nothing was changed."}
	}
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			return nil, &ConnectError{Kind: KindDeclined, Message: "Google Workspace was not connected: the request was cancelled on Google's page. Nothing was stored."}
		}
		return nil, &ConnectError{Kind: KindGoogleError, Message: fmt.Sprintf("Google Workspace was not connected: Google answered %q. Nothing was stored.", clip(e, 60))}
	}
	tok, err := s.oauth.Exchange(s.ctxHTTP(ctx), q.Get("code"), oauth2.VerifierOption(st.CodeVerifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			return nil, &ConnectError{Kind: KindCodeRejected, Message: "Google refused the authorization code: it was already used or has expired. Nothing was stored. Start again with \"Connect with Google\"."}
		}
		s.log.WarnContext(ctx, "google code exchange failed", "account_id", u.AccountID, "err", err)
		return nil, &ConnectError{Kind: KindUnavailable, Message: "Google did not answer the authorization in time. Nothing was stored. Try again in a minute."}
	}
	granted := strings.Fields(fmt.Sprint(tok.Extra("scope")))
	var missing []string
	for _, sc := range Scopes {
		if !slices.Contains(granted, sc) {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		s.revokeToken(ctx, tok.RefreshToken)
		return nil, &ConnectError{Kind: KindScopeMissing, Scopes: missing, Message: "Google Workspace was not connected: on Google's page the following access was not granted: " +
			describeScopes(missing) + ". Nothing was stored. Connect again and leave every box ticked."}
	}
	ts := s.oauth.TokenSource(s.ctxHTTP(ctx), tok)
	email, domainName, cerr := s.checkAdmin(ctx, ts, "")
	if cerr != nil {
		s.revokeToken(ctx, tok.RefreshToken)
		return nil, cerr
	}
	sealed, keyID, err := s.seal(u.AccountID, secret{Token: tok})
	if err != nil {
		return nil, err
	}
	if err := s.store.SaveConnection(ctx, u.AccountID, googlestore.NewConnection{Method: googlestore.MethodOAuth, AdminEmail: email, Domain: domainName,
		Scopes: strings.Join(granted, " "), ConnectedBy: u.ID, KeyID: keyID, Secret: sealed}); err != nil {
		s.revokeToken(ctx, tok.RefreshToken)
		return nil, err
	}
	return s.afterConnect(ctx, u.AccountID)
}

// checkAdmin finds who the token acts as (their primary calendar's id is
// their email) and that Directory answers them: only Workspace admins may
// list users and rooms.
func (s *Service) checkAdmin(ctx context.Context, ts oauth2.TokenSource, email string) (string, string, *ConnectError) {
	hc := &http.Client{Transport: &oauth2.Transport{Source: ts, Base: s.http.Transport}, Timeout: 30 * time.Second}
	if email == "" {
		cal, err := calendar.NewService(ctx, option.WithEndpoint(s.ep.CalendarURL), option.WithHTTPClient(hc))
		if err != nil {
			return "", "", &ConnectError{Kind: KindUnavailable, Message: err.Error()}
		}
		list, err := cal.CalendarList.List().Context(ctx).Do()
		if err != nil {
			return "", "", s.checkFailed(ctx, err)
		}
		for _, c := range list.Items {
			if c.Primary {
				email = c.Id
			}
		}
	}
	dir, err := admin.NewService(ctx, option.WithEndpoint(s.ep.DirectoryURL), option.WithHTTPClient(hc))
	if err != nil {
		return "", "", &ConnectError{Kind: KindUnavailable, Message: err.Error()}
	}
	if _, err := dir.Users.List().Customer("my_customer").MaxResults(1).Context(ctx).Do(); err != nil {
		var ge *googleapi.Error
		if errors.As(err, &ge) && ge.Code == http.StatusForbidden {
			return "", "", &ConnectError{Kind: KindNotAdmin, Message: fmt.Sprintf("%s is not a Google Workspace administrator: Google refused to list the company's users and rooms. Nothing was stored. Connect as a super admin (or an admin with the Users and Calendar resources privileges).", cmpOr(email, "This account"))}
		}
		return "", "", s.checkFailed(ctx, err)
	}
	_, domainName, _ := strings.Cut(email, "@")
	return email, strings.ToLower(domainName), nil
}

func (s *Service) checkFailed(ctx context.Context, err error) *ConnectError {
	if ce := delegationError(err); ce != nil {
		return ce
	}
	s.log.WarnContext(ctx, "google post-connect check failed", "err", err)
	return &ConnectError{Kind: KindUnavailable, Message: "Google did not answer InterviewPlanner's check. Nothing was stored. Try again in a minute."}
}

func (s *Service) afterConnect(ctx context.Context, accountID int64) (*googlestore.Connection, error) {
	s.forget(accountID)
	if err := s.Sync(ctx, accountID); err != nil {
		s.log.WarnContext(ctx, "google directory sync after connect failed", "account_id", accountID, "err", err)
	}
	return s.store.GetConnection(ctx, accountID)
}

// keyFile is the part of a service account key file that is checked.
type keyFile struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	ClientID     string `json:"client_id"`
	TokenURI     string `json:"token_uri"`
}

// ParseKeyFile checks an uploaded key file and returns its service
// account's email and numeric client id.
func ParseKeyFile(b []byte) (email, clientID string, err error) {
	var k keyFile
	if len(b) == 0 {
		return "", "", &ConnectError{Kind: KindKeyFile, Message: "Choose the key file (.json) you downloaded for the service account."}
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return "", "", &ConnectError{Kind: KindKeyFile, Message: "The file is not JSON. Upload the service account's key file as Google Cloud downloads it (Keys → Add key → Create new key → JSON), not a P12 file or a screenshot. Nothing was stored."}
	}
	if k.Type != "service_account" {
		what := "a file without a type"
		if k.Type != "" {
			what = fmt.Sprintf("a %q file", clip(k.Type, 40))
		}
		return "", "", &ConnectError{Kind: KindKeyFile, Message: fmt.Sprintf("This is %s, not a service account key: for OAuth client secrets use \"Connect with Google\" instead. Nothing was stored.", what)}
	}
	if k.PrivateKey == "" || k.ClientEmail == "" || k.ClientID == "" || k.ProjectID == "" {
		return "", "", &ConnectError{Kind: KindKeyFile, Message: "The key file lacks its private key, client email, client id or project. Download a new JSON key for the service account. Nothing was stored."}
	}
	if !strings.HasSuffix(strings.ToLower(k.ClientEmail), "@"+strings.ToLower(k.ProjectID)+".iam.gserviceaccount.com") {
		return "", "", &ConnectError{Kind: KindKeyFile, Message: fmt.Sprintf("The key file is inconsistent: its service account %s does not belong to its project %s. Download the key again from that project. Nothing was stored.", clip(k.ClientEmail, 100), clip(k.ProjectID, 60))}
	}
	return k.ClientEmail, k.ClientID, nil
}

// ConnectServiceAccount connects with a service account key file under
// domain-wide delegation, acting as adminEmail for the directory.
func (s *Service) ConnectServiceAccount(ctx context.Context, u *domain.User, key []byte, adminEmail string) (*googlestore.Connection, error) {
	if !u.IsAdmin() {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Only admins can connect Google Workspace.")
	}
	saEmail, clientID, err := ParseKeyFile(key)
	if err != nil {
		return nil, err
	}
	adminEmail = strings.ToLower(strings.TrimSpace(adminEmail))
	if _, d, ok := strings.Cut(adminEmail, "@"); !ok || d == "" {
		return nil, &ConnectError{Kind: KindUnknownAdmin, Message: "Enter the email of a Google Workspace administrator for InterviewPlanner to act as when it reads the directory."}
	}
	cfg, err := google.JWTConfigFromJSON(key, Scopes...)
	if err != nil {
		return nil, &ConnectError{Kind: KindKeyFile, Message: "The key file's private key could not be read. Download a new JSON key. Nothing was stored."}
	}
	cfg.Subject = adminEmail
	ts := cfg.TokenSource(s.ctxHTTP(ctx))
	if _, err := ts.Token(); err != nil {
		if ce := delegationError(err); ce != nil {
			ce.ClientID = clientID
			return nil, ce
		}
		s.log.WarnContext(ctx, "google service account token failed", "account_id", u.AccountID, "err", err)
		return nil, &ConnectError{Kind: KindUnavailable, Message: "Google did not answer InterviewPlanner's check. Nothing was stored. Try again in a minute."}
	}
	email, domainName, cerr := s.checkAdmin(ctx, ts, adminEmail)
	if cerr != nil {
		return nil, cerr
	}
	sealed, keyID, err := s.seal(u.AccountID, secret{Key: key, Subject: email})
	if err != nil {
		return nil, err
	}
	if err := s.store.SaveConnection(ctx, u.AccountID, googlestore.NewConnection{Method: googlestore.MethodServiceAccount, AdminEmail: email,
		Domain: domainName, SAEmail: saEmail, SAClient: clientID, Scopes: strings.Join(Scopes, " "), ConnectedBy: u.ID, KeyID: keyID, Secret: sealed}); err != nil {
		return nil, err
	}
	return s.afterConnect(ctx, u.AccountID)
}

// tokenErrorBody is Google's token endpoint error (the JWT flow leaves it
// undecoded in RetrieveError.Body, FACTS #10).
type tokenErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// delegationError names what the JWT bearer grant refused.
func delegationError(err error) *ConnectError {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return nil
	}
	var b tokenErrorBody
	_ = json.Unmarshal(re.Body, &b)
	if b.Error == "" {
		b.Error = re.ErrorCode
	}
	switch {
	case b.Error == "unauthorized_client":
		return &ConnectError{Kind: KindDelegationMissing, Scopes: Scopes,
			Message: "Domain-wide delegation is not granted (Google answered 401 unauthorized_client): in the Google Admin console, open Security → Access and data control → API controls → Manage Domain Wide Delegation, add the client ID below with exactly the scopes below (comma-separated), then upload the key again. Nothing was stored."}
	case strings.Contains(b.Description, "Invalid email or User ID"):
		return &ConnectError{Kind: KindUnknownAdmin, Message: "Google does not know that administrator's email in your Workspace. Enter the email of an existing administrator. Nothing was stored."}
	case strings.Contains(b.Description, "Invalid JWT Signature") || strings.Contains(b.Description, "No valid verifier"):
		return &ConnectError{Kind: KindKeyFile, Message: "Google refused the key: it was deleted, or the service account no longer exists. Create a new JSON key and upload it. Nothing was stored."}
	case b.Error == "invalid_grant":
		return &ConnectError{Kind: KindGoogleError, Message: "Google refused the grant: " + clip(b.Description, 200) + ". Nothing was stored."}
	}
	return nil
}

var scopeNames = map[string]string{
	calendar.CalendarScope:                            "see and edit calendars",
	admin.AdminDirectoryUserReadonlyScope:             "see the users in your domain",
	admin.AdminDirectoryResourceCalendarReadonlyScope: "see the calendar resources (rooms) in your domain",
}

func describeScopes(ss []string) string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%q (%s)", cmpOr(scopeNames[s], s), s))
	}
	return strings.Join(out, ", ")
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Disconnect forgets the connection, revokes an OAuth grant at Google and
// removes the interviewers' Google calendars. It reports whether Google
// confirmed a revocation (a service account has none: the admin removes
// its delegation in the Admin console).
func (s *Service) Disconnect(ctx context.Context, u *domain.User) (bool, error) {
	if !u.IsAdmin() {
		return false, domain.Errorf(domain.EFORBIDDEN, "Only admins can disconnect Google Workspace.")
	}
	c, err := s.Connection(ctx, u.AccountID)
	if err != nil || c == nil {
		return false, err
	}
	s.stopChannels(ctx, c)
	sec, changed, err := s.store.End(ctx, u.AccountID, googlestore.StateDisconnected, googlestore.ReasonDisconnected, "disconnected in InterviewPlanner", &u.ID)
	if err != nil {
		return false, err
	}
	s.forget(u.AccountID)
	if _, _, err := s.cals.SetProviderSources(ctx, u.AccountID, calendarstore.KindGoogle, nil); err != nil {
		return false, err
	}
	if !changed || c.Method != googlestore.MethodOAuth || sec.Sealed == nil {
		return false, nil
	}
	plain, err := s.open(u.AccountID, sec)
	if err != nil || plain.Token == nil {
		return false, nil
	}
	return s.revokeToken(ctx, plain.Token.RefreshToken), nil
}

func (s *Service) revokeToken(ctx context.Context, token string) bool {
	if token == "" {
		return false
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, s.ep.RevokeURL, strings.NewReader(url.Values{"token": {token}}.Encode()))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.http.Do(req)
	if err != nil {
		s.log.WarnContext(ctx, "google revoke failed", "err", err)
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (s *Service) forget(accountID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := fmt.Sprintf("%d/", accountID)
	for k := range s.jwt {
		if strings.HasPrefix(k, prefix) {
			delete(s.jwt, k)
		}
	}
}
