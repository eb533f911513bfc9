package zoom_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"interviewplanner/zoom"
	"interviewplanner/zoomspec"
)

const (
	testClientID     = "client-id"
	testClientSecret = "client-secret-value"
	testRedirect     = "https://planner.example/integrations/zoom/callback"
	// firstMeetingID exceeds 2^32 like real Zoom meeting ids.
	firstMeetingID int64 = 85746065123
)

// cannedResponse is an answer the fake gives instead of handling a request.
type cannedResponse struct {
	status int
	header http.Header
	body   string
	// hang makes the fake wait until the request's context ends.
	hang bool
}

// recordedRequest is one /v2 request the client sent.
type recordedRequest struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// fakeZoom is a small Zoom: OAuth with rotating refresh tokens, and the REST
// calls the product uses, with hooks to inject failures.
type fakeZoom struct {
	tb     testing.TB
	scopes string
	// spec checks every /v2 request against Zoom's OpenAPI description.
	spec *zoomspec.Validator

	mu             sync.Mutex
	seq            int
	codes          map[string]string // code -> PKCE challenge
	refreshToken   string            // the only refresh token that works
	access         map[string]time.Time
	refreshes      int
	exchanges      int
	withoutBasic   int
	revoked        []string
	beforeRefresh  func(presented string) // runs before a refresh is answered, without the lock
	canned         map[string][]cannedResponse
	apiCalls       map[string]int
	requests       []recordedRequest
	meetings       map[int64]map[string]any
	nextMeetingID  int64
	users          []map[string]any
	rooms          []map[string]any
	permissions    []string
	always124      bool
	issuedTokens   []string
	lastCreateBody map[string]any
	validated      int
}

func newFakeZoom(tb testing.TB) *fakeZoom {
	spec, err := zoomspec.Load()
	if err != nil {
		tb.Fatalf("load Zoom API description: %v", err)
	}
	f := &fakeZoom{
		tb:            tb,
		spec:          spec,
		scopes:        "user:read:user:admin user:read:list_users:admin meeting:write:meeting:admin",
		codes:         map[string]string{},
		access:        map[string]time.Time{},
		canned:        map[string][]cannedResponse{},
		apiCalls:      map[string]int{},
		meetings:      map[int64]map[string]any{},
		nextMeetingID: firstMeetingID,
		permissions:   []string{"User:Read", "User:Edit", "ZoomRooms:Read"},
	}
	for i := range 5 {
		f.users = append(f.users, map[string]any{"id": fmt.Sprintf("zu%d", i), "email": fmt.Sprintf("u%d@zoom.example", i),
			"first_name": "U", "last_name": strconv.Itoa(i), "type": 2, "status": "active", "role_id": "2"})
	}
	f.users[0]["role_name"] = "Owner"
	f.users[0]["account_id"] = "ZA1"
	f.users[0]["role_id"] = 0 // Zoom sends some ids as numbers
	for i := range 3 {
		f.rooms = append(f.rooms, map[string]any{"id": fmt.Sprintf("r%d", i), "room_id": fmt.Sprintf("R%d", i),
			"name": fmt.Sprintf("Room %d", i), "status": "Available", "location_id": "L1", "activation_code": "secret"})
	}
	return f
}

// handler serves the fake's OAuth (under /oauth) and REST API (under /v2).
func (f *fakeZoom) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", f.handleToken)
	mux.HandleFunc("POST /oauth/revoke", f.handleRevoke)
	api := http.NewServeMux()
	api.HandleFunc("GET /v2/users/{id}", f.handleUser)
	api.HandleFunc("GET /v2/users", f.handleUsers)
	api.HandleFunc("GET /v2/users/{id}/permissions", f.handlePermissions)
	api.HandleFunc("POST /v2/users/{id}/meetings", f.handleCreateMeeting)
	api.HandleFunc("GET /v2/users/{id}/meetings", f.handleListMeetings)
	api.HandleFunc("GET /v2/meetings/{id}", f.handleGetMeeting)
	api.HandleFunc("PATCH /v2/meetings/{id}", f.handleUpdateMeeting)
	api.HandleFunc("DELETE /v2/meetings/{id}", f.handleDeleteMeeting)
	api.HandleFunc("GET /v2/rooms", f.handleRooms)
	mux.Handle("/v2/", f.apiMiddleware(api))
	return mux
}

// transport runs the fake in memory: inside a synctest bubble a loopback
// server would keep goroutines out of the bubble's reach.
func (f *fakeZoom) transport() http.RoundTripper { return handlerTransport{f.handler()} }

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sreq := req.Clone(req.Context())
	if sreq.Body == nil {
		sreq.Body = http.NoBody
	}
	sreq.RequestURI = req.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, sreq)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	res := rec.Result()
	res.Request = req
	return res, nil
}

// mustLoopback serves the fake on 127.0.0.1 and returns its base URL.
func (f *fakeZoom) mustLoopback(tb testing.TB) string {
	tb.Helper()
	srv := httptest.NewServer(f.handler())
	tb.Cleanup(srv.Close)
	return srv.URL
}

type clientOption func(*zoom.Config)

// mustClient returns a client of the fake at base (empty base: in-memory transport).
func mustClient(tb testing.TB, f *fakeZoom, base string, opts ...clientOption) *zoom.Client {
	tb.Helper()
	cfg := zoom.Config{ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: testRedirect, RateLimit: rate.Inf}
	if base == "" {
		base = "http://zoom.test"
		cfg.HTTPClient = &http.Client{Transport: f.transport()}
	}
	cfg.AuthURL, cfg.APIURL = base, base+"/v2"
	for _, o := range opts {
		o(&cfg)
	}
	c, err := zoom.New(cfg)
	if err != nil {
		tb.Fatalf("zoom.New: %v", err)
	}
	return c
}

func withLogger(l *slog.Logger) clientOption { return func(c *zoom.Config) { c.Logger = l } }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// issueLocked creates a token pair; the previous refresh token stops working.
func (f *fakeZoom) issueLocked() map[string]any {
	f.seq++
	at, rt := fmt.Sprintf("at-%d-%x", f.seq, time.Now().UnixNano()), fmt.Sprintf("rt-%d", f.seq)
	f.access[at] = time.Now().Add(3599 * time.Second)
	f.refreshToken = rt
	f.issuedTokens = append(f.issuedTokens, at, rt)
	return map[string]any{"access_token": at, "token_type": "bearer", "refresh_token": rt, "expires_in": 3599,
		"scope": f.scopes, "api_url": "https://api.zoom.us"}
}

// issueToken gives a token as a completed connect would, for seeding stores.
func (f *fakeZoom) issueToken() *oauth2.Token {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.issueLocked()
	return &oauth2.Token{AccessToken: m["access_token"].(string), RefreshToken: m["refresh_token"].(string),
		TokenType: "bearer", Expiry: f.access[m["access_token"].(string)]}
}

// authorize stands in for the consent page: it returns a code bound to challenge.
func (f *fakeZoom) authorize(challenge string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	code := fmt.Sprintf("code-%d", f.seq)
	f.codes[code] = challenge
	return code
}

func (f *fakeZoom) checkClient(w http.ResponseWriter, r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		f.mu.Lock()
		f.withoutBasic++
		f.mu.Unlock()
	}
	if r.PostForm.Get("client_secret") != "" {
		f.tb.Errorf("client secret sent in the form body")
	}
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	if !ok || id != testClientID || secret != testClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return false
	}
	return true
}

func (f *fakeZoom) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !f.checkClient(w, r) {
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		f.mu.Lock()
		defer f.mu.Unlock()
		f.exchanges++
		challenge, ok := f.codes[r.PostForm.Get("code")]
		delete(f.codes, r.PostForm.Get("code")) // single use
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge || r.PostForm.Get("redirect_uri") != testRedirect {
			writeJSON(w, http.StatusBadRequest, map[string]string{"reason": "Invalid authorization code " + r.PostForm.Get("code"), "error": "invalid_grant"})
			return
		}
		writeJSON(w, http.StatusOK, f.issueLocked())
	case "refresh_token":
		presented := r.PostForm.Get("refresh_token")
		f.mu.Lock()
		hook := f.beforeRefresh
		f.mu.Unlock()
		if hook != nil {
			hook(presented)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if presented != f.refreshToken {
			writeJSON(w, http.StatusBadRequest, map[string]string{"reason": "Invalid Token!", "error": "invalid_grant"})
			return
		}
		f.refreshes++
		writeJSON(w, http.StatusOK, f.issueLocked())
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
	}
}

func (f *fakeZoom) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !f.checkClient(w, r) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := r.PostForm.Get("token")
	if _, ok := f.access[tok]; !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"reason": "Invalid Token!", "error": "invalid_request"})
		return
	}
	delete(f.access, tok)
	f.refreshToken = ""
	f.revoked = append(f.revoked, tok)
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// failNext makes the next len(rs) requests to key ("GET /v2/users/me") get rs.
func (f *fakeZoom) failNext(key string, rs ...cannedResponse) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.canned[key] = append(f.canned[key], rs...)
}

func (f *fakeZoom) calls(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.apiCalls[key]
}

func (f *fakeZoom) counts() (exchanges, refreshes, withoutBasic int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exchanges, f.refreshes, f.withoutBasic
}

// recorded returns the /v2 requests received so far.
func (f *fakeZoom) recorded() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// expireAccess forgets every access token, as Zoom does when it revokes one early.
func (f *fakeZoom) expireAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
}

func (f *fakeZoom) apiMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		key := r.Method + " " + r.URL.Path
		if err := f.spec.ValidateRequest(r, body); err != nil {
			f.tb.Errorf("request does not match Zoom's API description: %s %s %s: %v", r.Method, r.URL, body, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mu.Lock()
		f.validated++
		f.apiCalls[key]++
		f.requests = append(f.requests, recordedRequest{Method: r.Method, URL: r.URL, Header: r.Header.Clone(), Body: body})
		var canned *cannedResponse
		if q := f.canned[key]; len(q) > 0 {
			canned, f.canned[key] = &q[0], q[1:]
		}
		bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		exp, known := f.access[bearer]
		always124 := f.always124
		f.mu.Unlock()

		if !known || !time.Now().Before(exp) || always124 {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 124, "message": "Invalid access token."})
			return
		}
		if canned != nil {
			if canned.hang {
				<-r.Context().Done()
				return
			}
			for k, v := range canned.header {
				w.Header()[k] = v
			}
			w.WriteHeader(canned.status)
			io.WriteString(w, canned.body)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (f *fakeZoom) handleUser(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := r.PathValue("id")
	for _, u := range f.users {
		if id == "me" && u["role_name"] == "Owner" || u["id"] == id || u["email"] == id {
			writeJSON(w, http.StatusOK, u)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]any{"code": 1001, "message": "User does not exist: " + id + "."})
}

// page serves items in pages of page_size, using the offset as next_page_token.
func page[T any](r *http.Request, items []T) (out []T, next string) {
	size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
	if size <= 0 {
		size = 30
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("next_page_token"))
	end := min(start+size, len(items))
	if end < len(items) {
		next = strconv.Itoa(end)
	}
	return items[start:end], next
}

func (f *fakeZoom) handleUsers(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	users, next := page(r, f.users)
	writeJSON(w, http.StatusOK, map[string]any{"next_page_token": next, "page_size": len(users), "total_records": len(f.users), "users": users})
}

func (f *fakeZoom) handlePermissions(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"permissions": f.permissions})
}

func (f *fakeZoom) handleRooms(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rooms, next := page(r, f.rooms)
	writeJSON(w, http.StatusOK, map[string]any{"next_page_token": next, "page_size": len(rooms), "rooms": rooms})
}

func (f *fakeZoom) handleCreateMeeting(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 300, "message": "Invalid request body."})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastCreateBody = body
	id := f.nextMeetingID
	f.nextMeetingID++
	m := map[string]any{"id": id, "uuid": fmt.Sprintf("uuid-%d==", id), "host_id": r.PathValue("id"), "topic": body["topic"],
		"type": 2, "status": "waiting", "start_time": body["start_time"], "duration": body["duration"], "timezone": body["timezone"],
		"join_url": fmt.Sprintf("https://zoom.example/j/%d?pwd=x", id), "start_url": fmt.Sprintf("https://zoom.example/s/%d?zak=host-key", id),
		"password": "x", "created_at": time.Now().UTC().Format(time.RFC3339)}
	f.meetings[id] = m
	writeJSON(w, http.StatusCreated, m)
}

func (f *fakeZoom) meeting(w http.ResponseWriter, r *http.Request) (int64, map[string]any, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, ok := f.meetings[id]
	if err != nil || !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 3001, "message": "Meeting does not exist: " + r.PathValue("id") + "."})
		return 0, nil, false
	}
	return id, m, true
}

func (f *fakeZoom) handleGetMeeting(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, m, ok := f.meeting(w, r); ok {
		writeJSON(w, http.StatusOK, m)
	}
}

func (f *fakeZoom) handleUpdateMeeting(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 300, "message": "Invalid request body."})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, m, ok := f.meeting(w, r); ok {
		for _, k := range []string{"topic", "start_time", "duration", "timezone", "agenda"} {
			if v, ok := body[k]; ok {
				m[k] = v
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *fakeZoom) handleDeleteMeeting(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, _, ok := f.meeting(w, r); ok {
		delete(f.meetings, id)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *fakeZoom) handleListMeetings(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []map[string]any
	for id := firstMeetingID; id < f.nextMeetingID; id++ {
		if m, ok := f.meetings[id]; ok && m["host_id"] == r.PathValue("id") {
			all = append(all, m)
		}
	}
	ms, next := page(r, all)
	writeJSON(w, http.StatusOK, map[string]any{"next_page_token": next, "page_size": len(ms), "total_records": len(all), "meetings": ms})
}
