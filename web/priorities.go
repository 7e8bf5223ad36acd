package web

import (
	"net/url"

	"summitledger/internal/ledger"
)

// PriorityIndexView is the /priorities page.
type PriorityIndexView struct {
	R ledger.PriorityIndex
	F ledger.PriorityFilter
}

// Groups returns the facets of the priorities list, in display order.
func (v PriorityIndexView) Groups() []FacetGroup {
	return []FacetGroup{
		{"unmet", "Progress", []ledger.FacetOption{{Value: "1", Label: "Nothing advances it yet", Count: v.R.Unmet, Selected: v.F.Unmet}}},
		{"country", "Country", v.R.Countries},
		{"sector", "Sector", v.R.Sectors},
	}
}

// Chosen counts the values chosen across the facets.
func (v PriorityIndexView) Chosen() int {
	n := len(v.F.Countries) + len(v.F.Sectors)
	if v.F.Unmet {
		n++
	}
	return n
}

// Heading sums up what the list shows.
func (v PriorityIndexView) Heading() string {
	s := plural(len(v.R.Priorities), "priority")
	if len(v.R.Priorities) != 1 {
		s = itoa(len(v.R.Priorities)) + " priorities"
	}
	if v.F.Unmet {
		return s + " that nothing advances yet"
	}
	return s + ", " + itoa(v.R.Unmet) + " with nothing advancing them yet"
}

// PrioritiesHref is the priorities list with the given filter.
func PrioritiesHref(f ledger.PriorityFilter) string {
	q := url.Values{}
	for _, c := range f.Countries {
		q.Add("country", lower(c))
	}
	for _, s := range f.Sectors {
		q.Add("sector", string(s))
	}
	if f.Unmet {
		q.Set("unmet", "1")
	}
	if len(q) == 0 {
		return "/priorities"
	}
	return "/priorities?" + q.Encode()
}

// priorityAnchor is the priority's place on its country's page.
func priorityAnchor(ps ledger.PriorityStanding) string {
	return "/countries/" + ps.Country.Slug + "#priority-" + ps.Priority.Slug
}

// advanceSentence says how many commitments advance a priority.
func advanceSentence(n int) string {
	if n == 1 {
		return "1 commitment advances it. "
	}
	return itoa(n) + " commitments advance it. "
}
