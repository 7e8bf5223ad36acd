package server_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/server"
)

// atomDoc is what the tests read of an Atom feed; the namespaces must be
// right for it to match at all.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []atomDocEntry `xml:"entry"`
}

type atomDocEntry struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Link    struct {
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Content struct {
		Type string `xml:"type,attr"`
		Div  struct {
			Ps []struct {
				Text  string `xml:",chardata"`
				Links []struct {
					Href string `xml:"href,attr"`
				} `xml:"a"`
			} `xml:"p"`
		} `xml:"http://www.w3.org/1999/xhtml div"`
	} `xml:"content"`
}

// feedServer serves a seeded database with the given BaseURL.
func feedServer(t *testing.T, baseURL string) (*httptest.Server, *postgres.DB) {
	t.Helper()
	db := pgtest.NewSeeded(t)
	return serve(t, db, func(srv *server.Server) { srv.BaseURL = baseURL }), db
}

// fetchFeed gets url and parses it as Atom, failing unless it is a 200 Atom document.
func fetchFeed(t *testing.T, url string) (atomDoc, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", url, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("GET %s: Content-Type = %q, want application/atom+xml", url, ct)
	}
	var doc atomDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("GET %s: not an Atom document: %v\n%s", url, err, b)
	}
	return doc, string(b)
}

func feedUpdate(dealID int64, stage ledger.Stage, on, note string) *ledger.StatusUpdate {
	day, _ := time.Parse(time.DateOnly, on)
	return &ledger.StatusUpdate{DealID: dealID, Stage: stage, OccurredOn: day, Note: note,
		Sources: []ledger.Source{{URL: "https://example.org/report", Title: "A report", Publisher: "Example"}}}
}

// entryID is the update id an entry's id ends in.
func entryID(t *testing.T, e atomDocEntry) int64 {
	t.Helper()
	var id int64
	i := strings.LastIndex(e.ID, "/u/")
	if i < 0 {
		t.Fatalf("entry id %q is not an update permalink", e.ID)
	}
	fmt.Sscan(e.ID[i+3:], &id)
	return id
}

func TestAtomFeeds(t *testing.T) {
	ctx := context.Background()
	ts, db := feedServer(t, "")
	editor := ledger.Actor{Name: "Feed Editor"}
	boeing, err := db.DealIDBySlug(ctx, "boeing-uzbekistan-contracts")
	if err != nil {
		t.Fatal(err)
	}
	wabtec, err := db.DealIDBySlug(ctx, "wabtec-kazakhstan-locomotives")
	if err != nil {
		t.Fatal(err)
	}
	// More updates than a feed holds, the last recorded about the oldest day:
	// feeds list what was recorded last first, whatever day it happened.
	var last *ledger.StatusUpdate
	for i := range postgres.FeedSize {
		last = feedUpdate(wabtec, ledger.StageAgreed, fmt.Sprintf("2026-01-%02d", i%28+1), fmt.Sprintf("Step %d.", i))
		if i == postgres.FeedSize-1 {
			last.OccurredOn = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if err := db.AddUpdate(ctx, editor, last); err != nil {
			t.Fatal(err)
		}
	}
	const payload = `<script>alert(1)</script> ]]> & "quoted" 'single'`
	xss := feedUpdate(boeing, ledger.StageContracted, "2026-02-01", payload)
	if err := db.AddUpdate(ctx, editor, xss); err != nil {
		t.Fatal(err)
	}

	t.Run("the site feed holds the last 50 updates recorded, newest first", func(t *testing.T) {
		doc, _ := fetchFeed(t, ts.URL+"/updates.atom")
		if len(doc.Entries) != postgres.FeedSize {
			t.Fatalf("entries = %d, want %d", len(doc.Entries), postgres.FeedSize)
		}
		if got := entryID(t, doc.Entries[0]); got != xss.ID {
			t.Errorf("first entry is update %d, want the last recorded, %d", got, xss.ID)
		}
		if got := entryID(t, doc.Entries[1]); got != last.ID {
			t.Errorf("second entry is update %d, want %d (recorded last, though it happened first)", got, last.ID)
		}
		for i := 1; i < len(doc.Entries); i++ {
			a, b := entryID(t, doc.Entries[i-1]), entryID(t, doc.Entries[i])
			if a <= b || doc.Entries[i-1].Updated < doc.Entries[i].Updated {
				t.Errorf("entry %d (update %d, %s) comes before update %d (%s): want newest first",
					i-1, a, doc.Entries[i-1].Updated, b, doc.Entries[i].Updated)
			}
		}
		if doc.Updated != doc.Entries[0].Updated {
			t.Errorf("feed updated = %s, want its newest entry's %s", doc.Updated, doc.Entries[0].Updated)
		}
	})
	t.Run("every link is absolute, from the request", func(t *testing.T) {
		doc, _ := fetchFeed(t, ts.URL+"/updates.atom")
		if doc.ID != ts.URL+"/updates.atom" {
			t.Errorf("feed id = %q, want %q", doc.ID, ts.URL+"/updates.atom")
		}
		for _, l := range doc.Links {
			if !strings.HasPrefix(l.Href, ts.URL+"/") {
				t.Errorf("feed link %s = %q, want it under %s", l.Rel, l.Href, ts.URL)
			}
		}
		for _, e := range doc.Entries {
			want := ts.URL + "/deals/"
			if !strings.HasPrefix(e.Link.Href, want) || !strings.Contains(e.Link.Href, "#update-") {
				t.Errorf("entry link = %q, want the deal page anchor under %s", e.Link.Href, want)
			}
			if !strings.HasPrefix(e.ID, ts.URL+"/u/") {
				t.Errorf("entry id = %q, want the permalink under %s/u/", e.ID, ts.URL)
			}
			for _, p := range e.Content.Div.Ps {
				for _, a := range p.Links {
					if !strings.HasPrefix(a.Href, "http://") && !strings.HasPrefix(a.Href, "https://") {
						t.Errorf("content link %q is not absolute", a.Href)
					}
				}
			}
		}
	})
	t.Run("an entry's permalink leads to its update", func(t *testing.T) {
		doc, _ := fetchFeed(t, ts.URL+"/updates.atom")
		status, _ := get(t, doc.Entries[0].ID)
		if status != http.StatusMovedPermanently {
			t.Errorf("GET %s = %d, want 301 to the deal page", doc.Entries[0].ID, status)
		}
	})
	t.Run("markup in a note appears only escaped", func(t *testing.T) {
		doc, body := fetchFeed(t, ts.URL+"/updates.atom")
		for _, raw := range []string{"<script", "]]>", "CDATA"} {
			if strings.Contains(body, raw) {
				t.Errorf("the feed contains %q unescaped", raw)
			}
		}
		var found bool
		for _, p := range doc.Entries[0].Content.Div.Ps {
			found = found || p.Text == payload
		}
		if !found {
			t.Errorf("no paragraph of the first entry reads %q after parsing: %+v", payload, doc.Entries[0].Content.Div.Ps)
		}
	})
	t.Run("a deal's feed holds its own updates only", func(t *testing.T) {
		doc, _ := fetchFeed(t, fmt.Sprintf("%s/deals/%d/updates.atom", ts.URL, boeing))
		ups, err := updatesByDeal(ctx, db, boeing)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Entries) != len(ups) {
			t.Errorf("entries = %d, want the deal's %d updates", len(doc.Entries), len(ups))
		}
		for _, e := range doc.Entries {
			if !strings.Contains(e.Link.Href, fmt.Sprintf("/deals/%d/", boeing)) {
				t.Errorf("entry link %q is not on deal %d", e.Link.Href, boeing)
			}
		}
	})
	t.Run("a country's feed holds its deals' updates only", func(t *testing.T) {
		doc, _ := fetchFeed(t, ts.URL+"/countries/uzbekistan/updates.atom")
		var want int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM status_updates su
			JOIN deal_parties p ON p.deal_id = su.deal_id AND p.country_code = 'UZ'`).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if len(doc.Entries) != want {
			t.Errorf("entries = %d, want Uzbekistan's %d", len(doc.Entries), want)
		}
		for _, e := range doc.Entries {
			if strings.Contains(e.Link.Href, fmt.Sprintf("/deals/%d/", wabtec)) {
				t.Errorf("Uzbekistan's feed has an update of the Kazakh deal: %s", e.Link.Href)
			}
		}
	})
	t.Run("pages name their feed in the head and the footer", func(t *testing.T) {
		for path, feed := range map[string]string{
			"/":                                      "/updates.atom",
			"/countries/kazakhstan":                  "/countries/kazakhstan/updates.atom",
			fmt.Sprintf("/deals/%d/renamed", boeing): fmt.Sprintf("/deals/%d/updates.atom", boeing),
		} {
			c := &http.Client{}
			resp, err := c.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if !strings.Contains(body, `<link rel="alternate" type="application/atom+xml"`) || !strings.Contains(body, `href="`+feed+`"`) {
				t.Errorf("GET %s: no alternate link to %s in the page", path, feed)
			}
			if strings.Count(body, `href="`+feed+`"`) < 2 {
				t.Errorf("GET %s: want the feed %s linked in the head and the footer", path, feed)
			}
		}
	})
	t.Run("a reader polling with the ETag gets 304 until the feed changes", func(t *testing.T) {
		url := fmt.Sprintf("%s/deals/%d/updates.atom", ts.URL, boeing)
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		poll := func() int {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("If-None-Match", etag)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := poll(); got != http.StatusNotModified {
			t.Errorf("poll with the ETag = %d, want 304", got)
		}
		if err := db.AddUpdate(ctx, editor, feedUpdate(boeing, ledger.StageUnderWay, "2026-03-01", "Deliveries began.")); err != nil {
			t.Fatal(err)
		}
		if got := poll(); got != http.StatusOK {
			t.Errorf("poll after a new update = %d, want 200", got)
		}
	})
	t.Run("unknown deals and countries have no feed", func(t *testing.T) {
		for _, path := range []string{"/deals/999999/updates.atom", "/deals/abc/updates.atom", "/countries/atlantis/updates.atom"} {
			if status, _ := get(t, ts.URL+path); status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, status)
			}
		}
	})
	t.Run("a deleted deal leaves every feed and its own feed is gone", func(t *testing.T) {
		if err := db.DeleteDeal(ctx, ledger.Actor{Name: "Admin"}, boeing, "A duplicate."); err != nil {
			t.Fatal(err)
		}
		if status, _ := get(t, fmt.Sprintf("%s/deals/%d/updates.atom", ts.URL, boeing)); status != http.StatusGone {
			t.Errorf("the deleted deal's feed = %d, want 410", status)
		}
		for _, path := range []string{"/updates.atom", "/countries/uzbekistan/updates.atom", "/countries/united-states/updates.atom"} {
			_, body := fetchFeed(t, ts.URL+path)
			if strings.Contains(body, fmt.Sprintf("/deals/%d/", boeing)) {
				t.Errorf("%s still lists the deleted deal", path)
			}
		}
	})
}

func TestAtomFeedBaseURL(t *testing.T) {
	ts, _ := feedServer(t, "https://ledger.example.org/")
	doc, body := fetchFeed(t, ts.URL+"/countries/kazakhstan/updates.atom")
	if len(doc.Entries) == 0 {
		t.Fatal("Kazakhstan's feed is empty")
	}
	t.Run("links use the base URL, not the request's host", func(t *testing.T) {
		if strings.Contains(body, ts.URL) {
			t.Errorf("the feed names the request's host %s", ts.URL)
		}
		if doc.ID != "https://ledger.example.org/countries/kazakhstan/updates.atom" {
			t.Errorf("feed id = %q", doc.ID)
		}
		for _, e := range doc.Entries {
			if !strings.HasPrefix(e.Link.Href, "https://ledger.example.org/deals/") || !strings.HasPrefix(e.ID, "https://ledger.example.org/u/") {
				t.Errorf("entry link %q, id %q: want them under https://ledger.example.org/", e.Link.Href, e.ID)
			}
		}
	})
}
