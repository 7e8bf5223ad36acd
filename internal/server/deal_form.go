package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// dealFields are the deal form's field names, in form order. They are part
// of the interface: scripts and tests post them. org_id and org_role repeat,
// one pair per organization row; party and priority repeat, one per box ticked.
var dealFields = []string{"title", "slug", "summary", "sector", "party", "org_id", "org_role",
	"new_org_name", "new_org_kind", "new_org_role", "priority", "value_amount", "value_currency",
	"value_note", "announced_on", "summit_id", "parent_id", "counts_toward_total", "version"}

// reservedSlugs are the words after /deals/{id}/ that name the site's own
// pages, so no deal may take them as its slug.
var reservedSlugs = []string{"edit", "history", "updates", "verify", "delete", "restore", "new"}

// dealForm is the deal form as typed.
type dealForm struct {
	web.DealValues
}

// dealChoices are the records a deal form may point at, to check ids against.
type dealChoices struct {
	countries  map[string]bool
	orgs       map[int64]ledger.Organization
	priorities map[int64]bool
	summits    map[int64]bool
	deals      map[int64]int64 // deal → its parent, 0 when none
}

func newDealChoices(countries []ledger.Country, orgs []ledger.Organization, prios []ledger.Priority, summits []ledger.Summit, deals []postgres.DealChoice) dealChoices {
	c := dealChoices{countries: map[string]bool{}, orgs: map[int64]ledger.Organization{},
		priorities: map[int64]bool{}, summits: map[int64]bool{}, deals: map[int64]int64{}}
	for _, x := range countries {
		c.countries[x.Code] = true
	}
	for _, x := range orgs {
		c.orgs[x.ID] = x
	}
	for _, x := range prios {
		c.priorities[x.ID] = true
	}
	for _, x := range summits {
		c.summits[x.ID] = true
	}
	for _, x := range deals {
		c.deals[x.ID] = x.ParentID
	}
	return c
}

// decodeDealForm reads the form's fields from v, as typed. Organization rows
// pair the n-th org_id with the n-th org_role; rows left wholly empty are
// dropped, so the blank rows a form offers cost nothing.
func decodeDealForm(v url.Values) dealForm {
	f := dealForm{web.DealValues{
		Title:             v.Get("title"),
		Slug:              v.Get("slug"),
		Summary:           v.Get("summary"),
		Sector:            v.Get("sector"),
		Parties:           nonEmpty(v["party"]),
		NewOrgName:        v.Get("new_org_name"),
		NewOrgKind:        v.Get("new_org_kind"),
		NewOrgRole:        v.Get("new_org_role"),
		Priorities:        nonEmpty(v["priority"]),
		ValueAmount:       v.Get("value_amount"),
		ValueCurrency:     v.Get("value_currency"),
		ValueNote:         v.Get("value_note"),
		AnnouncedOn:       v.Get("announced_on"),
		SummitID:          v.Get("summit_id"),
		ParentID:          v.Get("parent_id"),
		CountsTowardTotal: v.Get("counts_toward_total") != "",
		Version:           v.Get("version"),
	}}
	ids, roles := v["org_id"], v["org_role"]
	for i := range max(len(ids), len(roles)) {
		var row web.OrgRow
		if i < len(ids) {
			row.OrgID = ids[i]
		}
		if i < len(roles) {
			row.Role = roles[i]
		}
		if row.OrgID != "" || row.Role != "" {
			f.Orgs = append(f.Orgs, row)
		}
	}
	return f
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// dealFormFrom fills the form from a deal, to edit it.
func dealFormFrom(d ledger.Deal) dealForm {
	f := dealForm{web.DealValues{
		Title: d.Title, Slug: d.Slug, Summary: d.Summary, Sector: string(d.Sector),
		Parties: slices.Clone(d.Parties), ValueNote: d.ValueNote, AnnouncedOn: formatDay(d.AnnouncedOn),
		SummitID: formatID(d.SummitID), ParentID: formatID(d.ParentID),
		CountsTowardTotal: d.CountsTowardTotal, Version: strconv.Itoa(d.Version),
	}}
	if d.Value != nil {
		f.ValueAmount, f.ValueCurrency = formatAmount(d.Value.Cents), d.Value.Currency
	}
	for _, o := range d.Organizations {
		if o.OrganizationID == 0 && o.New != nil {
			f.NewOrgName, f.NewOrgKind, f.NewOrgRole = o.New.Name, o.New.Kind, o.Role
			continue
		}
		f.Orgs = append(f.Orgs, web.OrgRow{OrgID: formatID(o.OrganizationID), Role: o.Role})
	}
	for _, p := range d.PriorityIDs {
		f.Priorities = append(f.Priorities, formatID(p))
	}
	return f
}

// validate returns the deal the form describes and what is wrong with it.
// self is the deal being edited, 0 for a new one. The version is the
// handler's business: a tampered version is a bad request, not a field error.
func (f dealForm) validate(c dealChoices, self int64) (ledger.Deal, ledger.FieldErrors) {
	var fe ledger.FieldErrors
	d := ledger.Deal{
		ID:                self,
		Title:             cleanLine(f.Title),
		Slug:              cleanLine(f.Slug),
		Summary:           cleanText(f.Summary),
		Sector:            ledger.Sector(cleanLine(f.Sector)),
		ValueNote:         cleanLine(f.ValueNote),
		CountsTowardTotal: f.CountsTowardTotal,
	}
	checkText(&fe, "title", d.Title, 200)
	fe.Check(d.Title != "", "title", "Enter a title.")
	switch {
	case d.Slug == "":
		d.Slug = ledger.Slugify(d.Title)
		if slices.Contains(reservedSlugs, d.Slug) {
			d.Slug += "-deal"
		}
	case len(d.Slug) > 80:
		fe.Add("slug", "Keep the slug to 80 characters or fewer.")
	case !ledger.ValidSlug(d.Slug):
		fe.Add("slug", "Use lowercase letters, digits and single hyphens, like wabtec-locomotives.")
	case slices.Contains(reservedSlugs, d.Slug):
		fe.Add("slug", "\u201c"+d.Slug+"\u201d names one of the deal's own pages; choose another slug.")
	}
	checkText(&fe, "summary", d.Summary, 5000)
	fe.Check(d.Sector.Valid(), "sector", "Choose a sector.")

	for _, p := range f.Parties {
		if !c.countries[p] {
			fe.Add("party", "Choose the parties from the list of countries.")
			continue
		}
		if !slices.Contains(d.Parties, p) {
			d.Parties = append(d.Parties, p)
		}
	}

	seen := map[int64]bool{}
	for i, row := range f.Orgs {
		idField, roleField := "org_id-"+strconv.Itoa(i), "org_role-"+strconv.Itoa(i)
		id, ok := parseID(cleanLine(row.OrgID))
		role := cleanLine(row.Role)
		switch {
		case cleanLine(row.OrgID) == "":
			fe.Add(idField, "Choose an organization, or clear its role.")
		case !ok || c.orgs[id].ID == 0:
			fe.Add(idField, "Choose an organization from the list.")
		case seen[id]:
			fe.Add(idField, "This organization is already listed; list each one once.")
		}
		fe.Check(slices.Contains(ledger.Roles, role), roleField, "Choose a role for organization "+strconv.Itoa(i+1)+".")
		if ok {
			seen[id] = true
		}
		d.Organizations = append(d.Organizations, ledger.DealOrganization{OrganizationID: id, Role: role})
	}
	if name, kind, role := cleanLine(f.NewOrgName), cleanLine(f.NewOrgKind), cleanLine(f.NewOrgRole); name != "" {
		checkText(&fe, "new_org_name", name, 200)
		slug := ledger.Slugify(name)
		for _, o := range c.orgs {
			if o.Slug == slug || strings.EqualFold(o.Name, name) {
				fe.Add("new_org_name", "\u201c"+o.Name+"\u201d is already in the list; choose it in a row above.")
			}
		}
		if slices.Contains(reservedOrganizationSlugs, slug) {
			fe.Add("new_org_name", "This name would take the address of the new-organization page; add the organization from that page, with a slug of its own.")
		}
		fe.Check(slices.Contains(ledger.OrganizationKinds, kind), "new_org_kind", "Choose what kind of organization it is.")
		fe.Check(slices.Contains(ledger.Roles, role), "new_org_role", "Choose the new organization's role.")
		d.Organizations = append(d.Organizations, ledger.DealOrganization{Role: role,
			New: &ledger.Organization{Name: name, Slug: slug, Kind: kind}})
	} else if kind != "" || role != "" {
		fe.Add("new_org_name", "Enter the new organization's name, or clear its kind and role.")
	}

	for _, p := range f.Priorities {
		id, ok := parseID(cleanLine(p))
		if !ok || !c.priorities[id] {
			fe.Add("priority", "Choose the priorities from the list.")
			continue
		}
		if !slices.Contains(d.PriorityIDs, id) {
			d.PriorityIDs = append(d.PriorityIDs, id)
		}
	}

	amount, currency := cleanLine(f.ValueAmount), strings.ToUpper(cleanLine(f.ValueCurrency))
	switch {
	case amount == "" && currency == "":
	case amount == "":
		fe.Add("value_amount", "Enter the amount, or clear the currency.")
	default:
		cents, ok := parseAmount(amount)
		if !ok {
			fe.Add("value_amount", amountProblem(amount))
		}
		fe.Check(currency != "", "value_currency", "Enter the currency of the amount, like USD.")
		d.Value = &ledger.Money{Cents: cents, Currency: currency}
	}
	checkText(&fe, "value_note", d.ValueNote, 500)

	if day := cleanLine(f.AnnouncedOn); day != "" {
		t, ok := parseDay(day)
		if !ok {
			fe.Add("announced_on", dayProblem(day, "Enter the date as YYYY-MM-DD, for example 2025-11-06, or leave it empty."))
		}
		fe.Check(!ok || t.Year() >= 1990, "announced_on", "Enter a date in 1990 or later.")
		d.AnnouncedOn = t
	}
	if s := cleanLine(f.SummitID); s != "" {
		id, ok := parseID(s)
		fe.Check(ok && c.summits[id], "summit_id", "Choose a summit from the list.")
		d.SummitID = id
	}
	if s := cleanLine(f.ParentID); s != "" {
		id, ok := parseID(s)
		_, known := c.deals[id]
		switch {
		case !ok || !known:
			fe.Add("parent_id", "Choose the umbrella deal from the list.")
		case self != 0 && c.isDescendant(id, self):
			fe.Add("parent_id", "A deal cannot be part of itself or of one of its own parts.")
		}
		d.ParentID = id
	}

	// The domain's own rules, under the form's names; the form checks each
	// organization row's role itself.
	rename := map[string]string{"organizations": ""}
	mergeInvalid(&fe, d.Validate(), rename) //nolint:errcheck // Validate returns only EINVALID with fields
	return d, fe
}

// isDescendant reports whether deal is self or sits below self in the
// umbrella tree, so making it self's parent would close a loop.
func (c dealChoices) isDescendant(deal, self int64) bool {
	for range len(c.deals) + 1 {
		if deal == self {
			return true
		}
		parent, ok := c.deals[deal]
		if !ok || parent == 0 {
			return false
		}
		deal = parent
	}
	return true
}
