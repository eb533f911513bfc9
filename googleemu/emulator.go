// Package googleemu is InterviewPlanner's Google Workspace emulator: Google
// as the application sees it. One origin plays accounts.google.com (the
// account chooser and consent pages), oauth2.googleapis.com (token and
// revoke, including the service-account JWT bearer grant verified against
// the uploaded key's public half), admin.googleapis.com (Directory users,
// buildings and room resources) and www.googleapis.com (Calendar
// calendarList, events, freeBusy, push channels). Every API request is
// validated against Google's discovery documents (googlespec). A JSON
// control API under /_emulator/ seeds workspaces and injects faults. State
// lives in memory and, with Config.StateFile, in a file that survives a
// restart.
package googleemu

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base32"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/googlespec"
	"interviewplanner/statefile"
)

// Config is the emulator's registered OAuth client and behaviour.
type Config struct {
	// The web OAuth client the application uses (Cloud console → Credentials).
	ClientID, ClientSecret string
	RedirectURLs           []string
	AppName                string // shown on the consent page; "" = "InterviewPlanner"
	Now                    func() time.Time
	Logger                 *slog.Logger
	// HTTPClient delivers push notifications; nil = a client with a 5 s timeout.
	HTTPClient *http.Client
	// PushRetryDelays are the waits between delivery attempts of a push
	// notification answered 500/502/503/504 (Google backs off exponentially);
	// nil = 1s, 2s, 4s.
	PushRetryDelays []time.Duration
	// AllowHTTPPush accepts http:// channel addresses (Google requires
	// HTTPS); the demo and tests run on loopback without TLS.
	AllowHTTPPush bool
	// StateFile keeps the state across restarts.
	StateFile string
	// NewKey makes the key pair of a new service account key; nil = a
	// fresh 2048-bit RSA key, as the Cloud console makes. Tests share one
	// (making one costs a tenth of a second, ten times that under the race
	// detector).
	NewKey func() (*rsa.PrivateKey, error)
}

// Emulator is an in-memory Google Workspace. It is an http.Handler and safe
// for concurrent use.
type Emulator struct {
	emuhttp.Base
	cfg Config
	mux *http.ServeMux

	mu         sync.Mutex
	st         *State
	pending    map[string]*authRequest // consent pages in progress
	codes      map[string]*authCode
	faults     emuhttp.Faults[Fault]
	requests   []RecordedRequest
	deliveries []Delivery
	fbErrors   map[string]string // calendar → per-calendar free/busy error reason
	dropPush   bool

	file statefile.File
}

// New builds an emulator, loading Config.StateFile when it exists.
func New(cfg Config) (*Emulator, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("googleemu: client id and secret are required")
	}
	if cfg.AppName == "" {
		cfg.AppName = "InterviewPlanner"
	}
	if cfg.PushRetryDelays == nil {
		cfg.PushRetryDelays = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	}
	e := &Emulator{cfg: cfg, st: newState(),
		pending: map[string]*authRequest{}, codes: map[string]*authCode{}, fbErrors: map[string]string{},
		file: statefile.File{Path: cfg.StateFile, Name: "googleemu"}}
	e.Init(cfg.Now, cfg.Logger, cfg.HTTPClient, 5*time.Second)
	if err := e.load(); err != nil {
		return nil, err
	}
	e.mux = e.routes()
	return e, nil
}

// Close stops push deliveries in flight and saves the state file.
func (e *Emulator) Close() {
	e.Stop()
	if err := e.Save(); err != nil {
		e.Log.Error("googleemu: save on close", "err", err)
	}
}

func (e *Emulator) routes() *http.ServeMux {
	m := http.NewServeMux()
	// accounts.google.com
	m.HandleFunc("GET /o/oauth2/v2/auth", e.authorize)
	m.HandleFunc("GET /o/oauth2/auth", e.authorize)
	m.HandleFunc("POST /AccountChooser", e.chooseAccount)
	m.HandleFunc("POST /o/oauth2/consent", e.consent)
	// oauth2.googleapis.com
	m.HandleFunc("POST /token", e.token)
	m.HandleFunc("POST /revoke", e.revoke)
	// admin.googleapis.com
	m.HandleFunc("GET /admin/directory/v1/users", e.api(dirAPI, e.usersList))
	m.HandleFunc("GET /admin/directory/v1/users/{userKey}", e.api(dirAPI, e.usersGet))
	m.HandleFunc("GET /admin/directory/v1/customer/{customer}/resources/calendars", e.api(dirAPI, e.resourcesList))
	m.HandleFunc("GET /admin/directory/v1/customer/{customer}/resources/buildings", e.api(dirAPI, e.buildingsList))
	// www.googleapis.com/calendar/v3
	m.HandleFunc("GET /calendar/v3/users/me/calendarList", e.api(calAPI, e.calendarList))
	m.HandleFunc("GET /calendar/v3/calendars/{calendarId}/events", e.api(calAPI, e.eventsList))
	m.HandleFunc("POST /calendar/v3/calendars/{calendarId}/events", e.api(calAPI, e.eventsInsert))
	m.HandleFunc("GET /calendar/v3/calendars/{calendarId}/events/{eventId}", e.api(calAPI, e.eventsGet))
	m.HandleFunc("PATCH /calendar/v3/calendars/{calendarId}/events/{eventId}", e.api(calAPI, e.eventsPatch))
	m.HandleFunc("DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}", e.api(calAPI, e.eventsDelete))
	m.HandleFunc("POST /calendar/v3/calendars/{calendarId}/events/watch", e.api(calAPI, e.eventsWatch))
	m.HandleFunc("POST /calendar/v3/channels/stop", e.api(calAPI, e.channelsStop))
	m.HandleFunc("POST /calendar/v3/freeBusy", e.api(calAPI, e.freeBusy))
	// Anything else the description has answers 501; anything it lacks 404.
	m.HandleFunc("/calendar/v3/", e.api(calAPI, notImplemented))
	m.HandleFunc("/admin/", e.api(dirAPI, notImplemented))
	e.controlRoutes(m)
	m.HandleFunc("GET /console", e.console)
	m.HandleFunc("POST /console/keys", e.consoleKey)
	m.HandleFunc("POST /console/dwd", e.consoleDWD)
	m.HandleFunc("GET /{$}", e.home)
	return m
}

// ServeHTTP records the request, applies injected faults, then serves it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer emuhttp.Recover(e.Log, "googleemu", r, func() {
		writeError(w, http.StatusInternalServerError, "global", "backendError", "Backend Error")
	})
	body, tooBig, err := emuhttp.ReadBody(r)
	if err != nil || tooBig {
		writeError(w, http.StatusRequestEntityTooLarge, "global", "uploadTooLarge", "Request too large.")
		return
	}
	rec := &emuhttp.Recorder{ResponseWriter: w}
	r = emuhttp.WithBody(r, body)
	control := strings.HasPrefix(r.URL.Path, "/_emulator/")
	if !control {
		defer func() { e.record(r, body, rec.Status) }()
		if e.applyFault(rec, r) {
			return
		}
	}
	e.mux.ServeHTTP(rec, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := e.Save(); err != nil {
			e.Log.Error("googleemu: save", "err", err)
		}
	}
}

// GoogleError is one entry of Google's error envelope.
type GoogleError struct {
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Message      string `json:"message"`
	LocationType string `json:"locationType,omitempty"`
	Location     string `json:"location,omitempty"`
}

var statusNames = map[int]string{400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}

// writeError answers with Google's API error envelope (FACTS §C).
func writeError(w http.ResponseWriter, status int, domain, reason, message string, loc ...string) {
	ge := GoogleError{Domain: domain, Reason: reason, Message: message}
	if len(loc) == 2 {
		ge.LocationType, ge.Location = loc[0], loc[1]
	}
	body := map[string]any{"code": status, "message": message, "errors": []GoogleError{ge}}
	if s, ok := statusNames[status]; ok {
		body["status"] = s
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error=invalid_token`)
	}
	writeJSON(w, status, map[string]any{"error": body})
}

// readJSON reads the request body into v; a body that is not JSON gets
// Google's parse error, and false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.Unmarshal(emuhttp.Body(r), v); err != nil {
		writeError(w, http.StatusBadRequest, "global", "parseError", "Parse Error")
		return false
	}
	return true
}

// cannedError is Google's body for a fault's reason.
func cannedError(w http.ResponseWriter, status int, reason string) {
	switch reason {
	case "rateLimitExceeded":
		writeError(w, status, "usageLimits", reason, "Rate Limit Exceeded")
	case "userRateLimitExceeded":
		writeError(w, status, "usageLimits", reason, "User Rate Limit Exceeded")
	case "quotaExceeded":
		writeError(w, status, "usageLimits", reason, "Calendar usage limits exceeded.")
	case "fullSyncRequired":
		writeError(w, status, "calendar", reason, "Sync token is no longer valid, a full sync is required.", "parameter", "syncToken")
	case "":
		if status >= 500 {
			writeError(w, status, "global", "backendError", "Backend Error")
			return
		}
		writeError(w, status, "global", "badRequest", http.StatusText(status))
	default:
		writeError(w, status, "global", reason, http.StatusText(status))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":500,"message":"Backend Error","errors":[{"domain":"global","reason":"backendError","message":"Backend Error"}]}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func notImplemented(w http.ResponseWriter, r *http.Request, _ *caller) {
	writeError(w, http.StatusNotImplemented, "global", "notImplemented", "The emulator does not implement this method.")
}

// randomToken returns n random bytes, base64url-free (base32hex lower case),
// usable in URLs, cookies and event ids.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// api wraps an API handler: the bearer token, the discovery validation of
// the request, the method's scopes.
type apiKind int

const (
	calAPI apiKind = iota
	dirAPI
)

type apiHandler func(http.ResponseWriter, *http.Request, *caller)

func (e *Emulator) api(kind apiKind, h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var spec *googlespec.API
		var err error
		if kind == calAPI {
			spec, err = googlespec.Calendar()
		} else {
			spec, err = googlespec.Directory()
		}
		if err != nil {
			writeError(w, 500, "global", "backendError", err.Error())
			return
		}
		m, _, ferr := spec.Find(r.Method, r.URL.EscapedPath())
		if ferr != nil {
			writeError(w, http.StatusNotFound, "global", "notFound", "Not Found")
			return
		}
		c, ok := e.authenticate(w, r)
		if !ok {
			return
		}
		if len(m.Scopes) > 0 && !c.hasAny(m.Scopes) {
			writeError(w, http.StatusForbidden, "global", "insufficientPermissions", "Request had insufficient authentication scopes.")
			return
		}
		if _, err := spec.ValidateRequest(r, emuhttp.Body(r)); err != nil {
			writeError(w, http.StatusBadRequest, "global", "invalid", "Invalid request: "+err.Error())
			return
		}
		h(w, r, c)
	}
}

// Save writes the state to Config.StateFile (a no-op without one),
// atomically.
func (e *Emulator) Save() error {
	return e.file.Save(func() ([]byte, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		return json.Marshal(e.st)
	})
}

func (e *Emulator) load() error {
	st := newState()
	if found, err := e.file.Load(st, stateVersion); !found || err != nil {
		return err
	}
	st.fill()
	e.st = st
	return nil
}

// HasState reports whether any workspace exists (for example, loaded from
// the state file).
func (e *Emulator) HasState() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.st.Customers) > 0
}
