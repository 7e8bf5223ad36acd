package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
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

// dealEditor is the deal's part in the edit flow (edit.go): the form's
// choices, loaded once, and the deal edited.
type dealEditor struct {
	s       *Server
	id      int64 // 0 on the form to create a deal
	admin   bool
	choices dealChoices
	view    web.DealFormView // the lists the form offers
}

func (s *Server) newDealEditor(r *http.Request, cur *ledger.Deal) (*dealEditor, error) {
	choices, v, err := s.dealFormData(r.Context(), cur)
	k := &dealEditor{s: s, admin: s.isAdmin(r), choices: choices, view: v}
	if cur != nil {
		k.id = cur.ID
	}
	return k, err
}

// dealSpec ties the deal form's fields to the parts ledger.MergeDeal merges.
var dealSpec = editSpec{
	noun:   "deal",
	rename: dealFormRename,
	parts: []formPart{
		{"Title", []string{"title"}}, {"Slug", []string{"slug"}}, {"Summary", []string{"summary"}},
		{"Sector", []string{"sector"}}, {"Parties", []string{"party"}},
		{"Organizations", []string{"org_id", "org_role"}}, {"PriorityIDs", []string{"priority"}},
		{"Value", []string{"value_amount", "value_currency"}}, {"ValueNote", []string{"value_note"}},
		{"AnnouncedOn", []string{"announced_on", "announced_precision"}}, {"SummitID", []string{"summit_id"}},
		{"ParentID", []string{"parent_id"}}, {"CountsTowardTotal", []string{"counts_toward_total"}},
	},
	created: "Deal created. Log its first status update to set its stage.",
	saved:   "Deal saved.",
	merged:  "Deal saved, merged with the changes another editor saved while you were editing.",
}

func (k *dealEditor) spec() editSpec                    { return dealSpec }
func (k *dealEditor) decode(v url.Values) dealForm      { return decodeDealForm(v) }
func (k *dealEditor) formFrom(d ledger.Deal) dealForm   { return dealFormFrom(d) }
func (k *dealEditor) stamp(d *ledger.Deal, version int) { d.ID, d.Version = k.id, version }
func (k *dealEditor) state(d *ledger.Deal) (int, bool)  { return d.Version, d.Deleted() }
func (k *dealEditor) savedURL(d ledger.Deal) string     { return web.DealHref(d.ID, d.Slug) }

func (k *dealEditor) validate(f dealForm) (ledger.Deal, ledger.FieldErrors) {
	return f.validate(k.choices, k.id)
}

func (k *dealEditor) create(ctx context.Context, a ledger.Actor, d *ledger.Deal) error {
	return k.s.DB.CreateDeal(ctx, a, d)
}

func (k *dealEditor) update(ctx context.Context, a ledger.Actor, d *ledger.Deal) error {
	return k.s.DB.UpdateDeal(ctx, a, d)
}

func (k *dealEditor) current(ctx context.Context) (*ledger.Deal, error) {
	return k.s.DB.DealByID(ctx, k.id)
}

func (k *dealEditor) atVersion(ctx context.Context, version int) (*ledger.Deal, error) {
	return k.s.DB.DealAtVersion(ctx, k.id, version)
}

func (k *dealEditor) merge(base, theirs, mine *ledger.Deal) (ledger.Deal, []string) {
	return ledger.MergeDeal(base, theirs, mine)
}

func (k *dealEditor) render(w http.ResponseWriter, r *http.Request, v formView[ledger.Deal, dealForm]) {
	page := k.view
	if d := v.current; d != nil {
		page.Heading = "Edit \u201c" + d.Title + "\u201d"
		page.Action, page.CancelURL, page.Editing = "/deals/"+formatID(d.ID)+"/edit", web.DealHref(d.ID, d.Slug), true
		page.Tools = dealTools(d.ID, d.Deleted(), k.admin)
		page.Tools.EditURL = "" // this is the edit page
	} else {
		page.Heading, page.Action, page.CancelURL = "New deal", "/deals", "/deals"
	}
	page.Values, page.Conflict = v.form.DealValues, v.conflict
	page.Errors = viewErrors(v.invalid, dealFields, dealAnchors(page))
	title := page.Heading
	if len(page.Errors) > 0 {
		title = "Error: " + title
	}
	k.s.render(w, r, v.status, web.DealForm(k.s.page(r, title), page))
}

// dealNew shows the form to create a deal.
func (s *Server) dealNew(w http.ResponseWriter, r *http.Request) {
	k, err := s.newDealEditor(r, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k.render(w, r, formView[ledger.Deal, dealForm]{status: http.StatusOK, form: dealForm{web.DealValues{CountsTowardTotal: true}}})
}

// dealCreate creates a deal, with a new organization when the form adds one.
func (s *Server) dealCreate(w http.ResponseWriter, r *http.Request) {
	k, err := s.newDealEditor(r, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	createRecord(s, w, r, k)
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
	k, err := s.newDealEditor(r, d)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k.render(w, r, formView[ledger.Deal, dealForm]{status: http.StatusOK, form: dealFormFrom(*d), current: d})
}

// dealUpdate saves an edit through the edit flow: a stale version is
// merged with what was saved meanwhile.
func (s *Server) dealUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	cur, err := s.DB.DealByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	k, err := s.newDealEditor(r, cur)
	if err != nil {
		s.error(w, r, err)
		return
	}
	updateRecord(s, w, r, k, cur)
}
