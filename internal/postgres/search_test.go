package postgres_test

import (
	"context"
	"testing"

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
