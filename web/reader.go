package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"summitledger/internal/ledger"
)

// The view models of the reader pages: dashboard, countries, deals,
// organizations, summits. They carry the store's read values and the few
// things only the web knows (URLs, the as-of day as typed).

// DashboardView is the home page's view model.
type DashboardView struct {
	D    ledger.Dashboard
	AsOf string // the as-of day, YYYY-MM-DD, or "" for today
}

// CountryIndexView lists the participants with today's tallies.
type CountryIndexView struct {
	Countries []ledger.CountryScore
}

// OrganizationIndexView lists every organization with today's tallies.
type OrganizationIndexView struct {
	Organizations []ledger.OrganizationScore
	Editor        bool // a signed-in editor sees a link to add one
}

// SummitIndexView lists every summit with today's tallies.
type SummitIndexView struct {
	Summits []ledger.SummitScore
}

// CountryView is a country page's view model.
type CountryView struct {
	C      ledger.CountryProfile
	AsOf   string
	Editor bool // a signed-in editor sees links to add and edit priorities
}

// DealView is a deal page's view model.
type DealView struct {
	D         ledger.DealDetail
	AsOf      string
	Tools     *EditorTools // a signed-in editor's actions; nil for readers and past views
	Canonical string       // the deal's canonical path
}

// OrganizationView is an organization page's view model.
type OrganizationView struct {
	O      ledger.OrganizationProfile
	Editor bool // a signed-in editor sees links to edit it and to add another
}

// SourceView is a source page's view model.
type SourceView struct {
	S      ledger.SourcePage
	Editor bool
}

// SummitView is a summit page's view model.
type SummitView struct {
	S ledger.SummitProfile
}

// MethodologyView is the methodology page's view model.
type MethodologyView struct {
	Stages     []ledger.StageInfo
	Exclusions []ledger.ExclusionInfo
}

// DealListView is the deals list's view model.
type DealListView struct {
	R        ledger.DealResults
	F        ledger.DealFilter
	Query    url.Values // the current choices, without the page
	Pages    int
	CSVHref  string
	JSONHref string
}

// FacetGroup is one facet as the list shows it.
type FacetGroup struct {
	Param, Title string
	Options      []ledger.FacetOption
}

// Facets returns the facets in display order.
func (v DealListView) Facets() []FacetGroup {
	f := v.R.Facets
	return []FacetGroup{
		{"stage", "Stage", f.Stages},
		{"country", "Country", f.Countries},
		{"sector", "Sector", f.Sectors},
		{"summit", "Summit", f.Summits},
		{"organization", "Organization", f.Organizations},
	}
}

// Filtered reports whether any facet or a search narrows the list.
func (v DealListView) Filtered() bool {
	for k := range v.Query {
		if k != "sort" {
			return true
		}
	}
	return false
}

// Href returns the list's URL with param set to value alone (value ""
// removes param), back on the first page.
func (v DealListView) Href(param, value string) string {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = append([]string(nil), vs...)
	}
	q.Del(param)
	if value != "" {
		q.Set(param, value)
	}
	return listHref(q)
}

// Without returns the list's URL with one value of param removed.
func (v DealListView) Without(param, value string) string {
	q := url.Values{}
	for k, vs := range v.Query {
		for _, x := range vs {
			if k != param || x != value {
				q.Add(k, x)
			}
		}
	}
	return listHref(q)
}

// PageHref returns the list's URL at page n.
func (v DealListView) PageHref(n int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		q[k] = vs
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return listHref(q)
}

func listHref(q url.Values) string {
	if len(q) == 0 {
		return "/deals"
	}
	return "/deals?" + q.Encode()
}

// SortChoice is one order the list offers.
type SortChoice struct {
	Value, Label string
}

// Sorts are the orders the list offers, relevance only when searching.
func (v DealListView) Sorts() []SortChoice {
	opts := []SortChoice{{ledger.SortUpdated, "Latest stage change"}, {ledger.SortValue, "Value"}, {ledger.SortAnnounced, "Announced"}}
	if v.F.Query != "" {
		opts = append([]SortChoice{{ledger.SortRelevance, "Best match"}}, opts...)
	}
	return opts
}

// Range describes the rows shown, like "1–25 of 112".
func (v DealListView) Range() string {
	if len(v.R.Deals) == 0 {
		return "0 of " + strconv.Itoa(v.R.Total)
	}
	from := (v.F.Page-1)*v.F.PerPage + 1
	return fmt.Sprintf("%d–%d of %d", from, from+len(v.R.Deals)-1, v.R.Total)
}

// DealHref is a deal's canonical path.
func DealHref(id int64, slug string) string {
	return "/deals/" + strconv.FormatInt(id, 10) + "/" + slug
}

// UpdateHref is an update's short permalink.
func UpdateHref(id int64) string { return "/u/" + strconv.FormatInt(id, 10) }

// SourceHref is the page of a source: everything that cites it.
func SourceHref(id int64) string { return "/sources/" + strconv.FormatInt(id, 10) }

// withAsOf adds the as-of day to a link, so that browsing a past view stays in it.
func withAsOf(href, asOf string) string {
	if asOf == "" {
		return href
	}
	sep := "?"
	if strings.Contains(href, "?") {
		sep = "&"
	}
	return href + sep + "as_of=" + url.QueryEscape(asOf)
}

func dealLink(d ledger.DealRef, asOf string) templ.SafeURL {
	return templ.SafeURL(withAsOf(DealHref(d.ID, d.Slug), asOf))
}

// dayText writes a day as "6 Nov 2025"; the zero day is "".
func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// preciseDay writes a day as far as it is known: "6 Nov 2025", "Nov 2025" or "2025".
func preciseDay(t time.Time, p ledger.Precision) string {
	switch {
	case t.IsZero():
		return ""
	case p == ledger.Month:
		return t.Format("Jan 2006")
	case p == ledger.Year:
		return t.Format("2006")
	}
	return dayText(t)
}

// longDay writes a day as "6 November 2025".
func longDay(t time.Time) string { return t.Format("2 January 2006") }

// isoDay writes a day for a datetime attribute.
func isoDay(t time.Time) string { return t.Format(time.DateOnly) }

// asOfDay parses the view's as-of day, already validated by the handler.
func asOfDay(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// MoneyText writes an amount for people: "US$4.2 billion", "€12.5 million", "US$950,000".
func MoneyText(m ledger.Money) string {
	sym := map[string]string{"USD": "US$", "EUR": "€", "GBP": "£"}[m.Currency]
	if sym == "" {
		sym = m.Currency + " "
	}
	units := float64(m.Cents) / 100
	switch {
	case units >= 1e9:
		return sym + trimDecimals(units/1e9) + " billion"
	case units >= 1e6:
		return sym + trimDecimals(units/1e6) + " million"
	}
	return sym + thousands(m.Cents/100)
}

// moneyList writes amounts in several currencies, never added together.
func moneyList(ms []ledger.Money) string {
	if len(ms) == 0 {
		return "none"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = MoneyText(m)
	}
	return strings.Join(parts, " + ")
}

func trimDecimals(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(f, 'f', 2, 64), "0"), ".")
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// badgeClass names a stage badge's classes: its stage and what it counts as.
func badgeClass(s ledger.Stage) string {
	c := s.Info().Class
	if c == "" {
		c = ledger.ClassSide
	}
	return "badge badge-" + string(c) + " stage-" + string(s)
}

// classNote says in words what a stage counts as, beside its badge.
func classNote(s ledger.Stage) string {
	switch s.Info().Class {
	case ledger.ClassDeal:
		return "a deal"
	case ledger.ClassDeclaration:
		return "a declaration"
	}
	return ""
}

// stageCounts turns a tally into the counts StageBarsFrom takes.
func stageCounts(t ledger.StageTally) map[ledger.Stage]int {
	m := map[ledger.Stage]int{}
	for _, s := range t.Stages {
		m[s.Stage] = s.Count
	}
	return m
}

// shareSentence states the share of deals among deals and declarations.
func shareSentence(t ledger.StageTally) string {
	p := t.DealShare()
	if p < 0 {
		return "Nothing has been tracked yet."
	}
	return fmt.Sprintf("%d%% of the commitments that are not stalled or cancelled have reached a deal stage.", p)
}

func itoa(n int) string { return strconv.Itoa(n) }

// staleDays is ledger.StaleAfter in days, as the pages write it.
func staleDays() string { return strconv.Itoa(int(ledger.StaleAfter / (24 * time.Hour))) }

// scoreRows and mapCountries feed the scoreboard chart and the map.
func scoreRows(scores []ledger.CountryScore, asOf string) []ScoreRow {
	rows := make([]ScoreRow, len(scores))
	for i, s := range scores {
		rows[i] = ScoreRow{Name: s.Country.Name, Href: withAsOf("/countries/"+s.Country.Slug, asOf),
			Deals: s.Deals, Declarations: s.Declarations, Other: s.Stalled + s.Cancelled}
	}
	return rows
}

func mapCountries(scores []ledger.CountryScore) []MapCountry {
	var out []MapCountry
	for _, s := range scores {
		out = append(out, MapCountry{Code: s.Country.Code, Slug: s.Country.Slug, Name: s.Country.Name,
			Deals: s.Deals, Declarations: s.Declarations})
	}
	return out
}

// trackSteps turns a deal's timeline into the path StageTrack draws.
func trackSteps(tl []ledger.TimelineEntry) []TrackStep {
	var live []ledger.StatusUpdate
	for _, e := range tl {
		if e.CorrectedBy == 0 {
			live = append(live, e.Update)
		}
	}
	return TrackFrom(live)
}

// otherCounts is ", 1 stalled, 2 cancelled" to end a tally, or "" when there are none.
func otherCounts(stalled, cancelled int) string {
	if stalled+cancelled == 0 {
		return ""
	}
	return ", " + itoa(stalled) + " stalled, " + itoa(cancelled) + " cancelled"
}

// roleOf returns the role of the organization with slug in d.
func roleOf(d ledger.DealSummary, slug string) string {
	for _, o := range d.Organizations {
		if o.Slug == slug {
			return o.Role
		}
	}
	return ""
}

// priorityGaps counts the priorities no deal advances.
func priorityGaps(ps []ledger.PriorityProgress) int {
	n := 0
	for _, p := range ps {
		if p.Total == 0 {
			n++
		}
	}
	return n
}

// dashboardDay is the day the dashboard describes: the as-of day or today.
func dashboardDay(asOf string) time.Time {
	if asOf != "" {
		return asOfDay(asOf)
	}
	return time.Now().UTC()
}

func lower(s string) string { return strings.ToLower(s) }

// classLabel says what a class of stage counts as.
func classLabel(c ledger.Class) string {
	switch c {
	case ledger.ClassDeal:
		return "Deal"
	case ledger.ClassDeclaration:
		return "Declaration"
	case ledger.ClassSide:
		return "Neither (side state)"
	case ledger.ClassTerminal:
		return "Neither (terminal)"
	}
	return string(c)
}

// kindLabel names a kind of organization.
func kindLabel(k string) string {
	switch k {
	case "company":
		return "Company"
	case "government":
		return "Government body"
	case "bank":
		return "Bank"
	case "fund":
		return "Fund"
	case "agency":
		return "Agency"
	}
	return "Organization"
}

// partyNames writes a deal's parties and organizations in one line.
func partyNames(d ledger.DealSummary) string {
	var names []string
	for _, c := range d.Parties {
		names = append(names, c.Name)
	}
	line := strings.Join(names, ", ")
	for _, o := range d.Organizations {
		line += " · " + o.Name
	}
	return strings.TrimPrefix(line, " · ")
}

// percentText writes a whole percentage, "–" when it is undefined (-1), as
// shareText does.
func percentText(share int) string {
	if share < 0 {
		return "–"
	}
	return strconv.Itoa(share) + "%"
}
