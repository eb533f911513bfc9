package zoom

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Category is Zoom's rate-limit label of an API. Zoom counts calls per
// account and label, not per endpoint or per app.
type Category string

const (
	Light             Category = "Light"
	Medium            Category = "Medium"
	Heavy             Category = "Heavy"
	ResourceIntensive Category = "Resource-intensive"
)

// ProRates are the per-second limits of a Pro account, the smallest paid
// plan; an account on a larger plan says so in X-RateLimit-Limit and its
// bucket follows.
var ProRates = map[Category]rate.Limit{Light: 30, Medium: 20, Heavy: 10, ResourceIntensive: rate.Every(6 * time.Second)}

// categoryOf labels the calls this client makes, as Zoom's reference does:
// creating and listing meetings, listing users and rooms are Medium; reading,
// updating and deleting one thing are Light.
func categoryOf(method, path string) Category {
	switch {
	case method == http.MethodPost && strings.HasSuffix(path, "/meetings"),
		method == http.MethodGet && (path == "/users" || path == "/rooms" || strings.HasSuffix(path, "/meetings")):
		return Medium
	}
	return Light
}

// limits are one Zoom account's buckets, one per category. A bucket follows
// what Zoom answers: its X-RateLimit-Limit for a per-second ("QPS") limit,
// and a 429's Retry-After holds the bucket until then.
type limits struct {
	override rate.Limit // Config.RateLimit: one rate for every category
	burst    int

	mu      sync.Mutex
	buckets map[Category]*bucket
}

type bucket struct {
	lim   *rate.Limiter
	until time.Time // held after a 429
}

func newLimits(override rate.Limit, burst int) *limits {
	return &limits{override: override, burst: burst, buckets: map[Category]*bucket{}}
}

func (l *limits) bucket(cat Category) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[cat]
	if b == nil {
		r := ProRates[cat]
		if r == 0 {
			r = ProRates[Light]
		}
		burst := max(1, int(r))
		if l.override != 0 {
			r, burst = l.override, max(1, l.burst)
		}
		b = &bucket{lim: rate.NewLimiter(r, burst)}
		l.buckets[cat] = b
	}
	return b
}

// wait blocks until a call of cat may go out, or ctx ends.
func (l *limits) wait(ctx context.Context, cat Category) error {
	b := l.bucket(cat)
	l.mu.Lock()
	hold := time.Until(b.until)
	l.mu.Unlock()
	if hold > 0 {
		t := time.NewTimer(hold)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return b.lim.Wait(ctx)
}

// observe adjusts cat's bucket to what Zoom's answer says. Daily limits
// (a Retry-After at midnight UTC) are the caller's to handle: they stop one
// host or one endpoint for the day, not the whole category.
func (l *limits) observe(cat Category, h http.Header, status int, retryAfter time.Duration, maxWait time.Duration) {
	if l.override != 0 {
		return
	}
	if hc := h.Get("X-RateLimit-Category"); hc != "" {
		cat = Category(hc)
	}
	b := l.bucket(cat)
	qps := strings.EqualFold(h.Get("X-RateLimit-Type"), "QPS")
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil && n > 0 && qps && rate.Limit(n) != b.lim.Limit() {
		b.lim.SetLimit(rate.Limit(n))
		b.lim.SetBurst(n)
	}
	if status == http.StatusTooManyRequests && retryAfter > 0 && retryAfter <= maxWait && (qps || h.Get("X-RateLimit-Type") == "") {
		l.mu.Lock()
		if u := time.Now().Add(retryAfter); u.After(b.until) {
			b.until = u
		}
		l.mu.Unlock()
	}
}
