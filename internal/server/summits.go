package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"summitledger/web"
)

// summitIndex lists every summit with today's tallies.
func (s *Server) summitIndex(w http.ResponseWriter, r *http.Request) {
	summits, err := s.DB.SummitIndex(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "Summits")
	p.Description = "The summits whose commitments the ledger tracks, and how many of them became deals."
	p.Canonical = s.absURL(r, "/summits")
	s.render(w, r, http.StatusOK, web.SummitIndex(p, web.SummitIndexView{Summits: summits}))
}

// summitShow renders a summit's page.
func (s *Server) summitShow(w http.ResponseWriter, r *http.Request) {
	sm, err := s.DB.SummitProfile(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, sm.Summit.Name)
	p.Description = "The commitments of " + sm.Summit.Name + ", and what became of them."
	p.Canonical = s.absURL(r, "/summits/"+sm.Summit.Slug)
	s.render(w, r, http.StatusOK, web.SummitPage(p, web.SummitView{S: *sm}))
}
