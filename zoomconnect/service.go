// Package zoomconnect connects an InterviewPlanner account to Zoom: the
// OAuth connect flow with its post-exchange checks, the tokens (sealed at
// rest, refreshed once at a time across instances), disconnect and the
// deauthorization webhook, the users and rooms sync, and ZoomProvider, the
// domain.VideoProvider scheduling uses.
package zoomconnect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/zoomstore"
	"interviewplanner/zoom"
)

// StateTTL is how long a "Connect your account" may take at Zoom.
const StateTTL = 10 * time.Minute

// Audit actions.
const (
	AuditConnected     = "zoom.connected"
	AuditReconnected   = "zoom.reconnected"
	AuditConnectFailed = "zoom.connect_failed"
	AuditDisconnected  = "zoom.disconnected"
	AuditUninstalled   = "zoom.uninstalled"
	AuditTokenDead     = "zoom.token_dead"
	// AuditTokensReplaced: another authorization of the same Zoom account
	// (from another InterviewPlanner account) made Zoom issue new tokens.
	AuditTokensReplaced = "zoom.tokens_replaced"
)

// Config is what the Service needs.
type Config struct {
	DB   *store.DB
	Keys *secretbox.Keyring
	Zoom *zoom.Client
	// ClientID is the Zoom app's client id; deauthorizations for other apps are ignored.
	ClientID string
	// WebhookSecret is the Zoom app's secret token that signs webhooks.
	WebhookSecret string
	Log           *slog.Logger
	// LeaseTTL bounds how long a crashed refresher blocks others (SQLite).
	LeaseTTL time.Duration
}

// Service is the Zoom integration of every account.
type Service struct {
	store         *zoomstore.Store
	db            *store.DB
	sealer        sealer
	zoom          *zoom.Client
	clientID      string
	webhookSecret []byte
	log           *slog.Logger
	leaseTTL      time.Duration
	instance      string

	mu sync.Mutex
	// apis keeps one API (and so one token source with its in-memory
	// single flight) per account for the life of the process.
	apis map[int64]*zoom.API
	// refreshing serialises refreshes per account inside this process, so
	// waiting goroutines do not each hold a database connection.
	refreshing map[int64]*sync.Mutex
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Keys == nil || cfg.Zoom == nil {
		return nil, errors.New("zoomconnect: DB, Keys and Zoom are required")
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lease := cfg.LeaseTTL
	if lease <= 0 {
		lease = 45 * time.Second
	}
	return &Service{store: zoomstore.New(cfg.DB), db: cfg.DB, sealer: sealer{cfg.Keys}, zoom: cfg.Zoom, clientID: cfg.ClientID,
		webhookSecret: []byte(cfg.WebhookSecret), log: log, leaseTTL: lease, instance: randomID(),
		apis: map[int64]*zoom.API{}, refreshing: map[int64]*sync.Mutex{}}, nil
}

// Store exposes the connection store (pages read the synced directory).
func (s *Service) Store() *zoomstore.Store { return s.store }

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Connection returns the account's connection, nil when it never connected.
func (s *Service) Connection(ctx context.Context, accountID int64) (*zoomstore.Connection, error) {
	return domain.Found(s.store.GetConnection(ctx, accountID))
}

// NeedsReconnecting reports whether the account's Zoom stopped working
// and an admin must reconnect it.
func (s *Service) NeedsReconnecting(ctx context.Context, accountID int64) bool {
	c, err := s.Connection(ctx, accountID)
	return err == nil && c != nil && c.State == zoomstore.StateNeedsReconnecting
}

// StartConnect records a single-use state bound to the session and account
// and returns Zoom's authorize URL.
func (s *Service) StartConnect(ctx context.Context, u *domain.User, sessionHash string) (string, error) {
	if !u.IsAdmin() {
		return "", domain.Errorf(domain.EFORBIDDEN, "Only admins can connect Zoom.")
	}
	if sessionHash == "" {
		return "", domain.Errorf(domain.EUNAUTHORIZED, "Sign in again to connect Zoom.")
	}
	verifier := zoom.NewVerifier()
	state, err := s.store.States().Begin(ctx, store.OAuthState{AccountID: u.AccountID, UserID: u.ID,
		SessionHash: sessionHash, CodeVerifier: verifier, ExpiresAt: s.db.Now().Add(StateTTL)})
	if err != nil {
		return "", err
	}
	return s.zoom.AuthCodeURL(state, verifier), nil
}

// ConnectError explains why a connect did not happen. Nothing is stored
// when it is returned.
type ConnectError struct {
	Kind      string // see the Kind* constants
	Message   string
	Missing   []Permission
	Scopes    []string // app scopes Zoom did not grant
	ZoomEmail string
	ZoomRole  string
}

func (e *ConnectError) Error() string { return "zoom connect: " + e.Kind + ": " + e.Message }

// Kinds of ConnectError.
const (
	KindDeclined           = "declined"
	KindZoomError          = "zoom_error"
	KindStateMissing       = "state_missing"
	KindStateInvalid       = "state_invalid"
	KindStateUsed          = "state_used"
	KindStateExpired       = "state_expired"
	KindCodeMissing        = "code_missing"
	KindCodeRejected       = "code_rejected"
	KindMissingPermissions = "missing_permissions"
	KindZoomUnavailable    = "zoom_unavailable"
	// KindZoomAccountTaken: the Zoom account is connected to another
	// InterviewPlanner account.
	KindZoomAccountTaken = "zoom_account_taken"
)

// FinishConnect handles the browser coming back from Zoom with query q.
func (s *Service) FinishConnect(ctx context.Context, u *domain.User, sessionHash string, q url.Values) (*zoomstore.Connection, error) {
	state := q.Get("state")
	var st store.OAuthState
	if state != "" {
		var err error
		st, err = s.store.States().Finish(ctx, u.AccountID, state, sessionHash)
		switch {
		case errors.Is(err, store.ErrStateUsed):
			return nil, &ConnectError{Kind: KindStateUsed, Message: "This link from Zoom was already used. Nothing was changed. Start again with \"Connect your account\"."}
		case errors.Is(err, store.ErrStateExpired):
			return nil, &ConnectError{Kind: KindStateExpired, Message: "The connection attempt expired (it must finish within 10 minutes). Nothing was changed. Start again with \"Connect your account\"."}
		case errors.Is(err, store.ErrStateUnknown), errors.Is(err, store.ErrStateForeign):
			return nil, &ConnectError{Kind: KindStateInvalid, Message: "This link from Zoom does not belong to a connection you started in this session. Nothing was changed. Start again with \"Connect your account\"."}
		case err != nil:
			return nil, err
		}
	}
	if zerr := q.Get("error"); zerr != "" {
		if zerr == "access_denied" {
			s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, "declined on Zoom's page")
			return nil, &ConnectError{Kind: KindDeclined, Message: "Zoom was not connected: the request was declined on Zoom's page. If Zoom said you cannot authorize the app, a Zoom admin must approve it; see the ways forward in the Zoom FAQ."}
		}
		desc := q.Get("error_description")
		s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, "Zoom answered "+zerr)
		return nil, &ConnectError{Kind: KindZoomError, Message: fmt.Sprintf("Zoom was not connected: Zoom answered %q %s", clip(zerr, 60), clip(desc, 200))}
	}
	if state == "" {
		return nil, &ConnectError{Kind: KindStateMissing, Message: "Zoom sent you back without the state InterviewPlanner gave it, so the answer cannot be trusted. Nothing was changed. Start again with \"Connect your account\" on the Integrations page."}
	}
	if st.UserID != u.ID {
		return nil, &ConnectError{Kind: KindStateInvalid, Message: "This link from Zoom belongs to another user's connection attempt. Nothing was changed."}
	}
	code := q.Get("code")
	if code == "" {
		return nil, &ConnectError{Kind: KindCodeMissing, Message: "Zoom sent you back without an authorization code. Nothing was changed. Start again with \"Connect your account\"."}
	}
	tok, err := s.zoom.Exchange(ctx, code, st.CodeVerifier)
	if errors.Is(err, zoom.ErrInvalidGrant) {
		s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, "Zoom refused the authorization code")
		return nil, &ConnectError{Kind: KindCodeRejected, Message: "Zoom refused the authorization code: it was already used or has expired. Nothing was changed. Start again with \"Connect your account\"."}
	}
	if err != nil {
		s.log.WarnContext(ctx, "zoom code exchange failed", "account_id", u.AccountID, "err", err)
		return nil, &ConnectError{Kind: KindZoomUnavailable, Message: "Zoom did not answer the authorization in time. Nothing was changed. Try again in a minute."}
	}
	return s.checkAndStore(ctx, u, tok)
}

// checkAndStore runs the post-exchange checks; on any shortfall it revokes
// the token and stores nothing.
func (s *Service) checkAndStore(ctx context.Context, u *domain.User, tok *oauth2.Token) (*zoomstore.Connection, error) {
	api := s.zoom.API(zoom.NewMemoryTokenStore(tok))
	p := zoom.Probe{Granted: zoom.GrantedScopes(tok)}
	me, err := api.Me(ctx)
	if err == nil && me.AccountID != "" {
		// Checked first: revoking this token would uninstall the app from
		// a Zoom account another company relies on.
		if ce, err := s.refuseTakenAccount(ctx, u, me, tok); ce != nil || err != nil {
			if err != nil {
				return nil, err
			}
			return nil, ce
		}
	}
	if err == nil {
		p.Me = me
		p.Permissions, p.PermissionsErr = api.Permissions(ctx, "me")
		_, p.ListUsersErr = api.ListUsers(ctx, 1, "")
		_, p.ListRoomsErr = api.ListRooms(ctx, 1, "")
		if noRoomsLicense(p.ListRoomsErr) {
			p.ListRoomsErr = nil // an account without Zoom Rooms simply has none
		}
	}
	missing := zoom.MissingAccess(p)
	if err != nil && len(missing) == 0 {
		if !errors.Is(err, zoom.ErrMissingScopes) && !errors.Is(err, zoom.ErrForbidden) {
			s.revoke(ctx, tok.AccessToken)
			s.log.WarnContext(ctx, "zoom post-connect check failed", "account_id", u.AccountID, "err", err)
			s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, "Zoom did not answer the check after authorization")
			return nil, &ConnectError{Kind: KindZoomUnavailable, Message: "Zoom did not answer InterviewPlanner's check after you authorized it. Nothing was stored. Try again in a minute."}
		}
		missing = append(missing, zoom.Missing{Kind: "permission", Name: zoom.PermissionUsersViewEdit})
	}
	// A probe that failed for a reason other than permissions also fails the connect.
	for _, e := range []error{p.ListUsersErr, p.ListRoomsErr} {
		if e != nil && len(missing) == 0 {
			s.revoke(ctx, tok.AccessToken)
			s.log.WarnContext(ctx, "zoom post-connect check failed", "account_id", u.AccountID, "err", e)
			s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, "Zoom did not answer the check after authorization")
			return nil, &ConnectError{Kind: KindZoomUnavailable, Message: "Zoom did not answer InterviewPlanner's check after you authorized it. Nothing was stored. Try again in a minute.", ZoomEmail: me.Email, ZoomRole: me.RoleName}
		}
	}
	if len(missing) > 0 {
		s.revoke(ctx, tok.AccessToken)
		ce := &ConnectError{Kind: KindMissingPermissions, Message: "You cannot authorize the app.", ZoomEmail: me.Email, ZoomRole: me.RoleName}
		var names []string
		for _, m := range missing {
			names = append(names, m.Name)
			switch {
			case m.Kind == "scope":
				ce.Scopes = append(ce.Scopes, m.Name)
			case m.Name == zoom.PermissionRoomsView:
				ce.Missing = append(ce.Missing, PermRooms)
			default:
				ce.Missing = append(ce.Missing, PermUsers)
			}
		}
		s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, fmt.Sprintf("Zoom user %s (%s) lacks: %s", me.Email, me.RoleName, strings.Join(names, ", ")))
		return nil, ce
	}

	scopes, _ := tok.Extra("scope").(string)
	apiURL, _ := tok.Extra("api_url").(string)
	sealed, err := s.sealer.seal(u.AccountID, plainTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: tok.Expiry})
	if err != nil {
		return nil, err
	}
	err = s.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
		prev, err := tx.CreateConnection(ctx, u.AccountID, zoomstore.NewConnection{ZoomAccountID: me.AccountID, ZoomUserID: me.ID,
			ZoomUserEmail: me.Email, ZoomUserRole: me.RoleName, Scopes: scopes, APIURL: apiURL, ConnectedBy: u.ID, Tokens: sealed})
		if err != nil {
			return err
		}
		action := AuditConnected
		if prev != "" {
			action = AuditReconnected
		}
		return tx.CreateAuditEvent(ctx, u.AccountID, &u.ID, action, fmt.Sprintf("Zoom account %s, authorized by %s (%s)", me.AccountID, me.Email, me.RoleName))
	})
	if err != nil {
		s.revoke(ctx, tok.AccessToken)
		return nil, err
	}
	s.forget(u.AccountID)
	if err := s.Sync(ctx, u.AccountID); err != nil {
		s.log.WarnContext(ctx, "zoom sync after connect failed", "account_id", u.AccountID, "err", err)
	}
	return s.store.GetConnection(ctx, u.AccountID)
}

// refuseTakenAccount refuses a Zoom account already connected to another
// InterviewPlanner account: one Zoom account, one company. Zoom revoked that
// company's tokens when it issued these, so they go to that company's
// connection (same app, same Zoom account), which keeps working; nothing is
// stored for u and the token is not revoked (that would uninstall the app).
func (s *Service) refuseTakenAccount(ctx context.Context, u *domain.User, me zoom.User, tok *oauth2.Token) (*ConnectError, error) {
	owner, err := s.store.GetZoomAccountOwner(ctx, me.AccountID, u.AccountID)
	if domain.IsCode(err, domain.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if owner.State == zoomstore.StateConnected {
		sealed, err := s.sealer.seal(owner.AccountID, plainTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken, Expiry: tok.Expiry})
		if err != nil {
			return nil, err
		}
		err = s.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
			took, err := tx.ReplaceTokens(ctx, owner.AccountID, me.AccountID, sealed)
			if err != nil || !took {
				return err
			}
			return tx.CreateAuditEvent(ctx, owner.AccountID, nil, AuditTokensReplaced, fmt.Sprintf(
				"Zoom user %s (%s) authorized the app again from outside this InterviewPlanner account; Zoom replaced the tokens and the connection kept the new ones", me.Email, me.RoleName))
		})
		if err != nil {
			return nil, err
		}
		s.forget(owner.AccountID)
	}
	s.audit(ctx, u.AccountID, &u.ID, AuditConnectFailed, fmt.Sprintf("Zoom account %s is connected to another InterviewPlanner account", me.AccountID))
	return &ConnectError{Kind: KindZoomAccountTaken, ZoomEmail: me.Email, ZoomRole: me.RoleName,
		Message: "This Zoom account is already connected to another InterviewPlanner account, and a Zoom account can be connected to only one. Nothing was stored. Connect a different Zoom account, or ask the other account's admin to disconnect Zoom first."}, nil
}

func (s *Service) revoke(ctx context.Context, accessToken string) {
	if err := s.zoom.Revoke(context.WithoutCancel(ctx), accessToken); err != nil {
		s.log.WarnContext(ctx, "zoom token revoke failed", "err", err)
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Service) audit(ctx context.Context, accountID int64, userID *int64, action, detail string) {
	if err := s.db.CreateAuditEvent(context.WithoutCancel(ctx), accountID, userID, action, detail); err != nil {
		s.log.ErrorContext(ctx, "audit event not recorded", "action", action, "err", err)
	}
}

// Disconnect forgets the account's tokens and revokes them at Zoom. Zoom
// then sends app_deauthorized, which finds nothing left to do. It reports
// whether Zoom confirmed the revocation.
func (s *Service) Disconnect(ctx context.Context, u *domain.User) (revoked bool, err error) {
	if !u.IsAdmin() {
		return false, domain.Errorf(domain.EFORBIDDEN, "Only admins can disconnect Zoom.")
	}
	var sealed zoomstore.Tokens
	var changed bool
	err = s.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
		var err error
		if sealed, _, err = tx.GetTokensForUpdate(ctx, u.AccountID); err != nil {
			return err
		}
		if changed, err = tx.End(ctx, u.AccountID, zoomstore.ReasonDisconnected, tx.Now); err != nil || !changed {
			return err
		}
		return tx.CreateAuditEvent(ctx, u.AccountID, &u.ID, AuditDisconnected, "disconnected in InterviewPlanner; token revoked at Zoom")
	})
	if err != nil {
		return false, err
	}
	s.forget(u.AccountID)
	if !changed || sealed.Access == nil {
		return false, nil
	}
	plain, err := s.sealer.open(u.AccountID, sealed)
	if err != nil {
		s.log.ErrorContext(ctx, "stored zoom token does not open; not revoked", "account_id", u.AccountID, "err", err)
		return false, nil
	}
	if err := s.zoom.Revoke(context.WithoutCancel(ctx), plain.Access); err != nil {
		s.log.WarnContext(ctx, "zoom token revoke failed after disconnect", "account_id", u.AccountID, "err", err)
		return false, nil
	}
	return true, nil
}

// forget drops the account's cached API, so no token stays in memory after
// a disconnect or a reconnect.
func (s *Service) forget(accountID int64) {
	s.mu.Lock()
	delete(s.apis, accountID)
	s.mu.Unlock()
}

// API returns the Zoom API of a connected account, or
// domain.ErrVideoNotConnected.
func (s *Service) API(ctx context.Context, accountID int64) (*zoom.API, *zoomstore.Connection, error) {
	c, err := s.Connection(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	if c == nil || c.State != zoomstore.StateConnected {
		return nil, c, domain.ErrVideoNotConnected
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	api, ok := s.apis[accountID]
	if !ok {
		api = s.zoom.API(&TokenStore{svc: s, accountID: accountID})
		s.apis[accountID] = api
	}
	return api, c, nil
}

// TestResult is what "Test connection" found.
type TestResult struct {
	Email string
	Role  string
}

// TestConnection calls Zoom as the connection and reports who it is.
func (s *Service) TestConnection(ctx context.Context, accountID int64) (TestResult, error) {
	api, _, err := s.API(ctx, accountID)
	if err != nil {
		return TestResult{}, err
	}
	me, err := api.Me(ctx)
	if err != nil {
		return TestResult{}, videoError(err)
	}
	return TestResult{Email: me.Email, Role: me.RoleName}, nil
}

// Sync reads the account's Zoom users and Zoom Rooms into the database.
func (s *Service) Sync(ctx context.Context, accountID int64) error {
	api, _, err := s.API(ctx, accountID)
	if err != nil {
		return err
	}
	users, err := api.AllUsers(ctx)
	var rooms []zoom.Room
	if err == nil {
		if rooms, err = api.AllRooms(ctx); noRoomsLicense(err) {
			rooms, err = nil, nil
		}
	}
	if err != nil {
		err = videoError(err)
		if !domain.IsVideoNotConnected(err) {
			_ = s.store.WriteTx(context.WithoutCancel(ctx), func(tx *zoomstore.Tx) error {
				return tx.UpdateSyncError(ctx, accountID, clip(domain.ErrorMessage(err), 300))
			})
		}
		return err
	}
	zu := make([]zoomstore.User, 0, len(users))
	for _, u := range users {
		name := u.DisplayName
		if name == "" {
			name = strings.TrimSpace(u.FirstName + " " + u.LastName)
		}
		zu = append(zu, zoomstore.User{ZoomUserID: u.ID, Email: strings.ToLower(u.Email), Name: name, RoleName: u.RoleName})
	}
	zr := make([]zoomstore.Room, 0, len(rooms))
	for _, r := range rooms {
		id := r.ID
		if id == "" {
			id = r.RoomID
		}
		zr = append(zr, zoomstore.Room{ZoomRoomID: id, Name: r.Name, Status: r.Status})
	}
	return s.store.WriteTx(ctx, func(tx *zoomstore.Tx) error { return tx.ReplaceDirectory(ctx, accountID, zu, zr) })
}

// RefreshDirectories re-reads every connected account's Zoom users and
// rooms. One account's failure is logged and does not stop the others.
func (s *Service) RefreshDirectories(ctx context.Context) error {
	ids, err := s.store.ListLiveAccounts(ctx)
	if err != nil {
		return fmt.Errorf("zoom directory refresh: list connections: %w", err)
	}
	if err := queue.EachAccount(ctx, s.log, "zoom directory refresh failed", ids, s.Sync); ctx.Err() != nil {
		return err
	}
	return nil // a failed account is logged and read again at the next refresh
}

// noRoomsLicense reports Zoom's answer for an account without a Zoom Rooms
// subscription (code 200 "Zoom Room subscription not found"): no rooms,
// not a missing permission.
func noRoomsLicense(err error) bool {
	var ae *zoom.APIError
	return errors.As(err, &ae) && ae.Code == 200 && strings.Contains(strings.ToLower(ae.Message), "subscription")
}

// videoError maps the Zoom client's errors onto the domain's.
func videoError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, domain.ErrVideoNotConnected), errors.Is(err, zoom.ErrConnectionDead):
		return domain.ErrVideoNotConnected
	case errors.Is(err, zoom.ErrMeetingNotFound):
		return domain.ErrMeetingNotFound
	case errors.Is(err, zoom.ErrRateLimited):
		return domain.Wrap(err, domain.ETOOMANY, "Zoom asked InterviewPlanner to slow down. Try again shortly.")
	case errors.Is(err, zoom.ErrMissingScopes), errors.Is(err, zoom.ErrForbidden):
		return domain.Wrap(err, domain.EFORBIDDEN, "Zoom refused: the connection lacks a permission. An admin can reconnect Zoom to grant it.")
	case errors.Is(err, context.Canceled):
		return err
	}
	var ae *zoom.APIError
	if errors.As(err, &ae) && ae.Status >= 400 && ae.Status < 500 {
		// Zoom's own code says what its message may not (and is what its
		// support asks for), so the schedule shows both.
		if ae.Code != 0 {
			return domain.Wrap(err, domain.EINVALID, "Zoom refused the request (Zoom code %d): %s", ae.Code, clip(ae.Message, 200))
		}
		return domain.Wrap(err, domain.EINVALID, "Zoom refused the request: %s", clip(ae.Message, 200))
	}
	return domain.Wrap(err, domain.EUNAVAILABLE, "Zoom did not answer. Try again shortly.")
}
