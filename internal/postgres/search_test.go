package postgres_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
)

func TestSearchNames(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	org := &ledger.Organization{Name: "Zephyrworks", Kind: "company"}
	if err := db.CreateOrganization(ctx, editor, org); err != nil {
		t.Fatal(err)
	}
	d := &ledger.Deal{Title: "Rail order", Sector: "energy", CountsTowardTotal: true,
		Parties: []string{"TJ"}, Organizations: []ledger.DealOrganization{{OrganizationID: org.ID, Role: "supplier"}}}
	if err := db.CreateDeal(ctx, editor, d); err != nil {
		t.Fatal(err)
	}
	finds := func(t *testing.T, q string) bool {
		t.Helper()
		res, err := db.FindDeals(ctx, ledger.DealFilter{Query: q, Page: 1, PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res.Deals {
			if x.ID == d.ID {
				return true
			}
		}
		return false
	}
	for _, q := range []string{"Zephyrworks", "Tajikistan", "energy"} {
		t.Run("finds a deal by "+q, func(t *testing.T) {
			if !finds(t, q) {
				t.Errorf("search %q misses the deal", q)
			}
		})
	}
	t.Run("forgets an organization taken off the deal", func(t *testing.T) {
		d.Organizations = nil
		d.ChangeSources = []ledger.Source{{URL: "https://example.org/change", Title: "A report", Publisher: "Example"}}
		if err := db.UpdateDeal(ctx, editor, d); err != nil {
			t.Fatal(err)
		}
		if finds(t, "Zephyrworks") {
			t.Errorf("search still finds the deal by its former organization")
		}
	})
}

// FuzzSearch: whatever the search, the store answers with deals or a
// message for the person (too long), never a PostgreSQL error such as
// "tsquery stack too small". Run it longer with -fuzz FuzzSearch.
func FuzzSearch(f *testing.F) {
	db := pgtest.NewSeeded(f)
	for _, q := range []string{
		"rail", strings.Repeat("-", 50) + "a", strings.Repeat("-", 50) + "rail", strings.Repeat("!-", 90) + "rail",
		"rail-" + strings.Repeat("!-", 90) + "x", strings.Repeat(`-"`, 90) + "rail", strings.Repeat("(", 90) + "rail",
		`"rare earths" or -tungsten`, "rail & !x | (y <-> z):* 'q'", "1-1-1-1-1-1-1-1-1-1-1-1", "\u00a0-\u2011rail",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
			return // the server refuses such text before the store sees it
		}
		for _, sort := range []string{"", ledger.SortRelevance} {
			_, err := db.FindDeals(context.Background(), ledger.DealFilter{Query: q, Sort: sort, Page: 1, PerPage: 25})
			if err != nil && ledger.ErrorCode(err) != ledger.EINVALID {
				t.Errorf("FindDeals(q=%q, sort=%q): %v", q, sort, err)
			}
		}
	})
}
