package web

import (
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"interviewplanner/domain"
	"interviewplanner/password"
)

// Init builds the route table and the middleware chain. Call it once after
// filling the exported fields.
func (s *Server) Init() error {
	if s.PasswordHash == nil {
		s.PasswordHash = func(pw string) (string, error) { return password.Hash(pw, password.Default) }
	}
	if s.PasswordVerify == nil {
		s.PasswordVerify = password.Verify
	}
	if s.Sleep == nil {
		s.Sleep = sleep
	}
	if err := s.initPasswords(); err != nil {
		return err
	}
	s.registry = prometheus.NewRegistry()
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newHTTPMetrics(s.registry)

	mux := http.NewServeMux()

	// Operations.
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))

	// Signing in and out, invitations.
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /signin", s.handleSignInPage)
	mux.HandleFunc("POST /signin", s.handleSignIn)
	mux.HandleFunc("POST /signout", s.handleSignOut)
	mux.HandleFunc("GET /invitations/{token}", s.handleInvitationPage)
	mux.HandleFunc("POST /invitations/{token}", s.handleInvitationAccept)

	// Own settings.
	mux.HandleFunc("GET /settings", s.requireUser(s.handleSettings))
	mux.HandleFunc("POST /settings/profile", s.requireUser(s.handleSettingsProfile))
	mux.HandleFunc("POST /settings/password", s.requireUser(s.handleSettingsPassword))

	// Users (admins).
	mux.HandleFunc("GET /users", s.requireAdmin(s.handleUsers))
	mux.HandleFunc("POST /users/invitations", s.requireAdmin(s.handleUsersInvite))
	mux.HandleFunc("POST /users/invitations/{id}/revoke", s.requireAdmin(s.handleUsersRevokeInvitation))
	mux.HandleFunc("POST /users/{id}/role", s.requireAdmin(s.handleUsersRole))
	mux.HandleFunc("POST /users/{id}/active", s.requireAdmin(s.handleUsersActive))
	mux.HandleFunc("GET /audit", s.requireAdmin(s.handleAudit))

	// JSON API.
	mux.HandleFunc("GET /api/v1/me", s.requireUser(s.handleAPIMe))
	mux.HandleFunc("GET /api/v1/users", s.requireAdmin(s.handleAPIUsers))
	mux.HandleFunc("GET /api/v1/users/{id}", s.requireAdmin(s.handleAPIUser))
	mux.HandleFunc("PATCH /api/v1/users/{id}", s.requireAdmin(s.handleAPIUserUpdate))
	mux.HandleFunc("POST /api/v1/invitations", s.requireAdmin(s.handleAPIInvite))
	mux.HandleFunc("/api/", s.handleAPINotFound)

	s.AddNav(NavItem{Label: "Users", Path: "/users", Order: 80, Show: (*domain.User).IsAdmin})
	s.AddNav(NavItem{Label: "Audit log", Path: "/audit", Order: 90, Show: (*domain.User).IsAdmin})

	for _, f := range s.Features {
		f.Register(s, mux)
	}
	slices.SortStableFunc(s.nav, func(a, b NavItem) int { return a.Order - b.Order })

	var err error
	if s.pages, err = parsePages(s.funcs, s.tmplFS...); err != nil {
		return err
	}

	// Outermost first: request id and logging see everything, including
	// requests refused as cross-origin.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, domain.Errorf(domain.EFORBIDDEN, "This form was sent from another site, so it was refused. Reload the page and try again."))
	}))
	var h http.Handler = recordRoute(mux)
	h = s.checkQueryText(h)
	h = s.loadUser(h)
	h = csrf.Handler(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	h = requestID(h)
	s.handler = h
	return nil
}
