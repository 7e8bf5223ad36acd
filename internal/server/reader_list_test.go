package server_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

// listTotal reads the number of matches from the list's heading ("1–6 of 6").
func listTotal(t *testing.T, p fetched) int {
	t.Helper()
	h := textOf(p.doc.Find("#results-heading"))
	i := strings.LastIndex(h, " of ")
	if i < 0 {
		t.Fatalf("results heading %q has no total", h)
	}
	n, err := strconv.Atoi(strings.TrimSpace(h[i+len(" of "):]))
	if err != nil {
		t.Fatalf("results heading %q has no total: %v", h, err)
	}
	return n
}

func TestFacetCounts(t *testing.T) {
	ts, db := newServer(t)
	// More deals, so that facets overlap: a second Kazakh deal with an organization, a delivered one.
	addDeal(t, db, "Kazakh solar farm", []string{"KZ", "US"}, ledger.StageAgreed, "2025-12-01")
	addDeal(t, db, "Uzbek grid upgrade", []string{"UZ"}, ledger.StageContracted, "2025-12-01", ledger.StageDelivered, "2026-03-01")
	for _, start := range []string{"/deals", "/deals?country=kz", "/deals?stage=contracted&sector=other", "/deals?q=deal", "/deals?summit=c5plus1-washington-2025&country=us"} {
		t.Run("from "+start, func(t *testing.T) {
			p := fetch(t, ts.URL+start)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s = %d", start, p.status)
			}
			links := p.doc.Find(".facet a.facet-option:not(.is-selected)")
			if links.Length() == 0 {
				t.Fatalf("GET %s shows no facet links", start)
			}
			checked := 0
			for i := range links.Length() {
				a := links.Eq(i)
				want, err := strconv.Atoi(textOf(a.Find(".facet-count")))
				if err != nil {
					t.Fatalf("facet %q has no count", textOf(a))
				}
				href := a.AttrOr("href", "")
				q := fetch(t, ts.URL+href)
				rows := q.doc.Find("li.deal-item").Length()
				if got := listTotal(t, q); got != want || rows != want {
					t.Errorf("facet %q on %s says %d; its link %s lists %d (%d rows)", textOf(a.Find(".facet-label")), start, want, href, got, rows)
				}
				checked++
			}
			t.Logf("%s: %d facet links checked", start, checked)
		})
	}
	t.Run("a chosen value links back to the list without it", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?country=kz&stage=contracted")
		sel := p.doc.Find(`.facet a.is-selected`)
		if sel.Length() != 2 {
			t.Fatalf("chosen options = %d, want 2", sel.Length())
		}
		for i := range sel.Length() {
			href := sel.Eq(i).AttrOr("href", "")
			if strings.Contains(href, "country=kz") == strings.Contains(href, "stage=contracted") {
				t.Errorf("removing one choice links to %q, want only the other kept", href)
			}
		}
	})
	t.Run("the search form keeps the chosen facets", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?country=kz")
		if p.doc.Find(`form[role="search"] input[type="hidden"][name="country"][value="kz"]`).Length() != 1 {
			t.Errorf("search form drops the country filter")
		}
	})
	t.Run("downloads carry the same query", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?country=kz&page=1")
		if href := p.doc.Find(`.downloads a`).First().AttrOr("href", ""); href != "/deals.csv?country=kz" {
			t.Errorf("CSV link = %q, want /deals.csv?country=kz", href)
		}
	})
}

func TestSearch(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		q, want string
	}{
		{"tungsten", "Reopening the Upper Kairakty tungsten mine"},
		{"locomotive", "Wabtec locomotive fleet modernization deal with Kazakhstan"},
		{"locomotives", "Wabtec locomotive fleet modernization deal with Kazakhstan"},
		{"modernizing", "Wabtec locomotive fleet modernization deal with Kazakhstan"}, // stemmed: modernization
		{"pipelines", "Trans-Caspian Gas Pipeline"},
		{"BlackRock partnership", "BlackRock infrastructure partnership with Uzbekistan"},
	} {
		t.Run("finds "+tc.q, func(t *testing.T) {
			p := fetch(t, ts.URL+"/deals?q="+strings.ReplaceAll(tc.q, " ", "+"))
			titles := textOf(p.doc.Find("li.deal-item h3"))
			if !strings.Contains(titles, tc.want) {
				t.Errorf("search %q lists %q, want %q", tc.q, titles, tc.want)
			}
			if first := textOf(p.doc.Find("li.deal-item h3").First()); first != tc.want {
				t.Errorf("search %q ranks %q first, want %q", tc.q, first, tc.want)
			}
		})
	}
	t.Run("no match shows a clear empty state", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?q=zeppelin")
		if p.status != http.StatusOK || !strings.Contains(p.body, "No deal matches these choices") || p.doc.Find("li.deal-item").Length() != 0 {
			t.Errorf("empty search: status %d, want 200 with an empty state", p.status)
		}
	})
	t.Run("a page past the end is a 404 that says so", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?page=9")
		if p.status != http.StatusNotFound || !strings.Contains(p.body, "past the end of the list") {
			t.Errorf("page 9 of 1 = %d, want 404 saying it is past the end", p.status)
		}
	})
}
