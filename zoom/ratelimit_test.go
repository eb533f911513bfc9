package zoom

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

func TestCategoryOf(t *testing.T) {
	for _, c := range []struct {
		method, path string
		want         Category
	}{
		{"POST", "/users/abc/meetings", Medium},
		{"GET", "/users/abc/meetings", Medium},
		{"GET", "/users", Medium},
		{"GET", "/rooms", Medium},
		{"GET", "/users/abc", Light},
		{"PATCH", "/meetings/123", Light},
		{"DELETE", "/meetings/123", Light},
		{"GET", "/meetings/123", Light},
	} {
		if got := categoryOf(c.method, c.path); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.method, c.path, got, c.want)
		}
	}
}

func quotaOf(l *limits, cat Category) Quota {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(cat).quota
}

// TestLimitsFollowZoom: a bucket starts at the Pro quota, takes the limit
// Zoom announces for the account, and a 429's Retry-After holds only its
// own category.
func TestLimitsFollowZoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimits(0, 0)
		if got := quotaOf(l, Medium); got != (Quota{20, time.Second}) {
			t.Fatalf("Medium starts at %v, want Pro's 20/s", got)
		}
		l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}, "X-Ratelimit-Limit": {"60"}, "X-Ratelimit-Category": {"Medium"}}, 201, 0, time.Minute)
		if got := quotaOf(l, Medium); got != (Quota{60, time.Second}) {
			t.Fatalf("Medium after Zoom said 60: %v", got)
		}
		// A daily limit is not a per-second limit: the bucket keeps its quota.
		l.observe(Light, http.Header{"X-Ratelimit-Type": {"Daily-limit"}, "X-Ratelimit-Limit": {"6000"}}, 200, 0, time.Minute)
		if got := quotaOf(l, Light); got != (Quota{30, time.Second}) {
			t.Fatalf("Light after a daily header: %v", got)
		}
		l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}}, http.StatusTooManyRequests, 2*time.Second, time.Minute)
		ctx := context.Background()
		start := time.Now()
		if err := l.wait(ctx, Light); err != nil || time.Since(start) != 0 {
			t.Fatalf("Light waited %v (%v) for Medium's 429", time.Since(start), err)
		}
		if err := l.wait(ctx, Medium); err != nil || time.Since(start) < 2*time.Second {
			t.Fatalf("Medium went out %v after a 429 asking for 2 s (%v)", time.Since(start), err)
		}
		// A wait longer than the client sleeps through (midnight UTC) is
		// the caller's: the bucket is not held.
		l.observe(Light, http.Header{}, http.StatusTooManyRequests, 10*time.Hour, time.Minute)
		start = time.Now()
		if err := l.wait(ctx, Light); err != nil || time.Since(start) != 0 {
			t.Fatalf("a daily 429 held the account's Light bucket for %v", time.Since(start))
		}
	})
}

// TestLimitsKeepToZoomsSeconds sends 200 Medium calls from 10 workers, as
// the meeting worker does, and counts them in every one-second window
// Zoom may use, whatever its phase: none may hold more than Zoom's 20 (a
// token bucket of 20/s with a burst of 20 lets 40 out in the first
// second), and the quota is used, not wasted.
func TestLimitsKeepToZoomsSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimits(0, 0)
		var mu sync.Mutex
		var sent []time.Time
		start := time.Now()
		work := make(chan int)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				for range work {
					if err := l.wait(t.Context(), Medium); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					sent = append(sent, time.Now())
					mu.Unlock()
					time.Sleep(30 * time.Millisecond) // Zoom's answer
				}
			})
		}
		for i := range 200 {
			work <- i
		}
		close(work)
		wg.Wait()
		for phase := time.Duration(0); phase < time.Second; phase += 10 * time.Millisecond {
			counts := map[int64]int{}
			for _, at := range sent {
				counts[int64(at.Sub(start.Add(-phase))/time.Second)]++
			}
			for sec, n := range counts {
				if n > 20 {
					t.Fatalf("%d Medium calls in second %d (phase %v), Zoom allows 20", n, sec, phase)
				}
			}
		}
		// 200 calls at 20 per (second + skew): under 11 s.
		if took := time.Since(start); took > 11*time.Second {
			t.Fatalf("200 calls took %v, want about 10.5 s", took)
		}
	})
}

func TestLimitsQuotaChangeKeepsHistory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimits(0, 0)
		for range 20 {
			if err := l.wait(t.Context(), Medium); err != nil {
				t.Fatal(err)
			}
		}
		// A free plan: 2 a second. The 20 just sent count.
		l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}, "X-Ratelimit-Limit": {"2"}}, 200, 0, time.Minute)
		start := time.Now()
		if err := l.wait(t.Context(), Medium); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < time.Second {
			t.Fatalf("the 21st call went out after %v, want a second", waited)
		}
	})
}

func TestLimitsOverride(t *testing.T) {
	l := newLimits(rate.Inf, 0)
	l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}, "X-Ratelimit-Limit": {"5"}}, 200, 0, time.Minute)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bucket(Medium).lim.Limit() != rate.Inf {
		t.Fatal("an explicit rate was changed by headers")
	}
}
