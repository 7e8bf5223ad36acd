package auth

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Session timeouts: a session ends after IdleTimeout without a request, and
// after Lifetime whatever the activity, so a forgotten browser does not stay
// signed in for good.
const (
	IdleTimeout = 2 * time.Hour
	Lifetime    = 12 * time.Hour
)

// Cookie names. Browsers accept a __Host- cookie only when it is Secure,
// has Path=/ and no Domain, so no subdomain or plain-HTTP page can plant one.
const (
	CookieName    = "ledger_session"
	TLSCookieName = "__Host-ledger_session"
)

// NewSessions returns a session manager that keeps sessions in the sessions
// table of pool. The cookie is HttpOnly and SameSite=Lax; with secure it is
// also Secure and carries the __Host- prefix, for sites served over TLS.
//
// Expired rows are removed by DeleteExpiredSessions, run by the server while
// it serves, rather than by pgxstore's own goroutine, which would outlive
// every test that made a manager.
func NewSessions(pool *pgxpool.Pool, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	sm.IdleTimeout = IdleTimeout
	sm.Lifetime = Lifetime
	sm.Cookie.Name = CookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Domain = ""
	SetSecure(sm, secure)
	return sm
}

// SetSecure makes sm's cookie Secure with the __Host- prefix, or neither:
// a Secure cookie is never sent over plain HTTP, so a site served without
// TLS could not keep anyone signed in.
func SetSecure(sm *scs.SessionManager, secure bool) {
	sm.Cookie.Secure = secure
	sm.Cookie.Name = CookieName
	if secure {
		sm.Cookie.Name = TLSCookieName
	}
}
