package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
)

// The fuzz targets post each form as a browser would and check what its
// decoder blames; these helpers serve only them.

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
	set("summit_id", f.SummitID)
	set("parent_id", f.ParentID)
	if f.CountsTowardTotal {
		v.Set("counts_toward_total", "true")
	}
	set("version", f.Version)
	return v
}

// encode returns the form's fields as a browser would post them.
func (f updateForm) encode() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("stage", f.Stage)
	set("occurred_on", f.OccurredOn)
	set("note", f.Note)
	set("source_url", f.SourceURL)
	set("source_title", f.SourceTitle)
	set("source_publisher", f.SourcePublisher)
	set("correction_reason", f.CorrectionReason)
	return v
}

// encode returns the form's fields as a browser would post them.
func (f priorityForm) encode() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"title": f.Title, "slug": f.Slug, "description": f.Description,
		"sector": f.Sector, "source_url": f.SourceURL, "source_title": f.SourceTitle,
		"source_publisher": f.SourcePublisher, "version": f.Version} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// encode returns the form's fields as a browser would post them.
func (f organizationForm) encode() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"name": f.Name, "slug": f.Slug, "kind": f.Kind,
		"country": f.Country, "description": f.Description, "version": f.Version} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// namedFieldsOnly reports whether every field in fe is one of names, or a
// row of one (name-N): a form never blames a field it does not have.
func namedFieldsOnly(fe ledger.FieldErrors, names []string) bool {
	for f := range fe.Fields {
		base, row, isRow := strings.Cut(f, "-")
		if !slices.Contains(names, base) {
			return false
		}
		if _, ok := parseRow(row); isRow && !ok {
			return false
		}
	}
	return true
}

func parseRow(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
