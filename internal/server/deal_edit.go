package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// blankOrgRows is how many empty organization rows the deal form offers
// after the filled ones: enough to add several without JavaScript.
const blankOrgRows = 3

// dealFormData loads the records a deal form offers and checks ids
// against; self is the deal being edited (nil for a new one), left out of
// the parent choices.
func (s *Server) dealFormData(ctx context.Context, self *ledger.Deal) (dealChoices, web.DealFormView, error) {
	var v web.DealFormView
	countries, err := s.DB.Countries(ctx)
	if err != nil {
		return dealChoices{}, v, err
	}
	orgs, err := s.DB.Organizations(ctx)
	if err != nil {
		return dealChoices{}, v, err
	}
	prios, err := s.DB.Priorities(ctx)
	if err != nil {
		return dealChoices{}, v, err
	}
	summits, err := s.DB.Summits(ctx)
	if err != nil {
		return dealChoices{}, v, err
	}
	deals, err := s.DB.DealChoices(ctx)
	if err != nil {
		return dealChoices{}, v, err
	}
	var selfID int64
	if self != nil {
		selfID = self.ID
		if prios, deals, err = s.keepDeletedChoices(ctx, self, prios, deals); err != nil {
			return dealChoices{}, v, err
		}
	}
	for _, x := range ledger.Sectors() {
		v.Sectors = append(v.Sectors, web.Option{Value: string(x.Key), Label: x.Label})
	}
	for _, x := range countries {
		v.Countries = append(v.Countries, web.Option{Value: x.Code, Label: x.Name})
		g := web.PriorityGroup{Country: x.Name}
		for _, p := range prios {
			if p.CountryCode == x.Code {
				g.Options = append(g.Options, web.Option{Value: formatID(p.ID), Label: p.Title})
			}
		}
		if len(g.Options) > 0 {
			v.PriorityGroups = append(v.PriorityGroups, g)
		}
	}
	for _, x := range orgs {
		v.Organizations = append(v.Organizations, web.Option{Value: formatID(x.ID), Label: x.Name})
	}
	for _, x := range ledger.Roles {
		v.Roles = append(v.Roles, web.Option{Value: x, Label: capitalize(x)})
	}
	for _, x := range ledger.OrganizationKinds {
		v.Kinds = append(v.Kinds, web.Option{Value: x, Label: capitalize(x)})
	}
	for _, x := range summits {
		v.Summits = append(v.Summits, web.Option{Value: formatID(x.ID), Label: x.Name})
	}
	for _, x := range deals {
		if x.ID != selfID {
			v.Parents = append(v.Parents, web.Option{Value: formatID(x.ID), Label: x.Title})
		}
	}
	v.BlankOrgRows = blankOrgRows
	return newDealChoices(countries, orgs, prios, summits, deals), v, nil
}

// keepDeletedChoices adds to the choices the deleted priorities and the
// deleted umbrella deal that the deal being edited still names, marked as
// deleted: left out, saving an unrelated change would silently drop the
// priorities and fail on the umbrella deal.
func (s *Server) keepDeletedChoices(ctx context.Context, self *ledger.Deal, prios []ledger.Priority, deals []postgres.DealChoice) ([]ledger.Priority, []postgres.DealChoice, error) {
	for _, id := range self.PriorityIDs {
		if slices.ContainsFunc(prios, func(p ledger.Priority) bool { return p.ID == id }) {
			continue
		}
		p, err := s.DB.PriorityByID(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		p.Title += " (deleted)"
		prios = append(prios, *p)
	}
	if id := self.ParentID; id != 0 && !slices.ContainsFunc(deals, func(d postgres.DealChoice) bool { return d.ID == id }) {
		p, err := s.DB.DealByID(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		deals = append(deals, postgres.DealChoice{ID: p.ID, Title: p.Title + " (deleted)", ParentID: p.ParentID})
	}
	return prios, deals, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dealFormRename maps the store's field names to the deal form's: the
// fields of a new organization come back under the organization's names.
var dealFormRename = map[string]string{"name": "new_org_name", "kind": "new_org_kind", "organizations": ""}

// dealAnchors are the inputs the error summary links to for checkbox groups.
func dealAnchors(v web.DealFormView) map[string]string {
	a := map[string]string{}
	if len(v.Countries) > 0 {
		a["party"] = "party-" + v.Countries[0].Value
	}
	if len(v.PriorityGroups) > 0 {
		a["priority"] = "priority-" + v.PriorityGroups[0].Options[0].Value
	}
	return a
}

func (s *Server) renderDealForm(w http.ResponseWriter, r *http.Request, status int, v web.DealFormView) {
	title := v.Heading
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	s.render(w, r, status, web.DealForm(s.page(r, title), v))
}

// dealNew shows the form to create a deal.
func (s *Server) dealNew(w http.ResponseWriter, r *http.Request) {
	_, v, err := s.dealFormData(r.Context(), nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Heading, v.Action, v.CancelURL = "New deal", "/deals", "/deals"
	v.Values = web.DealValues{CountsTowardTotal: true}
	s.renderDealForm(w, r, http.StatusOK, v)
}

// dealCreate creates a deal, with a new organization when the form adds one.
func (s *Server) dealCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	choices, v, err := s.dealFormData(r.Context(), nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeDealForm(r.PostForm)
	d, fe := form.validate(choices, 0)
	if len(fe.Fields) == 0 {
		if cleanLine(form.Slug) == "" {
			if d.Slug, err = s.freeSlug(r.Context(), d.Slug); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if err := mergeInvalid(&fe, s.DB.CreateDeal(r.Context(), s.actor(r), &d), dealFormRename); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if len(fe.Fields) > 0 {
		v.Heading, v.Action, v.CancelURL = "New deal", "/deals", "/deals"
		v.Values, v.Errors = form.DealValues, viewErrors(fe, dealFields, dealAnchors(v))
		s.renderDealForm(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	s.flash(r, "Deal created. Log its first status update to set its stage.")
	http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
}

// freeSlug returns slug, or slug-2, slug-3 … when another deal has it, so
// that two deals with the same title need no slug typed.
func (s *Server) freeSlug(ctx context.Context, slug string) (string, error) {
	for i := 1; i < 100; i++ {
		try := slug
		if i > 1 {
			try = slug + "-" + strconv.Itoa(i)
		}
		_, err := s.DB.DealIDBySlug(ctx, try)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return try, nil
		} else if err != nil {
			return "", err
		}
	}
	return slug, nil // the store's unique check answers with a field error
}

func dealTools(dealID int64, deleted, admin bool) *web.EditorTools {
	id := formatID(dealID)
	t := &web.EditorTools{DealID: dealID, UpdateURL: "/deals/" + id + "/updates/new", EditURL: "/deals/" + id + "/edit",
		VerifyURL: "/deals/" + id + "/verify", HistoryURL: "/deals/" + id + "/history", Deleted: deleted}
	if admin {
		t.DeleteURL, t.RestoreURL = "/deals/"+id+"/delete", "/deals/"+id+"/restore"
	}
	return t
}

func (s *Server) isAdmin(r *http.Request) bool {
	u := currentUser(r)
	return u != nil && u.IsAdmin()
}

// dealEdit shows the form to edit a deal, with its current version.
func (s *Server) dealEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.liveDeal(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, v, err := s.dealFormData(r.Context(), d)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.fillDealEdit(&v, r, d)
	v.Values = dealFormFrom(*d).DealValues
	s.renderDealForm(w, r, http.StatusOK, v)
}

func (s *Server) fillDealEdit(v *web.DealFormView, r *http.Request, d *ledger.Deal) {
	v.Heading = "Edit \u201c" + d.Title + "\u201d"
	v.Action, v.CancelURL, v.Editing = "/deals/"+formatID(d.ID)+"/edit", web.DealHref(d.ID, d.Slug), true
	v.Tools = dealTools(d.ID, d.Deleted(), s.isAdmin(r))
	v.Tools.EditURL = "" // this is the edit page
}

// dealUpdate saves an edit. A stale version answers 409 with what changed
// meanwhile and the editor's input still in the form, at the new version,
// so that saving again is a deliberate choice.
func (s *Server) dealUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	cur, err := s.DB.DealByID(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.error(w, r, err)
		return
	}
	version, err := formVersion(r, "deal")
	if err != nil {
		s.error(w, r, err)
		return
	}
	choices, v, err := s.dealFormData(ctx, cur)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := decodeDealForm(r.PostForm)
	d, fe := form.validate(choices, id)
	d.Version = version
	s.fillDealEdit(&v, r, cur)
	v.Values = form.DealValues
	if len(fe.Fields) == 0 {
		err := s.DB.UpdateDeal(ctx, s.actor(r), &d)
		switch {
		case err == nil:
			s.flash(r, "Deal saved.")
			http.Redirect(w, r, web.DealHref(d.ID, d.Slug), http.StatusSeeOther)
			return
		case ledger.ErrorCode(err) == ledger.ECONFLICT:
			msg := ledger.ErrorMessage(err)
			if cur, err = s.DB.DealByID(ctx, id); err == nil {
				v.Conflict, err = s.dealConflict(ctx, version, cur, msg)
			}
			if err != nil {
				s.error(w, r, err)
				return
			}
			v.Values.Version = strconv.Itoa(cur.Version)
			s.renderDealForm(w, r, http.StatusConflict, v)
			return
		}
		if err := mergeInvalid(&fe, err, dealFormRename); err != nil {
			s.error(w, r, err)
			return
		}
	}
	v.Errors = viewErrors(fe, dealFields, dealAnchors(v))
	s.renderDealForm(w, r, http.StatusUnprocessableEntity, v)
}

// dealConflict compares the deal at the version an editor started from
// with the deal now, field by field, names and all.
func (s *Server) dealConflict(ctx context.Context, version int, cur *ledger.Deal, msg string) (*web.Conflict, error) {
	c := &web.Conflict{Message: msg, Deleted: cur.Deleted()}
	was, err := s.DB.DealAtVersion(ctx, cur.ID, version)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return c, nil // no revision to compare with: say so, show the form
	} else if err != nil {
		return nil, err
	}
	// Status updates and checks move these without a new version, so the
	// revision at the editor's version may hold older values; they are not
	// in the form either, so they are no part of the conflict.
	was.Stage, was.StageOn, was.LastVerifiedOn = cur.Stage, cur.StageOn, cur.LastVerifiedOn
	before, after := mustJSON(was), mustJSON(cur)
	names, err := s.DB.LookupNames(ctx, nameIDs(before, after))
	if err != nil {
		return nil, err
	}
	c.Changes = diffRecords(before, after, names)
	return c, nil
}

// mustJSON marshals a domain value as its revision does; they always marshal.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
