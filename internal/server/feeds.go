package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/web"
)

// feedMeta is what a feed says about itself.
type feedMeta struct {
	title      string
	self       string    // the feed's path
	page       string    // the path of the page whose updates it carries
	emptySince time.Time // its updated time when it has no entries
}

// updatesFeed serves /updates.atom: the updates last recorded across the ledger.
func (s *Server) updatesFeed(w http.ResponseWriter, r *http.Request) {
	entries, err := s.DB.UpdateFeed(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.atom(w, r, feedMeta{title: "Summit Ledger: latest status updates", self: "/updates.atom", page: "/"}, entries)
}

// dealFeed serves /deals/{id}/updates.atom; a deleted deal's feed is gone (410).
func (s *Server) dealFeed(w http.ResponseWriter, r *http.Request) {
	id, ok := urlID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.DB.DealByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if d.Deleted() {
		s.errorPage(w, r, http.StatusGone, "Deal deleted", "This deal was deleted, so its feed has ended.")
		return
	}
	entries, err := s.DB.DealUpdateFeed(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.atom(w, r, feedMeta{title: d.Title + ": status updates · Summit Ledger", self: dealFeedPath(id),
		page: web.DealHref(d.ID, d.Slug), emptySince: d.CreatedAt}, entries)
}

// countryFeed serves /countries/{slug}/updates.atom: updates on the deals a
// country is a party to.
func (s *Server) countryFeed(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	c, err := s.DB.CountryBySlug(r.Context(), slug)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND && s.redirectCountryCode(w, r, slug, "/updates.atom") {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	entries, err := s.DB.CountryUpdateFeed(r.Context(), c.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.atom(w, r, feedMeta{title: c.Name + ": status updates · Summit Ledger", self: countryFeedPath(c.Slug),
		page: "/countries/" + c.Slug}, entries)
}

// dealFeedPath is the path of a deal's feed.
func dealFeedPath(id int64) string { return "/deals/" + strconv.FormatInt(id, 10) + "/updates.atom" }

// countryFeedPath is the path of a country's feed.
func countryFeedPath(slug string) string { return "/countries/" + slug + "/updates.atom" }

// atom writes the feed of entries. Its ETag is a hash of the document, so
// a feed reader polling with If-None-Match gets 304 until something in
// the feed changes, a renamed deal included.
func (s *Server) atom(w http.ResponseWriter, r *http.Request, m feedMeta, entries []postgres.FeedEntry) {
	abs := func(path string) string { return s.absURL(r, path) }
	f := atomFeed{
		ID:     abs(m.self),
		Title:  m.title,
		Author: atomPerson{Name: "Summit Ledger", URI: abs("/")},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: abs(m.self)},
			{Rel: "alternate", Type: "text/html", Href: abs(m.page)},
		},
		Updated: atomTime(m.emptySince),
	}
	if m.emptySince.IsZero() {
		f.Updated = atomTime(time.Unix(0, 0)) // an empty feed has never announced anything
	}
	for _, e := range entries {
		entry := atomEntryOf(e, abs)
		if entry.Updated > f.Updated { // RFC 3339 in UTC sorts as text
			f.Updated = entry.Updated
		}
		f.Entries = append(f.Entries, entry)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	// Not indented: indentation would add spaces inside the XHTML content.
	if err := xml.NewEncoder(&buf).Encode(f); err != nil {
		s.error(w, r, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}
