package zoom

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Zoom error codes the product acts on.
const (
	CodeInvalidAccessToken = 124
	CodeValidationFailed   = 300
	CodeUserNotFound       = 1001
	CodeMeetingNotFound    = 3001
	// CodeCannotHost (3161): the user may not host or schedule meetings,
	// as for a deactivated user.
	CodeCannotHost    = 3161
	CodeMissingScopes = 4711
)

var (
	// ErrInvalidGrant: the token endpoint refused the code or refresh token.
	ErrInvalidGrant = errors.New("zoom: invalid grant")
	// ErrConnectionDead: the refresh token is dead; an admin must reconnect.
	ErrConnectionDead = errors.New("zoom: connection needs reconnecting")
	// ErrAccessTokenInvalid: code 124, the access token is expired or revoked.
	ErrAccessTokenInvalid = errors.New("zoom: invalid access token")
	// ErrUserNotFound: code 1001.
	ErrUserNotFound = errors.New("zoom: user does not exist")
	// ErrMeetingNotFound: code 3001; for delete this means "already deleted".
	ErrMeetingNotFound = errors.New("zoom: meeting does not exist")
	// ErrMissingScopes: code 4711 (or 4700 naming a scope); the admin must re-authorize.
	ErrMissingScopes = errors.New("zoom: token lacks required scopes")
	// ErrRateLimited: HTTP 429.
	ErrRateLimited = errors.New("zoom: rate limited")
	// ErrForbidden: HTTP 403.
	ErrForbidden = errors.New("zoom: access denied")
)

// FieldError is one entry of a validation error's "errors" list.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// APIError is an error answer from the REST API.
type APIError struct {
	Status  int
	Code    int
	Message string
	Errors  []FieldError
	// RetryAfter is the wait Zoom asked for (429), zero if none.
	RetryAfter time.Duration
	// RateLimitType is X-RateLimit-Type ("QPS", "Daily-limit", ...), if sent.
	RateLimitType string
}

// ProviderCode is Zoom's own code and message, for logs that say why a
// call failed without depending on this package.
func (e *APIError) ProviderCode() (int, string) { return e.Code, e.Message }

// daily reports a 429 of a daily limit (the host's or the account's),
// which no retry within the day can pass.
func (e *APIError) daily() bool {
	_, host := e.HostDailyLimit()
	return host || strings.Contains(strings.ToLower(e.RateLimitType), "daily")
}

// HostDailyLimit reports whether this is Zoom's per-user daily cap on
// meeting creates and updates (100 a UTC day), and how long until it
// resets. Only that host is held back: another may still create.
func (e *APIError) HostDailyLimit() (time.Duration, bool) {
	if e.Status != http.StatusTooManyRequests || !strings.Contains(strings.ToLower(e.Message), "particular user") {
		return 0, false
	}
	if e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	now := time.Now().UTC()
	return time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC).Sub(now), true
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zoom: HTTP %d", e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, " code %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, f := range e.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is maps Zoom's codes to the sentinel errors above.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAccessTokenInvalid:
		return e.Code == CodeInvalidAccessToken
	case ErrUserNotFound:
		return e.Code == CodeUserNotFound
	case ErrMeetingNotFound:
		return e.Code == CodeMeetingNotFound
	case ErrMissingScopes:
		// Older answers use the catch-all 4700 with "does not contain ... scope".
		return e.Code == CodeMissingScopes || e.Code == 4700 && strings.Contains(e.Message, "does not contain")
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	}
	return false
}

// IsCode reports whether err is an APIError with Zoom code code.
func IsCode(err error, code int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == code
}

// parseAPIError reads an error answer. Zoom usually sends JSON
// {"code","message","errors"}, but some answers are XML or plain text.
func parseAPIError(resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{Status: resp.StatusCode, RateLimitType: resp.Header.Get("X-RateLimit-Type")}
	var j struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Errors  []FieldError    `json:"errors"`
	}
	var x struct {
		Code    string `xml:"code"`
		Message string `xml:"message"`
	}
	switch {
	case json.Unmarshal(body, &j) == nil:
		e.Code, _ = strconv.Atoi(strings.Trim(string(j.Code), `"`))
		e.Message, e.Errors = j.Message, j.Errors
	case xml.Unmarshal(body, &x) == nil && (x.Code != "" || x.Message != ""):
		e.Code, _ = strconv.Atoi(strings.TrimSpace(x.Code))
		e.Message = strings.TrimSpace(x.Message)
	default:
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "..."
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	return e
}

// parseRetryAfter accepts delta-seconds, an HTTP date, or the ISO-8601
// date-time Zoom sends for daily limits.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	for _, layout := range []string{http.TimeFormat, time.RFC1123Z, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			if d := t.Sub(now); d > 0 {
				return d
			}
			return 0
		}
	}
	return 0
}
