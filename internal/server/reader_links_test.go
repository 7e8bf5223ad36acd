package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"summitledger/web"
)

func TestDealLinks(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	id := dealIDBySlug(t, db, "boeing-uzbekistan-contracts")
	ids := strconv.FormatInt(id, 10)
	canonical := web.DealHref(id, "boeing-uzbekistan-contracts")

	// Rename the deal: its old slug must keep working.
	d, err := db.DealByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	d.Slug = "boeing-aircraft-for-uzbekistan"
	if err := db.UpdateDeal(ctx, testEditor, d); err != nil {
		t.Fatal(err)
	}
	renamed := web.DealHref(id, "boeing-aircraft-for-uzbekistan")
	tl, err := updatesByDeal(ctx, db, id)
	if err != nil || len(tl) == 0 {
		t.Fatalf("updates: %v", err)
	}
	uid := strconv.FormatInt(tl[0].ID, 10)

	for _, tc := range []struct {
		name, path string
		status     int
		location   string
	}{
		{"the canonical URL answers 200", renamed, http.StatusOK, ""},
		{"the id alone answers 301 to the canonical URL", "/deals/" + ids, http.StatusMovedPermanently, renamed},
		{"the id alone keeps the query string", "/deals/" + ids + "?as_of=2025-12-01", http.StatusMovedPermanently, renamed + "?as_of=2025-12-01"},
		{"a wrong slug answers 301", "/deals/" + ids + "/not-its-slug", http.StatusMovedPermanently, renamed},
		{"an old slug after a rename answers 301", canonical, http.StatusMovedPermanently, renamed},
		{"an old slug keeps the query string", canonical + "?as_of=2025-12-01", http.StatusMovedPermanently, renamed + "?as_of=2025-12-01"},
		{"a slug alone answers 301", "/deals/boeing-aircraft-for-uzbekistan", http.StatusMovedPermanently, renamed},
		{"an old slug alone answers 301", "/deals/boeing-uzbekistan-contracts", http.StatusMovedPermanently, renamed},
		{"an update's permalink answers 301 to its anchor", "/u/" + uid, http.StatusMovedPermanently, renamed + "#update-" + uid},
		{"an unknown deal id is 404", "/deals/999999/anything", http.StatusNotFound, ""},
		{"an unknown deal id alone is 404", "/deals/999999", http.StatusNotFound, ""},
		{"an unknown slug alone is 404", "/deals/no-such-deal", http.StatusNotFound, ""},
		{"a zero-padded id is 404", "/deals/0" + ids + "/boeing-aircraft-for-uzbekistan", http.StatusNotFound, ""},
		{"an unknown update is 404", "/u/999999", http.StatusNotFound, ""},
		{"an unknown country is 404", "/countries/atlantis", http.StatusNotFound, ""},
		{"an unknown organization is 404", "/organizations/acme", http.StatusNotFound, ""},
		{"an unknown summit is 404", "/summits/yalta-1945", http.StatusNotFound, ""},
		{"a malformed as_of on the dashboard is 400", "/?as_of=31-01-2026", http.StatusBadRequest, ""},
		{"a malformed as_of on a country page is 400", "/countries/kazakhstan?as_of=2026-02-30", http.StatusBadRequest, ""},
		{"a malformed as_of on a deal page is 400", renamed + "?as_of=yesterday", http.StatusBadRequest, ""},
		{"a future as_of is 400", "/?as_of=" + time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly), http.StatusBadRequest, ""},
		{"a malformed page is 400", "/deals?page=two", http.StatusBadRequest, ""},
		{"an unknown stage is 400", "/deals?stage=signed", http.StatusBadRequest, ""},
		{"an unknown sort is 400", "/deals?sort=random", http.StatusBadRequest, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetch(t, ts.URL+tc.path)
			if p.status != tc.status {
				t.Fatalf("GET %s = %d, want %d", tc.path, p.status, tc.status)
			}
			if tc.location != "" && p.location != tc.location {
				t.Errorf("GET %s Location = %q, want %q", tc.path, p.location, tc.location)
			}
			if p.status >= 400 {
				if ct := p.doc.Find("h1").Length(); ct != 1 || !strings.Contains(p.body, "<html") {
					t.Errorf("GET %s error is not an HTML page with a heading", tc.path)
				}
				if p.doc.Find(`a[href="/deals"]`).Length() == 0 {
					t.Errorf("GET %s error page has no way on", tc.path)
				}
			}
		})
	}
	t.Run("a malformed as_of says how to write a date", func(t *testing.T) {
		p := fetch(t, ts.URL+"/?as_of=31-01-2026")
		if !strings.Contains(p.body, "YYYY-MM-DD") {
			t.Errorf("400 page does not explain the date format")
		}
	})
	t.Run("an unknown deal's page explains itself", func(t *testing.T) {
		p := fetch(t, ts.URL+"/deals/999999/anything")
		if !strings.Contains(textOf(p.doc.Find("main")), "no deal number 999999") {
			t.Errorf("404 page = %q, want it to name the missing deal", textOf(p.doc.Find("main")))
		}
	})
	t.Run("a deleted deal answers 410 with the reason", func(t *testing.T) {
		del := addDeal(t, db, "Withdrawn test deal", []string{"KZ"})
		if err := db.DeleteDeal(ctx, testEditor, del.ID, "Duplicate of another entry."); err != nil {
			t.Fatal(err)
		}
		p := fetch(t, ts.URL+web.DealHref(del.ID, del.Slug))
		if p.status != http.StatusGone || !strings.Contains(p.body, "Duplicate of another entry.") {
			t.Errorf("deleted deal = %d, want 410 with its reason", p.status)
		}
	})
}

func TestOrganizationLinks(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	id, err := db.OrganizationIDBySlug(ctx, "wabtec")
	if err != nil {
		t.Fatal(err)
	}
	// An organization renamed from "westinghouse-air-brake" keeps that slug's links working.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO slug_redirects (entity, old_slug, entity_id) VALUES ('organization', 'westinghouse-air-brake', $1)`, id); err != nil {
		t.Fatal(err)
	}
	p := fetch(t, ts.URL+"/organizations/westinghouse-air-brake")
	if p.status != http.StatusMovedPermanently || p.location != "/organizations/wabtec" {
		t.Errorf("old organization slug = %d to %q, want 301 to /organizations/wabtec", p.status, p.location)
	}
}
