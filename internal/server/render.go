package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"

	"github.com/a-h/templ"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// render writes c with status, rendered into a buffer first so that a
// template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	// Render even when the request's context is done: templ stops at a
	// cancelled context, and the page of a 408 is written to a request
	// whose body stopped arriving, which net/http has cancelled.
	if err := c.Render(context.WithoutCancel(r.Context()), &buf); err != nil {
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

// statusClientClosed is the status logged for a request whose client went
// away before the answer was ready (nginx's 499): nothing was wrong on
// this side, and nobody reads the answer.
const statusClientClosed = 499

// error is the one error sink: it maps the error's code to a status, logs
// only internal errors, and shows a helpful page. A form whose body stopped
// arriving is a 408, and an error that only says the client went away is
// logged at info as a 499.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := ledger.ErrorCode(err), ledger.ErrorMessage(err)
	status, title := http.StatusInternalServerError, "Something went wrong"
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request body timed out", slog.String("method", r.Method), slog.String("path", r.URL.Path))
		s.errorPage(w, r, http.StatusRequestTimeout, "Too slow",
			"The form took too long to arrive, so it was not read. Check the connection, then send it again.")
		return
	case code == ledger.EINTERNAL && clientGone(r):
		s.Log.LogAttrs(r.Context(), slog.LevelInfo, "client went away", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("err", err.Error()))
		w.WriteHeader(statusClientClosed)
		return
	case isUnavailable(err):
		s.unavailable(w, r, err)
		return
	}
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
