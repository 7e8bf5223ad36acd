package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// organizationFields are the organization form's field names, in form order.
var organizationFields = []string{"name", "slug", "kind", "country", "description", "version"}

// reservedOrganizationSlugs are the words after /organizations/ that name
// the site's own pages: an organization with one could not be reached.
var reservedOrganizationSlugs = []string{"new"}

// organizationForm is the organization form as typed.
type organizationForm struct {
	web.OrganizationValues
}

// decodeOrganizationForm reads the form's fields from v, as typed.
func decodeOrganizationForm(v url.Values) organizationForm {
	return organizationForm{web.OrganizationValues{
		Name:        v.Get("name"),
		Slug:        v.Get("slug"),
		Kind:        v.Get("kind"),
		Country:     v.Get("country"),
		Description: v.Get("description"),
		Version:     v.Get("version"),
	}}
}

// organizationFormFrom fills the form from an organization, to edit it.
func organizationFormFrom(o ledger.Organization) organizationForm {
	return organizationForm{web.OrganizationValues{
		Name: o.Name, Slug: o.Slug, Kind: o.Kind, Country: o.CountryCode, Description: o.Description,
		Version: strconv.Itoa(o.Version),
	}}
}

// organizationChoices are what an organization form is checked against:
// the country codes it may name and the other organizations, whose names
// and slugs it may not take.
type organizationChoices struct {
	countries []string
	others    []ledger.Organization
}

func newOrganizationChoices(countries []ledger.Country, orgs []ledger.Organization, self int64) organizationChoices {
	var c organizationChoices
	for _, x := range countries {
		c.countries = append(c.countries, x.Code)
	}
	for _, o := range orgs {
		if o.ID != self {
			c.others = append(c.others, o)
		}
	}
	return c
}

// validate returns the organization the form describes and what is wrong with it.
func (f organizationForm) validate(c organizationChoices) (ledger.Organization, ledger.FieldErrors) {
	var fe ledger.FieldErrors
	o := ledger.Organization{
		Name:        cleanLine(f.Name),
		Slug:        cleanLine(f.Slug),
		Kind:        cleanLine(f.Kind),
		CountryCode: cleanLine(f.Country),
		Description: cleanText(f.Description),
	}
	checkText(&fe, "name", o.Name, 200)
	fe.Check(o.Name != "", "name", "Enter the organization's name.")
	for _, x := range c.others {
		if o.Name != "" && strings.EqualFold(x.Name, o.Name) {
			fe.Add("name", "Another organization is already called \u201c"+x.Name+"\u201d; edit that one instead.")
		}
	}
	typed := o.Slug != ""
	switch {
	case typed && len(o.Slug) > 80:
		fe.Add("slug", "Keep the slug to 80 characters or fewer.")
	case typed && !ledger.ValidSlug(o.Slug):
		fe.Add("slug", "Use lowercase letters, digits and single hyphens.")
	case typed:
	case o.Name == "":
		// Nothing to make a slug from; the name's own message says so.
	case !strings.ContainsFunc(strings.ToLower(o.Name), isSlugRune):
		fe.Add("slug", "The name has no Latin letters or digits to make a slug from; enter one.")
	default:
		o.Slug = ledger.Slugify(o.Name)
	}
	if o.Slug != "" && fe.Fields["slug"] == "" {
		made := ""
		if !typed {
			made = " made from the name"
		}
		if slices.Contains(reservedOrganizationSlugs, o.Slug) {
			fe.Add("slug", "The slug"+made+", \u201c"+o.Slug+"\u201d, names one of the site's own pages; enter another.")
		}
		for _, x := range c.others {
			if x.Slug == o.Slug {
				fe.Add("slug", "The slug"+made+", \u201c"+o.Slug+"\u201d, is taken by \u201c"+x.Name+"\u201d; enter another.")
			}
		}
	}
	fe.Check(slices.Contains(ledger.OrganizationKinds, o.Kind), "kind", "Choose what kind of organization it is.")
	fe.Check(o.CountryCode == "" || slices.Contains(c.countries, o.CountryCode), "country", "Choose a country from the list, or none.")
	checkText(&fe, "description", o.Description, 5000)
	// The slug is checked above; left empty with no name, it is the name's problem.
	mergeInvalid(&fe, o.Validate(), map[string]string{"slug": ""}) //nolint:errcheck // Validate returns only EINVALID with fields
	return o, fe
}

func isSlugRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
