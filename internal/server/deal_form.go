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
	"value_note", "announced_on", "announced_precision", "summit_id", "parent_id", "counts_toward_total", "change_note",
	"source_url", "source_title", "source_publisher", "source_published_on", "source_language", "version"}

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
		Title:              v.Get("title"),
		Slug:               v.Get("slug"),
		Summary:            v.Get("summary"),
		Sector:             v.Get("sector"),
		Parties:            nonEmpty(v["party"]),
		NewOrgName:         v.Get("new_org_name"),
		NewOrgKind:         v.Get("new_org_kind"),
		NewOrgRole:         v.Get("new_org_role"),
		Priorities:         nonEmpty(v["priority"]),
		ValueAmount:        v.Get("value_amount"),
		ValueCurrency:      v.Get("value_currency"),
		ValueNote:          v.Get("value_note"),
		AnnouncedOn:        v.Get("announced_on"),
		AnnouncedPrecision: v.Get("announced_precision"),
		SummitID:           v.Get("summit_id"),
		ParentID:           v.Get("parent_id"),
		CountsTowardTotal:  v.Get("counts_toward_total") != "",
		ChangeNote:         v.Get("change_note"),
		Sources:            decodeSourceRows(v),
		Version:            v.Get("version"),
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

// encode returns the form's fields as a browser would post them.
func (f dealForm) encode() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("title", f.Title)
	set("slug", f.Slug)
	set("summary", f.Summary)
	set("sector", f.Sector)
	for _, p := range f.Parties {
		v.Add("party", p)
	}
	for _, o := range f.Orgs {
		v.Add("org_id", o.OrgID)
		v.Add("org_role", o.Role)
	}
	set("new_org_name", f.NewOrgName)
	set("new_org_kind", f.NewOrgKind)
	set("new_org_role", f.NewOrgRole)
	for _, p := range f.Priorities {
		v.Add("priority", p)
	}
	set("value_amount", f.ValueAmount)
	set("value_currency", f.ValueCurrency)
	set("value_note", f.ValueNote)
	set("announced_on", f.AnnouncedOn)
	set("announced_precision", f.AnnouncedPrecision)
	set("summit_id", f.SummitID)
	set("parent_id", f.ParentID)
	if f.CountsTowardTotal {
		v.Set("counts_toward_total", "true")
	}
	set("change_note", f.ChangeNote)
	encodeSourceRows(v, f.Sources)
	set("version", f.Version)
	return v
}

// dealFormFrom fills the form from a deal, to edit it, or from a merge of
// two edits, with the editor's change note.
func dealFormFrom(d ledger.Deal) dealForm {
	f := dealForm{web.DealValues{
		Title: d.Title, Slug: d.Slug, Summary: d.Summary, Sector: string(d.Sector),
		Parties: slices.Clone(d.Parties), ValueNote: d.ValueNote, AnnouncedOn: formatDay(d.AnnouncedOn), AnnouncedPrecision: string(d.AnnouncedPrecision),
		SummitID: formatID(d.SummitID), ParentID: formatID(d.ParentID),
		CountsTowardTotal: d.CountsTowardTotal, ChangeNote: d.ChangeNote, Version: strconv.Itoa(d.Version),
		Sources: sourceRowsFrom(d.ChangeSources),
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

// validate returns the deal the form describes and what is wrong with it:
// what the form alone can tell (a choice not in the lists, an amount or a
// date that does not parse, control characters), then the domain's rules
// (ledger.Deal.Validate). self is the deal being edited, 0 for a new one.
// An empty slug stays empty: the store makes it from the title. The
// version is the handler's business: a tampered version is a bad request,
// not a field error.
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
		ChangeNote:        cleanLine(f.ChangeNote),
	}
	for field, s := range map[string]string{"title": d.Title, "slug": d.Slug, "summary": d.Summary,
		"value_note": d.ValueNote, "change_note": d.ChangeNote} {
		checkControl(&fe, field, s)
	}
	d.ChangeSources = validateSourceRows(&fe, f.Sources)

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
		checkText(&fe, "new_org_name", name, ledger.MaxTitle)
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

	if day := cleanLine(f.AnnouncedOn); day != "" {
		t, ok := parseDay(day)
		if !ok {
			fe.Add("announced_on", dayProblem(day, "Enter the date as YYYY-MM-DD, for example 2025-11-06, or leave it empty."))
		}
		fe.Check(!ok || t.Year() >= 1990, "announced_on", "Enter a date in 1990 or later.")
		d.AnnouncedOn = t
	}
	d.AnnouncedPrecision = ledger.Precision(cleanLine(f.AnnouncedPrecision))
	if d.AnnouncedPrecision == "" {
		d.AnnouncedPrecision = ledger.Day
	}
	fe.Check(d.AnnouncedPrecision.Valid(), "announced_precision", "Choose day, month or year.")
	if s := cleanLine(f.SummitID); s != "" {
		id, ok := parseID(s)
		fe.Check(ok && c.summits[id], "summit_id", "Choose a summit from the list.")
		d.SummitID = id
	}
	if s := cleanLine(f.ParentID); s != "" {
		id, ok := parseID(s)
		_, known := c.deals[id]
		fe.Check(ok && known, "parent_id", "Choose the umbrella deal from the list.")
		d.ParentID = id
	}
	// Whether the umbrella closes a loop is the store's to check, on the
	// rows as they are when it saves (ledger.CheckUmbrella); this check
	// on the lists as loaded only spares the editor a round trip.
	if d.ParentID != 0 {
		mergeInvalid(&fe, ledger.CheckUmbrella(self, d.ParentID, c.umbrellaOf), nil) //nolint:errcheck // only EINVALID with fields
	}

	// The domain's own rules, under the form's names; the form checks each
	// organization row's role itself.
	mergeInvalid(&fe, d.Validate(), dealFormRename) //nolint:errcheck // Validate returns only EINVALID with fields
	return d, fe
}

// umbrellaOf is a deal's umbrella among the choices, for ledger.CheckUmbrella.
func (c dealChoices) umbrellaOf(id int64) (int64, bool) {
	parent, ok := c.deals[id]
	return parent, ok
}
