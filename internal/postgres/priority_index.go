package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// priorityChosen are the conditions of the priority filter on priorities p.
const (
	priorityInCountries = `(cardinality(@countries::text[]) = 0 OR p.country_code = ANY(@countries::text[]))`
	priorityInSectors   = `(cardinality(@sectors::text[]) = 0 OR p.sector = ANY(@sectors::text[]))`
	// priorityUnmet holds when no live deal advances priority p.
	priorityUnmet = `NOT EXISTS (SELECT 1 FROM deal_priorities up JOIN deals ud ON ud.id = up.deal_id
		WHERE up.priority_id = p.id AND ud.deleted_at IS NULL)`
)

func priorityFilterArgs(f ledger.PriorityFilter) pgx.NamedArgs {
	return pgx.NamedArgs{
		"countries": nonNil(f.Countries),
		"sectors":   nonNil(strs(f.Sectors)),
		"unmet":     f.Unmet,
		"ladder":    strs(ledger.Ladder()),
		"per":       PriorityDeals,
	}
}

// FindPriorities returns every live priority of every country that f
// chooses, by country then in recorded order, each with the latest
// PriorityDeals deals advancing it, how many there are and the furthest
// stage any of them ever reached; and the facet counts. Three queries.
func (db *DB) FindPriorities(ctx context.Context, f ledger.PriorityFilter) (*ledger.PriorityIndex, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	args := priorityFilterArgs(f)
	// reached: per priority, the highest rung of the ladder that any
	// in-force update of a deal advancing it set, or the deal's stage today.
	rows, err := db.Pool.Query(ctx, `WITH `+view{}.stateCTE("")+`,
		reached AS (
			SELECT dp.priority_id, max(r.rank)::int AS rank
			FROM deal_priorities dp
			JOIN st ON st.deal_id = dp.deal_id
			JOIN LATERAL (
				SELECT su.stage FROM status_updates su
				WHERE su.deal_id = dp.deal_id AND NOT `+correctedNow("su")+`
				UNION ALL SELECT st.stage
			) s ON true
			JOIN unnest(@ladder::text[]) WITH ORDINALITY AS r(stage, rank) ON r.stage = s.stage
			GROUP BY dp.priority_id
		)
		SELECT p.id, p.slug, p.title, p.description, p.sector, p.source_url, p.source_title, p.source_publisher,
			c.code, c.slug, c.name,
			coalesce((array_agg(st.deal_id ORDER BY st.stage_on DESC NULLS LAST, st.deal_id DESC)
				FILTER (WHERE st.deal_id IS NOT NULL))[1:@per], '{}'),
			count(st.deal_id)::int,
			coalesce(max(reached.rank), 0)
		FROM priorities p
		JOIN countries c ON c.code = p.country_code
		LEFT JOIN deal_priorities dp ON dp.priority_id = p.id
		LEFT JOIN st ON st.deal_id = dp.deal_id
		LEFT JOIN reached ON reached.priority_id = p.id
		WHERE p.deleted_at IS NULL AND `+priorityInCountries+` AND `+priorityInSectors+`
		GROUP BY p.id, c.code
		HAVING NOT @unmet::boolean OR count(st.deal_id) = 0
		ORDER BY c.name, p.id`, args)
	if err != nil {
		return nil, fmt.Errorf("postgres: find priorities: %w", err)
	}
	out := &ledger.PriorityIndex{}
	var dealIDs [][]int64
	var ids []int64
	ladder := ledger.Ladder()
	for rows.Next() {
		var ps ledger.PriorityStanding
		p := &ps.Priority
		var sector string
		var these []int64
		var rank int
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &sector,
			&p.Source.URL, &p.Source.Title, &p.Source.Publisher,
			&ps.Country.Code, &ps.Country.Slug, &ps.Country.Name, &these, &ps.Total, &rank); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: find priorities: %w", err)
		}
		p.Sector, p.CountryCode = ledger.Sector(sector), ps.Country.Code
		if rank > 0 && rank <= len(ladder) {
			ps.Furthest = ladder[rank-1]
		}
		out.Priorities = append(out.Priorities, ps)
		dealIDs, ids = append(dealIDs, these), append(ids, these...)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: find priorities: %w", err)
	}
	if len(ids) > 0 {
		deals, err := db.scanSummaries(ctx, `WITH `+view{}.stateCTE("d.id = ANY(@ids)")+`
			SELECT `+view{}.summaryCols()+`
			FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id`,
			pgx.NamedArgs{"ids": ids})
		if err != nil {
			return nil, fmt.Errorf("postgres: deals advancing priorities: %w", err)
		}
		byID := map[int64]ledger.DealSummary{}
		for _, d := range deals {
			byID[d.ID] = d
		}
		for i := range out.Priorities {
			for _, id := range dealIDs[i] {
				out.Priorities[i].Deals = append(out.Priorities[i].Deals, byID[id])
			}
		}
	}
	if err := db.priorityFacets(ctx, f, out); err != nil {
		return nil, err
	}
	return out, nil
}

// priorityFacets counts, for each country and sector, the priorities the
// filter with that value alone for that facet would list; and the total and
// unmet counts of the filter itself.
func (db *DB) priorityFacets(ctx context.Context, f ledger.PriorityFilter, out *ledger.PriorityIndex) error {
	rows, err := db.Pool.Query(ctx, `WITH f AS MATERIALIZED (
			SELECT p.id, p.country_code, p.sector, `+priorityUnmet+` AS unmet,
				`+priorityInCountries+` AS m_country, `+priorityInSectors+` AS m_sector
			FROM priorities p WHERE p.deleted_at IS NULL
		)
		SELECT 'country', c.code, c.name, count(f.id)::int
		FROM countries c LEFT JOIN f ON f.country_code = c.code AND f.m_sector AND (NOT @unmet::boolean OR f.unmet)
		GROUP BY c.code, c.name
		UNION ALL
		SELECT 'sector', f.sector, '', count(*)::int FROM f WHERE f.m_country AND (NOT @unmet::boolean OR f.unmet) GROUP BY f.sector
		UNION ALL
		SELECT 'total', '', '', count(*)::int FROM f WHERE f.m_country AND f.m_sector
		UNION ALL
		SELECT 'unmet', '', '', count(*)::int FROM f WHERE f.m_country AND f.m_sector AND f.unmet`, priorityFilterArgs(f))
	if err != nil {
		return fmt.Errorf("postgres: priority facets: %w", err)
	}
	defer rows.Close()
	countries := map[string]string{}
	counts := map[string]map[string]int{"country": {}, "sector": {}}
	for rows.Next() {
		var facet, value, label string
		var n int
		if err := rows.Scan(&facet, &value, &label, &n); err != nil {
			return fmt.Errorf("postgres: priority facets: %w", err)
		}
		switch facet {
		case "total":
			out.Total = n
		case "unmet":
			out.Unmet = n
		case "country":
			countries[value] = label
			counts[facet][value] = n
		default:
			counts[facet][value] = n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: priority facets: %w", err)
	}
	has := func(xs []string, x string) bool {
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, code := range sortedKeys(countries, countries) {
		out.Countries = append(out.Countries, ledger.FacetOption{Value: strings.ToLower(code), Label: countries[code],
			Count: counts["country"][code], Selected: has(f.Countries, code)})
	}
	for _, s := range ledger.Sectors() {
		out.Sectors = append(out.Sectors, ledger.FacetOption{Value: string(s.Key), Label: s.Label,
			Count: counts["sector"][string(s.Key)], Selected: has(strs(f.Sectors), string(s.Key))})
	}
	return nil
}
