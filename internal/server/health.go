package server

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// healthz answers while the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n")) //nolint:errcheck
}

// readyz answers 200 when the database is reachable, 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err := s.DB.Ping(ctx)
	if _, down := s.health.current(); down && err == nil {
		err = errors.New("the last ping failed")
	}
	if err != nil {
		s.Log.Warn("not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n")) //nolint:errcheck
		return
	}
	w.Write([]byte("ready\n")) //nolint:errcheck
}
