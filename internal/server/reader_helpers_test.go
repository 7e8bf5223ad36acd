package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

// fetched is one answer of the reader pages, parsed.
type fetched struct {
	status   int
	body     string
	location string
	doc      *goquery.Document
}

// fetch GETs url without following redirects and parses the body as HTML.
func fetch(t *testing.T, url string) fetched {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fetched{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), doc: doc}
}

// textOf returns the trimmed, space-collapsed text of the selection.
func textOf(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// countedServer is newServer over a store whose statements are counted.
func countedServer(t *testing.T) (*httptest.Server, *postgres.DB, *pgtest.QueryCounter) {
	t.Helper()
	db, counter := pgtest.NewCounted(t)
	pgtest.Seed(t, db)
	return serve(t, db, nil), db, counter
}

var testEditor = ledger.Actor{Name: "Test Editor"}

func testDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// dealIDBySlug returns the id of a seeded deal.
func dealIDBySlug(t *testing.T, db *postgres.DB, slug string) int64 {
	t.Helper()
	id, err := db.DealIDBySlug(context.Background(), slug)
	if err != nil {
		t.Fatalf("deal %s: %v", slug, err)
	}
	return id
}

// addDeal creates a deal between parties with one update per stage, on the given days.
func addDeal(t *testing.T, db *postgres.DB, title string, parties []string, steps ...any) *ledger.Deal {
	t.Helper()
	ctx := context.Background()
	d := &ledger.Deal{Title: title, Summary: "A test deal.", Sector: "energy", CountsTowardTotal: true, Parties: parties,
		Value: &ledger.Money{Cents: 100_000_000_00, Currency: "USD"}}
	if err := db.CreateDeal(ctx, testEditor, d); err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	for i := 0; i+1 < len(steps); i += 2 {
		u := statusUpdate(d.ID, steps[i].(ledger.Stage), steps[i+1].(string))
		if err := db.AddUpdate(ctx, testEditor, u); err != nil {
			t.Fatalf("AddUpdate: %v", err)
		}
	}
	return d
}

func statusUpdate(dealID int64, stage ledger.Stage, on string) *ledger.StatusUpdate {
	return &ledger.StatusUpdate{DealID: dealID, Stage: stage, OccurredOn: testDay(on), Note: "Reported " + string(stage) + ".",
		Sources: []ledger.Source{{URL: "https://example.org/report", Title: "A report", Publisher: "Example News"}}}
}

// updatesByDeal returns a deal's status updates, newest first, corrected
// ones included, as its page reads them today.
func updatesByDeal(ctx context.Context, db *postgres.DB, dealID int64) ([]ledger.StatusUpdate, error) {
	d, err := db.DealDetail(ctx, dealID, time.Time{})
	if err != nil {
		return nil, err
	}
	out := make([]ledger.StatusUpdate, len(d.Timeline))
	for i, e := range d.Timeline {
		out[i] = e.Update
	}
	return out, nil
}
