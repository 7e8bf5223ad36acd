package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

func organizationHref(o *ledger.Organization) string { return "/organizations/" + o.Slug }

// organizationChoicesFor loads what the organization form offers and checks
// against: the kinds, the countries, and every organization but self.
func (s *Server) organizationChoicesFor(ctx context.Context, v *web.OrganizationFormView, self int64) (organizationChoices, error) {
	countries, err := s.DB.Countries(ctx)
	if err != nil {
		return organizationChoices{}, err
	}
	orgs, err := s.DB.Organizations(ctx)
	if err != nil {
		return organizationChoices{}, err
	}
	v.Kinds, v.Countries = nil, nil
	for _, x := range ledger.OrganizationKinds {
		v.Kinds = append(v.Kinds, web.Option{Value: x, Label: capitalize(x)})
	}
	for _, x := range countries {
		v.Countries = append(v.Countries, web.Option{Value: x.Code, Label: x.Name})
	}
	return newOrganizationChoices(countries, orgs, self), nil
}

func (s *Server) renderOrganizationForm(w http.ResponseWriter, r *http.Request, status int, v web.OrganizationFormView) {
	title := v.Heading
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	s.render(w, r, status, web.OrganizationForm(s.page(r, title), v))
}

func newOrganizationView() web.OrganizationFormView {
	return web.OrganizationFormView{Heading: "New organization", Action: "/organizations",
		CancelURL: "/deals", CancelLabel: "Deals"}
}

// organizationNew shows the form to add an organization.
func (s *Server) organizationNew(w http.ResponseWriter, r *http.Request) {
	v := newOrganizationView()
	if _, err := s.organizationChoicesFor(r.Context(), &v, 0); err != nil {
		s.error(w, r, err)
		return
	}
	s.renderOrganizationForm(w, r, http.StatusOK, v)
}

// organizationCreate adds an organization.
func (s *Server) organizationCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	v := newOrganizationView()
	c, err := s.organizationChoicesFor(r.Context(), &v, 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeOrganizationForm(r.PostForm)
	o, fe := form.validate(c)
	if len(fe.Fields) == 0 {
		if err := mergeInvalid(&fe, s.DB.CreateOrganization(r.Context(), s.actor(r), &o), nil); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if len(fe.Fields) > 0 {
		v.Values, v.Errors = form.OrganizationValues, viewErrors(fe, organizationFields, nil)
		s.renderOrganizationForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	s.flash(r, "Organization added.")
	http.Redirect(w, r, organizationHref(&o), http.StatusSeeOther)
}

// organizationFromPath loads the organization named by {slug}, which may
// be one of its old slugs: a form opened before someone else changed the
// slug still reaches it, and gets the conflict page rather than a 404.
func (s *Server) organizationFromPath(r *http.Request) (*ledger.Organization, error) {
	slug := chi.URLParam(r, "slug")
	o, err := s.DB.OrganizationBySlug(r.Context(), slug)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no organization %s in the ledger.", ledger.Quote(slug))
	}
	return o, err
}

func editOrganizationView(o *ledger.Organization) web.OrganizationFormView {
	return web.OrganizationFormView{Heading: "Edit an organization", Action: organizationHref(o) + "/edit",
		CancelURL: organizationHref(o), CancelLabel: o.Name, Editing: true}
}

// organizationEdit shows the form to edit an organization, with its
// current version; an old slug answers 301 to the current address.
func (s *Server) organizationEdit(w http.ResponseWriter, r *http.Request) {
	o, err := s.organizationFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if o.Slug != chi.URLParam(r, "slug") {
		http.Redirect(w, r, organizationHref(o)+"/edit", http.StatusMovedPermanently)
		return
	}
	v := editOrganizationView(o)
	if _, err := s.organizationChoicesFor(r.Context(), &v, o.ID); err != nil {
		s.error(w, r, err)
		return
	}
	v.Values = organizationFormFrom(*o).OrganizationValues
	s.renderOrganizationForm(w, r, http.StatusOK, v)
}

// organizationUpdate saves an edit; a stale version answers 409 with what
// changed and the editor's input kept, as for deals and priorities.
func (s *Server) organizationUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o0, err := s.organizationFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	version, err := formVersion(r, "organization")
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := editOrganizationView(o0)
	c, err := s.organizationChoicesFor(ctx, &v, o0.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeOrganizationForm(r.PostForm)
	o, fe := form.validate(c)
	o.ID, o.Version = o0.ID, version
	v.Values = form.OrganizationValues
	if len(fe.Fields) == 0 {
		err := s.DB.UpdateOrganization(ctx, s.actor(r), &o)
		switch {
		case err == nil:
			s.flash(r, "Organization saved.")
			http.Redirect(w, r, organizationHref(&o), http.StatusSeeOther)
			return
		case ledger.ErrorCode(err) == ledger.ECONFLICT:
			cur, err2 := s.DB.OrganizationByID(ctx, o0.ID)
			if err2 != nil {
				s.error(w, r, err2)
				return
			}
			v.Conflict, err = s.organizationConflict(ctx, cur, version, ledger.ErrorMessage(err))
			if err != nil {
				s.error(w, r, err)
				return
			}
			// The form goes on to the address the organization has now.
			now := editOrganizationView(cur)
			v.Action, v.CancelURL, v.CancelLabel = now.Action, now.CancelURL, now.CancelLabel
			v.Values.Version = strconv.Itoa(cur.Version)
			s.renderOrganizationForm(w, r, http.StatusConflict, v)
			return
		}
		if err := mergeInvalid(&fe, err, nil); err != nil {
			s.error(w, r, err)
			return
		}
	}
	v.Errors = viewErrors(fe, organizationFields, nil)
	s.renderOrganizationForm(w, r, http.StatusUnprocessableEntity, v)
}

// organizationConflict lists what changed between the version the editor
// opened and cur, the organization now.
func (s *Server) organizationConflict(ctx context.Context, cur *ledger.Organization, version int, msg string) (*web.Conflict, error) {
	c := &web.Conflict{Message: msg}
	was, err := s.DB.OrganizationAtVersion(ctx, cur.ID, version)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return c, nil
	} else if err != nil {
		return nil, err
	}
	names, err := s.DB.LookupNames(ctx, nameIDs())
	if err != nil {
		return nil, err
	}
	c.Changes = diffRecords(mustJSON(was), mustJSON(cur), names)
	return c, nil
}
