// Package msemu is InterviewPlanner's Microsoft 365 emulator: one tenant's
// Entra ID and Microsoft Graph as the application sees them. It serves the
// admin consent page and the client-credentials token endpoint (with
// AADSTS errors), and under /v1.0 the users, rooms, calendarView and its
// delta (Graph's paging: 10 a page, recurring occurrences last,
// @odata.nextLink/@odata.deltaLink, @removed, expiring delta tokens), event
// writes with transactionId, getSchedule, and change-notification
// subscriptions with the real validation handshake, notifications and
// lifecycle events. It throttles as Outlook does (four requests in flight
// per mailbox, 429 with Retry-After) and takes injected faults. A JSON
// control API under /_emulator/ serves tests and the demo. State lives in
// memory and, with Config.StateFile, in a file that survives a restart.
package msemu

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"interviewplanner/emuhttp"
	"interviewplanner/statefile"
)

// Config is the app registration, the tenant and the emulator's behaviour.
type Config struct {
	ClientID, ClientSecret string
	// RedirectURLs are the registered redirect URIs (a redirect may add
	// path segments, as Entra allows).
	RedirectURLs []string
	TenantID     string // a GUID; "" = generated
	TenantDomain string // "globex.example"
	AppName      string // "" = "InterviewPlanner"
	// ConsentDelay is how long a fresh admin consent takes to reach tokens
	// (Microsoft: "a while"); tokens issued sooner carry no roles.
	ConsentDelay time.Duration
	// MaxSubscriptionMinutes caps an event subscription's lifetime
	// (default 4,230; Microsoft's pages also say 10,080).
	MaxSubscriptionMinutes int
	// RetryAfter is what throttled answers say (default 1 s).
	RetryAfter time.Duration
	// Latency is added to every Graph request (load tests, concurrency).
	Latency time.Duration
	// AllowHTTPNotifications lets notification URLs use plain HTTP on
	// loopback (tests and the demo); Graph requires HTTPS.
	AllowHTTPNotifications bool
	Now                    func() time.Time
	Logger                 *slog.Logger
	// HTTPClient delivers validation requests and notifications; nil = a
	// client with Graph's 10 s validation timeout.
	HTTPClient *http.Client
	StateFile  string
}

// Emulator is an in-memory Microsoft 365 tenant. It is an http.Handler and
// safe for concurrent use.
type Emulator struct {
	emuhttp.Base
	cfg Config
	mux *http.ServeMux

	mu       sync.Mutex
	st       *State
	inflight map[string]int // per mailbox
	peak     map[string]int // the most in flight at once, per mailbox
	faults   emuhttp.Faults[Fault]
	log_     []Request
	delivery []Delivery

	file statefile.File
}

// New checks cfg and builds an emulator with an empty tenant (or the one
// in the state file).
func New(cfg Config) (*Emulator, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("msemu: client id and secret are required")
	}
	cfg.AppName = cmp.Or(cfg.AppName, "InterviewPlanner")
	cfg.TenantDomain = cmp.Or(cfg.TenantDomain, "contoso.example")
	if cfg.MaxSubscriptionMinutes <= 0 {
		cfg.MaxSubscriptionMinutes = 4230
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = time.Second
	}
	e := &Emulator{cfg: cfg, inflight: map[string]int{}, peak: map[string]int{},
		file: statefile.File{Path: cfg.StateFile, Name: "msemu"}}
	e.Init(cfg.Now, cfg.Logger, cfg.HTTPClient, 10*time.Second)
	e.st = newState(cmp.Or(cfg.TenantID, newGUID()))
	if err := e.load(); err != nil {
		return nil, err
	}
	e.mux = e.routes()
	return e, nil
}

// TenantID is the tenant's GUID.
func (e *Emulator) TenantID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.TenantID
}

// Close waits for deliveries in flight and saves the state file.
func (e *Emulator) Close() {
	e.Stop()
	if err := e.Save(); err != nil {
		e.Log.Error("msemu: save on close", "err", err)
	}
}

func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *Emulator) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", e.home)
	m.HandleFunc("GET /{tenant}/adminconsent", e.consentShow)
	m.HandleFunc("POST /{tenant}/adminconsent", e.consentAnswer)
	m.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.token)
	m.HandleFunc("POST /admin/consent/revoke", e.adminRevoke)
	m.HandleFunc("POST /admin/app/disable", e.adminDisable)
	m.HandleFunc("POST /admin/app/enable", e.adminEnable)

	m.HandleFunc("GET /v1.0/users", e.graph(e.listUsers))
	m.HandleFunc("GET /v1.0/users/{user}", e.graph(e.getUser))
	m.HandleFunc("GET /v1.0/places/microsoft.graph.room", e.graph(e.listRooms))
	m.HandleFunc("GET /v1.0/users/{user}/calendarView", e.mailbox(e.calendarView))
	m.HandleFunc("GET /v1.0/users/{user}/calendar/calendarView", e.mailbox(e.calendarView))
	m.HandleFunc("GET /v1.0/users/{user}/calendarView/delta", e.mailbox(e.delta))
	m.HandleFunc("GET /v1.0/users/{user}/events", e.mailbox(e.listEvents))
	m.HandleFunc("POST /v1.0/users/{user}/events", e.mailbox(e.createEvent))
	m.HandleFunc("POST /v1.0/users/{user}/calendar/events", e.mailbox(e.createEvent))
	m.HandleFunc("GET /v1.0/users/{user}/events/{id}", e.mailbox(e.getEvent))
	m.HandleFunc("PATCH /v1.0/users/{user}/events/{id}", e.mailbox(e.updateEvent))
	m.HandleFunc("DELETE /v1.0/users/{user}/events/{id}", e.mailbox(e.deleteEvent))
	m.HandleFunc("POST /v1.0/users/{user}/calendar/getSchedule", e.mailbox(e.getSchedule))
	m.HandleFunc("POST /v1.0/subscriptions", e.graph(e.createSubscription))
	m.HandleFunc("PATCH /v1.0/subscriptions/{id}", e.graph(e.renewSubscription))
	m.HandleFunc("DELETE /v1.0/subscriptions/{id}", e.graph(e.deleteSubscription))
	m.HandleFunc("POST /v1.0/subscriptions/{id}/reauthorize", e.graph(e.reauthorizeSubscription))

	m.HandleFunc("GET /_emulator/state", e.ctlState)
	m.HandleFunc("POST /_emulator/users", e.ctlAddUser)
	m.HandleFunc("POST /_emulator/rooms", e.ctlAddRoom)
	m.HandleFunc("POST /_emulator/events", e.ctlAddEvent)
	m.HandleFunc("DELETE /_emulator/events/{user}/{id}", e.ctlDeleteEvent)
	m.HandleFunc("POST /_emulator/respond", e.ctlRespond)
	m.HandleFunc("POST /_emulator/faults", e.ctlAddFault)
	m.HandleFunc("DELETE /_emulator/faults", e.ctlClearFaults)
	m.HandleFunc("POST /_emulator/consent", e.ctlConsent)
	m.HandleFunc("POST /_emulator/expire-delta/{user}", e.ctlExpireDelta)
	m.HandleFunc("POST /_emulator/lifecycle", e.ctlLifecycle)
	m.HandleFunc("POST /_emulator/policy", e.ctlPolicy)
	m.HandleFunc("GET /_emulator/requests", e.ctlRequests)
	m.HandleFunc("GET /_emulator/deliveries", e.ctlDeliveries)
	return m
}

func lastSegment(p string) string {
	p = strings.TrimSuffix(p, "/")
	return p[strings.LastIndexByte(p, '/')+1:]
}

// Request is one logged Graph or token request.
type Request struct {
	Method, Path, Query string
	Mailbox             string
	Status              int
	At                  time.Time
	Body                string `json:",omitempty"`
}

// ServeHTTP reads the body, logs, applies faults, serves, and saves the
// state after anything that may have changed it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, tooBig, err := emuhttp.ReadBody(r)
	if err != nil || tooBig {
		graphError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
		return
	}
	r = emuhttp.WithBody(r, body)
	rec := &emuhttp.Recorder{ResponseWriter: w}
	control := strings.HasPrefix(r.URL.Path, "/_emulator/")
	if !control {
		if fault, ok := e.faults.Pick(r); ok {
			if !fault.Drop {
				fault.write(rec)
				e.record(r, body, rec.Status)
				return
			}
			rec.Discard = true
		}
	}
	if _, pattern := e.mux.Handler(r); pattern == "" && strings.HasPrefix(r.URL.Path, "/v1.0/") {
		graphError(rec, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+lastSegment(r.URL.Path)+"'.")
	} else {
		e.mux.ServeHTTP(rec, r)
	}
	if !control {
		e.record(r, body, rec.Status)
	}
	if r.Method != http.MethodGet {
		if err := e.Save(); err != nil {
			e.Log.Error("msemu: save", "err", err)
		}
	}
	if rec.Discard {
		// The work is done but the answer is lost: the connection dies.
		panic(http.ErrAbortHandler)
	}
}

func (e *Emulator) record(r *http.Request, body []byte, status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.log_) >= 10000 {
		e.log_ = e.log_[5000:]
	}
	rq := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Mailbox: r.PathValue("user"), Status: status, At: e.Now()}
	if !strings.Contains(r.URL.Path, "/token") && len(body) < 8192 {
		rq.Body = string(body)
	}
	e.log_ = append(e.log_, rq)
}

// Requests returns the logged requests (control requests excluded).
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Request(nil), e.log_...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// readJSON reads the request body into v; a body that does not fit v gets
// Graph's InvalidRequest, and false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.Unmarshal(emuhttp.Body(r), v); err != nil {
		graphError(w, http.StatusBadRequest, "InvalidRequest", "Cannot read the request body.")
		return false
	}
	return true
}

// graphError writes Graph's error envelope.
func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("request-id", newGUID())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": newGUID(), "client-request-id": newGUID()}}})
}

// savedState is the file's shape.
type savedState struct {
	Version int    `json:"version"`
	State   *State `json:"state"`
}

const stateFileVersion = 1

// Save writes the state to Config.StateFile atomically (a no-op without one).
func (e *Emulator) Save() error {
	return e.file.Save(func() ([]byte, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		return json.Marshal(savedState{Version: stateFileVersion, State: e.st})
	})
}

func (e *Emulator) load() error {
	var s savedState
	if found, err := e.file.Load(&s, stateFileVersion); !found || err != nil {
		return err
	}
	if s.State == nil {
		return fmt.Errorf("msemu: load state %s: no tenant in the file (delete the file to start over)", e.cfg.StateFile)
	}
	s.State.fix()
	e.st = s.State
	return nil
}

// HasState reports whether the tenant has any user (e.g. loaded from file).
func (e *Emulator) HasState() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.st.Users) > 0
}
