package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"summitledger/web"
)

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
