package postgres

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// facetOrgLimit is how many organizations the organization facet lists,
// most deals first; selected ones are always listed.
const facetOrgLimit = 20

// dealFacet is one facet of the deal list: its name and the condition a deal
// d must meet to match the filter's values for it (true when none is chosen).
type dealFacet struct {
	name string
	cond string
}

// dealFacets are the facets in display order; each condition reads a
// named array argument, so one statement serves any filter.
var dealFacets = []dealFacet{
	{"country", `(cardinality(@countries::text[]) = 0 OR EXISTS (SELECT 1 FROM deal_parties fp WHERE fp.deal_id = d.id AND fp.country_code = ANY(@countries::text[])))`},
	{"sector", `(cardinality(@sectors::text[]) = 0 OR d.sector = ANY(@sectors::text[]))`},
	{"stage", `(cardinality(@stages::text[]) = 0 OR d.stage = ANY(@stages::text[]))`},
	{"summit", `(cardinality(@summits::text[]) = 0 OR d.summit_id IN (SELECT fs.id FROM summits fs WHERE fs.slug = ANY(@summits::text[])))`},
	{"organization", `(cardinality(@organizations::text[]) = 0 OR EXISTS (SELECT 1 FROM deal_organizations fo JOIN organizations fg ON fg.id = fo.organization_id WHERE fo.deal_id = d.id AND fg.slug = ANY(@organizations::text[])))`},
}

// searchJoin limits deals d to those matching the search, when there is
// one. The search is f.SearchText, which websearch_to_tsquery always
// parses; a search with nothing searchable left matches no deal.
func searchJoin(f ledger.DealFilter) string {
	if strings.TrimSpace(f.Query) == "" {
		return ""
	}
	// Keep the space after @@: pgx would read "@@to_tsquery" as a named argument.
	return ` JOIN deal_search ds ON ds.deal_id = d.id AND ds.document @@ ` + searchTSQuery
}

// searchTSQuery is the search @q, which prefixQuery wrote, as a tsquery.
const searchTSQuery = `to_tsquery('` + searchConfig + `', @q)`

func filterArgs(f ledger.DealFilter) pgx.NamedArgs {
	return pgx.NamedArgs{
		"countries":     nonNil(f.Countries),
		"sectors":       nonNil(strs(f.Sectors)),
		"stages":        nonNil(strs(f.Stages)),
		"summits":       nonNil(f.Summits),
		"organizations": nonNil(f.Organizations),
		"q":             prefixQuery(f.Query),
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// orderBy is the ORDER BY of each sort; every one ends in d.id for a stable page.
var orderBy = map[string]string{
	ledger.SortUpdated:   `d.stage_on DESC NULLS LAST, d.id DESC`,
	ledger.SortValue:     `d.value_cents DESC NULLS LAST, d.id DESC`,
	ledger.SortAnnounced: `d.announced_on DESC NULLS LAST, d.id DESC`,
	ledger.SortRelevance: `ts_rank(ds.document, ` + searchTSQuery + `) DESC, d.stage_on DESC NULLS LAST, d.id DESC`,
}

// ResolveDealFilter checks the values of f's open facets against the
// ledger and returns f with each written as the list's links write it: a
// country by its code (it may be asked for by its code in any letter case,
// or by its slug), a summit by its slug, an organization by its current
// slug (an old one still works). Each value appears once. A value that
// names nothing is EINVALID, naming it, as an unknown stage is. One query,
// and none when no country, summit or organization is chosen.
func (db *DB) ResolveDealFilter(ctx context.Context, f ledger.DealFilter) (ledger.DealFilter, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	if len(f.Countries)+len(f.Summits)+len(f.Organizations) == 0 {
		return f, nil
	}
	rows, err := db.q.FacetValueList(ctx, sqlcdb.FacetValueListParams{
		Countries: nonNil(f.Countries), Summits: nonNil(f.Summits), Organizations: nonNil(f.Organizations)})
	if err != nil {
		return f, fmt.Errorf("postgres: resolve deal filter: %w", err)
	}
	named := map[string]map[string]string{"country": {}, "summit": {}, "organization": {}}
	for _, r := range rows {
		named[r.Facet][r.Asked] = r.Value
	}
	resolve := func(facet string, asked []string) ([]string, error) {
		var out []string
		for _, a := range asked {
			v, ok := named[facet][a]
			if !ok {
				return nil, ledger.Errorf(ledger.EINVALID, "There is no %s %s in the ledger. Choose one from the list of deals.", facet, ledger.Quote(a))
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out, nil
	}
	if f.Countries, err = resolve("country", f.Countries); err != nil {
		return f, err
	}
	if f.Summits, err = resolve("summit", f.Summits); err != nil {
		return f, err
	}
	if f.Organizations, err = resolve("organization", f.Organizations); err != nil {
		return f, err
	}
	return f, nil
}

// FindDeals returns one page of the deals that match f, today, with their
// parties and organizations, the number of matches, and the facet counts.
// A page past the last is ENOTFOUND (page 1 of no deals is an empty page).
// It runs three queries whatever the page size.
func (db *DB) FindDeals(ctx context.Context, f ledger.DealFilter) (*ledger.DealResults, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	res := &ledger.DealResults{}
	var err error
	if res.Facets, res.Total, err = db.dealFacets(ctx, f); err != nil {
		return nil, err
	}
	// Compare pages, not offsets: (page-1)*perPage overflows for a page
	// number near the largest int and would ask PostgreSQL for a negative OFFSET.
	if last := max(1, (res.Total+f.PerPage-1)/max(f.PerPage, 1)); f.Page > last {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "Page %d is past the end of the list: it has %d. Go back to its first page.", f.Page, last)
	}
	if res.Deals, err = db.findDeals(ctx, f); err != nil {
		return nil, err
	}
	return res, nil
}

// ExportDeals returns every deal that matches f, in its order, with parties
// and organizations: two queries however many deals match.
func (db *DB) ExportDeals(ctx context.Context, f ledger.DealFilter) ([]ledger.DealSummary, error) {
	f.Page, f.PerPage = 1, 0
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return db.findDeals(ctx, f)
}

func (db *DB) findDeals(ctx context.Context, f ledger.DealFilter) ([]ledger.DealSummary, error) {
	conds := make([]string, len(dealFacets))
	for i, fc := range dealFacets {
		conds[i] = fc.cond
	}
	sql := `WITH ` + view{}.stateCTE("") + `
		SELECT ` + view{}.summaryCols() + `
		FROM st JOIN deals d ON d.id = st.deal_id` + searchJoin(f) + `
		LEFT JOIN summits sm ON sm.id = d.summit_id
		WHERE ` + strings.Join(conds, " AND ") + `
		ORDER BY ` + orderBy[f.EffectiveSort()]
	args := filterArgs(f)
	if f.PerPage > 0 {
		sql += ` LIMIT @limit OFFSET @offset`
		args["limit"], args["offset"] = f.PerPage, (f.Page-1)*f.PerPage
	}
	deals, err := db.scanSummaries(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("postgres: find deals: %w", err)
	}
	if _, err := db.loadRelations(ctx, deals); err != nil {
		return nil, err
	}
	return deals, nil
}

// scanSummaries runs a query that selects summaryCols.
func (db *DB) scanSummaries(ctx context.Context, sql string, args pgx.NamedArgs) ([]ledger.DealSummary, error) {
	rows, err := db.Pool.Query(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.DealSummary
	for rows.Next() {
		var d ledger.DealSummary
		dest, fill := summaryDest(&d)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		fill()
		out = append(out, d)
	}
	return out, rows.Err()
}

// dealFacets counts, for every value of every facet, the deals that the
// filter with that value alone for that facet would list; and the total.
func (db *DB) dealFacets(ctx context.Context, f ledger.DealFilter) (ledger.Facets, int, error) {
	var cols []string
	for _, fc := range dealFacets {
		cols = append(cols, fc.cond+" AS m_"+fc.name)
	}
	// others is the condition on f's rows that every facet but one holds.
	others := func(skip string) string {
		var c []string
		for _, fc := range dealFacets {
			if fc.name != skip {
				c = append(c, "f.m_"+fc.name)
			}
		}
		return strings.Join(c, " AND ")
	}
	sql := `WITH f AS MATERIALIZED (
			SELECT d.id, d.sector, d.stage, d.summit_id, ` + strings.Join(cols, ", ") + `
			FROM deals d` + searchJoin(f) + `
			WHERE d.deleted_at IS NULL
		)
		SELECT 'total', '', '', count(*) FROM f WHERE ` + others("") + `
		UNION ALL
		SELECT 'country', c.code, c.name, count(f.id)
		FROM countries c
		LEFT JOIN deal_parties p ON p.country_code = c.code
		LEFT JOIN f ON f.id = p.deal_id AND ` + others("country") + `
		GROUP BY c.code, c.name
		UNION ALL
		SELECT 'sector', f.sector, '', count(*) FROM f WHERE ` + others("sector") + ` GROUP BY f.sector
		UNION ALL
		SELECT 'stage', f.stage, '', count(*) FROM f WHERE ` + others("stage") + ` GROUP BY f.stage
		UNION ALL
		SELECT 'summit', sm.slug, sm.name, count(f.id)
		FROM summits sm LEFT JOIN f ON f.summit_id = sm.id AND ` + others("summit") + `
		GROUP BY sm.slug, sm.name
		UNION ALL
		SELECT 'organization', g.slug, g.name, count(f.id)
		FROM organizations g
		LEFT JOIN deal_organizations o ON o.organization_id = g.id
		LEFT JOIN f ON f.id = o.deal_id AND ` + others("organization") + `
		GROUP BY g.slug, g.name
		HAVING count(f.id) > 0 OR g.slug = ANY(@organizations::text[])`
	rows, err := db.Pool.Query(ctx, sql, filterArgs(f))
	if err != nil {
		return ledger.Facets{}, 0, fmt.Errorf("postgres: deal facets: %w", err)
	}
	defer rows.Close()
	counts := map[string]map[string]int{}
	labels := map[string]map[string]string{}
	total := 0
	for rows.Next() {
		var facet, value, label string
		var n int
		if err := rows.Scan(&facet, &value, &label, &n); err != nil {
			return ledger.Facets{}, 0, fmt.Errorf("postgres: deal facets: %w", err)
		}
		if facet == "total" {
			total = n
			continue
		}
		if counts[facet] == nil {
			counts[facet], labels[facet] = map[string]int{}, map[string]string{}
		}
		counts[facet][value] += n
		labels[facet][value] = label
	}
	if err := rows.Err(); err != nil {
		return ledger.Facets{}, 0, fmt.Errorf("postgres: deal facets: %w", err)
	}

	var out ledger.Facets
	chosen := func(vals []string, v string) bool {
		for _, x := range vals {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, c := range sortedKeys(labels["country"], labels["country"]) {
		out.Countries = append(out.Countries, ledger.FacetOption{Value: strings.ToLower(c), Label: labels["country"][c],
			Count: counts["country"][c], Selected: chosen(f.Countries, c)})
	}
	for _, s := range ledger.Sectors() {
		out.Sectors = append(out.Sectors, ledger.FacetOption{Value: string(s.Key), Label: s.Label,
			Count: counts["sector"][string(s.Key)], Selected: chosen(strs(f.Sectors), string(s.Key))})
	}
	for _, s := range ledger.Stages() {
		out.Stages = append(out.Stages, ledger.FacetOption{Value: string(s.Key), Label: s.Label,
			Count: counts["stage"][string(s.Key)], Selected: chosen(strs(f.Stages), string(s.Key))})
	}
	for _, s := range sortedKeys(labels["summit"], labels["summit"]) {
		out.Summits = append(out.Summits, ledger.FacetOption{Value: s, Label: labels["summit"][s],
			Count: counts["summit"][s], Selected: chosen(f.Summits, s)})
	}
	var orgs []ledger.FacetOption
	for s, label := range labels["organization"] {
		orgs = append(orgs, ledger.FacetOption{Value: s, Label: label, Count: counts["organization"][s], Selected: chosen(f.Organizations, s)})
	}
	sort.Slice(orgs, func(i, j int) bool {
		if orgs[i].Count != orgs[j].Count {
			return orgs[i].Count > orgs[j].Count
		}
		return orgs[i].Label < orgs[j].Label
	})
	for i, o := range orgs {
		if i < facetOrgLimit || o.Selected {
			out.Organizations = append(out.Organizations, o)
		}
	}
	return out, total, nil
}

// sortedKeys returns m's keys ordered by their label.
func sortedKeys(m map[string]string, label map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if label[keys[i]] != label[keys[j]] {
			return label[keys[i]] < label[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
