package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/web"
)

func TestOddAddresses(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		name, path string
	}{
		{"a NUL in the search is 400", "/deals?q=%00"},
		{"invalid UTF-8 in the search is 400", "/deals?q=%FF"},
		{"a NUL in a facet is 400", "/deals?summit=%00"},
		{"invalid UTF-8 in a facet is 400", "/deals?organization=%FF"},
		{"a NUL in the CSV's search is 400", "/deals.csv?q=%00"},
		{"invalid UTF-8 in a country slug is 400", "/countries/%FF"},
		{"a NUL in an organization slug is 400", "/organizations/%00"},
		{"invalid UTF-8 in a summit slug is 400", "/summits/%FF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetch(t, ts.URL+tc.path)
			if p.status != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400", tc.path, p.status)
			}
			if p.doc.Find("h1").Length() != 1 || p.doc.Find(`a[href="/deals"]`).Length() == 0 {
				t.Errorf("GET %s is not an HTML error page with a way on", tc.path)
			}
		})
	}
}

func TestHead(t *testing.T) {
	ts, db := newServer(t)
	id := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	deal := web.DealHref(id, "wabtec-kazakhstan-locomotives")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/", http.StatusOK},
		{"/deals", http.StatusOK},
		{deal, http.StatusOK},
		{"/deals/" + strconv.FormatInt(id, 10), http.StatusMovedPermanently},
		{"/deals.csv", http.StatusOK},
		{"/no/such/page", http.StatusNotFound},
	} {
		t.Run("HEAD "+tc.path+" answers like GET", func(t *testing.T) {
			resp, err := c.Head(ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			get, err := c.Get(ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			get.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("HEAD %s = %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			if got, want := resp.Header.Get("Content-Type"), get.Header.Get("Content-Type"); got != want {
				t.Errorf("HEAD %s Content-Type = %q, want GET's %q", tc.path, got, want)
			}
		})
	}
}

func TestRelevanceWithoutSearch(t *testing.T) {
	ts, _ := newServer(t)
	p := fetch(t, ts.URL+"/deals?q=rail&sort=relevance")
	var remove string
	p.doc.Find(".chosen a").Each(func(_ int, a *goquery.Selection) {
		if strings.HasPrefix(textOf(a), "Search:") {
			remove = a.AttrOr("href", "")
		}
	})
	if remove == "" {
		t.Fatal("no link removes the search")
	}
	t.Run("removing the search from a list sorted by relevance lists every deal", func(t *testing.T) {
		q := fetch(t, ts.URL+remove)
		if q.status != http.StatusOK {
			t.Fatalf("GET %s = %d, want 200", remove, q.status)
		}
		if got := listTotal(t, q); got != 6 {
			t.Errorf("GET %s lists %d deals, want all 6", remove, got)
		}
		if got := q.doc.Find("#sort option[selected]").AttrOr("value", ""); got != "updated" {
			t.Errorf("sort shown = %q, want updated", got)
		}
	})
	t.Run("an emptied search box sorted by best match lists every deal", func(t *testing.T) {
		q := fetch(t, ts.URL+"/deals?q=&sort=relevance")
		if q.status != http.StatusOK || listTotal(t, q) != 6 {
			t.Errorf("GET /deals?q=&sort=relevance = %d, want 200 with all 6 deals", q.status)
		}
	})
}

func TestStageSince(t *testing.T) {
	ts, db := newServer(t)
	d := addDeal(t, db, "Kazakh grid upgrade", []string{"KZ"},
		ledger.StageContracted, "2025-12-01", ledger.StageUnderWay, "2026-01-10", ledger.StageUnderWay, "2026-03-01")
	t.Run("the deal page dates the stage from the day it was reached", func(t *testing.T) {
		p := fetch(t, ts.URL+web.DealHref(d.ID, d.Slug))
		if got := textOf(p.doc.Find(".deal-status")); !strings.Contains(got, "since 10 Jan 2026") {
			t.Errorf("deal status = %q, want Under way since 10 Jan 2026, the day it got there", got)
		}
	})
	t.Run("the deals list dates the stage from the same day", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals?q=grid")
		got := textOf(p.doc.Find("li.deal-item .deal-meta"))
		if !strings.Contains(got, "Under way since 10 Jan 2026") {
			t.Errorf("list item = %q, want \"Under way since 10 Jan 2026\", as on the deal page", got)
		}
	})
}

// TestUnknownFacetChoice: a facet value that names nothing answers like
// stage=foo, on every facet and on the list and its downloads alike: 400
// with a page that names the value, never an empty list that looks like
// a true answer.
func TestUnknownFacetChoice(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct{ query, says string }{
		{"country=zz&stage=contracted", `There is no country "zz"`},
		{"summit=no-such-summit", `There is no summit "no-such-summit"`},
		{"organization=no-such-org&country=kz", `There is no organization "no-such-org"`},
		{"stage=foo", `There is no stage "foo"`},
		{"sector=foo", `There is no sector "foo"`},
	} {
		for _, path := range []string{"/deals", "/deals.csv", "/deals.json"} {
			p := fetch(t, ts.URL+path+"?"+tc.query)
			if p.status != http.StatusBadRequest {
				t.Errorf("GET %s?%s = %d, want 400", path, tc.query, p.status)
				continue
			}
			if got := textOf(p.doc.Find("main")); !strings.Contains(got, tc.says) {
				t.Errorf("GET %s?%s says %q, want it to say %s", path, tc.query, got, tc.says)
			}
		}
	}
}

func TestSearchLength(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct {
		name, q string
		status  int
	}{
		{"200 Cyrillic letters are within the limit", strings.Repeat("ж", 200), http.StatusOK},
		{"201 letters are over it", strings.Repeat("ж", 201), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := fetch(t, ts.URL+"/deals?q="+url.QueryEscape(tc.q)); p.status != tc.status {
				t.Errorf("search of %d characters = %d, want %d", len([]rune(tc.q)), p.status, tc.status)
			}
		})
	}
}

func TestCSVFormulas(t *testing.T) {
	ts, db := newServer(t)
	for _, title := range []string{`=HYPERLINK("https://example.org","x") formula`, "+1 formula", "-2 formula", "@SUM(A1) formula"} {
		addDeal(t, db, title, []string{"KZ"})
	}
	p := fetch(t, ts.URL+"/deals.csv?q=formula")
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("CSV has %d rows, want a header and 4 deals", len(rows))
	}
	for _, r := range rows[1:] {
		if title := r[2]; !strings.HasPrefix(title, "'") {
			t.Errorf("CSV title %q would run as a spreadsheet formula; want it quoted with a leading '", title)
		}
	}
	var got struct{ Deals []struct{ Title string } }
	if err := json.Unmarshal([]byte(fetch(t, ts.URL+"/deals.json?q=formula").body), &got); err != nil {
		t.Fatal(err)
	}
	for _, d := range got.Deals {
		if strings.HasPrefix(d.Title, "'") {
			t.Errorf("JSON title %q is altered; only the CSV needs the quote", d.Title)
		}
	}
}
