package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

// newWideDB is a fresh database behind a pool large enough for every
// goroutine of a test to hold its own connection at once.
func newWideDB(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t)+"&pool_max_conns=24")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// together runs n calls of fn at once, each in its own goroutine, released
// together, and returns their errors by index.
func together(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// TestSimultaneousUmbrellas: two editors make A part of B and B part of A
// at the same moment. At most one may succeed, the other is told why on the
// umbrella field, and neither gets a deadlock or any other failure.
func TestSimultaneousUmbrellas(t *testing.T) {
	ctx := context.Background()
	db := newWideDB(t)
	addCountry(t, db)
	a := &ledger.Deal{Title: "Umbrella A", Sector: "transport", Parties: []string{"KZ"}}
	b := &ledger.Deal{Title: "Umbrella B", Sector: "transport", Parties: []string{"KZ"}}
	for _, d := range []*ledger.Deal{a, b} {
		if err := db.CreateDeal(ctx, editor, d); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 10 {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			for _, d := range []*ledger.Deal{a, b} { // both at the top again
				cur, err := db.DealByID(ctx, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				cur.ParentID = 0
				if err := db.UpdateDeal(ctx, editor, cur); err != nil {
					t.Fatal(err)
				}
			}
			edits := make([]*ledger.Deal, 2)
			for i, pair := range [][2]*ledger.Deal{{a, b}, {b, a}} {
				cur, err := db.DealByID(ctx, pair[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				cur.ParentID = pair[1].ID
				edits[i] = cur
			}
			errs := together(2, func(i int) error { return db.UpdateDeal(ctx, editor, edits[i]) })
			saved := 0
			for i, err := range errs {
				switch {
				case err == nil:
					saved++
				case ledger.ErrorCode(err) == ledger.EINVALID && err.(*ledger.Error).Fields["parent_id"] != "":
				default:
					t.Errorf("edit %d: %v, want success or a refusal on parent_id", i, err)
				}
			}
			if saved != 1 {
				t.Errorf("%d of 2 saved, want exactly 1: %v", saved, errs)
			}
			var loops int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM deals x JOIN deals y ON x.parent_id = y.id AND y.parent_id = x.id`).Scan(&loops); err != nil {
				t.Fatal(err)
			}
			if loops != 0 {
				t.Errorf("the ledger holds an umbrella loop")
			}
		})
	}
}

// TestSimultaneousCreatesNumberSlugs: ten editors create a deal of the
// same title at once, none typing a slug. Every deal is saved, and the
// slugs made from the title are numbered.
func TestSimultaneousCreatesNumberSlugs(t *testing.T) {
	ctx := context.Background()
	db := newWideDB(t)
	addCountry(t, db)
	deals := make([]*ledger.Deal, 10)
	errs := together(len(deals), func(i int) error {
		deals[i] = &ledger.Deal{Title: "Rail order", Sector: "transport", Parties: []string{"KZ"}}
		return db.CreateDeal(ctx, editor, deals[i])
	})
	var slugs []string
	for i, err := range errs {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
			continue
		}
		slugs = append(slugs, deals[i].Slug)
	}
	slices.Sort(slugs)
	want := []string{"rail-order", "rail-order-10", "rail-order-2", "rail-order-3", "rail-order-4",
		"rail-order-5", "rail-order-6", "rail-order-7", "rail-order-8", "rail-order-9"}
	if !slices.Equal(slugs, want) {
		t.Errorf("slugs = %v, want %v", slugs, want)
	}

	t.Run("priorities of one country too", func(t *testing.T) {
		prios := make([]*ledger.Priority, 5)
		errs := together(len(prios), func(i int) error {
			prios[i] = &ledger.Priority{CountryCode: "KZ", Title: "Rail links", Sector: "transport",
				Source: ledger.Source{URL: "https://example.org/p", Title: "A report", Publisher: "Example"}}
			return db.CreatePriority(ctx, editor, prios[i])
		})
		var slugs []string
		for i, err := range errs {
			if err != nil {
				t.Errorf("create %d: %v", i, err)
				continue
			}
			slugs = append(slugs, prios[i].Slug)
		}
		slices.Sort(slugs)
		if want := []string{"rail-links", "rail-links-2", "rail-links-3", "rail-links-4", "rail-links-5"}; !slices.Equal(slugs, want) {
			t.Errorf("slugs = %v, want %v", slugs, want)
		}
	})
}

// TestSimultaneousStatusUpdates: twenty editors log an update on one deal
// at once; every one is recorded, with its revision.
func TestSimultaneousStatusUpdates(t *testing.T) {
	ctx := context.Background()
	db := newWideDB(t)
	d := newDeal(t, db)
	errs := together(20, func(i int) error {
		return db.AddUpdate(ctx, editor, update(d.ID, ledger.StageAnnounced, fmt.Sprintf("2025-12-%02d", i+1)))
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	var updates, revisions int
	err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM status_updates WHERE deal_id = $1),
		(SELECT count(*) FROM revisions WHERE entity = 'status_update')`, d.ID).Scan(&updates, &revisions)
	if err != nil {
		t.Fatal(err)
	}
	if updates != 20 || revisions != 20 {
		t.Errorf("%d updates and %d revisions recorded, want 20 of each", updates, revisions)
	}
}
