package server

import (
	"net/http"
	"net/url"
	"strings"

	"summitledger/web"
)

// search answers /search?q=: countries, deals, priorities, organizations,
// status-update notes and sources, grouped by kind.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	res, err := s.DB.Search(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "Search")
	canonical := "/search"
	if q != "" {
		p.Title = "Search: " + q
		canonical += "?" + url.Values{"q": {q}}.Encode()
	}
	p.Description = "Search the ledger's countries, deals, priorities, organizations, status updates and sources."
	p.Canonical = s.absURL(r, canonical)
	s.render(w, r, http.StatusOK, web.SearchPage(p, web.SearchView{R: *res}))
}
