package server

import (
	"net/http"
	"time"

	"summitledger/internal/ledger"
)

// asOf reads the ?as_of=YYYY-MM-DD of a past view: the zero time and "" when
// absent, an EINVALID error (a 400 page) when malformed or still to come.
func asOf(r *http.Request) (time.Time, string, error) {
	raw := r.URL.Query().Get("as_of")
	if raw == "" {
		return time.Time{}, "", nil
	}
	day, err := ledger.ParseDay(raw)
	if err != nil {
		return time.Time{}, "", err
	}
	if day.After(time.Now().UTC()) {
		return time.Time{}, "", ledger.Errorf(ledger.EINVALID, "%s has not ended yet: choose today or an earlier day.", raw)
	}
	return day, raw, nil
}

// absURL returns the absolute URL of path on this site, for canonical links.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.BaseURL != "" {
		return trimSlash(s.BaseURL) + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
