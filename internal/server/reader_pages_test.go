package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/pgtest"
	"summitledger/web"
)

func TestReaderPages(t *testing.T) {
	ts, db := newServer(t)
	wabtec := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	wabtecURL := web.DealHref(wabtec, "wabtec-kazakhstan-locomotives")
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"the dashboard shows the headline figures", "/", []string{"Deals, not declarations", "Commitments tracked", "Committed value, de-duplicated",
			"Country scoreboard", "Where the commitments stand", "Latest status updates", "Gone quiet", "Data last updated",
			"Announced before the summit", "US$4.2 billion", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "United States"}},
		{"the countries index lists the six participants", "/countries", []string{"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "United States"}},
		{"a country page shows priorities, deals and timeline", "/countries/kazakhstan", []string{"What Kazakhstan seeks", "Nothing yet",
			"Reopening the Upper Kairakty tungsten mine", "Kazakhstan's deals", "Timeline", "Permanent normal trade relations"}},
		{"the deals list shows every deal and the facets", "/deals", []string{"1–6 of 6", "Wabtec locomotive fleet", "Filter by Stage", "Download this list"}},
		{"a deal page shows stage, value, notes and timeline", wabtecURL, []string{"Wabtec locomotive fleet modernization deal with Kazakhstan",
			"Contracted", "US$4.2 billion", "Not counted in the committed total: Announced before the summit", "Wabtec", "supplier",
			"Transport corridors to Europe via the Caucasus", `id="update-`, `href="/u/`, "The Times of Central Asia", `href="/deals/1/history"`}},
		{"an organization page lists its deals with roles", "/organizations/wabtec", []string{"Wabtec", "Wabtec locomotive fleet", "as supplier"}},
		{"a summit page lists its deals", "/summits/c5plus1-washington-2025", []string{"C5+1 Leaders' Summit, Washington 2025", "6 November 2025", "Boeing contracts with Uzbekistan"}},
		{"the methodology page defines stages and formulas", "/methodology", []string{"Proposed", "Announced", "Agreed", "Contracted", "Under way",
			"Delivered", "Stalled", "Cancelled", "Share of deals", "Committed value, de-duplicated", "Part of an umbrella deal", "as_of=YYYY-MM-DD", "corrects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetch(t, ts.URL+tc.path)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.path, p.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.body, w) && !strings.Contains(textOf(p.doc.Selection), w) {
					t.Errorf("GET %s lacks %q", tc.path, w)
				}
			}
			if got := p.doc.Find("h1").Length(); got != 1 {
				t.Errorf("GET %s has %d h1, want 1", tc.path, got)
			}
		})
	}
	t.Run("a priority no deal advances stands out", func(t *testing.T) {
		p := fetch(t, ts.URL+"/countries/kazakhstan")
		gap := p.doc.Find("#priority-permanent-normal-trade-relations")
		if !gap.HasClass("priority-gap") || !strings.Contains(textOf(gap), "No deal or declaration advances this priority") {
			t.Errorf("priority without deals = %q (class %q), want marked as a gap", textOf(gap), gap.AttrOr("class", ""))
		}
		met := p.doc.Find("#priority-upper-kairakty-tungsten-mine")
		if met.HasClass("priority-gap") || !strings.Contains(textOf(met), "Announced") {
			t.Errorf("priority with a deal = %q, want its deal and stage", textOf(met))
		}
	})
	t.Run("the CSV has a header and one row per deal", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals.csv?country=kz")
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "id" {
			t.Errorf("CSV rows = %d (%v), want a header and Kazakhstan's 2 deals", len(rows), rows)
		}
	})
	t.Run("the JSON lists the same deals as the page", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals.json?stage=contracted")
		var got struct {
			Count int `json:"count"`
			Deals []struct {
				Title, Stage string
				URL          string `json:"url"`
			} `json:"deals"`
		}
		if err := json.Unmarshal([]byte(p.body), &got); err != nil {
			t.Fatalf("JSON: %v\n%s", err, p.body)
		}
		if got.Count != 2 || len(got.Deals) != 2 || got.Deals[0].Stage != "contracted" {
			t.Errorf("JSON = %+v, want the 2 contracted deals", got)
		}
	})
	t.Run("a corrected update is marked and its correction shown", func(t *testing.T) {
		ctx := context.Background()
		tl, err := updatesByDeal(ctx, db, wabtec)
		if err != nil {
			t.Fatal(err)
		}
		c := statusUpdate(wabtec, ledger.StageAgreed, "2025-09-01")
		c.CorrectsID, c.CorrectionReason = tl[0].ID, "Only a framework agreement was signed."
		if err := db.AddUpdate(ctx, testEditor, c); err != nil {
			t.Fatal(err)
		}
		p := fetch(t, ts.URL+wabtecURL)
		old := p.doc.Find("#update-" + strconv.FormatInt(tl[0].ID, 10))
		if !old.HasClass("is-corrected") || !strings.Contains(textOf(old), "Corrected") {
			t.Errorf("corrected update = %q, want it marked corrected", textOf(old))
		}
		if href := old.Find(".correction-note a").AttrOr("href", ""); href != "#update-"+strconv.FormatInt(c.ID, 10) {
			t.Errorf("corrected update links to %q, want its correction's anchor", href)
		}
		corr := textOf(p.doc.Find("#update-" + strconv.FormatInt(c.ID, 10)))
		if !strings.Contains(corr, "Correction") || !strings.Contains(corr, "Only a framework agreement was signed.") {
			t.Errorf("correction = %q, want its reason", corr)
		}
		if got := textOf(p.doc.Find(".deal-status .badge")); got != "Agreed" {
			t.Errorf("stage badge = %q, want Agreed after the correction", got)
		}
	})
}

func TestDealPageEditorLinks(t *testing.T) {
	e := newAuthServer(t, nil)
	pgtest.Seed(t, e.db)
	id := dealIDBySlug(t, e.db, "boeing-uzbekistan-contracts")
	path := web.DealHref(id, "boeing-uzbekistan-contracts")
	update, edit := `href="/deals/`+strconv.FormatInt(id, 10)+`/updates/new"`, `href="/deals/`+strconv.FormatInt(id, 10)+`/edit"`
	t.Run("a reader sees no editing links", func(t *testing.T) {
		r := e.get(t, newClient(t), path)
		if r.status != http.StatusOK || strings.Contains(r.body, update) || strings.Contains(r.body, edit) {
			t.Errorf("reader: status %d, editing links shown = %v", r.status, strings.Contains(r.body, update))
		}
	})
	t.Run("an editor sees the editor tools", func(t *testing.T) {
		addUser(t, e.db, editorEmail, "Ed", ledger.RoleEditor, editorPass)
		r := e.get(t, e.signIn(t, editorEmail, editorPass), path)
		verify := `action="/deals/` + strconv.FormatInt(id, 10) + `/verify"`
		for _, want := range []string{update, edit, verify, "Log a status update", "Correct this update"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("editor: %s missing (status %d)", want, r.status)
			}
		}
		if strings.Contains(r.body, "Delete the deal") {
			t.Errorf("editor: sees the admin's Delete the deal")
		}
	})
}

func TestCountryPageEditorLinks(t *testing.T) {
	e := newAuthServer(t, nil)
	pgtest.Seed(t, e.db)
	add := `href="/countries/kyrgyzstan/priorities/new"`
	t.Run("a reader sees no priority links", func(t *testing.T) {
		r := e.get(t, newClient(t), "/countries/kyrgyzstan")
		if r.status != http.StatusOK || strings.Contains(r.body, add) || strings.Contains(r.body, `/edit"`) {
			t.Errorf("reader: status %d, priority links shown", r.status)
		}
	})
	t.Run("an editor can add and edit priorities", func(t *testing.T) {
		addUser(t, e.db, editorEmail, "Ed", ledger.RoleEditor, editorPass)
		r := e.get(t, e.signIn(t, editorEmail, editorPass), "/countries/kyrgyzstan")
		if !strings.Contains(r.body, add) {
			t.Errorf("editor: no link to add a priority")
		}
		if got := strings.Count(r.body, `/edit"`); got != 4 {
			t.Errorf("editor: %d priority edit links, want 4 (one per priority)", got)
		}
	})
}

func TestEscaping(t *testing.T) {
	ts, db := newServer(t)
	d := addDeal(t, db, `<script>alert("x")</script> pipeline`, []string{"KZ"}, ledger.StageAnnounced, "2025-12-01")
	for _, path := range []string{web.DealHref(d.ID, d.Slug), "/deals", "/countries/kazakhstan", "/", "/deals?q=pipeline"} {
		p := fetch(t, ts.URL+path)
		if strings.Contains(p.body, `<script>alert`) {
			t.Errorf("GET %s renders the title's <script> unescaped", path)
		}
		if !strings.Contains(p.body, `&lt;script&gt;alert(`) {
			t.Errorf("GET %s does not show the title escaped", path)
		}
	}
}
