// Package server is Summit Ledger's HTTP transport: chi routes, handlers by
// resource, middleware, one error sink, and form decoding.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"summitledger/internal/auth"
	"summitledger/internal/postgres"
)

// Server holds the dependencies every handler needs.
type Server struct {
	DB  *postgres.DB
	Log *slog.Logger
	// BaseURL is the public origin, e.g. "https://ledger.example.org", for
	// canonical links and preview cards; empty means "from the request".
	// When it starts with https://, session cookies are Secure and carry
	// the __Host- prefix.
	BaseURL string
	// Sessions keeps signed-in editors' sessions in PostgreSQL.
	Sessions *scs.SessionManager
	// TrustedProxies are the CIDR prefixes of reverse proxies whose
	// X-Forwarded-For names the client; empty means the peer address is
	// the client, which no request header can change.
	TrustedProxies []string
	// LoginPerAddress and LoginPerAccount are how many failed sign-ins one
	// client address, and one address to one account, may make per minute.
	LoginPerAddress, LoginPerAccount int

	throttle *loginThrottle

	// MetricsAddr, when set, serves /metrics on its own (private)
	// listener instead of the public one.
	MetricsAddr string

	cache   *pageCache
	metrics *metrics
	health  *dbHealth
}

// New returns a server over db.
func New(db *postgres.DB, log *slog.Logger) *Server {
	log = slog.New(requestIDHandler{log.Handler()})
	s := &Server{DB: db, Log: log, Sessions: auth.NewSessions(db.Pool, false),
		LoginPerAddress: 10, LoginPerAccount: 5, cache: newPageCache(), health: newDBHealth()}
	s.cache.onLost = func(err error) { log.Warn("page cache off: lost the change notifications", "err", err) }
	s.metrics = newMetrics(db, s.cache)
	return s
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go s.sweepSessions(ctx)
	go s.WatchChanges(ctx)
	go s.WatchDatabase(ctx)
	if s.MetricsAddr != "" {
		mln, err := net.Listen("tcp", s.MetricsAddr)
		if err != nil {
			srv.Close() //nolint:errcheck // already failing
			return err
		}
		msrv := &http.Server{Handler: s.metrics.handler(), ReadHeaderTimeout: 10 * time.Second}
		go msrv.Serve(mln) //nolint:errcheck // ends with Close below
		defer msrv.Close() //nolint:errcheck
		s.Log.Info("metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	s.Log.Info("listening", "url", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
