package seed_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/seed"
)

func count(t *testing.T, db *postgres.DB, sql string) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestSynthetic(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	t.Run("refuses to run before the C5+1 dataset is loaded", func(t *testing.T) {
		if _, err := seed.Synthetic(ctx, db, 5, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("Synthetic on an empty ledger succeeded, want an error")
		}
	})
	pgtest.Seed(t, db)
	before, _ := db.Count(ctx)
	const n = 300
	st, err := seed.Synthetic(ctx, db, n, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatalf("Synthetic: %v", err)
	}
	t.Logf("%d deals, %d updates, %d organizations in %v", st.Deals, st.Updates, st.Organizations, st.Elapsed)
	after, _ := db.Count(ctx)

	t.Run("adds n deals with about ten updates each", func(t *testing.T) {
		if got := after.Deals - before.Deals; got != n {
			t.Errorf("deals added = %d, want %d", got, n)
		}
		if got := int(after.Updates - before.Updates); got != st.Updates || got < 6*n || got > 14*n {
			t.Errorf("updates added = %d (reported %d), want between %d and %d", got, st.Updates, 6*n, 14*n)
		}
		if got := count(t, db, `SELECT count(*) FROM deals WHERE slug LIKE 'synthetic-%'`); got != n {
			t.Errorf("deals with a synthetic- slug = %d, want %d", got, n)
		}
	})
	t.Run("every deal stands at its latest uncorrected update's stage, since the day that run of it began", func(t *testing.T) {
		got := count(t, db, `
			WITH live AS (
				SELECT su.deal_id, su.id, su.stage, su.occurred_on,
					lag(su.stage) OVER (PARTITION BY su.deal_id ORDER BY su.occurred_on, su.id) AS prev
				FROM status_updates su
				WHERE NOT EXISTS (SELECT 1 FROM status_updates c WHERE c.corrects_id = su.id)
			), latest AS (
				SELECT DISTINCT ON (deal_id) deal_id, stage, occurred_on FROM live ORDER BY deal_id, occurred_on DESC, id DESC
			), entered AS (
				SELECT DISTINCT ON (deal_id) deal_id, occurred_on FROM live
				WHERE prev IS DISTINCT FROM stage ORDER BY deal_id, occurred_on DESC, id DESC
			)
			SELECT count(*) FROM deals d
			LEFT JOIN latest l ON l.deal_id = d.id LEFT JOIN entered e ON e.deal_id = d.id
			WHERE (d.stage, d.stage_on, d.latest_update_on) IS DISTINCT FROM (coalesce(l.stage, 'proposed'), e.occurred_on, l.occurred_on)`)
		if got != 0 {
			t.Errorf("%d deals have a stage, stage date or latest update day other than their updates give, want 0", got)
		}
	})
	t.Run("the stages are spread over declarations, deals and side states", func(t *testing.T) {
		got := count(t, db, `SELECT count(DISTINCT stage) FROM deals WHERE slug LIKE 'synthetic-%'`)
		if got < 6 {
			t.Errorf("distinct stages = %d, want at least 6 of 8", got)
		}
	})
	t.Run("every deal has a current search document with its update notes", func(t *testing.T) {
		got := count(t, db, `
			SELECT count(*) FROM deals d LEFT JOIN deal_search s ON s.deal_id = d.id
			WHERE s.document IS NULL
			   OR length(s.document) <= length(to_tsvector('english', d.title) || to_tsvector('english', d.summary))`)
		if got != 0 {
			t.Errorf("%d deals lack a search document with their notes, want 0", got)
		}
	})
	t.Run("the search triggers are on again afterwards", func(t *testing.T) {
		got := count(t, db, `SELECT count(*) FROM pg_trigger WHERE tgname IN ('deals_search', 'status_updates_search',
			'deal_parties_search', 'deal_organizations_search') AND tgenabled = 'O'`)
		if got != 4 {
			t.Errorf("enabled search triggers = %d, want 4", got)
		}
	})
	t.Run("sources are marked synthetic", func(t *testing.T) {
		got := count(t, db, `
			SELECT count(*) FROM status_updates su JOIN deals d ON d.id = su.deal_id
			WHERE d.slug LIKE 'synthetic-%'
			  AND NOT EXISTS (SELECT 1 FROM update_sources us JOIN sources s ON s.id = us.source_id
			                  WHERE us.update_id = su.id AND s.title LIKE 'Synthetic:%' AND s.url LIKE 'https://example.org/synthetic/%')`)
		if got != 0 {
			t.Errorf("%d synthetic updates have an unmarked source, want 0", got)
		}
	})
	t.Run("some deals have a parent, some do not count, some are corrected", func(t *testing.T) {
		for what, sql := range map[string]string{
			"children":     `SELECT count(*) FROM deals WHERE slug LIKE 'synthetic-%' AND parent_id IS NOT NULL`,
			"not counted":  `SELECT count(*) FROM deals WHERE slug LIKE 'synthetic-%' AND NOT counts_toward_total`,
			"corrections":  `SELECT count(*) FROM status_updates WHERE corrects_id IS NOT NULL`,
			"with a value": `SELECT count(*) FROM deals WHERE slug LIKE 'synthetic-%' AND value_cents IS NOT NULL`,
			"US party":     `SELECT count(*) FROM deal_parties p JOIN deals d ON d.id = p.deal_id WHERE d.slug LIKE 'synthetic-%' AND p.country_code = 'US'`,
		} {
			if got := count(t, db, sql); got == 0 {
				t.Errorf("%s = 0, want some", what)
			}
		}
	})
	t.Run("a second run adds n more and reuses the synthetic organizations", func(t *testing.T) {
		orgs := count(t, db, `SELECT count(*) FROM organizations`)
		st2, err := seed.Synthetic(ctx, db, n, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatalf("second Synthetic: %v", err)
		}
		if got := count(t, db, `SELECT count(*) FROM deals WHERE slug LIKE 'synthetic-%'`); got != 2*n {
			t.Errorf("synthetic deals after two runs = %d, want %d", got, 2*n)
		}
		if got := count(t, db, `SELECT count(*) FROM organizations`); got != orgs || st2.Organizations != 0 {
			t.Errorf("organizations = %d (added %d), want %d (none added)", got, st2.Organizations, orgs)
		}
	})
}
