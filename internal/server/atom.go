package server

import (
	"encoding/xml"
	"strconv"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// The Atom (RFC 4287) document a feed is. Every field is written by
// encoding/xml, which escapes text and attributes, so a note or title
// cannot break out of its element whatever it holds.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Link      atomLink     `xml:"link"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Category  atomCategory `xml:"category"`
	Content   xhtml        `xml:"content"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// xhtml is an entry's content: paragraphs of text and links, written as
// an XHTML div with encoding/xml's tokens.
type xhtml [][]span

// span is a run of text, a link when Href is set.
type span struct{ Text, Href string }

const xhtmlNS = "http://www.w3.org/1999/xhtml"

// MarshalXML writes c as <content type="xhtml"><div xmlns="…">…</div></content>.
func (c xhtml) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = []xml.Attr{{Name: xml.Name{Local: "type"}, Value: "xhtml"}}
	div := xml.StartElement{Name: xml.Name{Space: xhtmlNS, Local: "div"}}
	p := xml.StartElement{Name: xml.Name{Local: "p"}}
	a := xml.StartElement{Name: xml.Name{Local: "a"}}
	tokens := []xml.Token{start, div}
	for _, para := range c {
		tokens = append(tokens, p)
		for _, s := range para {
			if s.Href == "" {
				tokens = append(tokens, xml.CharData(s.Text))
				continue
			}
			link := a.Copy()
			link.Attr = []xml.Attr{{Name: xml.Name{Local: "href"}, Value: s.Href}}
			tokens = append(tokens, link, xml.CharData(s.Text), link.End())
		}
		tokens = append(tokens, p.End())
	}
	tokens = append(tokens, div.End(), start.End())
	for _, t := range tokens {
		if err := e.EncodeToken(t); err != nil {
			return err
		}
	}
	return nil
}

// atomTime writes t as RFC 3339 in UTC, as Atom's date constructs want.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// atomEntryOf turns one update into an entry; abs makes a path absolute.
func atomEntryOf(e postgres.FeedEntry, abs func(string) string) atomEntry {
	u := e.Update
	title := e.Deal.Title + ": " + u.Stage.Label()
	if u.CorrectsID != 0 {
		title += " (correction)"
	}
	updated := u.CreatedAt
	if e.CorrectedAt.After(updated) {
		updated = e.CorrectedAt // the entry now says it was corrected
	}
	body := xhtml{{{Text: u.Stage.Label() + " on " + u.OccurredOn.Format("2 January 2006") + ": "},
		{Text: e.Deal.Title, Href: abs(web.DealHref(e.Deal.ID, e.Deal.Slug))}, {Text: "."}}}
	if u.CorrectsID != 0 {
		body = append(body, []span{{Text: "This corrects "}, {Text: "an earlier update", Href: abs(web.UpdateHref(u.CorrectsID))},
			{Text: ": " + u.CorrectionReason}})
	}
	if u.Note != "" {
		body = append(body, []span{{Text: u.Note}})
	}
	if e.CorrectedBy != 0 {
		body = append(body, []span{{Text: "This update was corrected by "}, {Text: "a later one", Href: abs(web.UpdateHref(e.CorrectedBy))}, {Text: "."}})
	}
	cited := []span{{Text: "Sources: "}}
	if len(u.Sources) == 1 {
		cited[0].Text = "Source: "
	}
	for i, src := range u.Sources {
		link := span{Text: src.Title}
		if ledger.ValidSourceURL(src.URL) { // never a javascript: link, even from a bad row
			link.Href = src.URL
		}
		end := "; "
		if i == len(u.Sources)-1 {
			end = "."
		}
		cited = append(cited, link, span{Text: ", " + src.Publisher + end})
	}
	body = append(body, cited)
	return atomEntry{
		ID:        abs(web.UpdateHref(u.ID)),
		Title:     title,
		Link:      atomLink{Rel: "alternate", Type: "text/html", Href: abs(web.DealHref(e.Deal.ID, e.Deal.Slug) + "#update-" + strconv.FormatInt(u.ID, 10))},
		Published: atomTime(u.CreatedAt),
		Updated:   atomTime(updated),
		Category:  atomCategory{Term: string(u.Stage), Label: u.Stage.Label()},
		Content:   body,
	}
}
