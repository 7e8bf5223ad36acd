package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
)

// advancing creates a deal that advances the given priority, with one
// update per stage on the given days.
func advancing(t *testing.T, db *postgres.DB, title, country, priority string, steps ...any) *ledger.Deal {
	t.Helper()
	ctx := context.Background()
	prio, err := db.PriorityIDBySlug(ctx, country, priority)
	if err != nil {
		t.Fatal(err)
	}
	d := &ledger.Deal{Title: title, Summary: "A test deal.", Sector: "minerals", CountsTowardTotal: true,
		Parties: []string{country, "US"}, PriorityIDs: []int64{prio}}
	if err := db.CreateDeal(ctx, testEditor, d); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(steps); i += 2 {
		if err := db.AddUpdate(ctx, testEditor, statusUpdate(d.ID, steps[i].(ledger.Stage), steps[i+1].(string))); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func TestPriorityIndex(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()

	t.Run("every priority of every country is listed, with the deals that advance it", func(t *testing.T) {
		p := fetch(t, ts.URL+"/priorities")
		if p.status != http.StatusOK {
			t.Fatalf("GET /priorities = %d", p.status)
		}
		if got, want := p.doc.Find("li.priority").Length(), 23; got != want {
			t.Errorf("priorities listed = %d, want %d", got, want)
		}
		item := textOf(p.doc.Find("#priority-kz-transport-corridors-to-europe"))
		for _, want := range []string{"Kazakhstan", "Wabtec locomotive fleet", "Furthest stage reached: Contracted"} {
			if !strings.Contains(item, want) {
				t.Errorf("transport corridors item = %q, lacks %q", item, want)
			}
		}
	})

	t.Run("unmet=1 keeps the priorities nothing advances, each linking to its country", func(t *testing.T) {
		p := fetch(t, ts.URL+"/priorities?unmet=1")
		if p.doc.Find("#priority-kz-transport-corridors-to-europe").Length() != 0 {
			t.Error("a priority the Wabtec deal advances is listed as unmet")
		}
		gap := p.doc.Find("#priority-kz-permanent-normal-trade-relations")
		if !strings.Contains(textOf(gap), "Nothing yet") {
			t.Errorf("unmet priority = %q, want marked Nothing yet", textOf(gap))
		}
		if got, want := gap.Find("h3 a").AttrOr("href", ""), "/countries/kazakhstan#priority-permanent-normal-trade-relations"; got != want {
			t.Errorf("link to the country = %q, want %q", got, want)
		}
		if !p.doc.Find(`input[name="unmet"][value="1"]`).Is("[checked]") {
			t.Error("the unmet box is not checked")
		}
		for _, li := range p.doc.Find("li.priority").EachIter() {
			if !li.HasClass("priority-gap") {
				t.Errorf("unmet list holds %q, which a deal advances", textOf(li.Find("h3")))
			}
		}
	})

	t.Run("facets are checkbox groups whose values are alternatives, with counts", func(t *testing.T) {
		p := fetch(t, ts.URL+"/priorities?country=KZ&country=tm&sector=minerals&sector=energy")
		var got []string
		for _, li := range p.doc.Find("li.priority").EachIter() {
			got = append(got, li.AttrOr("id", ""))
		}
		want := []string{"priority-kz-rare-earth-deposits", "priority-kz-upper-kairakty-tungsten-mine", "priority-tm-trans-caspian-gas-pipeline"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("listed %v, want %v", got, want)
		}
		for _, sel := range []string{`input[name="country"][value="kz"]`, `input[name="country"][value="tm"]`, `input[name="sector"][value="energy"]`} {
			if !p.doc.Find(sel).Is("[checked]") {
				t.Errorf("%s not checked", sel)
			}
		}
		// Kazakhstan's and Turkmenistan's priorities in transport: one (KZ).
		if got := textOf(p.doc.Find(`label[for="f-sector-transport"] .facet-count`)); got != "1" {
			t.Errorf("transport count = %q, want 1", got)
		}
		// Uzbekistan's minerals and energy priorities: none.
		if got := textOf(p.doc.Find(`label[for="f-country-uz"] .facet-count`)); got != "0" {
			t.Errorf("Uzbekistan count = %q, want 0", got)
		}
		if p.doc.Find(`a[href="/priorities"]`).Length() == 0 {
			t.Error("no clear-all link")
		}
	})

	t.Run("the furthest stage is the highest any deal ever reached, corrections left out", func(t *testing.T) {
		advancing(t, db, "Rare earth offtake", "KZ", "rare-earth-deposits",
			ledger.StageAnnounced, "2025-11-10", ledger.StageContracted, "2025-12-01", ledger.StageStalled, "2026-06-01")
		d := advancing(t, db, "Rogun turbine order", "TJ", "rogun-dam-financing", ledger.StageAgreed, "2025-11-10")
		wrong := statusUpdate(d.ID, ledger.StageDelivered, "2025-12-01")
		if err := db.AddUpdate(ctx, testEditor, wrong); err != nil {
			t.Fatal(err)
		}
		fix := statusUpdate(d.ID, ledger.StageAgreed, "2025-12-01")
		fix.CorrectsID, fix.CorrectionReason = wrong.ID, "The order was not delivered."
		if err := db.AddUpdate(ctx, testEditor, fix); err != nil {
			t.Fatal(err)
		}
		p := fetch(t, ts.URL+"/priorities?sector=minerals&sector=energy")
		for id, want := range map[string]string{
			"#priority-kz-rare-earth-deposits": "Furthest stage reached: Contracted",
			"#priority-tj-rogun-dam-financing": "Furthest stage reached: Agreed",
		} {
			if got := textOf(p.doc.Find(id)); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
	})

	t.Run("the dashboard and country pages link to it", func(t *testing.T) {
		for path, href := range map[string]string{"/": "/priorities?unmet=1", "/countries/kazakhstan": "/priorities?country=kz"} {
			if fetch(t, ts.URL+path).doc.Find(`a[href="`+href+`"]`).Length() == 0 {
				t.Errorf("GET %s has no link to %s", path, href)
			}
		}
	})

	t.Run("an unknown sector or unmet value is refused", func(t *testing.T) {
		for _, q := range []string{"sector=gold", "unmet=yes"} {
			if p := fetch(t, ts.URL+"/priorities?"+q); p.status != http.StatusBadRequest {
				t.Errorf("GET /priorities?%s = %d, want 400", q, p.status)
			}
		}
	})
}
