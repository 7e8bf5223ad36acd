package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/web"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionEpoch  = "session_epoch" // the user's SessionEpoch at sign-in
	sessionFlash  = "flash"
)

type ctxKey int

const sessionKey ctxKey = iota

// sessionState is what loadUser learned about the request; its presence in
// the context says the session is loaded and may be read.
type sessionState struct {
	user *ledger.User
}

// loadUser reads the signed-in user, if any, for each request. The user is
// read from the database every time, so a role change takes effect at
// once, and a session ends on its next request when the user was disabled
// or their password changed since it signed in (their session epoch moved
// on), on whichever device it is. Every answer
// to a signed-in person is sent Cache-Control: no-store, so no browser or
// proxy cache keeps a page that shows their name, tools or other users.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		st := &sessionState{}
		if id := s.Sessions.GetInt64(ctx, sessionUserID); id != 0 {
			u, err := s.DB.User(ctx, id)
			switch {
			case err == nil && !u.Disabled() && u.SessionEpoch == s.Sessions.GetInt(ctx, sessionEpoch):
				st.user = u
				w.Header().Set("Cache-Control", "no-store")
			case err == nil || ledger.ErrorCode(err) == ledger.ENOTFOUND:
				s.Log.Info("session ended: the user was disabled or their password changed", "user_id", id)
				if err := s.Sessions.Destroy(ctx); err != nil {
					s.error(w, r, err)
					return
				}
			default:
				s.error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, sessionKey, st)))
	})
}

// currentUser returns the signed-in user, or nil for a reader.
func currentUser(r *http.Request) *ledger.User {
	if st, ok := r.Context().Value(sessionKey).(*sessionState); ok {
		return st.user
	}
	return nil
}

// requireEditor lets editors and admins through; anyone else is sent to
// sign in and brought back afterwards, with any form they sent kept.
func (s *Server) requireEditor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			s.signInFirst(w, r)
			return
		}
		if !u.Role.Valid() {
			s.error(w, r, ledger.Errorf(ledger.EUNAUTHORIZED, "Your account may not edit the ledger."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireAdmin lets admins through; an editor gets 403, and anyone else is
// sent to sign in, with any form they sent kept.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			s.signInFirst(w, r)
			return
		}
		if !u.IsAdmin() {
			s.error(w, r, ledger.Errorf(ledger.EUNAUTHORIZED, "Only administrators may open this page. Ask one if you need something done here."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// signInFirst answers a request that needs a signed-in user and has none.
// A GET answers 303 to /login?next=…, coming back afterwards. A form sent
// (most often after the session timed out while it was typed) is kept
// through sign-in by sessionEnded, not lost in a redirect.
func (s *Server) signInFirst(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.sessionEnded(w, r)
		return
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(loginNext(r)), http.StatusSeeOther)
}

// loginNext is where signing in leads: a GET comes back to where it was
// going; a form comes back to the page it was sent from, since its own
// address may take only POST.
func loginNext(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return safeNext(ref.RequestURI())
	}
	return "/"
}

// actor returns the signed-in user as the author of a store write. Use it
// only behind requireEditor or requireAdmin: a reader's actor is the zero
// Actor, which the store takes for the system.
func (s *Server) actor(r *http.Request) ledger.Actor {
	u := currentUser(r)
	if u == nil {
		return ledger.Actor{}
	}
	return ledger.Actor{UserID: u.ID, Name: u.Name}
}

// flash stores a one-time message for the next page the person sees,
// typically after a 303 redirect.
func (s *Server) flash(r *http.Request, msg string) {
	s.Sessions.Put(r.Context(), sessionFlash, msg)
}

// fillSession puts the pending flash message and the signed-in user into
// the layout model. Outside the session middleware (an early refusal) it
// leaves both empty.
func (s *Server) fillSession(r *http.Request, p *web.Page) {
	st, ok := r.Context().Value(sessionKey).(*sessionState)
	if !ok {
		return
	}
	p.Flash = s.Sessions.PopString(r.Context(), sessionFlash)
	if u := st.user; u != nil {
		p.User = &web.User{Name: u.Name, Role: string(u.Role), Admin: u.IsAdmin()}
	}
}

// safeNext returns next when it is a path on this site, else "/", so the
// sign-in form cannot be used to send people elsewhere. Browsers read
// "//host" and "/\host" as other sites, and drop tabs and newlines inside
// URLs, so all of those are refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// sweepSessions deletes expired sessions every ten minutes until ctx ends.
func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.DB.DeleteExpiredSessions(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.Log.Warn("sweep sessions", "err", err)
			}
		}
	}
}

// limitBody caps a form's size; a larger one is answered 413 by the error sink.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// clientIP resolves each request's client address for throttling and logs:
// the TCP peer, or with TrustedProxies the X-Forwarded-For entry left of
// the last trusted proxy. No header is believed from anyone else.
func (s *Server) clientIP() func(http.Handler) http.Handler {
	if len(s.TrustedProxies) > 0 {
		return middleware.ClientIPFromXFF(s.TrustedProxies...)
	}
	return middleware.ClientIPFromRemoteAddr
}

// crossOriginProtection refuses state-changing requests sent by another
// site's page, with a 403 page. BaseURL's origin is trusted as well, for a
// proxy that passes on a different Host.
func (s *Server) crossOriginProtection() *http.CrossOriginProtection {
	cop := http.NewCrossOriginProtection()
	if s.BaseURL != "" {
		if err := cop.AddTrustedOrigin(strings.TrimSuffix(s.BaseURL, "/")); err != nil {
			s.Log.Warn("BASE_URL is not an origin; not trusted for cross-origin checks", "base_url", s.BaseURL, "err", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.errorPage(w, r, http.StatusForbidden, "Not allowed",
			"This form was sent from another site, so it was refused. Go back to Summit Ledger, reload the page and try again.")
	}))
	return cop
}

// configureSessions makes the cookie Secure, with the __Host- prefix, when
// the site is served over TLS (BaseURL starts with https://), and sends
// session store failures to the error sink.
func (s *Server) configureSessions() {
	auth.SetSecure(s.Sessions, strings.HasPrefix(s.BaseURL, "https://"))
	s.Sessions.ErrorFunc = s.error
}
