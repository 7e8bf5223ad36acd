package postgres

import (
	"context"
	"fmt"
	"time"

	"summitledger/internal/ledger"
)

// The organizations and summits indexes: every record with today's tally of
// its live deals, one query each however many there are. They count over the
// same deals (stateCTE of today's view) as the organization and summit pages.

// OrganizationIndex returns every organization, by name, with its kind,
// its country and today's tally of the live deals it takes part in.
func (db *DB) OrganizationIndex(ctx context.Context) ([]ledger.OrganizationScore, error) {
	v := view{}
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`
		SELECT o.id, o.slug, o.name, o.kind, c.code, c.slug, c.name, coalesce(st.stage, ''), count(st.deal_id)::int
		FROM organizations o
		LEFT JOIN countries c ON c.code = o.country_code
		LEFT JOIN deal_organizations od ON od.organization_id = o.id
		LEFT JOIN st ON st.deal_id = od.deal_id
		GROUP BY o.id, c.code, st.stage
		ORDER BY lower(o.name), o.name, o.id`, v.args(nil))
	if err != nil {
		return nil, fmt.Errorf("postgres: organization index: %w", err)
	}
	defer rows.Close()
	var out []ledger.OrganizationScore
	for rows.Next() {
		var o ledger.Organization
		var code, cslug, cname *string
		var stage string
		var n int
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &code, &cslug, &cname, &stage, &n); err != nil {
			return nil, fmt.Errorf("postgres: organization index: %w", err)
		}
		// One row per organization and stage: a new organization starts a new score.
		if len(out) == 0 || out[len(out)-1].Organization.ID != o.ID {
			sc := ledger.OrganizationScore{Organization: o}
			if code != nil {
				sc.Organization.CountryCode = *code
				sc.Country = &ledger.CountryRef{Code: *code, Slug: deref(cslug), Name: deref(cname)}
			}
			sc.Add(ledger.StageProposed, 0) // lists all eight stages even with no deal
			out = append(out, sc)
		}
		if stage != "" {
			out[len(out)-1].Add(ledger.Stage(stage), n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: organization index: %w", err)
	}
	return out, nil
}

// SummitIndex returns every summit, newest first and those without a date
// last, with today's tally of the live deals filed under it.
func (db *DB) SummitIndex(ctx context.Context) ([]ledger.SummitScore, error) {
	v := view{}
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("")+`
		SELECT sm.id, sm.slug, sm.name, sm.held_on, sm.city, coalesce(st.stage, ''), count(st.deal_id)::int
		FROM summits sm
		LEFT JOIN deals d ON d.summit_id = sm.id
		LEFT JOIN st ON st.deal_id = d.id
		GROUP BY sm.id, st.stage
		ORDER BY sm.held_on DESC NULLS LAST, sm.id DESC`, v.args(nil))
	if err != nil {
		return nil, fmt.Errorf("postgres: summit index: %w", err)
	}
	defer rows.Close()
	var out []ledger.SummitScore
	for rows.Next() {
		var s ledger.Summit
		var held *time.Time
		var stage string
		var n int
		if err := rows.Scan(&s.ID, &s.Slug, &s.Name, &held, &s.City, &stage, &n); err != nil {
			return nil, fmt.Errorf("postgres: summit index: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Summit.ID != s.ID {
			s.HeldOn = deref(held)
			sc := ledger.SummitScore{Summit: s}
			sc.Add(ledger.StageProposed, 0)
			out = append(out, sc)
		}
		if stage != "" {
			out[len(out)-1].Add(ledger.Stage(stage), n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: summit index: %w", err)
	}
	return out, db.summitComparison(ctx, v, out)
}

// summitComparison adds to each summit its committed and delivered value
// per currency and its median days from announcement to contract: one query.
func (db *DB) summitComparison(ctx context.Context, v view, out []ledger.SummitScore) error {
	at := map[int64]*ledger.SummitScore{}
	for i := range out {
		at[out[i].Summit.ID] = &out[i]
	}
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE("d.summit_id IS NOT NULL")+`,
		val AS (
			SELECT d.summit_id, d.value_currency, d.value_cents, st.stage, `+v.exclusionSQL()+` AS reason
			FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id
		),
		money AS (
			SELECT summit_id, value_currency,
				sum(value_cents) FILTER (WHERE reason = '')::bigint AS committed,
				coalesce(sum(value_cents) FILTER (WHERE reason = '' AND stage = 'delivered'), 0)::bigint AS delivered
			FROM val WHERE value_currency IS NOT NULL
			GROUP BY summit_id, value_currency
			HAVING count(*) FILTER (WHERE reason = '') > 0
		),
		signed AS (
			SELECT d.summit_id, (min(su.occurred_on) - `+announcedSQL+`)::int AS days
			FROM st JOIN deals d ON d.id = st.deal_id
			CROSS JOIN LATERAL `+v.inForce("d.id")+` su
			WHERE su.stage IN `+sqlList(ledger.StagesOfClass(ledger.ClassDeal))+`
			GROUP BY d.summit_id, d.id
		)
		SELECT summit_id, value_currency, committed, delivered, 0::float8, 0 FROM money
		UNION ALL
		SELECT summit_id, NULL, 0, 0, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), count(*)::int FROM signed GROUP BY summit_id
		ORDER BY 1, 2`, v.args(nil))
	if err != nil {
		return fmt.Errorf("postgres: summit comparison: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, committed, delivered int64
		var currency *string
		var median float64
		var n int
		if err := rows.Scan(&id, &currency, &committed, &delivered, &median, &n); err != nil {
			return fmt.Errorf("postgres: summit comparison: %w", err)
		}
		sc := at[id]
		if sc == nil {
			continue
		}
		if currency == nil {
			sc.MedianDaysToContract, sc.Contracted = median, n
			continue
		}
		sc.Committed = append(sc.Committed, ledger.Money{Cents: committed, Currency: *currency})
		if delivered > 0 {
			sc.Delivered = append(sc.Delivered, ledger.Money{Cents: delivered, Currency: *currency})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: summit comparison: %w", err)
	}
	return nil
}
