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
	return out, nil
}
