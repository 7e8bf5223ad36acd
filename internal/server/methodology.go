package server

import (
	"net/http"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// methodology publishes the stages, the dashboard's formulas, the sourcing
// and corrections policy and the as-of rule; it reads no data.
func (s *Server) methodology(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Methodology")
	p.Description = "How Summit Ledger tells deals from declarations, and how each figure is computed."
	p.Canonical = s.absURL(r, "/methodology")
	s.render(w, r, http.StatusOK, web.Methodology(p, web.MethodologyView{Stages: ledger.Stages(), Exclusions: ledger.Exclusions()}))
}
