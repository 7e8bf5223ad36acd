package postgres_test

import (
	"context"
	"errors"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

// newOrganizationWithDeal adds an organization and a deal that names it.
func newOrganizationWithDeal(t *testing.T, db *postgres.DB) (*ledger.Organization, *ledger.Deal) {
	t.Helper()
	ctx := context.Background()
	o := &ledger.Organization{Name: "Quillfeather Rail", Kind: "company", Description: "Locomotive maker."}
	if err := db.CreateOrganization(ctx, editor, o); err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	addCountry(t, db)
	d := &ledger.Deal{Title: "Shunting engines", Sector: "transport", CountsTowardTotal: true, Parties: []string{"KZ"},
		Organizations: []ledger.DealOrganization{{OrganizationID: o.ID, Role: "supplier"}}}
	if err := db.CreateDeal(ctx, editor, d); err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	return o, d
}

func TestUpdateOrganization(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	o, d := newOrganizationWithDeal(t, db)
	n0 := countRevisions(t, db)

	first := *o
	first.Name, first.Slug, first.Kind, first.CountryCode = "Bramblewick Locomotive", "bramblewick", "fund", "KZ"
	if err := db.UpdateOrganization(ctx, editor, &first); err != nil {
		t.Fatalf("UpdateOrganization: %v", err)
	}
	t.Run("saves every field and bumps the version", func(t *testing.T) {
		got, err := db.OrganizationByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.Organization{ID: o.ID, Slug: "bramblewick", Name: "Bramblewick Locomotive", Kind: "fund",
			CountryCode: "KZ", Description: "Locomotive maker.", Version: 2}
		if *got != want || first != want {
			t.Errorf("stored %+v, returned %+v; want %+v", *got, first, want)
		}
	})
	t.Run("writes one update revision, before and after", func(t *testing.T) {
		if got, want := countRevisions(t, db), n0+1; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
		revs, _ := db.RevisionsFor(ctx, "organization", o.ID)
		if len(revs) != 2 || revs[0].Action != "update" || revs[0].ActorName != editor.Name {
			t.Fatalf("revisions = %+v, want update by %q then create", revs, editor.Name)
		}
		was, err := db.OrganizationAtVersion(ctx, o.ID, 1)
		if err != nil || was.Name != "Quillfeather Rail" {
			t.Errorf("OrganizationAtVersion(1) = %+v, %v; want the first name", was, err)
		}
	})
	t.Run("the old slug still finds it", func(t *testing.T) {
		got, err := db.OrganizationBySlug(ctx, "quillfeather-rail")
		if err != nil || got.ID != o.ID || got.Slug != "bramblewick" {
			t.Errorf("OrganizationBySlug(old) = %+v, %v; want the organization at its new slug", got, err)
		}
		if id, err := db.OrganizationIDBySlug(ctx, "quillfeather-rail"); err != nil || id != o.ID {
			t.Errorf("OrganizationIDBySlug(old) = %d, %v; want %d", id, err, o.ID)
		}
		var moved *postgres.MovedError
		if _, err := db.OrganizationProfile(ctx, "quillfeather-rail"); !errors.As(err, &moved) || moved.Slug != "bramblewick" {
			t.Errorf("OrganizationProfile(old) = %v, want moved to bramblewick", err)
		}
	})
	t.Run("the new name finds its deals and the old one does not", func(t *testing.T) {
		if !searchFinds(t, db, "Bramblewick", d.ID) {
			t.Error("search for the new name misses the organization's deal")
		}
		if searchFinds(t, db, "Quillfeather", d.ID) {
			t.Error("search for the old name still finds the deal")
		}
	})
	t.Run("a stale version is ECONFLICT and changes nothing", func(t *testing.T) {
		n := countRevisions(t, db)
		stale := *o // version 1
		stale.Name, stale.Slug = "Someone Else's Name", "someone-else"
		if err := db.UpdateOrganization(ctx, editor, &stale); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		got, _ := db.OrganizationByID(ctx, o.ID)
		if got.Name != first.Name || got.Version != 2 {
			t.Errorf("organization = %+v, want it unchanged at version 2", got)
		}
		if _, err := db.OrganizationBySlug(ctx, "someone-else"); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("stale slug lookup: %v, want ENOTFOUND", err)
		}
		if got := countRevisions(t, db); got != n {
			t.Errorf("revisions = %d, want %d", got, n)
		}
	})
	t.Run("a taken slug is a field error", func(t *testing.T) {
		cur, _ := db.OrganizationByID(ctx, o.ID)
		cur.Slug = "wabtec"
		err := db.UpdateOrganization(ctx, editor, cur)
		if e, ok := err.(*ledger.Error); !ok || e.Code != ledger.EINVALID || e.Fields["slug"] == "" {
			t.Errorf("err = %v, want EINVALID on slug", err)
		}
	})
	t.Run("an unknown country is a field error", func(t *testing.T) {
		cur, _ := db.OrganizationByID(ctx, o.ID)
		cur.CountryCode = "ZZ"
		err := db.UpdateOrganization(ctx, editor, cur)
		if e, ok := err.(*ledger.Error); !ok || e.Code != ledger.EINVALID || e.Fields["country"] == "" {
			t.Errorf("err = %v, want EINVALID on country", err)
		}
	})
	t.Run("an unknown id is ENOTFOUND", func(t *testing.T) {
		missing := ledger.Organization{ID: 999999, Name: "Nobody", Kind: "other", Version: 1}
		if err := db.UpdateOrganization(ctx, editor, &missing); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
		if _, err := db.OrganizationByID(ctx, 999999); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("OrganizationByID: %v, want ENOTFOUND", err)
		}
	})
}

// searchFinds reports whether a search for q lists the deal id.
func searchFinds(t *testing.T, db *postgres.DB, q string, id int64) bool {
	t.Helper()
	res, err := db.FindDeals(context.Background(), ledger.DealFilter{Query: q, Page: 1, PerPage: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range res.Deals {
		if x.ID == id {
			return true
		}
	}
	return false
}

func TestSeedAfterOrganizationSlugChange(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewSeeded(t)
	before, _ := db.Count(ctx)
	o, err := db.OrganizationBySlug(ctx, "wabtec")
	if err != nil {
		t.Fatal(err)
	}
	o.Slug = "westinghouse-air-brake"
	if err := db.UpdateOrganization(ctx, editor, o); err != nil {
		t.Fatal(err)
	}
	pgtest.Seed(t, db)
	if after, _ := db.Count(ctx); after.Organizations != before.Organizations {
		t.Errorf("organizations = %d after seeding again, want %d: the old slug was taken for a new one", after.Organizations, before.Organizations)
	}
}
