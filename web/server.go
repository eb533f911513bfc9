// Package web serves InterviewPlanner's pages (server-rendered HTML that
// works without JavaScript) and its JSON API, over net/http.
package web

import (
	"context"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"interviewplanner/config"
	"interviewplanner/domain"
	"interviewplanner/mail"
	"interviewplanner/store"
)

// Server holds what the handlers need. Features add their routes, their
// navigation entries and their page banners when the server is built.
type Server struct {
	DB     *store.DB
	Log    *slog.Logger
	Mail   mail.Sender
	Config *config.Config
	// BaseURL is the public URL links are built on (no trailing slash).
	BaseURL string

	// PasswordHash and PasswordVerify are argon2id by default; tests may
	// use cheaper parameters.
	PasswordHash   func(pw string) (string, error)
	PasswordVerify func(pw, hash string) error

	// TokenUser authenticates an `Authorization: Bearer` API token; nil
	// means the API accepts only sessions.
	TokenUser func(ctx context.Context, token string) (*domain.User, error)

	// RevokeAPITokens deletes all of a user's API tokens and says how
	// many; nil when the product has none.
	RevokeAPITokens func(ctx context.Context, accountID, userID int64) (int64, error)

	// Features are the parts of the product beyond sign-in and users:
	// Init lets each add its templates, navigation entries and banners.
	// Their routes are in the one route table, web/routes.
	Features []Feature

	// Sleep waits on a failed sign-in; tests replace it.
	Sleep func(time.Duration)

	hashSlots chan struct{}          // bounds concurrent argon2id work
	dummyHash func() (string, error) // checked for unknown addresses

	pages    map[string]*template.Template
	tmplFS   []fs.FS
	funcs    template.FuncMap
	nav      []NavItem
	banners  []func(r *http.Request, u *domain.User) []Banner
	notices  []func(r *http.Request, u *domain.User) []Banner
	registry *prometheus.Registry
	metrics  *httpMetrics
	handler  http.Handler

	metricsHandler http.Handler
}

// Feature is one part of the product (hiring, Find times, calendars,
// integrations): it adds its templates, navigation entries and banners;
// web/routes mounts its handlers.
type Feature interface {
	Setup(s *Server)
}

// NavItem is an entry of the navigation bar, shown to users Show accepts.
type NavItem struct {
	Label string
	Path  string
	Order int
	Show  func(u *domain.User) bool
	// Admin entries sit together under one "Admin" menu, so the bar stays
	// one line on a laptop.
	Admin bool
}

// Banner is a message shown on top of every page, e.g. "Zoom needs
// reconnecting".
type Banner struct {
	Kind     string // info, warning, error
	Message  string
	Link     string
	LinkText string
}

// AddTemplates adds a feature's page templates: the files
// "templates/*.html" of fsys (the feature's embedded folder), each defining
// "content", and "templates/_*.html", pieces its pages share; call it from
// Setup.
func (s *Server) AddTemplates(fsys fs.FS) {
	sub, _ := fs.Sub(fsys, "templates") // "templates" is a valid path: no error
	s.tmplFS = append(s.tmplFS, sub)
}

// AddFuncs adds template functions for a feature's pages; call it from
// Setup.
func (s *Server) AddFuncs(m template.FuncMap) {
	if s.funcs == nil {
		s.funcs = template.FuncMap{}
	}
	for k, v := range m {
		s.funcs[k] = v
	}
}

// AddNav adds a navigation entry.
func (s *Server) AddNav(item NavItem) { s.nav = append(s.nav, item) }

// AddBanner adds a source of page banners.
func (s *Server) AddBanner(f func(r *http.Request, u *domain.User) []Banner) {
	s.banners = append(s.banners, f)
}

// AddHomeNotice adds a source of notices for the home page only (what
// needs the signed-in user's attention: a declined interview, a paused
// calendar).
func (s *Server) AddHomeNotice(f func(r *http.Request, u *domain.User) []Banner) {
	s.notices = append(s.notices, f)
}

// Registry is the Prometheus registry behind /metrics; features may add
// their own collectors.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// SecureCookies reports whether the app is served over HTTPS.
func (s *Server) SecureCookies() bool { return strings.HasPrefix(s.BaseURL, "https://") }
