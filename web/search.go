package web

import (
	"net/url"
	"strconv"

	"summitledger/internal/ledger"
)

// SearchView is the /search page.
type SearchView struct {
	R ledger.SearchResults
}

// kindTitle names a kind of search hit as a heading.
func kindTitle(kind string) string {
	switch kind {
	case ledger.KindCountry:
		return "Countries"
	case ledger.KindDeal:
		return "Deals"
	case ledger.KindPriority:
		return "Priorities"
	case ledger.KindOrganization:
		return "Organizations"
	case ledger.KindUpdate:
		return "Status updates"
	case ledger.KindSource:
		return "Sources"
	}
	return kind
}

// HitHref is where a search hit leads.
func HitHref(h ledger.SearchHit) string {
	switch h.Kind {
	case ledger.KindCountry:
		return "/countries/" + h.Slug
	case ledger.KindDeal:
		return DealHref(h.ID, h.Slug)
	case ledger.KindPriority:
		return "/countries/" + h.CountrySlug + "#priority-" + h.Slug
	case ledger.KindOrganization:
		return "/organizations/" + h.Slug
	case ledger.KindUpdate:
		return DealHref(h.DealID, h.DealSlug) + "#update-" + strconv.FormatInt(h.ID, 10)
	case ledger.KindSource:
		return SourceHref(h.ID)
	}
	return "/"
}

// moreHref is where the rest of a group's hits are, when there is such a list.
func moreHref(kind, q string) string {
	if kind == ledger.KindDeal {
		return "/deals?" + url.Values{"q": {q}}.Encode()
	}
	return ""
}

// excerpt shortens text to about n characters, at a word.
func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := n
	for cut > n/2 && r[cut] != ' ' {
		cut--
	}
	return string(r[:cut]) + "…"
}
