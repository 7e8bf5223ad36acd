package server

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/web"
)

func organizationHref(o *ledger.Organization) string { return "/organizations/" + o.Slug }

// organizationEditor is the organization's part in the edit flow (edit.go):
// what the form offers and checks against, and the organization edited.
type organizationEditor struct {
	s         *Server
	id        int64 // 0 on the form to add an organization
	choices   organizationChoices
	kinds     []web.Option
	countries []web.Option
}

// newOrganizationEditor loads what the organization form offers and checks
// against: the kinds, the countries, and every organization but self.
func (s *Server) newOrganizationEditor(ctx context.Context, self int64) (*organizationEditor, error) {
	countries, err := s.DB.Countries(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := s.DB.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	k := &organizationEditor{s: s, id: self, choices: newOrganizationChoices(countries, orgs, self)}
	for _, x := range ledger.OrganizationKinds {
		k.kinds = append(k.kinds, web.Option{Value: x, Label: capitalize(x)})
	}
	for _, x := range countries {
		k.countries = append(k.countries, web.Option{Value: x.Code, Label: x.Name})
	}
	return k, nil
}

// organizationSpec ties the organization form's fields to the parts
// ledger.MergeOrganization merges.
var organizationSpec = editSpec{
	noun: "organization",
	parts: []formPart{
		{"Name", []string{"name"}}, {"Slug", []string{"slug"}}, {"Kind", []string{"kind"}},
		{"CountryCode", []string{"country"}}, {"Description", []string{"description"}},
	},
	created: "Organization added.",
	saved:   "Organization saved.",
	merged:  "Organization saved, merged with the changes another editor saved while you were editing.",
}

func (k *organizationEditor) spec() editSpec                       { return organizationSpec }
func (k *organizationEditor) decode(v url.Values) organizationForm { return decodeOrganizationForm(v) }
func (k *organizationEditor) formFrom(o ledger.Organization) organizationForm {
	return organizationFormFrom(o)
}
func (k *organizationEditor) stamp(o *ledger.Organization, version int) {
	o.ID, o.Version = k.id, version
}
func (k *organizationEditor) state(o *ledger.Organization) (int, bool) { return o.Version, false }
func (k *organizationEditor) savedURL(o ledger.Organization) string    { return organizationHref(&o) }

func (k *organizationEditor) validate(f organizationForm) (ledger.Organization, ledger.FieldErrors) {
	return f.validate(k.choices)
}

func (k *organizationEditor) create(ctx context.Context, a ledger.Actor, o *ledger.Organization) error {
	return k.s.DB.CreateOrganization(ctx, a, o)
}

func (k *organizationEditor) update(ctx context.Context, a ledger.Actor, o *ledger.Organization) error {
	return k.s.DB.UpdateOrganization(ctx, a, o)
}

func (k *organizationEditor) current(ctx context.Context) (*ledger.Organization, error) {
	return k.s.DB.OrganizationByID(ctx, k.id)
}

func (k *organizationEditor) atVersion(ctx context.Context, version int) (*ledger.Organization, error) {
	return k.s.DB.OrganizationAtVersion(ctx, k.id, version)
}

func (k *organizationEditor) merge(base, theirs, mine *ledger.Organization) (ledger.Organization, []string) {
	return ledger.MergeOrganization(base, theirs, mine)
}

// render shows the form; an edit form goes on to the address the
// organization has now, which a conflict may have changed.
func (k *organizationEditor) render(w http.ResponseWriter, r *http.Request, v formView[ledger.Organization, organizationForm]) {
	page := web.OrganizationFormView{Heading: "New organization", Action: "/organizations",
		CancelURL: "/deals", CancelLabel: "Deals"}
	if o := v.current; o != nil {
		page = web.OrganizationFormView{Heading: "Edit an organization", Action: organizationHref(o) + "/edit",
			CancelURL: organizationHref(o), CancelLabel: o.Name, Editing: true}
	}
	page.Kinds, page.Countries = k.kinds, k.countries
	page.Values, page.Conflict = v.form.OrganizationValues, v.conflict
	page.Errors = viewErrors(v.invalid, organizationFields, nil)
	title := page.Heading
	if len(page.Errors) > 0 {
		title = "Error: " + title
	}
	k.s.render(w, r, v.status, web.OrganizationForm(k.s.page(r, title), page))
}

// organizationNew shows the form to add an organization.
func (s *Server) organizationNew(w http.ResponseWriter, r *http.Request) {
	k, err := s.newOrganizationEditor(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k.render(w, r, formView[ledger.Organization, organizationForm]{status: http.StatusOK})
}

// organizationCreate adds an organization.
func (s *Server) organizationCreate(w http.ResponseWriter, r *http.Request) {
	k, err := s.newOrganizationEditor(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	createRecord(s, w, r, k)
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
	k, err := s.newOrganizationEditor(r.Context(), o.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k.render(w, r, formView[ledger.Organization, organizationForm]{status: http.StatusOK, form: organizationFormFrom(*o), current: o})
}

// organizationUpdate saves an edit through the edit flow, as for deals.
func (s *Server) organizationUpdate(w http.ResponseWriter, r *http.Request) {
	o, err := s.organizationFromPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k, err := s.newOrganizationEditor(r.Context(), o.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	updateRecord(s, w, r, k, o)
}
