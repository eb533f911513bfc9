package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"interviewplanner/domain"
	"interviewplanner/httpstatus"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxUser
	ctxSessionHash
	ctxRoute
)

// recordRoute runs innermost: the mux sets r.Pattern on the request it
// receives, which outer middleware cannot see, so it is copied into a
// holder that logRequests put in the context.
func recordRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if p, ok := r.Context().Value(ctxRoute).(*string); ok {
			*p = r.Pattern
		}
	})
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID tags every request with an id, taken from X-Request-Id when a
// proxy set a sane one, and echoes it back.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxRequestID, id)))
	})
}

// RequestID returns the id of the request ctx belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "interviewplanner_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "interviewplanner_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// logRequests writes one structured line per request and feeds /metrics.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &httpstatus.Recorder{ResponseWriter: w}
		route := new(string)
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), ctxRoute, route)))
		if rec.Status == 0 {
			rec.Status = http.StatusOK
		}
		d := time.Since(start)
		if *route == "" {
			*route = "unmatched"
		}
		s.metrics.requests.WithLabelValues(r.Method, *route, strconv.Itoa(rec.Status)).Inc()
		s.metrics.duration.WithLabelValues(r.Method, *route).Observe(d.Seconds())
		level := slog.LevelInfo
		if rec.Status >= 500 {
			level = slog.LevelError
		}
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || r.URL.Path == "/favicon.ico" {
			level = slog.LevelDebug
		}
		// The path only: query strings may carry OAuth codes and tokens.
		s.Log.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", *route),
			slog.Int("status", rec.Status),
			slog.Int("bytes", rec.Bytes),
			slog.Duration("duration", d))
	})
}

// recoverPanics turns a panic into a 500 page and a logged stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "request_id", RequestID(r.Context()), "panic", v, "stack", string(debug.Stack()))
				s.Error(w, r, domain.Errorf(domain.EINTERNAL, "internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers every response should carry.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// UserFrom returns the signed-in user, or nil.
func UserFrom(ctx context.Context) *domain.User {
	u, _ := ctx.Value(ctxUser).(*domain.User)
	return u
}

// WithUser returns ctx carrying u; tests and background jobs use it.
func WithUser(ctx context.Context, u *domain.User) context.Context {
	return context.WithValue(ctx, ctxUser, u)
}

func (s *Server) requireUser(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if UserFrom(r.Context()) == nil {
			if isAPI(r) {
				s.Error(w, r, domain.Errorf(domain.EUNAUTHORIZED, "Sign in, or send an API token as Authorization: Bearer."))
				return
			}
			target := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				target = "/"
			}
			http.Redirect(w, r, "/signin?next="+urlQueryEscape(target), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// RequireUser, RequireAdmin and RequireScheduler guard a feature's handlers.
func (s *Server) RequireUser(h http.HandlerFunc) http.HandlerFunc { return s.requireUser(h) }

func (s *Server) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return s.requireRole(h, (*domain.User).IsAdmin, "Only admins can do this.")
}

// RequireAdmin allows admins only.
func (s *Server) RequireAdmin(h http.HandlerFunc) http.HandlerFunc { return s.requireAdmin(h) }

// RequireScheduler allows schedulers and admins.
func (s *Server) RequireScheduler(h http.HandlerFunc) http.HandlerFunc {
	return s.requireRole(h, (*domain.User).CanSchedule, "Only schedulers and admins can do this.")
}

// requireRole lets a signed-in user through when allowed says so, and
// answers others 403 with refusal.
func (s *Server) requireRole(h http.HandlerFunc, allowed func(*domain.User) bool, refusal string) http.HandlerFunc {
	return s.requireUser(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(UserFrom(r.Context())) {
			s.Error(w, r, domain.Errorf(domain.EFORBIDDEN, "%s", refusal))
			return
		}
		h(w, r)
	})
}
