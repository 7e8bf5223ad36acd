package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// TestQueryCounts shows that each reader page runs a fixed number of
// queries: the same with the seeded six deals as with twenty more that share
// their countries, organization, priorities and summit, each also naming an
// organization of its own, and with twenty more summits.
func TestQueryCounts(t *testing.T) {
	ts, db, counter := countedServer(t)
	ctx := context.Background()
	wabtec := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	updates, err := updatesByDeal(ctx, db, wabtec)
	if err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path string
		want int
	}{
		{"/", 5},
		{"/?as_of=2026-01-31", 5},
		{"/countries", 1},
		{"/search?q=kazakh", 1},
		{"/moves?since=2025-01-01&until=2026-01-31", 1},
		{"/priorities", 3},
		{"/priorities?country=kz&sector=transport&unmet=1", 2},
		{"/countries/kazakhstan", 7},
		{"/countries/kazakhstan?as_of=2026-01-31", 7},
		{"/deals", 3},
		// A chosen country, summit or organization is checked by one more query.
		{"/deals?country=kz&q=deal&sort=value", 4},
		{"/deals?country=kazakhstan&organization=wabtec&summit=c5plus1-washington-2025", 4},
		{"/deals.csv?country=kz", 3},
		{"/deals.json", 2},
		{web.DealHref(wabtec, "wabtec-kazakhstan-locomotives"), 4},
		{web.DealHref(wabtec, "wabtec-kazakhstan-locomotives") + "?as_of=2026-01-31", 4},
		{fmt.Sprintf("/u/%d", updates[0].ID), 1},
		{"/organizations", 1},
		{"/organizations/wabtec", 4},
		{"/summits", 2},
		{"/updates.json?country=kz", 2},
		{"/updates.csv", 1},
		{web.SourceHref(updates[0].Sources[0].ID), 3},
		{"/summits/c5plus1-washington-2025", 4},
		{"/methodology", 0},
	}
	count := func(path string) int {
		t.Helper()
		counter.Reset()
		p := fetch(t, ts.URL+path)
		if p.status != http.StatusOK && p.status != http.StatusMovedPermanently {
			t.Fatalf("GET %s = %d", path, p.status)
		}
		return counter.Count()
	}
	before := map[string]int{}
	for _, pg := range pages {
		before[pg.path] = count(pg.path)
	}

	orgID, err := db.OrganizationIDBySlug(ctx, "wabtec")
	if err != nil {
		t.Fatal(err)
	}
	prio, err := db.PriorityIDBySlug(ctx, "KZ", "transport-corridors-to-europe")
	if err != nil {
		t.Fatal(err)
	}
	summits, err := db.Summits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		own := &ledger.Organization{Name: fmt.Sprintf("Rail works number %d", i), Kind: "company", CountryCode: "KZ"}
		if err := db.CreateOrganization(ctx, testEditor, own); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnsureSummit(ctx, ledger.Summit{Slug: fmt.Sprintf("rail-forum-%d", i), Name: fmt.Sprintf("Rail forum %d", i),
			HeldOn: testDay("2026-01-01").AddDate(0, 0, i)}); err != nil {
			t.Fatal(err)
		}
		d := &ledger.Deal{Title: fmt.Sprintf("Rail deal number %d", i), Summary: "Another rail deal.", Sector: "transport",
			CountsTowardTotal: true, Parties: []string{"KZ", "US"}, SummitID: summits[0].ID, ParentID: wabtec,
			Value:         &ledger.Money{Cents: int64(i+1) * 1_000_000_00, Currency: "USD"},
			Organizations: []ledger.DealOrganization{{OrganizationID: orgID, Role: "supplier"}, {OrganizationID: own.ID, Role: "partner"}},
			PriorityIDs:   []int64{prio}}
		if err := db.CreateDeal(ctx, testEditor, d); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*ledger.StatusUpdate{statusUpdate(d.ID, ledger.StageAnnounced, "2025-12-01"),
			statusUpdate(d.ID, ledger.StageContracted, "2025-12-15")} {
			if err := db.AddUpdate(ctx, testEditor, u); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			after := count(pg.path)
			if after != before[pg.path] {
				t.Errorf("GET %s ran %d queries with 6 deals and %d with 26; want the same", pg.path, before[pg.path], after)
			}
			if after != pg.want {
				t.Errorf("GET %s ran %d queries, want %d", pg.path, after, pg.want)
			}
		})
	}
}
