package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/web"
)

// badCredentials is the one answer for an unknown email, a wrong password
// and a disabled account, so the form does not tell which emails exist.
const badCredentials = "Email or password is incorrect."

// loginForm shows the sign-in form; a signed-in person goes straight on.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if currentUser(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, web.Login(s.page(r, "Sign in"), web.LoginView{Next: next}))
}

// login checks the email and password, starts a session under a new token
// (so a token planted before sign-in is worthless) and goes on to next.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := formReadError(r.ParseForm()); err != nil {
		s.error(w, r, err)
		return
	}
	v := web.LoginView{Email: ledger.NormalizeEmail(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next")),
		Kept: keptFromLogin(r.PostForm)}
	password := r.PostFormValue("password")
	if v.Email == "" {
		v.Errors.Add("email", "Enter your email address.")
	}
	if password == "" {
		v.Errors.Add("password", "Enter your password.")
	}
	if len(v.Errors) > 0 {
		s.logAttempt(r, v.Email, "incomplete")
		s.loginFailed(w, r, v)
		return
	}
	// Counted before the password is checked, so that parallel guesses
	// cannot all pass; given back below when the sign-in succeeds.
	client := clientAddress(r)
	if !s.throttle.reserve(client, v.Email) {
		s.tooManyAttempts(w, r)
		return
	}

	outcome := "success"
	var u *ledger.User
	var hash string
	var err error = ledger.Errorf(ledger.ENOTFOUND, "No such user.")
	if ledger.ValidEmail(v.Email) { // no account has any other address; the store could not even look one up
		u, hash, err = s.DB.UserByEmail(ctx, v.Email)
	}
	switch {
	case ledger.ErrorCode(err) == ledger.ENOTFOUND:
		auth.VerifyDummy(password)
		outcome = "unknown_email"
	case err != nil:
		s.throttle.succeeded(client, v.Email) // the store failed; nobody guessed
		s.error(w, r, err)
		return
	default:
		ok, err := auth.VerifyPassword(password, hash)
		switch {
		case err != nil:
			s.throttle.succeeded(client, v.Email)
			s.error(w, r, err)
			return
		case !ok:
			outcome = "wrong_password"
		case u.Disabled():
			outcome = "disabled"
		}
	}
	s.logAttempt(r, v.Email, outcome)
	if outcome != "success" {
		v.Errors.Add("password", badCredentials)
		s.loginFailed(w, r, v)
		return
	}
	s.throttle.succeeded(client, v.Email)

	if err := s.Sessions.RenewToken(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	s.Sessions.Put(ctx, sessionUserID, u.ID)
	s.Sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	if v.Kept != nil {
		s.resubmit(w, r, u, v.Next, v.Kept)
		return
	}
	s.flash(r, "You are signed in as "+u.Name+".")
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// loginFailed shows the form again with its errors, the email as typed and
// any kept form still carried, for the next attempt.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, v web.LoginView) {
	if v.Kept != nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, http.StatusUnprocessableEntity, web.Login(s.page(r, "Error: Sign in"), v))
}

// logout ends the session: its row is deleted, so the old cookie is
// worthless even if it was copied.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if u := currentUser(r); u != nil {
		s.Log.Info("sign-out", "user_id", u.ID, "email", u.Email)
	}
	if err := s.Sessions.Destroy(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "You have signed out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logAttempt records a sign-in attempt; never the password.
func (s *Server) logAttempt(r *http.Request, email, outcome string) {
	level := slog.LevelWarn
	if outcome == "success" {
		level = slog.LevelInfo
	}
	s.Log.LogAttrs(r.Context(), level, "sign-in", slog.String("email", email),
		slog.String("outcome", outcome), slog.String("client", clientAddress(r)))
}

// tooManyAttempts answers a throttled sign-in: 429 with a page that says
// when to try again, and Retry-After. A sign-in carrying a
// kept form gets the sign-in form again, still carrying it, with that
// message: waiting a minute must not cost the editor what they typed.
func (s *Server) tooManyAttempts(w http.ResponseWriter, r *http.Request) {
	email := ledger.NormalizeEmail(r.PostFormValue("email"))
	s.logAttempt(r, email, "throttled")
	w.Header().Set("Retry-After", strconv.Itoa(int(throttleWindow/time.Second)))
	if kept := keptFromLogin(r.PostForm); kept != nil {
		v := web.LoginView{Email: email, Next: safeNext(r.PostFormValue("next")), Kept: kept}
		v.Errors.Add("password", "There have been too many failed attempts to sign in from this address. Wait a minute, then try again.")
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, http.StatusTooManyRequests, web.Login(s.page(r, "Error: Sign in"), v))
		return
	}
	s.errorPage(w, r, http.StatusTooManyRequests, "Too many sign-in attempts",
		"There have been too many failed attempts to sign in from this address. Wait a minute, then try again.")
}

// clientAddress is the client's IP as chi's ClientIPFrom… middleware found
// it: the peer address, or X-Forwarded-For behind a configured proxy.
func clientAddress(r *http.Request) string {
	return middleware.GetClientIP(r.Context())
}
