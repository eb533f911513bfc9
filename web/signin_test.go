package web_test

import (
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/password"
	"interviewplanner/store"
)

// countChecks wraps the server's password check to count the checks and
// the most running at once.
func countChecks(a *apptest.App) (checks, peak *atomic.Int32) {
	checks, peak = new(atomic.Int32), new(atomic.Int32)
	var running atomic.Int32
	verify := a.Web.PasswordVerify
	a.Web.PasswordVerify = func(pw, hash string) error {
		checks.Add(1)
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		return verify(pw, hash)
	}
	return checks, peak
}

// burst sends n wrong-password sign-ins at once, each from a fresh
// browser, and counts the answers by status.
func burst(t *testing.T, a *apptest.App, n int, email func(i int) string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		c := a.NewClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := c.PostForm("/signin", url.Values{"email": {email(i)}, "password": {"wrong password"}})
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// Sixty concurrent wrong passwords for one address from one client get the
// five free checks and no more.
func TestConcurrentWrongPasswordsAreThrottled(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	// A fixed clock: on a slow machine the first wait (1 s) could pass
	// while the burst is still arriving.
	now := time.Now()
	a.DB.Now = func() time.Time { return now }
	checks, _ := countChecks(a)
	codes := burst(t, a, 60, func(int) string { return "admin@example.com" })
	if n := checks.Load(); n > store.ClientFreeFailures {
		t.Errorf("60 concurrent guesses got %d password checks, want at most %d (answers %v)", n, store.ClientFreeFailures, codes)
	}
	if codes[http.StatusTooManyRequests] < 60-store.ClientFreeFailures {
		t.Errorf("answers %v, want at least %d × 429", codes, 60-store.ClientFreeFailures)
	}
}

// However many guesses arrive at once, no more checks run than there are
// cores: each argon2id check holds its memory while it runs.
func TestPasswordChecksRunBounded(t *testing.T) {
	a := apptest.Start(t, apptest.Options{PasswordParams: &password.Params{Memory: 4 * 1024, Time: 1, Threads: 1, KeyLen: 32}})
	checks, peak := countChecks(a)
	codes := burst(t, a, 40, func(i int) string { return "guess" + itoa(int64(i)) + "@example.com" })
	if checks.Load() != 40 || codes[http.StatusUnauthorized] != 40 {
		t.Fatalf("40 guesses for 40 addresses: %d checks, answers %v", checks.Load(), codes)
	}
	if p := peak.Load(); p > int32(runtime.NumCPU()) {
		t.Errorf("%d password checks ran at once, want at most %d (the cores)", p, runtime.NumCPU())
	}
}

// Guesses from elsewhere do not lock the owner out of the browser they
// signed in with before.
func TestOwnerIsNotLockedOut(t *testing.T) {
	a := apptest.Start(t, apptest.Options{})
	owner := a.SignIn(t, "admin@example.com")
	owner.PostForm("/signout", nil)
	attacker := a.NewClient(t)
	for i := 0; i < 10; i++ {
		attacker.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {"guess " + itoa(int64(i))}})
	}
	if res := attacker.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {"one more"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attacker after 10 guesses: %d, want 429", res.StatusCode)
	}
	res := owner.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner's own browser after the attacker's guesses: %d, want 303 (signed in)", res.StatusCode)
	}
	// The owner's browser has its own budget: its own mistakes still count.
	owner.PostForm("/signout", nil)
	for i := 0; i < store.ClientFreeFailures; i++ {
		owner.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {"typo"}})
	}
	if res := owner.PostForm("/signin", url.Values{"email": {"admin@example.com"}, "password": {apptest.DemoPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("owner's browser after its own %d failures: %d, want 429", store.ClientFreeFailures, res.StatusCode)
	}
}

// An unknown address costs the same password check as a wrong password,
// so response times do not tell who has an account.
func TestUnknownAddressTakesAsLongAsWrongPassword(t *testing.T) {
	a := apptest.Start(t, apptest.Options{PasswordParams: &password.Params{Memory: 32 * 1024, Time: 2, Threads: 1, KeyLen: 32}})
	checks, _ := countChecks(a)
	c := a.NewClient(t)
	local := store.SignInClient{Addr: "127.0.0.1"}
	attempt := func(email string) time.Duration {
		t0 := time.Now()
		res := c.PostForm("/signin", url.Values{"email": {email}, "password": {"wrong password"}})
		d := time.Since(t0)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "do not match") {
			t.Fatalf("%s: %d", email, res.StatusCode)
		}
		// Keep the throttle out of the measurement.
		if err := a.DB.DeleteSignInFailures(t.Context(), email, local); err != nil {
			t.Fatal(err)
		}
		return d
	}
	attempt("admin@example.com") // warm up
	var known, unknown []time.Duration
	for i := range 16 {
		checks.Store(0)
		// Alternate which goes first, so neither pays for the other.
		if i%2 == 0 {
			known = append(known, attempt("admin@example.com"))
			unknown = append(unknown, attempt("nobody"+itoa(int64(i))+"@example.com"))
		} else {
			unknown = append(unknown, attempt("nobody"+itoa(int64(i))+"@example.com"))
			known = append(known, attempt("admin@example.com"))
		}
		if n := checks.Load(); n != 2 {
			t.Fatalf("a wrong password and an unknown address made %d password checks, want one each", n)
		}
	}
	slices.Sort(known)
	slices.Sort(unknown)
	// The lower quartile: the machine's other load only ever adds time.
	mk, mu := known[len(known)/4], unknown[len(unknown)/4]
	t.Logf("lower quartile: wrong password %v, unknown address %v", mk, mu)
	if ratio := float64(mu) / float64(mk); ratio < 0.6 || ratio > 1.7 {
		t.Errorf("unknown address takes %v, wrong password %v (lower quartile of 16): the difference tells who has an account", mu, mk)
	}
}
