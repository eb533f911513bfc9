// Package zoomemu is InterviewPlanner's Zoom emulator: Zoom as the
// application sees it. It serves the OAuth pages and token endpoint, the REST
// operations the application calls under /v2 (validated against Zoom's
// official OpenAPI description), a Marketplace "Installed Apps" page whose
// Uninstall sends a signed app_deauthorized webhook, and a JSON control API
// under /_emulator/ for tests and demos. State lives in memory and, with
// Config.StateFile, in a file that survives a restart.
package zoomemu

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/statefile"
	"interviewplanner/zoomspec"
)

// DefaultScopes are the granular admin scopes InterviewPlanner's app holds.
var DefaultScopes = []string{
	"user:read:user:admin",
	"user:read:list_users:admin",
	"user:read:list_permissions:admin",
	"meeting:write:meeting:admin",
	"meeting:update:meeting:admin",
	"meeting:delete:meeting:admin",
	"meeting:read:meeting:admin",
	"meeting:read:list_meetings:admin",
	"zoom_rooms:read:list_rooms:admin",
}

// DefaultWebhookRetryDelays are Zoom's: three retries after 5, 20 and 60 minutes.
var DefaultWebhookRetryDelays = []time.Duration{5 * time.Minute, 20 * time.Minute, 60 * time.Minute}

// Config is the registered app and the emulator's behaviour.
type Config struct {
	ClientID, ClientSecret string
	RedirectURLs           []string        // exact allow-list
	WebhookSecret          string          // secret token for x-zm-signature
	DeauthorizationURL     string          // where app_deauthorized is POSTed
	WebhookRetryDelays     []time.Duration // nil = Zoom's 5m, 20m, 60m
	Scopes                 []string        // nil = DefaultScopes
	Now                    func() time.Time
	Logger                 *slog.Logger
	// AppName is shown on Zoom's pages; "" = "InterviewPlanner".
	AppName string
	// HTTPClient delivers webhooks; nil = a client with Zoom's 3 s timeout.
	HTTPClient *http.Client
	// StateFile, when set, keeps the state across restarts: New loads it if
	// it exists, and every change made through HTTP (and Close) saves it.
	StateFile string
}

// Emulator is an in-memory Zoom. It is an http.Handler and safe for
// concurrent use.
type Emulator struct {
	emuhttp.Base // Stop ends webhook retries
	cfg          Config
	mux          *http.ServeMux

	mu sync.Mutex
	st *state

	faults emuhttp.Faults[Fault]

	file statefile.File

	// pending is a save scheduled after a change (saveSoon).
	pendingMu sync.Mutex
	pending   *time.Timer
	closed    bool
}

// saveDelay gathers a burst of changes into one save: a save writes every
// meeting, so saving after each request made a burst of creates cost the
// square of its size.
const saveDelay = 200 * time.Millisecond

// saveSoon saves the state shortly after a change; Close saves what is
// left.
func (e *Emulator) saveSoon() {
	if e.cfg.StateFile == "" {
		return
	}
	e.pendingMu.Lock()
	defer e.pendingMu.Unlock()
	if e.closed || e.pending != nil {
		return
	}
	e.pending = time.AfterFunc(saveDelay, func() {
		e.pendingMu.Lock()
		e.pending = nil
		e.pendingMu.Unlock()
		if err := e.Save(); err != nil {
			e.Log.Error("zoomemu: save", "err", err)
		}
	})
}

// New checks cfg and builds an emulator with no accounts.
func New(cfg Config) (*Emulator, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("zoomemu: client id and secret are required")
	}
	if len(cfg.RedirectURLs) == 0 {
		return nil, errors.New("zoomemu: at least one redirect URL is required")
	}
	if cfg.Scopes == nil {
		cfg.Scopes = slices.Clone(DefaultScopes)
	}
	if cfg.WebhookRetryDelays == nil {
		cfg.WebhookRetryDelays = slices.Clone(DefaultWebhookRetryDelays)
	}
	cfg.AppName = cmp.Or(cfg.AppName, "InterviewPlanner")
	e := &Emulator{
		cfg:  cfg,
		st:   newState(cfg.Scopes),
		file: statefile.File{Path: cfg.StateFile, Name: "zoomemu"},
	}
	e.Init(cfg.Now, cfg.Logger, cfg.HTTPClient, 3*time.Second)
	if err := e.load(); err != nil {
		return nil, err
	}
	e.mux = e.routes()
	return e, nil
}

// ConfigFromEnv reads the app registration from the same IP_ZOOM_* settings
// the application reads, so a standalone emulator and the application agree
// without extra setup. IP_ZOOM_REDIRECT_URL may list several URLs separated
// by commas.
func ConfigFromEnv(getenv func(string) string) Config {
	var redirects []string
	for _, u := range strings.Split(getenv("IP_ZOOM_REDIRECT_URL"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			redirects = append(redirects, u)
		}
	}
	return Config{
		ClientID:           getenv("IP_ZOOM_CLIENT_ID"),
		ClientSecret:       getenv("IP_ZOOM_CLIENT_SECRET"),
		RedirectURLs:       redirects,
		WebhookSecret:      getenv("IP_ZOOM_WEBHOOK_SECRET"),
		DeauthorizationURL: getenv("IP_ZOOM_DEAUTHORIZATION_URL"),
	}
}

// Close stops pending webhook retries, waits for deliveries in flight and
// saves the state file.
func (e *Emulator) Close() {
	e.Stop()
	e.pendingMu.Lock()
	e.closed = true
	if e.pending != nil {
		e.pending.Stop()
		e.pending = nil
	}
	e.pendingMu.Unlock()
	if err := e.Save(); err != nil {
		e.Log.Error("zoomemu: save on close", "err", err)
	}
}

// ServeHTTP records the request, applies injected faults, then serves it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Answer a bug as Zoom's front end would.
	defer emuhttp.Recover(e.Log, "zoomemu", r, func() {
		writeZoomError(w, http.StatusInternalServerError, 500, "Internal Server Error.")
	})
	body, tooBig, err := emuhttp.ReadBody(r)
	if err != nil {
		writeZoomError(w, http.StatusBadRequest, 300, "Request Body could not be read.")
		return
	}
	rec := &emuhttp.Recorder{ResponseWriter: w}
	control := strings.HasPrefix(r.URL.Path, "/_emulator/")
	if !control {
		defer func() { e.record(r, body, rec.Status) }()
	}
	if tooBig {
		writeZoomError(rec, http.StatusRequestEntityTooLarge, 413, "Request Entity Too Large.")
		return
	}
	if !control {
		if done := e.applyFault(rec, r); done {
			return
		}
	}
	if strings.HasPrefix(r.URL.Path, "/v2/") && path.Clean(r.URL.Path) != r.URL.Path {
		// ServeMux would redirect to the clean path; Zoom's API does not.
		writeZoomError(rec, http.StatusNotFound, 404, "Not Found.")
		return
	}
	r = emuhttp.WithBody(r, body)
	e.mux.ServeHTTP(rec, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Only non-GET requests change what Zoom would remember.
		e.saveSoon()
	}
}

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomID returns a Zoom-looking 22-character id.
func randomID() string { return randomToken(16) }

// randomDigits returns an integer in [lo, hi).
func randomInt(lo, hi int64) int64 {
	n, _ := rand.Int(rand.Reader, big.NewInt(hi-lo))
	return lo + n.Int64()
}

func randomAlnum(n int) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[randomInt(0, int64(len(alphabet)))]
	}
	return string(b)
}

// spec is Zoom's API description, loaded on the first API request rather
// than at start: parsing the 2.7 MB file costs a second of CPU and over
// 100 MB, which a demo that never calls Zoom should not pay.
func (e *Emulator) spec() (*zoomspec.Validator, error) {
	v, err := zoomspec.Load()
	if err != nil {
		return nil, fmt.Errorf("zoomemu: %w", err)
	}
	return v, nil
}
