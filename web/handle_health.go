package web

import (
	"context"
	"net/http"
	"time"
)

// Liveness: GET /healthz — the process is alive.
func (s *Server) Liveness(w http.ResponseWriter, r *http.Request) {
	s.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Readiness: GET /readyz — the database answers, so traffic may come.
func (s *Server) Readiness(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Warn("not ready", "err", err)
		s.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "not reachable"})
		return
	}
	s.JSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(s.DB.Dialect)})
}
