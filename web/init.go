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

// Init prepares the server around routes, the route table web/routes
// mounts: the features' templates, navigation and banners, and the
// middleware chain. Call it once after filling the exported fields.
func (s *Server) Init(routes http.Handler) error {
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
	s.metricsHandler = promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})

	s.AddNav(NavItem{Label: "Users", Path: "/users", Order: 80, Show: (*domain.User).IsAdmin, Admin: true})
	s.AddNav(NavItem{Label: "Audit log", Path: "/audit", Order: 90, Show: (*domain.User).IsAdmin, Admin: true})
	for _, f := range s.Features {
		f.Setup(s)
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
	h := recordRoute(routes)
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

// Metrics: GET /metrics — this process's Prometheus metrics.
func (s *Server) Metrics(w http.ResponseWriter, r *http.Request) { s.metricsHandler.ServeHTTP(w, r) }
