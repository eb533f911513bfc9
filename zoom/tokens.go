package zoom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenStore persists one connection's tokens (encrypted at rest). x/oauth2
// keeps refreshed tokens only in memory, and Zoom's refresh tokens rotate,
// so every refreshed token must be saved before it is used.
type TokenStore interface {
	// LoadToken returns the newest stored token (decrypted).
	LoadToken(ctx context.Context) (*oauth2.Token, error)
	// RefreshLocked holds a cross-instance lock for this connection (a database row lock),
	// calls fn with the newest stored token, saves what fn returns BEFORE returning it.
	// If fn returns current itself, the store may skip the save.
	RefreshLocked(ctx context.Context, fn func(current *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error)
	// MarkDead records that the refresh token is dead (connection needs reconnecting).
	MarkDead(ctx context.Context, reason string) error
}

// TokenSource hands out access tokens for one connection. Valid tokens come
// from memory; at most one refresh per connection runs in this process at a
// time, and RefreshLocked serialises refreshes across processes.
type TokenSource struct {
	client *Client
	store  TokenStore
	log    *slog.Logger

	mu     sync.Mutex
	cached *oauth2.Token
	// refreshing is a lock that waiters can abandon when their context ends.
	refreshing chan struct{}
}

// TokenSource returns the token source for the connection store belongs to.
// Keep one per connection for the process lifetime so the in-memory cache and
// the in-process single flight take effect.
func (c *Client) TokenSource(store TokenStore) *TokenSource {
	return &TokenSource{client: c, store: store, log: c.log, refreshing: make(chan struct{}, 1)}
}

func fresh(t *oauth2.Token, now time.Time) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || now.Add(expiryMargin).Before(t.Expiry)
}

// Token returns a usable access token, refreshing if needed.
func (s *TokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	return s.token(ctx, "")
}

// token returns a token other than rejected (an access token Zoom answered 124 to).
func (s *TokenSource) token(ctx context.Context, rejected string) (*oauth2.Token, error) {
	if t := s.usable(rejected); t != nil {
		return t, nil
	}
	select {
	case s.refreshing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.refreshing }()
	// Whoever held the lock before us may have refreshed already.
	if t := s.usable(rejected); t != nil {
		return t, nil
	}
	// Another instance may have refreshed; a plain read is cheaper than the lock.
	if t, err := s.store.LoadToken(ctx); err != nil {
		return nil, fmt.Errorf("zoom: load token: %w", err)
	} else if fresh(t, time.Now()) && t.AccessToken != rejected {
		s.setCached(t)
		return t, nil
	}
	t, err := s.refresh(ctx, rejected)
	if err != nil {
		return nil, err
	}
	s.setCached(t)
	return t, nil
}

func (s *TokenSource) usable(rejected string) *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fresh(s.cached, time.Now()) && s.cached.AccessToken != rejected {
		return s.cached
	}
	return nil
}

func (s *TokenSource) setCached(t *oauth2.Token) {
	s.mu.Lock()
	s.cached = t
	s.mu.Unlock()
}

// refresh runs under the in-process lock.
func (s *TokenSource) refresh(callerCtx context.Context, rejected string) (*oauth2.Token, error) {
	// Zoom rotates the refresh token as soon as it answers: if the caller gave
	// up mid-refresh and the answer were dropped, the connection would be dead.
	// So the refresh and its save finish regardless, within their own bound.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(callerCtx), 2*s.client.attemptTimeout)
	defer cancel()
	var lastErr error
	for attempt := range 2 {
		var tried string
		tok, err := s.store.RefreshLocked(ctx, func(current *oauth2.Token) (*oauth2.Token, error) {
			if fresh(current, time.Now()) && current.AccessToken != rejected {
				return current, nil // another instance refreshed while we waited for the lock
			}
			if current == nil {
				return nil, &TokenError{Code: "invalid_grant", Reason: "no token stored"}
			}
			tried = current.RefreshToken
			return s.client.refresh(ctx, current)
		})
		if err == nil {
			if tried != "" {
				s.log.InfoContext(ctx, "zoom token refreshed", slog.Time("expiry", tok.Expiry))
			}
			return tok, nil
		}
		if !errors.Is(err, ErrInvalidGrant) {
			return nil, fmt.Errorf("zoom: refresh token: %w", err)
		}
		lastErr = err
		if attempt > 0 {
			break
		}
		// The stored token may have changed under us (a reconnect, or an
		// instance that rotated it); only a refresh token we have not tried
		// is worth another attempt.
		latest, lerr := s.store.LoadToken(ctx)
		if lerr != nil || latest == nil || latest.RefreshToken == tried {
			break
		}
		s.log.InfoContext(ctx, "zoom refresh refused; stored token changed, retrying with it")
	}
	reason := lastErr.Error()
	s.log.WarnContext(ctx, "zoom refresh token is dead; connection needs reconnecting", slog.String("reason", reason))
	if err := s.store.MarkDead(ctx, reason); err != nil {
		return nil, errors.Join(fmt.Errorf("%w: %w", ErrConnectionDead, lastErr), fmt.Errorf("zoom: mark connection dead: %w", err))
	}
	s.setCached(nil)
	return nil, fmt.Errorf("%w: %w", ErrConnectionDead, lastErr)
}

// MemoryTokenStore keeps a token in memory. It serves the post-connect probe
// (nothing is stored until the checks pass) and tests. Its RefreshLocked
// serialises callers like a row lock would.
type MemoryTokenStore struct {
	lock sync.Mutex // the "row lock", held across fn

	mu        sync.Mutex // guards the fields below
	tok       *oauth2.Token
	dead      string
	deadCalls int
}

// NewMemoryTokenStore returns a store holding tok.
func NewMemoryTokenStore(tok *oauth2.Token) *MemoryTokenStore {
	return &MemoryTokenStore{tok: tok}
}

// LoadToken returns the stored token, or ErrConnectionDead after MarkDead.
func (m *MemoryTokenStore) LoadToken(context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.deadCalls > 0 {
		return nil, ErrConnectionDead
	}
	return m.tok, nil
}

// RefreshLocked calls fn under the lock and stores its result.
func (m *MemoryTokenStore) RefreshLocked(ctx context.Context, fn func(*oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	m.lock.Lock()
	defer m.lock.Unlock()
	cur, err := m.LoadToken(ctx)
	if err != nil {
		return nil, err
	}
	t, err := fn(cur)
	if err != nil {
		return nil, err
	}
	if t != cur {
		m.Put(t)
	}
	return t, nil
}

// MarkDead records reason.
func (m *MemoryTokenStore) MarkDead(_ context.Context, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.dead = reason
	m.deadCalls++
	return nil
}

// Put replaces the stored token (as a reconnect would) and clears a dead mark.
func (m *MemoryTokenStore) Put(t *oauth2.Token) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tok = t
	m.dead, m.deadCalls = "", 0
}

// Dead returns the reason given to MarkDead and how often it was called.
func (m *MemoryTokenStore) Dead() (reason string, calls int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dead, m.deadCalls
}
