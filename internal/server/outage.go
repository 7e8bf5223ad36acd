package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"summitledger/internal/postgres"
	"summitledger/web"
)

// While the database does not answer, every request that needs it answers
// 503 with Retry-After within about a second, and recovers by itself:
//   - watchDB pings the database every pingEvery, allowing pingWithin;
//     when a ping fails, every request waiting on the database is cut at
//     once, and new ones fail fast, until a ping succeeds again;
//   - each request carries a deadline (requestTimeout), and each statement
//     the server's statement_timeout (postgres.StatementTimeout);
//   - the error sink answers those failures with the outage page, which
//     keeps a sent form so that it can be sent again unchanged.
const (
	pingEvery      = 250 * time.Millisecond
	pingWithin     = 500 * time.Millisecond
	requestTimeout = 15 * time.Second
	retryAfter     = "5"
)

// dbHealth is the database's state as the last ping saw it. down is
// cancelled when the database stops answering and replaced when it comes
// back; each request's context ends with it.
type dbHealth struct {
	mu     sync.Mutex
	down   context.Context
	cancel context.CancelFunc
	isDown bool
}

func newDBHealth() *dbHealth {
	h := &dbHealth{}
	h.down, h.cancel = context.WithCancel(context.Background())
	return h
}

func (h *dbHealth) set(up bool) (changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if up == !h.isDown {
		return false
	}
	h.isDown = !up
	if up {
		h.down, h.cancel = context.WithCancel(context.Background())
	} else {
		h.cancel()
	}
	return true
}

func (h *dbHealth) current() (context.Context, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down, h.isDown
}

// WatchDatabase pings the database until ctx ends, and cuts requests short
// while it does not answer.
func (s *Server) WatchDatabase(ctx context.Context) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, pingWithin)
		err := s.DB.Ping(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if s.health.set(err == nil) {
			if err != nil {
				s.Log.Error("database not answering: answering 503 until it does", "err", err)
			} else {
				s.Log.Info("database answering again")
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// The causes with which bound ends a request; a request ended for any
// other cause was ended by its client.
var (
	errRequestTimeout = errors.New("the request took too long")
	errDatabaseDown   = errors.New("the database does not answer")
)

// clientGone reports whether the client ended r, rather than the server.
func clientGone(r *http.Request) bool {
	cause := context.Cause(r.Context())
	return cause != nil && !errors.Is(cause, errRequestTimeout) && !errors.Is(cause, errDatabaseDown)
}

// bound gives each request a deadline, and ends it as soon as the
// database is seen not to answer.
func (s *Server) bound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		ctx, stopTimer := context.WithTimeoutCause(ctx, requestTimeout, errRequestTimeout)
		defer stopTimer()
		down, _ := s.health.current()
		stop := context.AfterFunc(down, func() { cancel(errDatabaseDown) })
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// unavailable answers 503 with Retry-After; a form sent is shown back,
// ready to be sent again, with everything typed but passwords.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", retryAfter)
	w.Header().Set("Cache-Control", "no-store")
	var kept *web.KeptForm
	if r.Method == http.MethodPost {
		if r.PostForm == nil { // cut short before the handler read it
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			r.ParseForm() //nolint:errcheck // whatever could be read is kept
		}
		kept = keepForm(r.URL.RequestURI(), r.PostForm)
	}
	s.render(w, r.WithContext(context.WithoutCancel(r.Context())), http.StatusServiceUnavailable,
		web.Outage(s.page(r, "Temporarily unavailable"), kept))
}

// isUnavailable reports whether err means the database did not answer.
func isUnavailable(err error) bool { return postgres.Unavailable(err) }
