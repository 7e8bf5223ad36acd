package seed_test

import (
	"context"
	"testing"

	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/seed"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	data, err := seed.C5plus1()
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(ctx, db, data); err != nil {
		t.Fatalf("Load: %v", err)
	}
	first, err := db.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("loads the whole dataset", func(t *testing.T) {
		if first.Countries != 6 || first.Summits != int64(len(data.Summits)) ||
			first.Priorities != int64(len(data.Priorities)) || first.Deals != int64(len(data.Deals)) {
			t.Errorf("counts = %+v, want 6 countries and every summit, priority and deal of the file", first)
		}
		if first.Updates < first.Deals {
			t.Errorf("updates = %d, want at least one per deal (%d)", first.Updates, first.Deals)
		}
	})
	t.Run("a second run changes nothing", func(t *testing.T) {
		if err := seed.Load(ctx, db, data); err != nil {
			t.Fatalf("Load again: %v", err)
		}
		second, _ := db.Count(ctx)
		if second != first {
			t.Errorf("after second load %+v, want %+v", second, first)
		}
	})
	t.Run("every update cites the article", func(t *testing.T) {
		var missing int
		err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM status_updates
			WHERE source_url <> $1 OR source_title = '' OR source_publisher = ''`, data.Source.URL).Scan(&missing)
		if err != nil || missing != 0 {
			t.Errorf("updates without the article as source = %d (%v), want 0", missing, err)
		}
	})
	t.Run("stages come from the article", func(t *testing.T) {
		var stage string
		if err := db.Pool.QueryRow(ctx, `SELECT stage FROM deals WHERE slug = 'wabtec-kazakhstan-locomotives'`).Scan(&stage); err != nil {
			t.Fatal(err)
		}
		if stage != "contracted" {
			t.Errorf("Wabtec stage = %q, want contracted", stage)
		}
	})
}

func TestCents(t *testing.T) {
	for in, want := range map[string]int64{"4200000000": 420000000000, "12.5": 1250, "0": 0} {
		if got, err := seed.Cents(in); err != nil || got != want {
			t.Errorf("Cents(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "1.234", "abc"} {
		if _, err := seed.Cents(in); err == nil {
			t.Errorf("Cents(%q) succeeded, want an error", in)
		}
	}
}
