package postgres

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// dashboardExamples is how many deals each exclusion reason lists.
const dashboardExamples = 5

// Dashboard returns the home page's figures as they stood at the end of
// asOf (zero: today): five queries, however many deals there are.
func (db *DB) Dashboard(ctx context.Context, asOf time.Time) (*ledger.Dashboard, error) {
	v := viewOf(asOf)
	var out ledger.Dashboard
	if err := db.dashboardStages(ctx, v, &out); err != nil {
		return nil, err
	}
	if err := db.dashboardValue(ctx, v, &out); err != nil {
		return nil, err
	}
	var err error
	if out.Scoreboard, err = db.scoreboard(ctx, v); err != nil {
		return nil, err
	}
	if out.Latest, err = db.timeline(ctx, v, "true", "LIMIT 10", nil); err != nil {
		return nil, err
	}
	if err := db.dashboardStale(ctx, v, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (db *DB) dashboardStages(ctx context.Context, v view, out *ledger.Dashboard) error {
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`
		SELECT '' AS stage, 0, (SELECT max(created_at) FROM revisions)
		UNION ALL
		SELECT st.stage, count(*)::int, NULL FROM st GROUP BY st.stage`, v.args(nil))
	if err != nil {
		return fmt.Errorf("postgres: dashboard stages: %w", err)
	}
	defer rows.Close()
	out.StageTally.Add(ledger.StageProposed, 0) // lists all eight stages even with no deal
	for rows.Next() {
		var stage string
		var n int
		var last *time.Time
		if err := rows.Scan(&stage, &n, &last); err != nil {
			return fmt.Errorf("postgres: dashboard stages: %w", err)
		}
		if stage == "" {
			out.LastUpdated = deref(last)
			continue
		}
		out.StageTally.Add(ledger.Stage(stage), n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: dashboard stages: %w", err)
	}
	return nil
}

// dashboardValue sums the committed value and, apart, every deal left out
// of it by reason, with the largest few of each reason.
func (db *DB) dashboardValue(ctx context.Context, v view, out *ledger.Dashboard) error {
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`,
		val AS MATERIALIZED (
			SELECT d.id, d.slug, d.title, d.value_cents, d.value_currency, `+v.exclusionSQL()+` AS reason
			FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id
		),
		ranked AS (
			SELECT val.*, row_number() OVER (PARTITION BY reason ORDER BY value_cents DESC NULLS LAST, id) AS rn
			FROM val WHERE reason <> ''
		)
		SELECT 'sum', reason, coalesce(value_currency, ''), count(*)::int, coalesce(sum(value_cents), 0)::bigint, 0::bigint, '', ''
		FROM val GROUP BY reason, value_currency
		UNION ALL
		SELECT 'example', reason, coalesce(value_currency, ''), 0, value_cents, id, slug, title
		FROM ranked WHERE rn <= @examples
		ORDER BY 1 DESC, 2, 5 DESC NULLS LAST`, v.args(pgx.NamedArgs{"examples": dashboardExamples}))
	if err != nil {
		return fmt.Errorf("postgres: dashboard value: %w", err)
	}
	defer rows.Close()
	groups := map[ledger.Exclusion]*ledger.ExclusionGroup{}
	group := func(r ledger.Exclusion) *ledger.ExclusionGroup {
		if groups[r] == nil {
			groups[r] = &ledger.ExclusionGroup{Reason: r}
		}
		return groups[r]
	}
	for rows.Next() {
		var kind, reason, currency, slug, title string
		var n int
		var cents *int64
		var id int64
		if err := rows.Scan(&kind, &reason, &currency, &n, &cents, &id, &slug, &title); err != nil {
			return fmt.Errorf("postgres: dashboard value: %w", err)
		}
		r := ledger.Exclusion(reason)
		switch {
		case kind == "example":
			e := ledger.ExcludedDeal{Deal: ledger.DealRef{ID: id, Slug: slug, Title: title}}
			if cents != nil {
				e.Value = &ledger.Money{Cents: *cents, Currency: currency}
			}
			group(r).Examples = append(group(r).Examples, e)
		case r == ledger.Counted:
			out.CommittedDeals += n
			out.Committed = append(out.Committed, ledger.Money{Cents: deref(cents), Currency: currency})
		default:
			g := group(r)
			g.Deals += n
			if currency != "" {
				g.Values = append(g.Values, ledger.Money{Cents: deref(cents), Currency: currency})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: dashboard value: %w", err)
	}
	sortMoney(out.Committed)
	for _, info := range ledger.Exclusions() {
		if g := groups[info.Key]; g != nil {
			sortMoney(g.Values)
			out.Excluded = append(out.Excluded, *g)
		}
	}
	return nil
}

// sortMoney puts the largest amount first; currencies are never added together.
func sortMoney(m []ledger.Money) {
	sort.Slice(m, func(i, j int) bool {
		if m[i].Cents != m[j].Cents {
			return m[i].Cents > m[j].Cents
		}
		return m[i].Currency < m[j].Currency
	})
}

// scoreboard tallies, for every country, the deals it is a party to.
func (db *DB) scoreboard(ctx context.Context, v view) ([]ledger.CountryScore, error) {
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`
		SELECT c.code, c.slug, c.name, coalesce(st.stage, ''), count(st.deal_id)::int
		FROM countries c
		LEFT JOIN deal_parties p ON p.country_code = c.code
		LEFT JOIN st ON st.deal_id = p.deal_id
		GROUP BY c.code, c.slug, c.name, st.stage
		ORDER BY c.name, c.code`, v.args(nil))
	if err != nil {
		return nil, fmt.Errorf("postgres: scoreboard: %w", err)
	}
	defer rows.Close()
	var out []ledger.CountryScore
	for rows.Next() {
		var c ledger.CountryRef
		var stage string
		var n int
		if err := rows.Scan(&c.Code, &c.Slug, &c.Name, &stage, &n); err != nil {
			return nil, fmt.Errorf("postgres: scoreboard: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Country.Code != c.Code {
			out = append(out, ledger.CountryScore{Country: c})
			out[len(out)-1].Add(ledger.StageProposed, 0)
		}
		if stage != "" {
			out[len(out)-1].Add(ledger.Stage(stage), n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: scoreboard: %w", err)
	}
	return out, nil
}

// Scoreboard returns every country with today's tally of its deals.
func (db *DB) Scoreboard(ctx context.Context) ([]ledger.CountryScore, error) {
	return db.scoreboard(ctx, view{})
}

// dashboardStale lists the deals with no update for ledger.StaleAfter by
// the view's day, stalest first; delivered and cancelled deals are done, so never stale.
func (db *DB) dashboardStale(ctx context.Context, v view, out *ledger.Dashboard) error {
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`
		SELECT d.id, d.slug, d.title, st.stage, st.latest_update_on, count(*) OVER ()::int
		FROM st JOIN deals d ON d.id = st.deal_id
		WHERE st.stage NOT IN ('delivered', 'cancelled')
		  AND coalesce(st.latest_update_on, d.created_at::date) < @stale_before::date
		ORDER BY coalesce(st.latest_update_on, d.created_at::date), d.id
		LIMIT 10`, v.args(pgx.NamedArgs{"stale_before": v.today().Add(-ledger.StaleAfter)}))
	if err != nil {
		return fmt.Errorf("postgres: stale deals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s ledger.StaleDeal
		var stage string
		var on *time.Time
		if err := rows.Scan(&s.Deal.ID, &s.Deal.Slug, &s.Deal.Title, &stage, &on, &out.StaleTotal); err != nil {
			return fmt.Errorf("postgres: stale deals: %w", err)
		}
		s.Stage, s.LastUpdated = ledger.Stage(stage), deref(on)
		out.Stale = append(out.Stale, s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: stale deals: %w", err)
	}
	return nil
}
