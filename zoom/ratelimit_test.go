package zoom

import (
	"context"
	"net/http"
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

// TestLimitsFollowZoom: a bucket starts at the Pro rate, takes the rate
// Zoom announces for the account, and a 429's Retry-After holds only its
// own category.
func TestLimitsFollowZoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimits(0, 0)
		if got := l.bucket(Medium).lim.Limit(); got != 20 {
			t.Fatalf("Medium starts at %v/s, want Pro's 20", got)
		}
		l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}, "X-Ratelimit-Limit": {"60"}, "X-Ratelimit-Category": {"Medium"}}, 201, 0, time.Minute)
		if got := l.bucket(Medium).lim.Limit(); got != 60 {
			t.Fatalf("Medium after Zoom said 60: %v/s", got)
		}
		// A daily limit is not a per-second limit: the bucket keeps its rate.
		l.observe(Light, http.Header{"X-Ratelimit-Type": {"Daily-limit"}, "X-Ratelimit-Limit": {"6000"}}, 200, 0, time.Minute)
		if got := l.bucket(Light).lim.Limit(); got != 30 {
			t.Fatalf("Light after a daily header: %v/s", got)
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

func TestLimitsOverride(t *testing.T) {
	l := newLimits(rate.Inf, 0)
	l.observe(Medium, http.Header{"X-Ratelimit-Type": {"QPS"}, "X-Ratelimit-Limit": {"5"}}, 200, 0, time.Minute)
	if l.bucket(Medium).lim.Limit() != rate.Inf {
		t.Fatal("an explicit rate was changed by headers")
	}
}
