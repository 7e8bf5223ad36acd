package ledger

import "unicode/utf8"

// The kinds of record a search finds, in the order the results list them.
const (
	KindCountry      = "country"
	KindDeal         = "deal"
	KindPriority     = "priority"
	KindOrganization = "organization"
	KindUpdate       = "update"
	KindSource       = "source"
)

// SearchKinds returns every kind a search finds, in display order.
func SearchKinds() []string {
	return []string{KindCountry, KindDeal, KindPriority, KindOrganization, KindUpdate, KindSource}
}

// ValidateSearch checks a search as typed.
func ValidateSearch(q string) error {
	if utf8.RuneCountInString(q) > 200 {
		return Errorf(EINVALID, "Keep the search to 200 characters or fewer.")
	}
	return nil
}

// SearchHit is one record a search found. Which identifiers are set
// depends on its kind: a deal has ID and Slug; a priority ID, Slug and
// CountrySlug; an organization or a country Slug; a status update ID and
// its deal's DealID and DealSlug; a source ID.
type SearchHit struct {
	Kind        string
	ID          int64
	Slug        string
	CountrySlug string
	DealID      int64
	DealSlug    string
	Title       string
	Detail      string
	Rank        float32
}

// SearchGroup is the hits of one kind, best first, and how many there are in all.
type SearchGroup struct {
	Kind  string
	Total int
	Hits  []SearchHit
}

// SearchResults is what /search shows: one group per kind that found anything.
type SearchResults struct {
	Query  string
	Groups []SearchGroup
}

// Total is the number of records found, of every kind.
func (r SearchResults) Total() int {
	n := 0
	for _, g := range r.Groups {
		n += g.Total
	}
	return n
}
