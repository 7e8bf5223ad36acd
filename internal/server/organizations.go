package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/postgres"
	"summitledger/web"
)

// organizationIndex lists every organization with today's tallies.
func (s *Server) organizationIndex(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.DB.OrganizationIndex(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, "Organizations")
	p.Description = "The companies, banks, funds and government bodies in the C5+1 commitments, and how many became deals."
	p.Canonical = s.absURL(r, "/organizations")
	s.render(w, r, http.StatusOK, web.OrganizationIndex(p, web.OrganizationIndexView{Organizations: orgs, Editor: p.User != nil}))
}

// organizationShow renders an organization's page; an old slug answers 301.
func (s *Server) organizationShow(w http.ResponseWriter, r *http.Request) {
	o, err := s.DB.OrganizationProfile(r.Context(), chi.URLParam(r, "slug"))
	var moved *postgres.MovedError
	if errors.As(err, &moved) {
		redirectKeepingQuery(w, r, "/organizations/"+moved.Slug)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.page(r, o.Organization.Name)
	p.Description = o.Organization.Name + " in the C5+1 commitments, and what became of them."
	p.Canonical = s.absURL(r, "/organizations/"+o.Organization.Slug)
	s.render(w, r, http.StatusOK, web.OrganizationPage(p, web.OrganizationView{O: *o, Editor: p.User != nil}))
}
