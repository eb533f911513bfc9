package googleconnect

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// retryTransport retries what Google asks to retry — 429, 403
// rateLimitExceeded/userRateLimitExceeded, 500, 502, 503, 504 and lost
// connections — with exponential backoff and full jitter. quotaExceeded
// (the calendar is read-only for hours) is not retried. Retrying a write
// is safe: events carry our own ids, so a repeated insert answers 409.
type retryTransport struct {
	base     http.RoundTripper
	attempts int
	delay    time.Duration
}

func (t retryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	for i := 0; ; i++ {
		req := r
		if i > 0 {
			req = r.Clone(r.Context())
			if r.GetBody != nil {
				b, err := r.GetBody()
				if err != nil {
					return nil, err
				}
				req.Body = b
			}
		}
		resp, err := t.base.RoundTrip(req)
		if i+1 >= t.attempts || (r.Body != nil && r.GetBody == nil) || !retryable(resp, err) {
			return resp, err
		}
		wait := t.delay << i
		wait = wait/2 + rand.N(wait/2+1)
		if resp != nil {
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 && s <= 10 {
				wait = time.Duration(s) * time.Second
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		select {
		case <-r.Context().Done():
			return nil, context.Cause(r.Context())
		case <-time.After(wait):
		}
	}
}

func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return true
	}
	switch resp.StatusCode {
	case 429, 500, 502, 503, 504:
		return true
	case 403:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return bytes.Contains(b, []byte(`"rateLimitExceeded"`)) || bytes.Contains(b, []byte(`"userRateLimitExceeded"`))
	}
	return false
}
