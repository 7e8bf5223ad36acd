package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"summitledger/web"
)

// organizationHistory shows every revision of an organization, newest
// first, each field before and after; an old slug answers 301. Public,
// like a deal's history.
func (s *Server) organizationHistory(w http.ResponseWriter, r *http.Request) {
	o, err := s.organizationFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if o.Slug != chi.URLParam(r, "slug") {
		http.Redirect(w, r, organizationHref(o)+"/history", http.StatusMovedPermanently)
		return
	}
	revs, err := s.DB.RevisionsFor(r.Context(), "organization", o.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	// An organization's record names only its country, and every country
	// is always looked up.
	names, err := s.DB.LookupNames(r.Context(), nameIDs())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.OrganizationHistoryView{Name: o.Name, URL: organizationHref(o)}
	for _, rev := range revs {
		v.Revisions = append(v.Revisions, web.RevisionView{
			ID: rev.ID, At: rev.CreatedAt, Who: actorName(rev.ActorName), Action: revisionAction(rev),
			ReasonLabel: reasonLabel(rev), Reason: revisionReason(rev), Changes: diffRecords(rev.Before, rev.After, names),
		})
	}
	p := s.page(r, "History of "+o.Name)
	p.Description = "Every change to " + o.Name + " in Summit Ledger: who made it, when, and each field before and after."
	s.render(w, r, http.StatusOK, web.OrganizationHistory(p, v))
}
