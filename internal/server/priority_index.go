package server

import (
	"net/http"
	"net/url"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// priorityFilter reads /priorities' query string: country (ISO codes, any
// case) and sector may repeat, unmet=1 keeps the priorities nothing advances.
func priorityFilter(q url.Values) (ledger.PriorityFilter, error) {
	var f ledger.PriorityFilter
	for _, c := range q["country"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Countries = append(f.Countries, strings.ToUpper(c))
		}
	}
	for _, s := range q["sector"] {
		if s != "" {
			f.Sectors = append(f.Sectors, ledger.Sector(s))
		}
	}
	switch q.Get("unmet") {
	case "", "0":
	case "1":
		f.Unmet = true
	default:
		return f, ledger.Errorf(ledger.EINVALID, "unmet takes 1 (only priorities nothing advances) or nothing.")
	}
	return f, f.Validate()
}

// priorityIndex lists every priority of every country with facets.
func (s *Server) priorityIndex(w http.ResponseWriter, r *http.Request) {
	f, err := priorityFilter(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.DB.FindPriorities(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "Priorities")
	if f.Unmet {
		p.Title = "Priorities nothing advances yet"
	}
	p.Description = "What each country seeks, which commitments advance it and how far they got."
	p.Canonical = s.absURL(r, web.PrioritiesHref(f))
	s.render(w, r, http.StatusOK, web.PriorityIndex(p, web.PriorityIndexView{R: *res, F: f}))
}
