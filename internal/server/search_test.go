package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

// found returns the link of every hit of a kind on a /search page.
func found(t *testing.T, base, q, kind string) []string {
	t.Helper()
	p := fetch(t, base+"/search?"+url.Values{"q": {q}}.Encode())
	if p.status != http.StatusOK {
		t.Fatalf("GET /search?q=%s = %d", q, p.status)
	}
	var out []string
	for _, a := range p.doc.Find("#found-" + kind + " li a").EachIter() {
		out = append(out, a.AttrOr("href", ""))
	}
	return out
}

func TestSearchEverything(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	wabtec := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")

	t.Run("the start of a word finds a country", func(t *testing.T) {
		if got := found(t, ts.URL, "Kazakh", "country"); len(got) == 0 || got[0] != "/countries/kazakhstan" {
			t.Errorf("countries found for Kazakh = %v, want Kazakhstan first", got)
		}
	})

	t.Run("the start of a word finds a deal, in /search and in /deals", func(t *testing.T) {
		if got := found(t, ts.URL, "locomot", "deal"); len(got) == 0 || !strings.HasSuffix(got[0], "/wabtec-kazakhstan-locomotives") {
			t.Errorf("deals found for locomot = %v, want the Wabtec deal", got)
		}
		p := fetch(t, ts.URL+"/deals?q=locomot")
		if !strings.Contains(textOf(p.doc.Find(".deal-list")), "Wabtec locomotive fleet") {
			t.Errorf("/deals?q=locomot lists %q, want the Wabtec deal", textOf(p.doc.Find(".deal-list")))
		}
	})

	t.Run("a priority's words find it", func(t *testing.T) {
		got := found(t, ts.URL, "tungsten mine", "priority")
		if len(got) == 0 || got[0] != "/countries/kazakhstan#priority-upper-kairakty-tungsten-mine" {
			t.Errorf("priorities found = %v", got)
		}
	})

	t.Run("organizations and source titles are found", func(t *testing.T) {
		if got := found(t, ts.URL, "wabte", "organization"); len(got) == 0 || got[0] != "/organizations/wabtec" {
			t.Errorf("organizations found for wabte = %v", got)
		}
		if got := found(t, ts.URL, "crossroads", "source"); len(got) != 1 || !strings.HasPrefix(got[0], "/sources/") {
			t.Errorf("sources found for crossroads = %v", got)
		}
	})

	t.Run("Russian notes are found with Russian stemming", func(t *testing.T) {
		u := statusUpdate(wabtec, ledger.StageUnderWay, "2026-01-20")
		u.Note = "Первые поставки локомотивов начались в январе."
		if err := db.AddUpdate(ctx, testEditor, u); err != nil {
			t.Fatal(err)
		}
		// "локомотивы" is not a prefix of "локомотивов": only stemming joins them.
		got := found(t, ts.URL, "локомотивы", "update")
		if len(got) != 1 || !strings.HasSuffix(got[0], "#update-"+itoa(u.ID)) {
			t.Errorf("updates found for локомотивы = %v, want the update %d", got, u.ID)
		}
		if got := found(t, ts.URL, "поставка", "deal"); len(got) == 0 {
			t.Error("the deal whose note is in Russian is not found by another form of a word")
		}
	})

	t.Run("the groups are named and counted, the best first", func(t *testing.T) {
		p := fetch(t, ts.URL+"/search?q=kazakhstan")
		var kinds []string
		for _, s := range p.doc.Find("section.search-group").EachIter() {
			kinds = append(kinds, s.AttrOr("id", ""))
		}
		if len(kinds) < 3 || kinds[0] != "found-country" || kinds[1] != "found-deal" {
			t.Errorf("groups = %v, want countries, then deals, then the rest", kinds)
		}
		if h := textOf(p.doc.Find("#found-deal h3")); !strings.HasPrefix(h, "Deals") {
			t.Errorf("deal group heading = %q", h)
		}
	})

	t.Run("no input is a query syntax error", func(t *testing.T) {
		for _, q := range []string{`a:* & !(`, `'`, `<->`, `--`, `"`, `or`, `\`, `!!!`, `a | | b`} {
			for _, path := range []string{"/search?", "/deals?", "/deals.csv?", "/updates.json?"} {
				if p := fetch(t, ts.URL+path+url.Values{"q": {q}}.Encode()); p.status != http.StatusOK {
					t.Errorf("GET %sq=%s = %d, want 200", path, q, p.status)
				}
			}
		}
	})

	t.Run("a search longer than 200 characters is refused", func(t *testing.T) {
		if p := fetch(t, ts.URL+"/search?q="+strings.Repeat("ж", 201)); p.status != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", p.status)
		}
	})
}
