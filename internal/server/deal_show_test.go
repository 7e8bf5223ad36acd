package server_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"summitledger/internal/ledger"
)

func TestDealRedirects(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()

	t.Run("a title without Latin letters gets a transliterated slug, not deal", func(t *testing.T) {
		for _, tc := range []struct{ title, slug string }{
			{"Казахстанская железная дорога", "kazakhstanskaia-zheleznaia-doroga"},
			{"Ўзбекистон темир йўллари", "uzbekiston-temir-iullari"},
		} {
			d := &ledger.Deal{Title: tc.title, Summary: "A test deal.", Sector: "transport", Parties: []string{"KZ"}}
			if err := db.CreateDeal(ctx, testEditor, d); err != nil {
				t.Fatalf("CreateDeal: %v", err)
			}
			p := fetch(t, ts.URL+"/deals/"+strconv.FormatInt(d.ID, 10))
			if want := "/deals/" + strconv.FormatInt(d.ID, 10) + "/" + tc.slug; p.status != http.StatusMovedPermanently || p.location != want {
				t.Errorf("GET /deals/%d = %d to %q, want 301 to %q", d.ID, p.status, p.location, want)
			}
		}
	})

	t.Run("an unknown deal or update is a 404", func(t *testing.T) {
		for _, path := range []string{"/deals/999999", "/deals/no-such-deal", "/u/999999"} {
			if p := fetch(t, ts.URL+path); p.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, p.status)
			}
		}
	})

	t.Run("a database that does not answer is a 503, not a 404", func(t *testing.T) {
		id := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
		db.Close()
		for _, path := range []string{"/deals/" + strconv.FormatInt(id, 10), "/deals/wabtec-kazakhstan-locomotives", "/u/1"} {
			if p := fetch(t, ts.URL+path); p.status != http.StatusServiceUnavailable {
				t.Errorf("GET %s with the database down = %d, want 503", path, p.status)
			}
		}
	})
}
