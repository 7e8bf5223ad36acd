package ledger

// Ladder is the stages a deal climbs, lowest first: the order in which
// "furthest stage reached" is measured. Stalled and cancelled are off it.
func Ladder() []Stage {
	return []Stage{StageProposed, StageAnnounced, StageAgreed, StageContracted, StageUnderWay, StageDelivered}
}

// PriorityFilter chooses the priorities /priorities lists. Countries and
// sectors may each hold several values: they are alternatives.
type PriorityFilter struct {
	Countries []string // country codes, upper case
	Sectors   []Sector
	Unmet     bool // only priorities that no tracked commitment advances
}

// Validate checks the closed vocabulary; unknown countries match nothing.
func (f *PriorityFilter) Validate() error {
	for _, s := range f.Sectors {
		if !s.Valid() {
			return Errorf(EINVALID, "There is no sector %q. Choose one from the list.", s)
		}
	}
	if len(f.Countries)+len(f.Sectors) > 40 {
		return Errorf(EINVALID, "Choose at most 40 countries and sectors at once.")
	}
	return nil
}

// PriorityStanding is a priority with its country, the deals that advance
// it (the latest few and how many in all) and the furthest stage on the
// Ladder any of them ever reached ("" when none did).
type PriorityStanding struct {
	PriorityProgress
	Country  CountryRef
	Furthest Stage
}

// PriorityIndex is the /priorities page: the chosen priorities, how many
// match, how many of those nothing advances, and the facet counts.
type PriorityIndex struct {
	Priorities []PriorityStanding
	Total      int
	Unmet      int
	Countries  []FacetOption
	Sectors    []FacetOption
}
