package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// countryIndex lists the participants with today's tallies.
func (s *Server) countryIndex(w http.ResponseWriter, r *http.Request) {
	scores, err := s.DB.Scoreboard(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "Countries")
	p.Description = "The six participants of the C5+1 and how many of their commitments became deals."
	p.Canonical = s.absURL(r, "/countries")
	s.render(w, r, http.StatusOK, web.CountryIndex(p, web.CountryIndexView{Countries: scores}))
}

// redirectCountryCode answers 301 from a country's ISO code in the address
// (/countries/kz) to its canonical slug (/countries/kazakhstan) plus rest,
// keeping the query string; false, having answered nothing, when code is
// no country's code.
func (s *Server) redirectCountryCode(w http.ResponseWriter, r *http.Request, code, rest string) bool {
	if len(code) != 2 {
		return false
	}
	c, err := s.DB.CountryByCode(r.Context(), code)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return false
	}
	if err != nil {
		s.error(w, r, err)
		return true
	}
	redirectKeepingQuery(w, r, "/countries/"+c.Slug+rest)
	return true
}

// countryShow renders a country's page, today or as of ?as_of.
func (s *Server) countryShow(w http.ResponseWriter, r *http.Request) {
	day, raw, err := asOf(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	slug := chi.URLParam(r, "slug")
	c, err := s.DB.CountryProfile(r.Context(), slug, day)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND && s.redirectCountryCode(w, r, slug, "") {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, c.Country.Name)
	if raw != "" {
		p.Title += " as of " + raw
	}
	p.Description = c.Country.Name + ": what it seeks from the C5+1 and which commitments became deals."
	p.Canonical = s.absURL(r, "/countries/"+c.Country.Slug)
	p.Feed = countryFeedPath(c.Country.Slug)
	s.render(w, r, http.StatusOK, web.CountryPage(p, web.CountryView{C: *c, AsOf: raw, Editor: p.User != nil && raw == ""}))
}
