package server

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/a-h/templ"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// render writes c with status, rendered into a buffer first so that a
// template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.Log.Error("render", "path", r.URL.Path, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// page returns the layout fields common to every page, with the pending
// flash message and the signed-in user from the session.
func (s *Server) page(r *http.Request, title string) web.Page {
	p := web.Page{Title: title, Path: r.URL.Path}
	s.fillSession(r, &p)
	return p
}

// error is the one error sink: it maps the error's code to a status, logs
// only internal errors, and shows a helpful page.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	if isUnavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	code, msg := ledger.ErrorCode(err), ledger.ErrorMessage(err)
	status, title := http.StatusInternalServerError, "Something went wrong"
	switch code {
	case ledger.ENOTFOUND:
		status, title = http.StatusNotFound, "Not found"
	case ledger.EINVALID:
		status, title = http.StatusBadRequest, "Bad request"
	case ledger.ECONFLICT:
		status, title = http.StatusConflict, "Conflict"
	case ledger.EUNAUTHORIZED:
		status, title = http.StatusForbidden, "Not allowed"
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			status, title, msg = http.StatusRequestEntityTooLarge, "Too large", "The form sent was too large."
			break
		}
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.errorPage(w, r, status, title, msg)
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, web.ErrorPage(s.page(r, title), status, msg))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Page not found", "There is no page at this address. It may have moved, or the link may be mistyped.")
}
