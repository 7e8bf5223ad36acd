package ledger

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The orders the deal list can be sorted in.
const (
	SortUpdated   = "updated"   // latest stage change first
	SortValue     = "value"     // largest value first, whatever the currency
	SortAnnounced = "announced" // latest announced first
	SortRelevance = "relevance" // best full-text match first; only with a query
)

// StaleAfter is how long a deal may go without an update before it is stale.
const StaleAfter = 180 * 24 * time.Hour

// MaxFacetValues is how many values one facet of the deal list may hold: a
// person picks a handful, and every value costs each facet link its length.
const MaxFacetValues = 20

// DealFilter selects deals for the list, its facets and its exports. Values
// within one facet are alternatives (any of them matches); facets combine
// (every facet must match).
type DealFilter struct {
	Countries     []string // country codes, upper case (slugs too, until resolved by the store)
	Sectors       []Sector
	Stages        []Stage
	Summits       []string // summit slugs
	Organizations []string // organization slugs
	Query         string   // full-text search, in web-search syntax
	Sort          string   // one of the Sort constants; "" is SortUpdated, or SortRelevance with a query (see EffectiveSort)
	Page          int      // from 1
	PerPage       int      // 0: every matching deal, for exports
}

// Validate checks the number of values of each facet, the closed
// vocabularies, the sort and the page. Open vocabularies (country, summit,
// organization) are checked by the store, which knows their values.
func (f *DealFilter) Validate() error {
	for _, fc := range []struct {
		name string
		n    int
	}{{"countries", len(f.Countries)}, {"sectors", len(f.Sectors)}, {"stages", len(f.Stages)},
		{"summits", len(f.Summits)}, {"organizations", len(f.Organizations)}} {
		if fc.n > MaxFacetValues {
			return Errorf(EINVALID, "This address chooses %d %s; the list takes at most %d at once. Choose fewer, or start again from the list of deals.",
				fc.n, fc.name, MaxFacetValues)
		}
	}
	for _, s := range f.Sectors {
		if !s.Valid() {
			return Errorf(EINVALID, "There is no sector %s. Choose one from the list.", Quote(string(s)))
		}
	}
	for _, s := range f.Stages {
		if !s.Valid() {
			return Errorf(EINVALID, "There is no stage %s. See the methodology for the eight stages.", Quote(string(s)))
		}
	}
	switch f.Sort {
	case "", SortUpdated, SortValue, SortAnnounced, SortRelevance:
	default:
		return Errorf(EINVALID, "There is no sort order %s; use updated, value or announced.", Quote(f.Sort))
	}
	if f.Page < 1 {
		return Errorf(EINVALID, "Pages are numbered from 1.")
	}
	if utf8.RuneCountInString(f.Query) > 200 { // characters, as the message says: bytes cut a Cyrillic search to 100
		return Errorf(EINVALID, "Keep the search to 200 characters or fewer.")
	}
	return nil
}

// EffectiveSort is the sort the list uses: relevance when searching without
// an explicit order, latest update otherwise. Relevance without a search
// is latest update too: removing the search from a list sorted by best
// match must not turn a working link into an error.
func (f *DealFilter) EffectiveSort() string {
	searching := strings.TrimSpace(f.Query) != "" // blanks are no search, as the store reads them
	if f.Sort == SortRelevance && !searching {
		return SortUpdated
	}
	if f.Sort != "" {
		return f.Sort
	}
	if searching {
		return SortRelevance
	}
	return SortUpdated
}

// CountryRef names a country a record links to.
type CountryRef struct {
	Code, Slug, Name string
}

// OrganizationRef names an organization and its role in a deal.
type OrganizationRef struct {
	Slug, Name, Kind, Role string
}

// PriorityRef names a priority a deal advances.
type PriorityRef struct {
	CountryCode, CountrySlug, CountryName, Slug, Title string
}

// SummitRef names a summit; zero when a deal has none.
type SummitRef struct {
	Slug, Name string
	HeldOn     time.Time
}

// DealRef names a deal for a link.
type DealRef struct {
	ID          int64
	Slug, Title string
}

// DealSummary is a deal as lists and pages show it, with its stage as of the
// day being viewed and the reason, if any, its value is left out of totals.
type DealSummary struct {
	ID                int64
	Slug              string
	Title             string
	Summary           string
	Sector            Sector
	Stage             Stage
	StageOn           time.Time // zero when the deal has no update yet
	Value             *Money
	ValueNote         string
	AnnouncedOn       time.Time
	Summit            SummitRef
	ParentID          int64
	CountsTowardTotal bool
	Exclusion         Exclusion
	Parties           []CountryRef
	Organizations     []OrganizationRef
}

// Ref returns the deal's link.
func (d *DealSummary) Ref() DealRef { return DealRef{ID: d.ID, Slug: d.Slug, Title: d.Title} }

// FacetOption is one value of a facet and how many deals choosing it alone
// would list, given the other facets and the search.
type FacetOption struct {
	Value, Label string
	Count        int
	Selected     bool
}

// Facets are the counts beside the deal list, one list per facet.
type Facets struct {
	Countries, Sectors, Stages, Summits, Organizations []FacetOption
}

// DealResults is one page of the deal list, the number of matches, and the facets.
type DealResults struct {
	Deals  []DealSummary
	Total  int
	Facets Facets
}

// TimelineEntry is a status update with the deal it belongs to and, when a
// later correction replaces it, that correction's id.
type TimelineEntry struct {
	Update      StatusUpdate
	Deal        DealRef
	CorrectedBy int64 // 0 when not corrected (as of the day viewed)
}

// StageCount is how many deals stand at a stage.
type StageCount struct {
	Stage Stage
	Count int
}

// StageTally counts deals by stage and by class of stage.
type StageTally struct {
	Stages       []StageCount // all eight stages, in order
	Tracked      int
	Deals        int // contracted, under way, delivered
	Declarations int // proposed, announced, agreed
	Stalled      int
	Cancelled    int
}

// Add counts n deals at stage s.
func (t *StageTally) Add(s Stage, n int) {
	if len(t.Stages) == 0 {
		for _, i := range stages {
			t.Stages = append(t.Stages, StageCount{Stage: i.Key})
		}
	}
	for i := range t.Stages {
		if t.Stages[i].Stage == s {
			t.Stages[i].Count += n
		}
	}
	t.Tracked += n
	switch s.Info().Class {
	case ClassDeal:
		t.Deals += n
	case ClassDeclaration:
		t.Declarations += n
	}
	switch s {
	case StageStalled:
		t.Stalled += n
	case StageCancelled:
		t.Cancelled += n
	}
}

// DealShare is the percentage of deals among deals and declarations (stalled
// and cancelled left out), rounded to the nearest whole number, as the
// charts round it; -1 when there is neither.
func (t StageTally) DealShare() int {
	n := t.Deals + t.Declarations
	if n == 0 {
		return -1
	}
	return (t.Deals*200 + n) / (2 * n)
}

// CountryScore is one row of the dashboard's per-country scoreboard.
type CountryScore struct {
	Country CountryRef
	StageTally
}

// OrganizationScore is one row of the organizations index: an organization
// with today's tally of the deals it takes part in.
type OrganizationScore struct {
	Organization Organization
	Country      *CountryRef // nil when it has no country
	StageTally
}

// SummitScore is one row of the summits index: a summit with today's tally
// of the deals filed under it.
type SummitScore struct {
	Summit Summit
	StageTally
	Committed []Money // the de-duplicated committed value, per currency, never converted
	Delivered []Money // the part of Committed whose deals are delivered
	// MedianDaysToContract is the median, over the summit's deals that
	// reached a deal stage, of the days from announcement to the first
	// update at a deal stage; Contracted is how many such deals there are
	// (the median means nothing when it is 0).
	MedianDaysToContract float64
	Contracted           int
}

// DeliveredShare is the percentage of commitments delivered, rounded; -1
// when there is none.
func (s SummitScore) DeliveredShare() int {
	if s.Tracked == 0 {
		return -1
	}
	n := 0
	for _, c := range s.Stages {
		if c.Stage == StageDelivered {
			n = c.Count
		}
	}
	return (n*200 + s.Tracked) / (2 * s.Tracked)
}

// ExclusionGroup is every deal left out of the committed total for one reason.
type ExclusionGroup struct {
	Reason   Exclusion
	Deals    int
	Values   []Money // summed per currency; deals without a value add nothing
	Examples []ExcludedDeal
}

// ExcludedDeal is one deal left out of the committed total.
type ExcludedDeal struct {
	Deal  DealRef
	Value *Money
}

// StaleDeal is a deal without an update for StaleAfter.
type StaleDeal struct {
	Deal        DealRef
	Stage       Stage
	LastUpdated time.Time // zero when it never had one
}

// Dashboard holds every figure of the home page, as of a day.
type Dashboard struct {
	StageTally
	Committed      []Money // de-duplicated committed value, per currency
	CommittedDeals int     // how many deals make it up
	Excluded       []ExclusionGroup
	Scoreboard     []CountryScore
	Latest         []TimelineEntry
	Stale          []StaleDeal
	StaleTotal     int
	LastUpdated    time.Time // the latest change of any record; zero when none
}

// PriorityProgress is a country's priority with the deals that advance it:
// the latest few, and how many there are in all.
type PriorityProgress struct {
	Priority Priority
	Deals    []DealSummary
	Total    int
}

// CountryProfile is everything a country page shows, as of a day.
type CountryProfile struct {
	Country    Country
	Priorities []PriorityProgress
	Deals      []DealSummary
	Tally      StageTally
	Timeline   []TimelineEntry
}

// DealDetail is everything a deal page shows, as of a day.
type DealDetail struct {
	DealSummary
	LastVerifiedOn time.Time
	DeletedAt      time.Time
	DeletedReason  string
	Parent         *DealRef
	Children       []DealSummary
	Priorities     []PriorityRef
	Timeline       []TimelineEntry // newest first, corrected updates included
}

// PathStep is one stage in the path a deal took.
type PathStep struct {
	Stage Stage
	On    time.Time
}

// Path returns the stages the deal went through, oldest first, from the
// updates in force (corrected ones left out), merging repeats of a stage.
func (d *DealDetail) Path() []PathStep {
	var out []PathStep
	for i := len(d.Timeline) - 1; i >= 0; i-- {
		e := d.Timeline[i]
		if e.CorrectedBy != 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Stage == e.Update.Stage {
			continue
		}
		out = append(out, PathStep{Stage: e.Update.Stage, On: e.Update.OccurredOn})
	}
	return out
}

// OrganizationProfile is an organization with the deals it takes part in.
type OrganizationProfile struct {
	Organization Organization
	Country      *CountryRef
	Deals        []DealSummary // Organizations holds only this organization, with its role
	Tally        StageTally
}

// SummitProfile is a summit with the deals made there.
type SummitProfile struct {
	Summit Summit
	Deals  []DealSummary
	Tally  StageTally
}

// Exclusion is why a deal's value is left out of the committed total; ""
// when it counts.
type Exclusion string

// The reasons a deal's value is left out, in the order they are checked: a
// deal gets the first that applies.
const (
	Counted              Exclusion = ""
	ExcludedDeclaration  Exclusion = "declaration"
	ExcludedStalled      Exclusion = "stalled"
	ExcludedCancelled    Exclusion = "cancelled"
	ExcludedNoValue      Exclusion = "no_value"
	ExcludedNotCounted   Exclusion = "not_counted"
	ExcludedChild        Exclusion = "child"
	ExcludedBeforeSummit Exclusion = "before_summit"
)

// ExclusionInfo explains a reason for people.
type ExclusionInfo struct {
	Key         Exclusion
	Label       string
	Explanation string
}

var exclusions = []ExclusionInfo{
	{ExcludedDeclaration, "Still a declaration", "The deal has not reached a deal stage (contracted, under way or delivered); an intention is not a commitment."},
	{ExcludedStalled, "Stalled", "The deal is stalled; its value is shown apart until it moves again."},
	{ExcludedCancelled, "Cancelled", "The deal was withdrawn or abandoned."},
	{ExcludedNoValue, "No amount reported", "The sources give no amount, so there is nothing to add."},
	{ExcludedNotCounted, "Marked not to count", "An editor marked the deal not to count toward totals, for the reason given in its value note (for example, a figure that restates another deal)."},
	{ExcludedChild, "Part of an umbrella deal that counts", "The deal belongs to an umbrella deal whose own value counts; that value already includes it, so counting both would count it twice."},
	{ExcludedBeforeSummit, "Announced before the summit", "The deal was announced before the summit it is filed under, so it is not a result of that summit."},
}

// Exclusions returns every reason, in the order they are checked.
func Exclusions() []ExclusionInfo { return append([]ExclusionInfo(nil), exclusions...) }

// Info returns the description of e.
func (e Exclusion) Info() ExclusionInfo {
	for _, i := range exclusions {
		if i.Key == e {
			return i
		}
	}
	return ExclusionInfo{Key: e, Label: string(e)}
}

// Label returns the reason's name for people; "" when the deal counts.
func (e Exclusion) Label() string { return e.Info().Label }

// StagesOfClass returns the stages of one class, in order.
func StagesOfClass(c Class) []Stage {
	var out []Stage
	for _, i := range stages {
		if i.Class == c {
			out = append(out, i.Key)
		}
	}
	return out
}

// ParseDay parses a day written YYYY-MM-DD, as in ?as_of=2026-01-31.
func ParseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%s is not a date: write it as YYYY-MM-DD, for example 2026-01-31.", Quote(s))
	}
	if t.Year() < 1990 {
		return time.Time{}, Errorf(EINVALID, "Choose a date after 1990.")
	}
	return t, nil
}

// UpdateFilter selects status updates: those of the deals Deals matches,
// that happened between Since and Until (both days included; zero is open).
type UpdateFilter struct {
	Deals        DealFilter
	Since, Until time.Time
}

// Validate checks the deal filter and that the window is not reversed.
func (f *UpdateFilter) Validate() error {
	if err := f.Deals.Validate(); err != nil {
		return err
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return Errorf(EINVALID, "The window ends (until=%s) before it starts (since=%s).", f.Until.Format(time.DateOnly), f.Since.Format(time.DateOnly))
	}
	return nil
}

// SourcePage is a source with everything that cites it: the updates, newest
// first, and the priorities that give its address.
type SourcePage struct {
	Source     Source
	Updates    []TimelineEntry
	Priorities []CitingPriority
}

// CitingPriority is a priority that cites a source, with its country's slug
// for the link to it.
type CitingPriority struct {
	Priority
	CountrySlug string
}
