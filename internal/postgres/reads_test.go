package postgres_test

import (
	"context"
	"testing"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
)

func dealTitles(ds []ledger.DealSummary) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Title)
	}
	return out
}

func TestFindDeals(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	for _, tc := range []struct {
		name  string
		f     ledger.DealFilter
		total int
	}{
		{"no filter lists every deal", ledger.DealFilter{}, 6},
		{"a country filter keeps that country's deals", ledger.DealFilter{Countries: []string{"KZ"}}, 2},
		{"two countries are alternatives", ledger.DealFilter{Countries: []string{"KZ", "TM"}}, 4},
		{"facets combine", ledger.DealFilter{Countries: []string{"UZ"}, Stages: []ledger.Stage{"contracted"}}, 1},
		{"search finds tungsten", ledger.DealFilter{Query: "tungsten"}, 1},
		{"search stems locomotives", ledger.DealFilter{Query: "locomotives"}, 1},
		{"search stems modernizing", ledger.DealFilter{Query: "modernizing"}, 1},
		{"search with no match finds nothing", ledger.DealFilter{Query: "zeppelin"}, 0},
		{"an organization filter", ledger.DealFilter{Organizations: []string{"boeing"}}, 1},
		{"a summit filter", ledger.DealFilter{Summits: []string{"c5plus1-washington-2025"}}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Page, tc.f.PerPage = 1, 25
			res, err := db.FindDeals(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.total || len(res.Deals) != tc.total {
				t.Errorf("total = %d, rows = %d (%v), want %d", res.Total, len(res.Deals), dealTitles(res.Deals), tc.total)
			}
		})
	}
	t.Run("rows carry parties and organizations", func(t *testing.T) {
		res, err := db.FindDeals(ctx, ledger.DealFilter{Query: "locomotive", Page: 1, PerPage: 25})
		if err != nil || len(res.Deals) != 1 {
			t.Fatalf("FindDeals = %v, %v", res, err)
		}
		d := res.Deals[0]
		if len(d.Parties) != 2 || len(d.Organizations) != 1 || d.Organizations[0].Slug != "wabtec" {
			t.Errorf("parties = %v, organizations = %v, want KZ and US, and Wabtec", d.Parties, d.Organizations)
		}
		if d.Exclusion != ledger.ExcludedBeforeSummit {
			t.Errorf("exclusion = %q, want %q", d.Exclusion, ledger.ExcludedBeforeSummit)
		}
	})
	t.Run("facet counts ignore their own facet", func(t *testing.T) {
		res, err := db.FindDeals(ctx, ledger.DealFilter{Countries: []string{"KZ"}, Page: 1, PerPage: 25})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, o := range res.Facets.Countries {
			got[o.Value] = o.Count
		}
		if got["uz"] != 2 || got["kz"] != 2 || got["us"] != 6 {
			t.Errorf("country counts = %v, want kz 2, uz 2, us 6", got)
		}
		stages := map[string]int{}
		for _, o := range res.Facets.Stages {
			stages[o.Value] = o.Count
		}
		if stages["contracted"] != 1 || stages["announced"] != 1 {
			t.Errorf("stage counts = %v, want contracted 1 and announced 1 within KZ", stages)
		}
	})
	t.Run("an unknown stage is invalid", func(t *testing.T) {
		_, err := db.FindDeals(ctx, ledger.DealFilter{Stages: []ledger.Stage{"signed"}, Page: 1})
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
}

func TestDashboard(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	d, err := db.Dashboard(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Tracked != 6 || d.Deals != 2 || d.Declarations != 4 {
		t.Errorf("tracked, deals, declarations = %d, %d, %d; want 6, 2, 4", d.Tracked, d.Deals, d.Declarations)
	}
	if len(d.Committed) != 0 {
		t.Errorf("committed = %v, want nothing: the only amount was signed before the summit", d.Committed)
	}
	var before *ledger.ExclusionGroup
	for i, g := range d.Excluded {
		if g.Reason == ledger.ExcludedBeforeSummit {
			before = &d.Excluded[i]
		}
	}
	if before == nil || before.Deals != 1 || len(before.Values) != 1 || before.Values[0].Cents != 420_000_000_000 {
		t.Errorf("before-summit group = %+v, want the $4.2 billion Wabtec deal", before)
	}
	if len(d.Scoreboard) != 6 {
		t.Errorf("scoreboard has %d countries, want 6", len(d.Scoreboard))
	}
	if len(d.Latest) != 6 || d.LastUpdated.IsZero() {
		t.Errorf("latest = %d, last updated = %v; want 6 and a time", len(d.Latest), d.LastUpdated)
	}
}

func TestAsOf(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)
	for _, u := range []*ledger.StatusUpdate{
		update(d.ID, ledger.StageAnnounced, "2025-11-06"),
		update(d.ID, ledger.StageAgreed, "2025-12-01"),
		update(d.ID, ledger.StageContracted, "2026-01-15"),
	} {
		if err := db.AddUpdate(ctx, editor, u); err != nil {
			t.Fatal(err)
		}
	}
	stageOn := func(day string) ledger.Stage {
		t.Helper()
		dd, err := db.DealDetail(ctx, d.ID, date(day))
		if err != nil {
			t.Fatalf("DealDetail as of %s: %v", day, err)
		}
		return dd.Stage
	}
	for day, want := range map[string]ledger.Stage{
		"2025-11-06": ledger.StageAnnounced, "2025-11-30": ledger.StageAnnounced,
		"2025-12-01": ledger.StageAgreed, "2026-01-14": ledger.StageAgreed, "2026-01-15": ledger.StageContracted,
	} {
		if got := stageOn(day); got != want {
			t.Errorf("as of %s stage = %s, want %s", day, got, want)
		}
	}
	t.Run("before the first update the deal is not found", func(t *testing.T) {
		_, err := db.DealDetail(ctx, d.ID, date("2025-11-05"))
		if ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})
	t.Run("a correction counts from the day it was recorded", func(t *testing.T) {
		dd, err := db.DealDetail(ctx, d.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		wrong := dd.Timeline[0].Update // contracted, 2026-01-15
		c := update(d.ID, ledger.StageAgreed, "2026-01-15")
		c.CorrectsID, c.CorrectionReason = wrong.ID, "The contract was not signed."
		if err := db.AddUpdate(ctx, editor, c); err != nil {
			t.Fatal(err)
		}
		today := time.Now().UTC().Truncate(24 * time.Hour)
		if got := stageOn(today.Format(time.DateOnly)); got != ledger.StageAgreed {
			t.Errorf("as of today stage = %s, want agreed", got)
		}
		// Recorded today, the correction did not exist yesterday.
		if got := stageOn(today.AddDate(0, 0, -1).Format(time.DateOnly)); got != ledger.StageContracted {
			t.Errorf("as of yesterday stage = %s, want contracted", got)
		}
	})
}
