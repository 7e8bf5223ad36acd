package server_test

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

func TestMoves(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	d := addDeal(t, db, "Grid link to Kyrgyzstan", []string{"KG", "US"},
		ledger.StageAnnounced, "2025-12-20", ledger.StageContracted, "2026-01-10",
		ledger.StageContracted, "2026-01-20", ledger.StageStalled, "2026-02-05")
	other := addDeal(t, db, "Rail depot in Uzbekistan", []string{"UZ", "US"}, ledger.StageAgreed, "2025-12-01")
	wrong := statusUpdate(other.ID, ledger.StageDelivered, "2026-01-15")
	if err := db.AddUpdate(ctx, testEditor, wrong); err != nil {
		t.Fatal(err)
	}
	fix := statusUpdate(other.ID, ledger.StageAgreed, "2026-01-15")
	fix.CorrectsID, fix.CorrectionReason = wrong.ID, "Not delivered."
	if err := db.AddUpdate(ctx, testEditor, fix); err != nil {
		t.Fatal(err)
	}
	const january = "since=2026-01-01&until=2026-01-31"

	t.Run("a window lists each stage change once, from what to what, with its source", func(t *testing.T) {
		p := fetch(t, ts.URL+"/moves?"+january)
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		rows := p.doc.Find(".moves-table tbody tr")
		if rows.Length() != 1 {
			t.Fatalf("moves in January = %d (%q), want 1: a repeat and a corrected update are no moves", rows.Length(), textOf(rows))
		}
		got := strings.ReplaceAll(textOf(rows), " → to ", " → ")
		for _, want := range []string{"Grid link to Kyrgyzstan", "Announced → Contracted", "A report, Example News"} {
			if !strings.Contains(got, want) {
				t.Errorf("move = %q, lacks %q", got, want)
			}
		}
	})

	t.Run("a deal's first update is a move from nothing", func(t *testing.T) {
		p := fetch(t, ts.URL+"/moves?since=2025-12-01&until=2025-12-31")
		if got := textOf(p.doc.Find(".moves-table")); !strings.Contains(got, "first recorded as Agreed") || !strings.Contains(got, "first recorded as Announced") {
			t.Errorf("December = %q", got)
		}
	})

	t.Run("the CSV and the Atom feed hold the same moves", func(t *testing.T) {
		p := fetch(t, ts.URL+"/moves.csv?"+january)
		recs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[1][5] != "announced" || recs[1][6] != "contracted" || recs[1][4] != d.Title || recs[1][10] != "Example News" {
			t.Errorf("CSV = %v", recs)
		}
		var feed struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		a := fetch(t, ts.URL+"/moves.atom?"+january)
		if err := xml.Unmarshal([]byte(a.body), &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Entries) != 1 || feed.Entries[0].Title != "Grid link to Kyrgyzstan: Announced → Contracted" {
			t.Errorf("feed entries = %+v", feed.Entries)
		}
	})

	t.Run("a window that ends before it starts, or a bad day, is refused", func(t *testing.T) {
		for _, q := range []string{"since=2026-02-01&until=2026-01-01", "since=yesterday"} {
			if p := fetch(t, ts.URL+"/moves?"+q); p.status != http.StatusBadRequest {
				t.Errorf("GET /moves?%s = %d, want 400", q, p.status)
			}
		}
	})
}
