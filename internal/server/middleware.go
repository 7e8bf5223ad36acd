package server

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
)

// logRequests writes one structured log line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		level := slog.LevelInfo
		if ww.Status() >= 500 {
			level = slog.LevelError
		}
		s.Log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", ww.Status()), slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)))
	})
}

// hstsMaxAge is how long a browser keeps to HTTPS once told to: a year.
// Subdomains are left out, since the ledger cannot know what else its
// domain serves.
const hstsMaxAge = "max-age=31536000"

// securityHeaders sets a strict Content-Security-Policy (no inline script or
// style anywhere) and the usual hardening headers; when the site is served
// over TLS (BaseURL starts with https://), also Strict-Transport-Security.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	tls := strings.HasPrefix(s.BaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if tls {
			h.Set("Strict-Transport-Security", hstsMaxAge)
		}
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// textualURL answers 400 when the decoded path or query string is not valid
// UTF-8 or holds a NUL: PostgreSQL refuses such text, and no address of this
// site contains it, so it is a bad link rather than a server error.
func (s *Server) textualURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := isText(r.URL.Path)
		q, _ := url.ParseQuery(r.URL.RawQuery) // badly escaped pairs are dropped, as r.URL.Query does
		for k, vs := range q {
			ok = ok && isText(k)
			for _, v := range vs {
				ok = ok && isText(v)
			}
		}
		if !ok {
			s.errorPage(w, r, http.StatusBadRequest, "Bad request", "This address holds characters no link to this site has. Check the link, or start again from the list of deals.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
