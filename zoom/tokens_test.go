package zoom_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"

	"interviewplanner/zoom"
)

// countingStore counts RefreshLocked calls of a MemoryTokenStore. With
// contenders > 1 the first callers wait for each other before taking the
// lock, so that several instances really contend for it.
type countingStore struct {
	*zoom.MemoryTokenStore
	locked     atomic.Int64
	contenders int64
	gate       chan struct{}
}

func (s *countingStore) RefreshLocked(ctx context.Context, fn func(*oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	n := s.locked.Add(1)
	if s.contenders > 1 {
		if n == s.contenders {
			close(s.gate)
		}
		<-s.gate
	}
	return s.MemoryTokenStore.RefreshLocked(ctx, fn)
}

func TestConcurrentCallsAcrossExpiryRefreshOnce(t *testing.T) {
	const calls = 200
	tests := []struct {
		name      string
		instances int
	}{
		{"one instance", 1},
		// Two processes share one stored connection; RefreshLocked stands in for the row lock.
		{"two instances", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeZoom(t)
				store := &countingStore{MemoryTokenStore: zoom.NewMemoryTokenStore(f.issueToken()),
					contenders: int64(tt.instances), gate: make(chan struct{})}
				var apis []*zoom.API
				for range tt.instances {
					apis = append(apis, mustClient(t, f, "").API(store))
				}
				if _, err := apis[0].Me(t.Context()); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Hour) // the access token has expired

				var wg sync.WaitGroup
				var failures atomic.Int64
				for i := range calls {
					wg.Go(func() {
						if _, err := apis[i%len(apis)].Me(t.Context()); err != nil {
							failures.Add(1)
							t.Errorf("call %d: %v", i, err)
						}
					})
				}
				wg.Wait()
				_, refreshes, _ := f.counts()
				t.Logf("calls=%d instances=%d refreshes=%d failures=%d refresh-locks=%d api-requests=%d",
					calls, tt.instances, refreshes, failures.Load(), store.locked.Load(), f.calls("GET /v2/users/me"))
				if refreshes != 1 || failures.Load() != 0 {
					t.Fatalf("refreshes=%d failures=%d, want 1 and 0", refreshes, failures.Load())
				}
				if store.locked.Load() != int64(tt.instances) {
					t.Fatalf("RefreshLocked calls = %d, want one per instance", store.locked.Load())
				}
				if got := f.calls("GET /v2/users/me"); got != calls+1 {
					t.Fatalf("API requests = %d, want %d (no call retried)", got, calls+1)
				}
			})
		})
	}
}

func TestRefreshSavesRotatedTokenBeforeUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		first := f.issueToken()
		store := zoom.NewMemoryTokenStore(first)
		api := mustClient(t, f, "").API(store)
		time.Sleep(59*time.Minute + 30*time.Second) // inside the 60 s margin: refresh early
		if _, err := api.Me(t.Context()); err != nil {
			t.Fatal(err)
		}
		saved, _ := store.LoadToken(t.Context())
		if saved.RefreshToken == first.RefreshToken || saved.AccessToken == first.AccessToken {
			t.Fatalf("rotated token not saved: %+v", saved)
		}
		f.mu.Lock()
		current := f.refreshToken
		f.mu.Unlock()
		if saved.RefreshToken != current {
			t.Fatalf("stored refresh token %q, Zoom's current %q", saved.RefreshToken, current)
		}
		if !saved.Expiry.Equal(time.Now().Add(3599 * time.Second)) {
			t.Fatalf("expiry = %v, want absolute now+3599s", saved.Expiry)
		}
	})
}

func TestDeadRefreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		tok := f.issueToken()
		f.issueToken() // rotated elsewhere and lost: our refresh token is dead
		store := zoom.NewMemoryTokenStore(tok)
		api := mustClient(t, f, "").API(store)
		time.Sleep(time.Hour)

		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Go(func() { _, errs[i] = api.Me(t.Context()) })
		}
		wg.Wait()
		for i, err := range errs {
			if !errors.Is(err, zoom.ErrConnectionDead) {
				t.Fatalf("call %d: err = %v, want ErrConnectionDead", i, err)
			}
		}
		reason, calls := store.Dead()
		if calls != 1 || reason == "" {
			t.Fatalf("MarkDead called %d times (reason %q), want once", calls, reason)
		}
		if !slices.ContainsFunc(errs, func(err error) bool { return errors.Is(err, zoom.ErrInvalidGrant) }) {
			t.Fatalf("no error carries Zoom's invalid_grant: %v", errs[0])
		}
		if f.calls("GET /v2/users/me") != 0 {
			t.Fatalf("API called with a dead connection")
		}
	})
}

func TestInvalidGrantRereadsStoredToken(t *testing.T) {
	tests := []struct {
		name string
		// rotated is what the other instance (or a reconnect) stores meanwhile.
		freshAccess   bool
		wantRefreshes int
	}{
		{"other instance stored a fresh token", true, 1},
		{"other instance stored a token that needs refreshing", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeZoom(t)
				store := zoom.NewMemoryTokenStore(f.issueToken())
				api := mustClient(t, f, "").API(store)
				time.Sleep(time.Hour)
				var once sync.Once
				f.beforeRefresh = func(presented string) {
					once.Do(func() {
						// Another instance refreshes first (without our lock) and stores the result.
						f.mu.Lock()
						m := f.issueLocked()
						f.refreshes++
						f.mu.Unlock()
						other := &oauth2.Token{AccessToken: m["access_token"].(string), RefreshToken: m["refresh_token"].(string), Expiry: time.Now().Add(time.Hour)}
						if !tt.freshAccess {
							other.Expiry = time.Now().Add(-time.Minute)
						}
						store.Put(other)
					})
				}
				if _, err := api.Me(t.Context()); err != nil {
					t.Fatalf("Me: %v", err)
				}
				if _, calls := store.Dead(); calls != 0 {
					t.Fatalf("MarkDead called although the stored token was rotated")
				}
				if _, refreshes, _ := f.counts(); refreshes != tt.wantRefreshes {
					t.Fatalf("refreshes = %d, want %d", refreshes, tt.wantRefreshes)
				}
			})
		})
	}
}

func TestAccessTokenRejectedRefreshesOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		store := zoom.NewMemoryTokenStore(f.issueToken())
		api := mustClient(t, f, "").API(store)

		f.expireAccess() // Zoom no longer accepts the (locally still valid) access token
		m, err := api.CreateMeeting(t.Context(), "zu1", zoom.MeetingRequest{Topic: "Interview", StartTime: time.Now().Add(time.Hour), Duration: time.Hour})
		if err != nil {
			t.Fatalf("create after 124: %v", err)
		}
		if _, refreshes, _ := f.counts(); refreshes != 1 {
			t.Fatalf("refreshes = %d, want 1", refreshes)
		}
		if got := f.calls("POST /v2/users/zu1/meetings"); got != 2 {
			t.Fatalf("create requests = %d, want 2 (rejected + retried)", got)
		}
		if len(f.meetings) != 1 || m.ID != firstMeetingID {
			t.Fatalf("meetings = %d, id %d", len(f.meetings), m.ID)
		}

		// If Zoom keeps answering 124, the call is retried once only.
		f.always124 = true
		_, err = api.Me(t.Context())
		if !errors.Is(err, zoom.ErrAccessTokenInvalid) || !zoom.IsCode(err, 124) {
			t.Fatalf("err = %v, want 124", err)
		}
		if got := f.calls("GET /v2/users/me"); got != 2 {
			t.Fatalf("requests = %d, want 2", got)
		}
	})
}

func TestLoopbackConcurrentRefresh(t *testing.T) {
	// The same figure over a real loopback server, with a stored token that has already expired.
	f := newFakeZoom(t)
	tok := f.issueToken()
	tok.Expiry = time.Now().Add(-time.Second)
	store := zoom.NewMemoryTokenStore(tok)
	api := mustClient(t, f, f.mustLoopback(t)).API(store)
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range 200 {
		wg.Go(func() {
			if _, err := api.ListUsers(t.Context(), 1, ""); err != nil {
				failures.Add(1)
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, refreshes, _ := f.counts()
	t.Logf("loopback: calls=200 refreshes=%d failures=%d", refreshes, failures.Load())
	if refreshes != 1 || failures.Load() != 0 {
		t.Fatalf("refreshes=%d failures=%d, want 1 and 0", refreshes, failures.Load())
	}
}

func TestRefreshSurvivesCallerCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		store := zoom.NewMemoryTokenStore(f.issueToken())
		api := mustClient(t, f, "").API(store)
		time.Sleep(time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		f.beforeRefresh = func(string) { cancel() } // the caller gives up while Zoom rotates
		if _, err := api.Me(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want the caller's cancellation", err)
		}
		f.beforeRefresh = nil
		f.mu.Lock()
		current := f.refreshToken
		f.mu.Unlock()
		if saved, _ := store.LoadToken(t.Context()); saved.RefreshToken != current {
			t.Fatalf("stored refresh token %q, Zoom's current %q: the rotated token was lost", saved.RefreshToken, current)
		}
		if _, err := api.Me(t.Context()); err != nil {
			t.Fatalf("next call: %v", err)
		}
		if _, refreshes, _ := f.counts(); refreshes != 1 {
			t.Fatalf("refreshes = %d, want 1", refreshes)
		}
	})
}
