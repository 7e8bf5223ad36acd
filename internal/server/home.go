package server

import (
	"net/http"

	"summitledger/web"
)

// home renders the dashboard.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	countries, err := s.DB.Countries(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var v web.HomeView
	for _, c := range countries {
		v.Countries = append(v.Countries, web.CountryCard{Slug: c.Slug, Name: c.Name, Capital: c.Capital,
			Leader: c.Leader, LeaderTitle: c.LeaderTitle, Summary: c.Summary})
	}
	p := s.page(r, "")
	p.Description = "What was promised at the U.S.–Central Asia C5+1 summit, and whether it became real."
	s.render(w, r, http.StatusOK, web.Home(p, v))
}
