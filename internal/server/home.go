package server

import (
	"net/http"

	"summitledger/web"
)

// home renders the dashboard, today or as of ?as_of.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	day, raw, err := asOf(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.Dashboard(r.Context(), day)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "")
	if raw != "" {
		p.Title = "Dashboard as of " + raw
	}
	p.Description = "What was promised at the U.S.–Central Asia C5+1 summit, and whether it became real."
	p.Canonical = s.absURL(r, "/")
	p.Feed = "/updates.atom"
	s.render(w, r, http.StatusOK, web.Home(p, web.DashboardView{D: *d, AsOf: raw}))
}
