package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// dealShow renders a deal's canonical page /deals/{id}/{slug}, today or as
// of ?as_of; a wrong or old slug answers 301 to the canonical URL.
func (s *Server) dealShow(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	day, raw, err := asOf(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.DealDetail(r.Context(), id, day)
	if err != nil {
		s.error(w, r, err)
		return
	}
	canonical := web.DealHref(d.ID, d.Slug)
	if chi.URLParam(r, "slug") != d.Slug {
		redirectKeepingQuery(w, r, canonical)
		return
	}
	p := s.page(r, d.Title)
	if raw != "" {
		p.Title += " as of " + raw
	}
	p.Description = d.Stage.Label() + ": " + d.Summary
	p.Canonical = s.absURL(r, canonical)
	status := http.StatusOK
	if !d.DeletedAt.IsZero() {
		status = http.StatusGone
	} else {
		p.Feed = dealFeedPath(d.ID)
	}
	v := web.DealView{D: *d, AsOf: raw, Canonical: canonical}
	if p.User != nil && raw == "" {
		v.Tools = dealTools(d.ID, !d.DeletedAt.IsZero(), p.User.Admin)
	}
	s.render(w, r, status, web.DealPage(p, v))
}

// dealRedirect answers /deals/{id}, where id may also be a current or old slug,
// with 301 to the deal's canonical URL.
func (s *Server) dealRedirect(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "id")
	id, ok := parseID(key)
	if !ok {
		var err error
		if !ledger.ValidSlug(key) {
			s.notFound(w, r)
			return
		}
		if id, err = s.DB.DealIDBySlug(r.Context(), key); err != nil {
			s.error(w, r, err)
			return
		}
	}
	d, err := s.DB.DealByID(r.Context(), id)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		err = ledger.Errorf(ledger.ENOTFOUND, "There is no deal number %d. Browse the deals list to find the one you want.", id)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	redirectKeepingQuery(w, r, web.DealHref(d.ID, d.Slug))
}

// updatePermalink answers /u/{id} with 301 to the update's anchor on its deal's page.
func (s *Server) updatePermalink(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.DB.UpdateLocation(r.Context(), id)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		err = ledger.Errorf(ledger.ENOTFOUND, "There is no status update number %d.", id)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, web.DealHref(d.ID, d.Slug)+"#update-"+strconv.FormatInt(id, 10), http.StatusMovedPermanently)
}

// redirectKeepingQuery answers 301 to path with the request's query
// string. The answer has no body: http.Redirect's would repeat the whole
// address, so a long query string would make a long page.
func redirectKeepingQuery(w http.ResponseWriter, r *http.Request, path string) {
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", path)
	w.WriteHeader(http.StatusMovedPermanently)
}
