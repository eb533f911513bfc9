package zoomconnect

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/oauth2"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/lease"
	"interviewplanner/store/zoomstore"
	"interviewplanner/zoom"
)

// TokenStore is one account's zoom.TokenStore on the database. Refreshes
// are serialised per connection across every instance:
//
//   - PostgreSQL: SELECT … FOR UPDATE on the connection row, held in one
//     transaction around the refresh call, so another instance waits and
//     then sees the rotated token.
//   - SQLite: the single writer must never be held across a network call,
//     so a "refreshing" lease column (holder, until) is taken in one short
//     transaction and the new token saved in another; other processes wait
//     for the lease, and an in-process mutex keeps this process's
//     goroutines off the database while they wait.
//
// Either way the rotated refresh token is saved before the new access
// token is handed to anyone.
type TokenStore struct {
	svc       *Service
	accountID int64
}

var _ zoom.TokenStore = (*TokenStore)(nil)

// TokenStore returns the account's token store.
func (s *Service) TokenStore(accountID int64) *TokenStore {
	return &TokenStore{svc: s, accountID: accountID}
}

func (t *TokenStore) oauthToken(p plainTokens) *oauth2.Token {
	return &oauth2.Token{AccessToken: p.Access, RefreshToken: p.Refresh, Expiry: p.Expiry, TokenType: "Bearer"}
}

// LoadToken returns the stored token, or domain.ErrVideoNotConnected when
// the connection is not live.
func (t *TokenStore) LoadToken(ctx context.Context) (*oauth2.Token, error) {
	sealed, state, err := t.svc.store.GetTokens(ctx, t.accountID)
	if domain.IsCode(err, domain.ENOTFOUND) {
		return nil, domain.ErrVideoNotConnected
	}
	if err != nil {
		return nil, err
	}
	if state != zoomstore.StateConnected || sealed.Refresh == nil {
		return nil, domain.ErrVideoNotConnected
	}
	p, err := t.svc.sealer.open(t.accountID, sealed)
	if err != nil {
		return nil, err
	}
	return t.oauthToken(p), nil
}

func (s *Service) refreshMutex(accountID int64) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.refreshing[accountID]
	if !ok {
		m = &sync.Mutex{}
		s.refreshing[accountID] = m
	}
	return m
}

// RefreshLocked calls fn with the newest stored token while holding the
// connection's refresh lock, and saves what fn returns before returning it.
func (t *TokenStore) RefreshLocked(ctx context.Context, fn func(current *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	m := t.svc.refreshMutex(t.accountID)
	m.Lock()
	defer m.Unlock()
	if t.svc.db.Dialect == store.Postgres {
		return t.refreshRowLock(ctx, fn)
	}
	return t.refreshLease(ctx, fn)
}

// refreshRowLock holds the row lock in one transaction around fn.
func (t *TokenStore) refreshRowLock(ctx context.Context, fn func(*oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	var out *oauth2.Token
	err := t.svc.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
		sealed, state, err := tx.GetTokensForUpdate(ctx, t.accountID)
		if err != nil {
			return err
		}
		if state != zoomstore.StateConnected || sealed.Refresh == nil {
			return domain.ErrVideoNotConnected
		}
		cur, err := t.svc.sealer.open(t.accountID, sealed)
		if err != nil {
			return err
		}
		current := t.oauthToken(cur)
		next, err := fn(current)
		if err != nil {
			return err
		}
		out = next
		if next == current {
			return nil
		}
		return t.save(ctx, tx, sealed.Version, next)
	})
	return out, err
}

// refreshLease is the connection row's refresh lease (store/lease).
var refreshLease = lease.Row{Table: "zoom_connections", Key: "account_id", Holder: "refreshing_by", Until: "refreshing_until"}

// refreshLease takes the lease, calls fn outside any transaction, then saves.
func (t *TokenStore) refreshLease(ctx context.Context, fn func(*oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	var sealed zoomstore.Tokens
	read := func(ctx context.Context) (bool, error) {
		var state string
		var err error
		sealed, state, err = t.svc.store.GetTokens(ctx, t.accountID)
		if domain.IsCode(err, domain.ENOTFOUND) || (err == nil && (state != zoomstore.StateConnected || sealed.Refresh == nil)) {
			return false, domain.ErrVideoNotConnected
		}
		return false, err
	}
	var out *oauth2.Token
	err := lease.Once(ctx, t.svc.db, refreshLease, t.accountID, t.svc.instance, t.svc.leaseTTL, read, func(ctx context.Context) error {
		cur, err := t.svc.sealer.open(t.accountID, sealed)
		if err != nil {
			return err
		}
		current := t.oauthToken(cur)
		if out, err = fn(current); err != nil || out == current {
			return err
		}
		return t.svc.store.WriteTx(context.WithoutCancel(ctx), func(tx *zoomstore.Tx) error {
			return t.save(ctx, tx, sealed.Version, out)
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// save seals and stores a refreshed token, if the connection is still the
// one whose token was refreshed.
func (t *TokenStore) save(ctx context.Context, tx *zoomstore.Tx, fromVersion int64, next *oauth2.Token) error {
	sealed, err := t.svc.sealer.seal(t.accountID, plainTokens{Access: next.AccessToken, Refresh: next.RefreshToken, Expiry: next.Expiry})
	if err != nil {
		return err
	}
	ok, err := tx.UpdateTokens(ctx, t.accountID, fromVersion, sealed)
	if err != nil {
		return err
	}
	if !ok {
		// Disconnected or reconnected meanwhile: the new token belongs to
		// nothing we keep.
		return fmt.Errorf("zoom token refreshed but the connection changed meanwhile: %w", domain.ErrVideoNotConnected)
	}
	return nil
}

// MarkDead records that Zoom refused the refresh token: the connection
// needs reconnecting, admins see a banner, the audit log says why.
func (t *TokenStore) MarkDead(ctx context.Context, reason string) error {
	ctx = context.WithoutCancel(ctx)
	var changed bool
	err := t.svc.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
		var err error
		if changed, err = tx.End(ctx, t.accountID, zoomstore.ReasonTokenDead, tx.Now); err != nil || !changed {
			return err
		}
		return tx.CreateAuditEvent(ctx, t.accountID, nil, AuditTokenDead, "Zoom refused the refresh token ("+clip(reason, 200)+"); Zoom needs reconnecting")
	})
	if err != nil {
		return err
	}
	if changed {
		t.svc.log.WarnContext(ctx, "zoom connection needs reconnecting", "account_id", t.accountID, "reason", reason)
	}
	t.svc.forget(t.accountID)
	return nil
}
