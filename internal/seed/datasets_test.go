package seed_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/seed"
)

// TestDashboardTotalsMatchTheFiles sums committed value per currency
// straight from the dataset files, by the methodology's rule, and compares
// it with the dashboard the loaded ledger shows.
func TestDashboardTotalsMatchTheFiles(t *testing.T) {
	files, err := seed.Files()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	wantDeals := 0
	// An umbrella's value covers its parts once it counts on its own: a
	// deal stage, an amount, counted toward totals.
	stageOf := func(d seed.DealRecord) ledger.Stage {
		ups := slices.Clone(d.Updates)
		slices.SortStableFunc(ups, func(a, b seed.UpdateRecord) int { return cmp.Compare(a.OccurredOn, b.OccurredOn) })
		return ledger.Stage(ups[len(ups)-1].Stage)
	}
	deals := map[string]seed.DealRecord{}
	for _, f := range files {
		for _, d := range f.Deals {
			deals[d.Slug] = d
		}
	}
	umbrellaCounts := func(d seed.DealRecord) bool {
		for p := d.Parent; p != nil; p = deals[*p].Parent {
			u := deals[*p]
			if stageOf(u).Info().Class == ledger.ClassDeal && u.ValueAmount != nil && u.CountsTowardTotal {
				return true
			}
		}
		return false
	}
	for _, f := range files {
		var held time.Time
		if f.Summit.HeldOn != nil {
			held, _ = time.Parse(time.DateOnly, *f.Summit.HeldOn)
		}
		for _, d := range f.Deals {
			// The stage is the latest update's, by date then by order logged.
			stage := stageOf(d)
			announced := slices.MinFunc(d.Updates, func(a, b seed.UpdateRecord) int { return cmp.Compare(a.OccurredOn, b.OccurredOn) }).OccurredOn
			if d.AnnouncedOn != nil {
				announced = *d.AnnouncedOn
			}
			on, _ := time.Parse(time.DateOnly, announced)
			if stage.Info().Class != ledger.ClassDeal || d.ValueAmount == nil || !d.CountsTowardTotal || umbrellaCounts(d) ||
				(!held.IsZero() && on.Before(held)) {
				continue
			}
			cents, err := seed.Cents(*d.ValueAmount)
			if err != nil {
				t.Fatal(err)
			}
			want[*d.ValueCurrency] += cents
			wantDeals++
		}
	}
	db := pgtest.NewWithDatasets(t)
	dash, err := db.Dashboard(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, m := range dash.Committed {
		got[m.Currency] = m.Cents
	}
	if len(got) != len(want) || dash.CommittedDeals != wantDeals {
		t.Errorf("committed = %v over %d deals, want %v over %d", got, dash.CommittedDeals, want, wantDeals)
	}
	for c, v := range want {
		if got[c] != v {
			t.Errorf("committed %s = %d, want %d", c, got[c], v)
		}
	}
	if len(want) == 0 {
		t.Error("the datasets commit no value at all; the test proves nothing")
	}
}

// TestLoadOverTheFirstDataset loads the datasets over a ledger seeded with
// the first, six-commitment dataset (the test fixture): the records that
// dataset made are corrected in place, not duplicated.
func TestLoadOverTheFirstDataset(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	files, err := seed.Files()
	if err != nil {
		t.Fatal(err)
	}
	r, err := seed.Load(ctx, db, files)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(r.Kept) != 0 {
		t.Errorf("kept = %v, want nothing: nobody edited the first dataset", r.Kept)
	}
	id, err := db.DealIDBySlug(ctx, "boeing-uzbekistan-contracts")
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.DealByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.AnnouncedOn.Format(time.DateOnly) >= "2025-11-06" {
		t.Errorf("Boeing announced on %s, want its true September date", d.AnnouncedOn.Format(time.DateOnly))
	}
	var live int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM priorities WHERE slug = 'transport-corridors-to-europe' AND deleted_at IS NULL`).Scan(&live); err != nil {
		t.Fatal(err)
	}
	if live != 0 {
		t.Error("the Kazakh priority that restated a deal is still live")
	}
	again := pgtest.NewWithDatasets(t)
	for _, table := range []string{"deals", "priorities", "organizations"} {
		var a, b int
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE deleted_at IS NULL`).Scan(&a)
		again.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE deleted_at IS NULL`).Scan(&b)
		if table == "organizations" {
			db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations`).Scan(&a)
			again.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations`).Scan(&b)
		}
		if a != b {
			t.Errorf("%s: %d live after loading over the first dataset, %d on a fresh ledger", table, a, b)
		}
	}
}
