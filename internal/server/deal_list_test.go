package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestCountryFacetBySlug: a country may be chosen by its ISO code or by its
// slug, on the list and its downloads, and the list's links write the code.
func TestCountryFacetBySlug(t *testing.T) {
	ts, _ := newServer(t)
	byCode := fetch(t, ts.URL+"/deals?country=kz")
	want := listTotal(t, byCode)
	if want == 0 {
		t.Fatal("no seeded deal has Kazakhstan as a party")
	}
	for _, q := range []string{"country=kazakhstan", "country=KZ", "country=Kazakhstan", "country=kz&country=kazakhstan"} {
		t.Run(q, func(t *testing.T) {
			p := fetch(t, ts.URL+"/deals?"+q)
			if p.status != http.StatusOK {
				t.Fatalf("GET /deals?%s = %d, want 200", q, p.status)
			}
			if got := listTotal(t, p); got != want {
				t.Errorf("GET /deals?%s lists %d deals, want %d as country=kz does", q, got, want)
			}
			if got := p.doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); !strings.HasSuffix(got, "/deals?country=kz") {
				t.Errorf("canonical = %q, want the list by code, /deals?country=kz", got)
			}
			var export struct{ Count int }
			if err := json.Unmarshal([]byte(fetch(t, ts.URL+"/deals.json?"+q).body), &export); err != nil || export.Count != want {
				t.Errorf("GET /deals.json?%s counts %d (%v), want %d", q, export.Count, err, want)
			}
			rows, err := csv.NewReader(strings.NewReader(fetch(t, ts.URL+"/deals.csv?"+q).body)).ReadAll()
			if err != nil || len(rows) != want+1 {
				t.Errorf("GET /deals.csv?%s has %d rows (%v), want a header and %d deals", q, len(rows), err, want)
			}
		})
	}
}

// TestCountryCodeAddress: /countries/kz is the Kazakhstan page's code, and
// answers 301 to its one address, keeping the query string.
func TestCountryCodeAddress(t *testing.T) {
	ts, _ := newServer(t)
	for path, want := range map[string]string{
		"/countries/kz":                  "/countries/kazakhstan",
		"/countries/UZ?as_of=2026-01-31": "/countries/uzbekistan?as_of=2026-01-31",
		"/countries/kz/updates.atom":     "/countries/kazakhstan/updates.atom",
		"/countries/us":                  "/countries/united-states",
	} {
		if p := fetch(t, ts.URL+path); p.status != http.StatusMovedPermanently || p.location != want {
			t.Errorf("GET %s = %d to %q, want 301 to %q", path, p.status, p.location, want)
		}
	}
	for _, path := range []string{"/countries/zz", "/countries/kzz", "/countries/zz/updates.atom"} {
		if p := fetch(t, ts.URL+path); p.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, p.status)
		}
	}
}

// TestFacetValueLimit: a facet takes at most 20 values. Past that the
// answer is a short 400 page that says why, however long the address, and
// never a page with a link per value that repeats the whole query.
func TestFacetValueLimit(t *testing.T) {
	ts, _ := newServer(t)
	repeat := func(param, value string, n int) string {
		return strings.TrimSuffix(strings.Repeat(param+"="+url.QueryEscape(value)+"&", n), "&")
	}
	t.Run("20 values are taken", func(t *testing.T) {
		for _, q := range []string{repeat("organization", "wabtec", 20), repeat("stage", "contracted", 20), repeat("country", "kz", 20)} {
			if p := fetch(t, ts.URL+"/deals?"+q); p.status != http.StatusOK {
				t.Errorf("GET /deals with 20 values of a facet = %d, want 200", p.status)
			}
		}
	})
	for _, param := range []string{"country", "sector", "stage", "summit", "organization"} {
		t.Run("21 "+param+" values are refused on the list and its downloads", func(t *testing.T) {
			q := repeat(param, "x", 21)
			for _, path := range []string{"/deals", "/deals.csv", "/deals.json"} {
				p := fetch(t, ts.URL+path+"?"+q)
				if p.status != http.StatusBadRequest {
					t.Errorf("GET %s with 21 %s values = %d, want 400", path, param, p.status)
				}
				if got := textOf(p.doc.Find("main")); !strings.Contains(got, "at most 20") {
					t.Errorf("GET %s with 21 %s values says %q, want it to give the limit", path, param, got)
				}
			}
		})
	}
	t.Run("3,000 repeated organizations make a short page", func(t *testing.T) {
		for _, param := range []string{"organization", "summit", "country"} {
			q := repeat(param, "wabtec-and-a-much-longer-slug-than-any-organization-has", 3000)
			p := fetch(t, ts.URL+"/deals?"+q)
			if p.status != http.StatusBadRequest {
				t.Errorf("GET /deals with 3,000 %s values = %d, want 400", param, p.status)
			}
			if len(p.body) > 20_000 {
				t.Errorf("GET /deals with 3,000 %s values answered %d bytes, want a short page", param, len(p.body))
			}
		}
	})
}

// TestPagePastTheLast: a page past the last is a 404 that says how many
// pages there are, whatever the number; the first page of no deals is an
// empty list.
func TestPagePastTheLast(t *testing.T) {
	ts, _ := newServer(t)
	for _, q := range []string{"page=2", "page=368934881474191034", "page=9223372036854775807", "page=2&q=zeppelin", "page=3&country=kz"} {
		p := fetch(t, ts.URL+"/deals?"+q)
		if p.status != http.StatusNotFound {
			t.Errorf("GET /deals?%s = %d, want 404", q, p.status)
			continue
		}
		if got := textOf(p.doc.Find("main")); !strings.Contains(got, "past the end of the list: it has 1") {
			t.Errorf("GET /deals?%s says %q, want it to say how many pages there are", q, got)
		}
	}
	if p := fetch(t, ts.URL+"/deals?page=1&q=zeppelin"); p.status != http.StatusOK || !strings.Contains(p.body, "No deal matches") {
		t.Errorf("GET /deals?page=1&q=zeppelin = %d, want 200 with an empty list", p.status)
	}
	for _, q := range []string{"page=99999999999999999999", "page=-1", "page=0", "page=1e3"} {
		if p := fetch(t, ts.URL+"/deals?"+q); p.status != http.StatusBadRequest {
			t.Errorf("GET /deals?%s = %d, want 400", q, p.status)
		}
	}
}

// TestSearchCannotFail: whatever is typed in the search box, the search is
// reduced to a query PostgreSQL accepts.
func TestSearchCannotFail(t *testing.T) {
	ts, _ := newServer(t)
	for _, q := range []string{
		strings.Repeat("-", 50) + "a",
		strings.Repeat("-", 50) + "rail",
		strings.Repeat("- ", 60) + "rail",
		strings.Repeat("-!", 90) + "rail",
		"rail-" + strings.Repeat("!-", 90) + "x",
		strings.Repeat(`-"`, 90) + "rail",
		strings.Repeat("(", 90) + "rail" + strings.Repeat(")", 90),
		strings.Repeat("rail or ", 25),
		"rail & !x | (y <-> z):* 'q'",
	} {
		for _, path := range []string{"/deals?q=", "/deals?sort=relevance&q=", "/deals.csv?q=", "/deals.json?q="} {
			if p := fetch(t, ts.URL+path+url.QueryEscape(q)); p.status != http.StatusOK {
				t.Errorf("GET %s%q = %d, want 200", path, q, p.status)
			}
		}
	}
	t.Run("leaving words out still works", func(t *testing.T) {
		all := listTotal(t, fetch(t, ts.URL+"/deals?q=deal"))
		p := fetch(t, ts.URL+"/deals?q="+url.QueryEscape("deal ---locomotives"))
		if got := listTotal(t, p); got >= all {
			t.Errorf("deal ---locomotives lists %d deals, want fewer than deal's %d", got, all)
		}
		var titles []string
		p.doc.Find("li.deal-item h3").Each(func(_ int, s *goquery.Selection) { titles = append(titles, textOf(s)) })
		if strings.Contains(strings.ToLower(strings.Join(titles, " ")), "locomotive") {
			t.Errorf("deal ---locomotives lists %q", titles)
		}
	})
}
