package server

import (
	"net/url"
	"strconv"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// priorityFields are the priority form's field names, in form order.
var priorityFields = []string{"title", "slug", "description", "sector", "source_url", "source_title", "source_publisher", "change_note", "version"}

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
		ChangeNote:      v.Get("change_note"),
		Version:         v.Get("version"),
	}}
}

// priorityFormFrom fills the form from a priority, to edit it, or from a
// merge of two edits, with the editor's change note.
func priorityFormFrom(p ledger.Priority) priorityForm {
	return priorityForm{web.PriorityValues{
		Title: p.Title, Slug: p.Slug, Description: p.Description, Sector: string(p.Sector),
		SourceURL: p.Source.URL, SourceTitle: p.Source.Title, SourcePublisher: p.Source.Publisher,
		ChangeNote: p.ChangeNote, Version: strconv.Itoa(p.Version),
	}}
}

// validate returns the priority of country the form describes and what is
// wrong with it: control characters, then the domain's rules. An empty
// slug stays empty: the store makes it from the title.
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
		ChangeNote: cleanLine(f.ChangeNote),
	}
	for field, s := range map[string]string{"title": p.Title, "slug": p.Slug, "description": p.Description,
		"source_url": p.Source.URL, "source_title": p.Source.Title, "source_publisher": p.Source.Publisher, "change_note": p.ChangeNote} {
		checkControl(&fe, field, s)
	}
	mergeInvalid(&fe, p.Validate(), map[string]string{"country": ""}) //nolint:errcheck // Validate returns only EINVALID with fields
	return p, fe
}

// encode returns the form's fields as a browser would post them.
func (f priorityForm) encode() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"title": f.Title, "slug": f.Slug, "description": f.Description,
		"sector": f.Sector, "source_url": f.SourceURL, "source_title": f.SourceTitle,
		"source_publisher": f.SourcePublisher, "change_note": f.ChangeNote, "version": f.Version} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}
