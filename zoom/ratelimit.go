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

// Quota is how many calls of a category Zoom accepts per period.
type Quota struct {
	Calls  int
	Period time.Duration
}

// ProQuotas are the limits of a Pro account, the smallest paid plan; an
// account on a larger plan says so in X-RateLimit-Limit and its bucket
// follows.
var ProQuotas = map[Category]Quota{
	Light: {30, time.Second}, Medium: {20, time.Second}, Heavy: {10, time.Second}, ResourceIntensive: {10, time.Minute},
}

// skew is added to each period: Zoom counts calls as they arrive, and two
// calls sent a period apart may arrive closer than that.
const skew = 50 * time.Millisecond

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

// limits are one Zoom account's buckets, one per category. A bucket lets
// at most its quota of calls out in any period — Zoom counts calls per
// second, so a token bucket, which lets out its burst and its refill in
// the same second, runs into 429s — and follows what Zoom answers: its
// X-RateLimit-Limit for a per-second ("QPS") limit, and a 429's
// Retry-After holds the bucket until then.
type limits struct {
	override rate.Limit // Config.RateLimit: one rate for every category
	burst    int

	mu      sync.Mutex
	buckets map[Category]*bucket
}

type bucket struct {
	lim *rate.Limiter // Config.RateLimit only

	quota Quota
	// sent are the send times of the last quota.Calls calls: oldest at
	// next once full.
	sent  []time.Time
	next  int
	until time.Time // held after a 429
}

func newLimits(override rate.Limit, burst int) *limits {
	return &limits{override: override, burst: burst, buckets: map[Category]*bucket{}}
}

// bucket is cat's bucket; l.mu must be held.
func (l *limits) bucket(cat Category) *bucket {
	b := l.buckets[cat]
	if b == nil {
		b = &bucket{quota: ProQuotas[cat]}
		if b.quota.Calls == 0 {
			b.quota = ProQuotas[Light]
		}
		if l.override != 0 {
			b.lim = rate.NewLimiter(l.override, max(1, l.burst))
		}
		l.buckets[cat] = b
	}
	return b
}

// setCalls changes the bucket's quota, keeping the newest send times.
func (b *bucket) setCalls(n int) {
	sent := append(append([]time.Time{}, b.sent[b.next:]...), b.sent[:b.next]...)
	if len(sent) > n {
		sent = sent[len(sent)-n:]
	}
	b.quota.Calls, b.sent, b.next = n, sent, 0
}

// wait blocks until a call of cat may go out, or ctx ends.
func (l *limits) wait(ctx context.Context, cat Category) error {
	for {
		l.mu.Lock()
		b := l.bucket(cat)
		now := time.Now()
		at := b.until
		full := b.lim == nil && len(b.sent) >= b.quota.Calls
		if full {
			if t := b.sent[b.next].Add(b.quota.Period + skew); t.After(at) {
				at = t
			}
		}
		if !now.Before(at) {
			switch {
			case b.lim != nil:
			case full:
				b.sent[b.next] = now
				b.next = (b.next + 1) % len(b.sent)
			default:
				b.sent = append(b.sent, now)
			}
			lim := b.lim
			l.mu.Unlock()
			if lim != nil {
				return lim.Wait(ctx)
			}
			return nil
		}
		l.mu.Unlock()
		t := time.NewTimer(at.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
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
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(cat)
	qps := strings.EqualFold(h.Get("X-RateLimit-Type"), "QPS")
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Limit")); err == nil && n > 0 && qps && (n != b.quota.Calls || b.quota.Period != time.Second) {
		b.quota.Period = time.Second
		b.setCalls(n)
	}
	if status == http.StatusTooManyRequests && retryAfter > 0 && retryAfter <= maxWait && (qps || h.Get("X-RateLimit-Type") == "") {
		if u := time.Now().Add(retryAfter); u.After(b.until) {
			b.until = u
		}
	}
}
