// Package msconnect connects an account to its company's Microsoft 365
// tenant: the admin consent flow (application permissions
// Calendars.ReadWrite, User.Read.All, Place.Read.All) with its callback
// checks and the wait for consent to reach tokens, app-only tokens sealed
// at rest and fetched once at a time across instances, the directory
// (users matched to interviewers, rooms), and the Outlook calendars as a
// calendars.Provider read through calendarView delta.
package msconnect

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/msgraph"
	"interviewplanner/queue"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/lease"
	"interviewplanner/store/msstore"
)

// CallbackPath is the redirect URI to register on the app.
const CallbackPath = "/integrations/microsoft/callback"

// StateTTL is how long a consent may take at Microsoft.
const StateTTL = 15 * time.Minute

// Permission is an application permission and why InterviewPlanner needs it.
type Permission struct{ Name, Why string }

// Permissions are what the consent grants, with the reason shown to admins.
var Permissions = []Permission{
	{"Calendars.ReadWrite", "read each interviewer's busy time, and put interviews on their Outlook calendars from the scheduling mailbox"},
	{"User.Read.All", "find which people in your directory are your interviewers (by email address)"},
	{"Place.Read.All", "list your meeting rooms with their capacity and building"},
}

// Config is what the Service needs.
type Config struct {
	DB   *store.DB
	Keys *secretbox.Keyring
	// Graph is the app registration; its token cache is the service's.
	Graph     msgraph.Config
	Calendars *calendars.Service
	Log       *slog.Logger
	// RedirectURL is BASE_URL + CallbackPath.
	RedirectURL string
	// BaseURL is where Graph delivers change notifications (HTTPS, or
	// loopback for the demo); empty or unreachable means polling only.
	BaseURL string
	// ConsentWait is how long a fresh consent is retried when Graph still
	// refuses (the roles have not reached tokens yet); ConsentPoll is the
	// pause between tries.
	ConsentWait, ConsentPoll time.Duration
	// LeaseTTL bounds how long a crashed instance holds the token lease.
	LeaseTTL time.Duration
	// DeltaPageSize is asked of Graph per calendarView delta page
	// (Prefer: odata.maxpagesize; default 100 — Graph's own default of 10
	// makes a 300-event calendar 30 requests).
	DeltaPageSize int
}

// Service is every account's Microsoft 365 connection.
type Service struct {
	cfg      Config
	Store    *msstore.Store
	client   *msgraph.Client
	log      *slog.Logger
	instance string

	mu      sync.Mutex
	tenants map[string]int64 // tenant → account, for the token cache
	// opened keeps the stored token in the clear for this process (by
	// tenant), so each request does not read and open it again.
	opened map[string]*oauth2.Token
	// readingAnswers holds a mutex per account: its answers are read
	// one round at a time.
	readingAnswers sync.Map
}

// New returns the service; it also registers its calendar provider.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Keys == nil || cfg.Graph.ClientID == "" || cfg.Calendars == nil {
		return nil, errors.New("msconnect: DB, Keys, a Graph client id and Calendars are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.ConsentWait <= 0 {
		cfg.ConsentWait = 20 * time.Second
	}
	if cfg.ConsentPoll <= 0 {
		cfg.ConsentPoll = 2 * time.Second
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 30 * time.Second
	}
	if cfg.DeltaPageSize <= 0 {
		cfg.DeltaPageSize = 100
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	s := &Service{cfg: cfg, Store: msstore.New(cfg.DB), log: cfg.Log, instance: hex.EncodeToString(b), tenants: map[string]int64{}, opened: map[string]*oauth2.Token{}}
	cfg.Graph.Tokens = TokenCache{S: s}
	cfg.Graph.Slots = Slots{S: s}
	s.client = msgraph.New(cfg.Graph)
	cfg.Calendars.AddProvider(Provider{s: s})
	return s, nil
}

// Client is the Graph client (its token cache must be the service's).
func (s *Service) api(accountID int64, tenant string) *msgraph.API {
	s.mu.Lock()
	s.tenants[strings.ToLower(tenant)] = accountID
	s.mu.Unlock()
	return s.client.Tenant(tenant)
}

// Connection returns the account's connection, nil when never connected.
func (s *Service) Connection(ctx context.Context, accountID int64) (*msstore.Connection, error) {
	return domain.Found(s.Store.GetConnection(ctx, accountID))
}

// StartConnect records a single-use state bound to the admin's session and
// returns Microsoft's admin consent URL.
func (s *Service) StartConnect(ctx context.Context, u *domain.User, sessionHash string) (string, error) {
	if !u.IsAdmin() {
		return "", domain.Errorf(domain.EFORBIDDEN, "Only admins can connect Microsoft 365.")
	}
	if sessionHash == "" {
		return "", domain.Errorf(domain.EUNAUTHORIZED, "Sign in again to connect Microsoft 365.")
	}
	st, hash, err := store.NewState()
	if err != nil {
		return "", err
	}
	if err := s.Store.CreateConsentState(ctx, hash, msstore.ConsentState{AccountID: u.AccountID, UserID: u.ID,
		SessionHash: sessionHash, ExpiresAt: s.cfg.DB.Now().Add(StateTTL)}); err != nil {
		return "", err
	}
	tenant := ""
	if c, _ := s.Connection(ctx, u.AccountID); c != nil {
		tenant = c.TenantID
	}
	return s.client.AdminConsentURL(tenant, st, s.cfg.RedirectURL), nil
}

var guidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// FinishConnect handles the consent callback: the state must be this
// session's, Microsoft's error is reported, admin_consent must be True and
// tenant a GUID. Then Graph is asked for the directory until the consent
// has reached tokens (or ConsentWait passes: the connection stays pending,
// explained, never "connected").
func (s *Service) FinishConnect(ctx context.Context, u *domain.User, sessionHash string, q url.Values) (*msstore.Connection, error) {
	st, err := s.Store.TakeConsentState(ctx, store.HashState(q.Get("state")))
	if err != nil {
		return nil, err
	}
	if st.AccountID != u.AccountID || st.UserID != u.ID || subtle.ConstantTimeCompare([]byte(st.SessionHash), []byte(sessionHash)) != 1 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "This Microsoft 365 consent was started in another session. Start again.")
	}
	if s.cfg.DB.Now().After(st.ExpiresAt) {
		return nil, domain.Errorf(domain.EINVALID, "The Microsoft 365 consent took too long. Start again.")
	}
	if e := q.Get("error"); e != "" {
		desc := q.Get("error_description")
		if e == "permission_denied" || e == "access_denied" {
			return nil, domain.Errorf(domain.EINVALID, "The permissions were not granted (Microsoft: %s). Nothing was connected.", clip(desc, 200))
		}
		return nil, domain.Errorf(domain.EINVALID, "Microsoft refused the consent: %s %s. Nothing was connected.", clip(e, 60), clip(desc, 200))
	}
	if !strings.EqualFold(q.Get("admin_consent"), "true") {
		return nil, domain.Errorf(domain.EINVALID, "Microsoft did not confirm an admin consent. Nothing was connected.")
	}
	tenant := q.Get("tenant")
	if !guidRe.MatchString(tenant) {
		return nil, domain.Errorf(domain.EINVALID, "Microsoft returned no valid tenant id. Nothing was connected.")
	}
	if err := s.Store.SaveConnection(ctx, u.AccountID, tenant, msstore.StatePending, "Waiting for Microsoft to apply the consent.", u.Email); err != nil {
		return nil, err
	}
	return s.Verify(ctx, u.AccountID)
}

// Verify checks that the tenant's consent works: a token, then the
// directory. A refusal from Graph right after consent is retried for
// ConsentWait; after that the connection stays pending with the reason.
func (s *Service) Verify(ctx context.Context, accountID int64) (*msstore.Connection, error) {
	if _, err := s.Store.GetConnection(ctx, accountID); err != nil {
		return nil, err
	}
	var err error
	deadline := time.Now().Add(s.cfg.ConsentWait)
	for {
		err = s.RefreshDirectory(ctx, accountID, true)
		if err == nil || (!msgraph.IsForbidden(err) && msgraph.AADSTSOf(err) != msgraph.AADSTSNotConsented) || time.Now().After(deadline) {
			break
		}
		if c, gerr := s.Store.GetConnection(ctx, accountID); gerr == nil {
			s.forgetOpened(c.TenantID)
		}
		_ = s.Store.DeleteToken(ctx, accountID, s.tokenVersion(ctx, accountID))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(s.cfg.ConsentPoll):
		}
	}
	switch {
	case err == nil:
		_, _ = s.Store.UpdateState(ctx, accountID, msstore.StateConnected, "")
	case msgraph.IsForbidden(err) || msgraph.AADSTSOf(err) == msgraph.AADSTSNotConsented:
		_, _ = s.Store.UpdateState(ctx, accountID, msstore.StatePending,
			"Microsoft accepted the consent but has not applied it yet (Graph still answers \"access denied\"). This can take a few minutes: press Check again shortly.")
	default:
		_, _ = s.Store.UpdateState(ctx, accountID, msstore.StatePending, "The connection could not be checked: "+clip(err.Error(), 300))
	}
	return s.Store.GetConnection(ctx, accountID)
}

func (s *Service) tokenVersion(ctx context.Context, accountID int64) int64 {
	t, err := s.Store.GetToken(ctx, accountID)
	if err != nil {
		return -1
	}
	return t.Version
}

// SetSchedulingMailbox chooses the mailbox that organises interview
// events; it must be a user of the tenant.
func (s *Service) SetSchedulingMailbox(ctx context.Context, u *domain.User, mailbox string) error {
	if !u.IsAdmin() {
		return domain.Errorf(domain.EFORBIDDEN, "Only admins can choose the scheduling mailbox.")
	}
	d, err := s.Store.GetDirectory(ctx, u.AccountID)
	if err != nil {
		return err
	}
	for _, du := range d.Users {
		if strings.EqualFold(du.Mail, mailbox) || strings.EqualFold(du.UPN, mailbox) {
			if err := s.Store.UpdateSchedulingMailbox(ctx, u.AccountID, du.Mail); err != nil {
				return err
			}
			if q := s.cfg.Calendars.Queue; q != nil {
				// Read the mailbox now, which subscribes to its changes:
				// answers then arrive as notified, not at the next poll.
				return q.Insert(ctx, s.cfg.DB, LifecycleArgs{AccountID: u.AccountID})
			}
			return nil
		}
	}
	return domain.Invalid(map[string]string{"mailbox": "Choose a mailbox of your Microsoft 365 directory."})
}

// Disconnect forgets the tenant; the Outlook calendars are removed and
// their people's calendars become unknown until connected again.
func (s *Service) Disconnect(ctx context.Context, u *domain.User) error {
	if !u.IsAdmin() {
		return domain.Errorf(domain.EFORBIDDEN, "Only admins can disconnect Microsoft 365.")
	}
	if _, _, err := s.cfg.Calendars.SetProviderSources(ctx, u.AccountID, calendarstore.KindMicrosoft, nil); err != nil {
		return err
	}
	return s.Store.DeleteConnection(ctx, u.AccountID)
}

// RefreshDirectory reads the tenant's users and rooms, matches users to
// interviewers and gives each matched interviewer an Outlook calendar
// source. verifying skips the connected check (during connect).
func (s *Service) RefreshDirectory(ctx context.Context, accountID int64, verifying bool) error {
	c, err := s.Store.GetConnection(ctx, accountID)
	if err != nil {
		return err
	}
	if !verifying && c.State != msstore.StateConnected {
		return nil
	}
	api := s.api(accountID, c.TenantID)
	users, err := api.ListUsers(ctx)
	if err != nil {
		return s.failed(ctx, accountID, err)
	}
	rooms, err := api.ListRooms(ctx)
	if err != nil {
		return s.failed(ctx, accountID, err)
	}
	du := make([]msstore.DirUser, 0, len(users))
	for _, u := range users {
		du = append(du, msstore.DirUser{GraphID: u.ID, Mail: u.Mail, UPN: u.UserPrincipalName, DisplayName: u.DisplayName})
	}
	dr := make([]msstore.DirRoom, 0, len(rooms))
	for _, r := range rooms {
		room := msstore.DirRoom{GraphID: r.ID, Email: r.EmailAddress, DisplayName: r.DisplayName, Building: r.Building}
		if r.Capacity != nil {
			room.Capacity = *r.Capacity
		}
		dr = append(dr, room)
	}
	matched, err := s.Store.ReplaceDirectory(ctx, accountID, du, dr)
	if err != nil {
		return err
	}
	if verifying {
		// Graph answered: the consent works. Connected before the
		// calendars are added, whose syncs start at once.
		if _, err := s.Store.UpdateState(ctx, accountID, msstore.StateConnected, ""); err != nil {
			return err
		}
	}
	var want []calendars.ProviderSource
	for _, m := range matched {
		if m.UserID != 0 {
			want = append(want, calendars.ProviderSource{UserID: m.UserID, Name: "Outlook calendar"})
		}
	}
	_, _, err = s.cfg.Calendars.SetProviderSources(ctx, accountID, calendarstore.KindMicrosoft, want)
	return err
}

// failed records what a refusal means for the connection: a removed
// consent, a disabled app or a wrong secret needs an admin; the Outlook
// calendars become unknown at once.
func (s *Service) failed(ctx context.Context, accountID int64, err error) error {
	var msg string
	switch code := msgraph.AADSTSOf(err); {
	case code == msgraph.AADSTSDisabled:
		msg = "The InterviewPlanner app is disabled in your Microsoft 365 tenant (AADSTS7000112). An admin must enable it, then reconnect."
	case code == msgraph.AADSTSNotConsented:
		msg = "The admin consent for InterviewPlanner was removed from your Microsoft 365 tenant (AADSTS700016). Reconnect to grant it again."
	case code == msgraph.AADSTSBadSecret || code == msgraph.AADSTSExpiredSec:
		msg = "Microsoft refused InterviewPlanner's client secret (AADSTS" + fmt.Sprint(code) + "). The server's IP_MS_CLIENT_SECRET must be updated."
	case msgraph.IsForbidden(err) && !msgraph.IsPolicyDenied(err):
		msg = "Microsoft Graph refuses InterviewPlanner's access (403): the admin consent was removed or reduced. Reconnect to grant it again."
	default:
		return err
	}
	c, gerr := s.Store.GetConnection(ctx, accountID)
	if gerr != nil || c.State == msstore.StatePending {
		return err
	}
	if changed, uerr := s.Store.UpdateState(ctx, accountID, msstore.StateNeedsReconnecting, msg); uerr == nil && changed {
		s.log.WarnContext(ctx, "microsoft 365 needs reconnecting", "account_id", accountID, "reason", clip(err.Error(), 200))
	}
	_ = s.cfg.Calendars.FailProviderSources(ctx, accountID, calendarstore.KindMicrosoft, "Microsoft 365 needs reconnecting: "+msg)
	return err
}

// RefreshDirectories re-reads every connected tenant (the periodic job).
func (s *Service) RefreshDirectories(ctx context.Context) error {
	ids, err := s.Store.ListConnected(ctx)
	if err != nil {
		return err
	}
	return queue.EachAccount(ctx, nil, "", ids, func(ctx context.Context, id int64) error {
		return s.RefreshDirectory(ctx, id, false)
	})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// sealed token.
type plainToken struct {
	Access string    `json:"a"`
	Expiry time.Time `json:"e"`
}

func tokenAD(accountID int64) []byte {
	return fmt.Appendf(nil, "interviewplanner/microsoft/%d", accountID)
}

// TokenCache is the service as msgraph.TokenCache: tokens per tenant in
// the database, sealed; one instance at a time fetches a new one (a lease
// taken in a short transaction, never held across the network call).
type TokenCache struct{ S *Service }

func (s *Service) accountOf(tenant string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.tenants[strings.ToLower(tenant)]
	return id, ok
}

func (s *Service) open(accountID int64, t *msstore.Token) (*oauth2.Token, bool) {
	if t == nil || t.Sealed == nil || time.Until(t.Expiry) < 2*time.Minute {
		return nil, false
	}
	b, err := s.cfg.Keys.Open(string(t.Sealed), tokenAD(accountID))
	if err != nil {
		return nil, false
	}
	var p plainToken
	if json.Unmarshal(b, &p) != nil {
		return nil, false
	}
	return &oauth2.Token{AccessToken: p.Access, Expiry: p.Expiry, TokenType: "Bearer"}, true
}

// tokenLease is the lease on the connection row that serialises fetching
// (the same mechanism as Zoom's refresh).
var tokenLease = lease.Row{Table: "microsoft_connections", Key: "account_id", Holder: "lease_holder", Until: "lease_until"}

// Token implements msgraph.TokenCache.
func (c TokenCache) Token(ctx context.Context, tenant string, fetch func(context.Context) (*oauth2.Token, error)) (*oauth2.Token, error) {
	s := c.S
	accountID, ok := s.accountOf(tenant)
	if !ok {
		return nil, errors.New("msconnect: unknown tenant")
	}
	s.mu.Lock()
	o, cached := s.opened[strings.ToLower(tenant)]
	s.mu.Unlock()
	if cached && time.Until(o.Expiry) > 2*time.Minute {
		return o, nil
	}
	var out *oauth2.Token
	stored := func(ctx context.Context) (bool, error) {
		t, err := s.Store.GetToken(ctx, accountID)
		if err != nil {
			return false, err
		}
		if out, ok = s.open(accountID, t); ok {
			s.remember(tenant, out)
		}
		return ok, nil
	}
	err := lease.Once(ctx, s.cfg.DB, tokenLease, accountID, s.instance, s.cfg.LeaseTTL, stored, func(ctx context.Context) error {
		cur, err := s.Store.GetToken(ctx, accountID)
		if err != nil {
			return err
		}
		tok, err := fetch(ctx)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(plainToken{Access: tok.AccessToken, Expiry: tok.Expiry})
		sealed, err := s.cfg.Keys.Seal(b, tokenAD(accountID))
		if err != nil {
			return err
		}
		saved, err := s.Store.UpdateToken(context.WithoutCancel(ctx), accountID, cur.Version, []byte(sealed), s.cfg.Keys.CurrentKeyID(), tok.Expiry)
		if err != nil {
			return err
		}
		if saved {
			s.remember(tenant, tok)
		}
		out = tok
		return nil
	})
	return out, err
}

func (s *Service) remember(tenant string, tok *oauth2.Token) {
	s.mu.Lock()
	s.opened[strings.ToLower(tenant)] = tok
	s.mu.Unlock()
}

// forgetOpened drops this process's copy (Graph refused it, or consent
// is being waited for).
func (s *Service) forgetOpened(tenant string) {
	s.mu.Lock()
	delete(s.opened, strings.ToLower(tenant))
	s.mu.Unlock()
}

// Forget implements msgraph.TokenCache.
func (c TokenCache) Forget(ctx context.Context, tenant string, _ *oauth2.Token) error {
	accountID, ok := c.S.accountOf(tenant)
	if !ok {
		return nil
	}
	c.S.forgetOpened(tenant)
	return c.S.Store.DeleteToken(ctx, accountID, c.S.tokenVersion(ctx, accountID))
}
