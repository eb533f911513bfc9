// Package webhook verifies and decodes the webhooks Zoom sends to the
// deauthorization endpoint (app_deauthorized, endpoint.url_validation).
//
// Signatures are checked over the raw request bytes: re-serialising the JSON
// first (as Zoom's JavaScript samples do) changes the bytes and breaks them.
package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxSkew is how far the request timestamp may be from now; older requests
// are treated as replays.
const MaxSkew = 5 * time.Minute

// Event names the product handles.
const (
	EventAppDeauthorized = "app_deauthorized"
	EventURLValidation   = "endpoint.url_validation"
)

var (
	// ErrUnsigned means the signature or timestamp header is missing.
	ErrUnsigned = errors.New("webhook: missing x-zm-signature or x-zm-request-timestamp")
	// ErrBadSignature means the signature does not match the body.
	ErrBadSignature = errors.New("webhook: signature mismatch")
	// ErrStale means the timestamp is outside MaxSkew (or not a number).
	ErrStale = errors.New("webhook: timestamp outside the allowed window")
	// ErrMalformed means the body is not a Zoom event.
	ErrMalformed = errors.New("webhook: malformed event")
)

// Sign returns the x-zm-signature value for a body sent at unix time ts.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("v0:"))
	mac.Write([]byte(ts))
	mac.Write([]byte(":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks x-zm-signature and x-zm-request-timestamp against the raw body.
func Verify(secret []byte, header http.Header, rawBody []byte, now time.Time) error {
	if len(secret) == 0 {
		// An unset secret would make every forged signature computable.
		return errors.New("webhook: no secret configured")
	}
	sig := header.Get("X-Zm-Signature")
	ts := header.Get("X-Zm-Request-Timestamp")
	if sig == "" || ts == "" {
		return ErrUnsigned
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrStale
	}
	sent := time.Unix(secs, 0)
	if d := now.Sub(sent); d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("%w: sent %s", ErrStale, sent.UTC().Format(time.RFC3339))
	}
	if !hmac.Equal([]byte(sig), []byte(Sign(secret, ts, rawBody))) {
		return ErrBadSignature
	}
	return nil
}

// URLValidationResponse is the reply body to an endpoint.url_validation event.
func URLValidationResponse(secret []byte, plainToken string) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(plainToken))
	b, _ := json.Marshal(struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}{plainToken, hex.EncodeToString(mac.Sum(nil))})
	return b
}

// Event is a decoded webhook.
type Event struct {
	Name string
	// Time is event_ts (milliseconds in Zoom's payloads).
	Time time.Time
	// PlainToken is set for endpoint.url_validation.
	PlainToken string
	// Deauthorization is set for app_deauthorized.
	Deauthorization *Deauthorization
	// Payload is the raw payload, for events without a typed field.
	Payload json.RawMessage
}

// Deauthorization is the payload of app_deauthorized.
type Deauthorization struct {
	AccountID string
	UserID    string
	ClientID  string
	// DeauthorizedAt is zero when Zoom sent no parseable time.
	DeauthorizedAt time.Time
	// Signature is Zoom's unique id for this deauthorization, not an HMAC.
	Signature string
}

// ParseEvent decodes a webhook body. It is lenient about fields Zoom has sent
// in several shapes (ids as string or number, user_data_retention as
// string, bool or null) and strict only about what the product needs.
func ParseEvent(raw []byte) (Event, error) {
	var env struct {
		Event   string          `json:"event"`
		EventTS json.RawMessage `json:"event_ts"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return Event{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if env.Event == "" {
		return Event{}, fmt.Errorf("%w: no event name", ErrMalformed)
	}
	ev := Event{Name: env.Event, Payload: env.Payload}
	if ms, ok := looseInt(env.EventTS); ok {
		ev.Time = time.UnixMilli(ms).UTC()
	}
	switch env.Event {
	case EventURLValidation:
		var p struct {
			PlainToken string `json:"plainToken"`
		}
		if err := json.Unmarshal(env.Payload, &p); err != nil || p.PlainToken == "" {
			return Event{}, fmt.Errorf("%w: url_validation without plainToken", ErrMalformed)
		}
		ev.PlainToken = p.PlainToken
	case EventAppDeauthorized:
		var p struct {
			AccountID           json.RawMessage `json:"account_id"`
			UserID              json.RawMessage `json:"user_id"`
			ClientID            json.RawMessage `json:"client_id"`
			DeauthorizationTime json.RawMessage `json:"deauthorization_time"`
			Signature           json.RawMessage `json:"signature"`
			// user_data_retention is deliberately not decoded: legacy, and seen as "false", false and null.
		}
		if err := json.Unmarshal(env.Payload, &p); err != nil {
			return Event{}, fmt.Errorf("%w: app_deauthorized payload: %w", ErrMalformed, err)
		}
		d := &Deauthorization{
			AccountID: looseString(p.AccountID),
			UserID:    looseString(p.UserID),
			ClientID:  looseString(p.ClientID),
			Signature: looseString(p.Signature),
		}
		if d.AccountID == "" {
			return Event{}, fmt.Errorf("%w: app_deauthorized without account_id", ErrMalformed)
		}
		if t, err := time.Parse(time.RFC3339Nano, looseString(p.DeauthorizationTime)); err == nil {
			d.DeauthorizedAt = t.UTC()
		}
		ev.Deauthorization = d
	}
	return ev, nil
}

// looseString reads a JSON string or number as a string; anything else is "".
func looseString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func looseInt(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(looseString(raw), 10, 64)
	return n, err == nil
}
