// Package emuhttp is the HTTP plumbing the provider emulators (googleemu,
// msemu, zoomemu) share: the request body read once, a response writer
// that keeps the status for the request log, panics answered rather than
// fatal, faults injected by method and path, the PKCE check of OAuth
// authorization codes, and the Base every emulator runs on (clock, log,
// callback client, deliveries in flight). What each answer says
// stays with its emulator, since every provider words errors its own way.
package emuhttp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"

	"interviewplanner/httpstatus"
)

// MaxBody is the largest request body an emulator reads.
const MaxBody = 1 << 20

// ReadBody reads r's body once, so that it can be logged and validated
// before a handler sees it; tooBig reports a body over MaxBody.
func ReadBody(r *http.Request) (body []byte, tooBig bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, false, err
	}
	if len(body) > MaxBody {
		return nil, true, nil
	}
	return body, false, nil
}

type bodyKey struct{}

// WithBody returns r carrying the body ReadBody read, for Body.
func WithBody(r *http.Request, body []byte) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), bodyKey{}, body))
}

// Body returns the body WithBody attached to r.
func Body(r *http.Request) []byte {
	b, _ := r.Context().Value(bodyKey{}).([]byte)
	return b
}

// Recorder keeps the status of the answer for the request log; its
// Discard loses the answer (see httpstatus.Recorder).
type Recorder = httpstatus.Recorder

// Recover, deferred by ServeHTTP, turns a handler's panic into the
// provider's answer for an internal error (written by answer), so that a
// bug in an emulator does not take a test run down with it. An
// http.ErrAbortHandler, a deliberately dropped connection, goes on.
func Recover(log *slog.Logger, emulator string, r *http.Request, answer func()) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	log.Error(emulator+": panic", "panic", p, "path", r.URL.Path)
	answer()
}

// BaseURL is the emulator's own origin as the client addressed it.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// PKCEMatches reports whether an authorization code's verifier answers the
// challenge its authorization request carried, by method "S256" or plain
// (RFC 7636 section 4.6). Any rule on the verifier's length is the
// provider's.
func PKCEMatches(method, challenge, verifier string) bool {
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
