package server

import (
	"net/url"
	"strconv"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// priorityFields are the priority form's field names, in form order.
var priorityFields = []string{"title", "slug", "description", "sector", "source_url", "source_title", "source_publisher", "version"}

// priorityForm is the priority form as typed.
type priorityForm struct {
	web.PriorityValues
}

// decodePriorityForm reads the form's fields from v, as typed.
func decodePriorityForm(v url.Values) priorityForm {
	return priorityForm{web.PriorityValues{
		Title:           v.Get("title"),
		Slug:            v.Get("slug"),
		Description:     v.Get("description"),
		Sector:          v.Get("sector"),
		SourceURL:       v.Get("source_url"),
		SourceTitle:     v.Get("source_title"),
		SourcePublisher: v.Get("source_publisher"),
		Version:         v.Get("version"),
	}}
}

// priorityFormFrom fills the form from a priority, to edit it.
func priorityFormFrom(p ledger.Priority) priorityForm {
	return priorityForm{web.PriorityValues{
		Title: p.Title, Slug: p.Slug, Description: p.Description, Sector: string(p.Sector),
		SourceURL: p.Source.URL, SourceTitle: p.Source.Title, SourcePublisher: p.Source.Publisher,
		Version: strconv.Itoa(p.Version),
	}}
}

// validate returns the priority of country the form describes and what is
// wrong with it.
func (f priorityForm) validate(country string) (ledger.Priority, ledger.FieldErrors) {
	var fe ledger.FieldErrors
	p := ledger.Priority{
		CountryCode: country,
		Title:       cleanLine(f.Title),
		Slug:        cleanLine(f.Slug),
		Description: cleanText(f.Description),
		Sector:      ledger.Sector(cleanLine(f.Sector)),
		Source: ledger.Source{
			URL:       cleanLine(f.SourceURL),
			Title:     cleanLine(f.SourceTitle),
			Publisher: cleanLine(f.SourcePublisher),
		},
	}
	checkText(&fe, "title", p.Title, 200)
	fe.Check(p.Title != "", "title", "Enter a title.")
	if p.Slug == "" {
		p.Slug = ledger.Slugify(p.Title)
	} else {
		fe.Check(len(p.Slug) <= 80, "slug", "Keep the slug to 80 characters or fewer.")
		fe.Check(ledger.ValidSlug(p.Slug), "slug", "Use lowercase letters, digits and single hyphens.")
	}
	checkText(&fe, "description", p.Description, 5000)
	checkText(&fe, "source_url", p.Source.URL, 2000)
	fe.Check(p.Source.URL != "", "source_url", "Enter the web address of the source.")
	checkText(&fe, "source_title", p.Source.Title, 300)
	checkText(&fe, "source_publisher", p.Source.Publisher, 200)
	mergeInvalid(&fe, p.Validate(), map[string]string{"country": ""}) //nolint:errcheck // Validate returns only EINVALID with fields
	return p, fe
}
