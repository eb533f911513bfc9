package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// API makes REST calls on behalf of one connection.
type API struct {
	c      *Client
	tokens *TokenSource
	// limits are this connection's, that is one Zoom account's, buckets.
	limits *limits
}

// API returns the REST API for the connection whose tokens store holds.
// Prefer keeping one API (or TokenSource) per connection: see TokenSource.
func (c *Client) API(store TokenStore) *API {
	return &API{c: c, tokens: c.TokenSource(store), limits: newLimits(c.rateLimit, c.burst)}
}

// APIWith returns the REST API using an existing token source.
func (c *Client) APIWith(tokens *TokenSource) *API {
	return &API{c: c, tokens: tokens, limits: newLimits(c.rateLimit, c.burst)}
}

// TokenSource is the connection's token source.
func (a *API) TokenSource() *TokenSource { return a.tokens }

// maxBody bounds how much of an answer is read; Zoom's largest pages are well under this.
const maxBody = 16 << 20

type call struct {
	method string
	path   string // under APIURL, already escaped
	query  url.Values
	body   any
	// want is the success status (200, 201, 204).
	want int
	out  any
}

// idempotent calls may be retried blindly; POST creates are not, because a
// lost answer may hide a created meeting (the caller reconciles instead).
func (c call) idempotent() bool {
	switch c.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func (a *API) do(ctx context.Context, cl call) error {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("zoom: encode %s %s: %w", cl.method, cl.path, err)
		}
	}
	u := a.c.apiURL + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	log := a.c.log.With(slog.String("method", cl.method), slog.String("path", cl.path))

	var rejected string // access token Zoom answered 124 to
	tokenRetried := false
	for attempt := 1; ; attempt++ {
		tok, err := a.tokens.token(ctx, rejected)
		if err != nil {
			return err
		}
		if err := a.limits.wait(ctx, categoryOf(cl.method, cl.path)); err != nil {
			return fmt.Errorf("zoom: %s %s: %w", cl.method, cl.path, err)
		}
		status, err := a.attempt(ctx, cl, u, payload, tok.AccessToken)
		if err == nil {
			return nil
		}
		var apiErr *APIError
		isAPI := errors.As(err, &apiErr)
		// 124: the token was rejected before anything happened, so even a POST
		// is safe to send again once, with a new token.
		if isAPI && apiErr.Code == CodeInvalidAccessToken && !tokenRetried {
			tokenRetried = true
			rejected = tok.AccessToken
			log.InfoContext(ctx, "zoom rejected access token; refreshing")
			attempt--
			continue
		}
		// A per-second 429 refused the call before doing anything, so even
		// a POST may go again once the bucket lets it.
		refused := isAPI && apiErr.Status == http.StatusTooManyRequests && !apiErr.daily()
		if !(cl.idempotent() || refused) || attempt >= a.c.maxAttempts || ctx.Err() != nil {
			return err
		}
		// status 0 is a transport error or an attempt that timed out.
		if status != 0 && status != http.StatusTooManyRequests && status < 500 {
			return err
		}
		wait := backoff(attempt)
		if isAPI && apiErr.RetryAfter > 0 {
			if apiErr.RetryAfter > a.c.maxRetryWait {
				return err // e.g. a daily limit that resets at midnight UTC
			}
			wait = apiErr.RetryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err // the caller cannot wait that long
		}
		log.InfoContext(ctx, "zoom call failed; retrying", slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.String("error", err.Error()))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// backoff is exponential with full jitter: 0.5 s, 1 s, 2 s, ... up to 30 s.
func backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << (attempt - 1)
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

// attempt sends one request; it returns the HTTP status (0 on transport errors).
func (a *API) attempt(ctx context.Context, cl call, u string, payload []byte, accessToken string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, a.c.attemptTimeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("zoom: %s %s: %w", cl.method, cl.path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, fmt.Errorf("zoom: %s %s: read answer: %w", cl.method, cl.path, err)
	}
	cat := categoryOf(cl.method, cl.path)
	if resp.StatusCode != cl.want && resp.StatusCode/100 != 2 {
		err := parseAPIError(resp, raw, time.Now())
		a.limits.observe(cat, resp.Header, resp.StatusCode, err.RetryAfter, a.c.maxRetryWait)
		return resp.StatusCode, err
	}
	a.limits.observe(cat, resp.Header, resp.StatusCode, 0, a.c.maxRetryWait)
	if cl.out != nil {
		if err := json.Unmarshal(raw, cl.out); err != nil {
			// Not retried: the call succeeded, only its answer is unreadable.
			return resp.StatusCode, fmt.Errorf("zoom: %s %s: decode answer: %w", cl.method, cl.path, err)
		}
	}
	return resp.StatusCode, nil
}
