package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// TestAccessibility scans every page type with axe-core (WCAG 2.1 A and AA)
// and wants zero violations; the dashboard and a deal are scanned in dark
// mode too, where contrast is easiest to get wrong.
func TestAccessibility(t *testing.T) {
	RequireChromium(t)
	srv := StartServer(t)
	ctx := context.Background()
	var dealID int64
	var dealSlug, orgSlug, summitSlug string
	err := srv.DB.Pool.QueryRow(ctx, `SELECT id, slug FROM deals WHERE slug = 'wabtec-kazakhstan-locomotives'`).Scan(&dealID, &dealSlug)
	if err == nil {
		err = srv.DB.Pool.QueryRow(ctx, `SELECT slug FROM organizations WHERE slug = 'wabtec'`).Scan(&orgSlug)
	}
	if err == nil {
		err = srv.DB.Pool.QueryRow(ctx, `SELECT slug FROM summits ORDER BY held_on DESC NULLS LAST LIMIT 1`).Scan(&summitSlug)
	}
	if err != nil {
		t.Fatalf("pick pages: %v", err)
	}
	deal := fmt.Sprintf("/deals/%d/%s", dealID, dealSlug)
	pages := []struct {
		name, path string
		status     int
	}{
		{"dashboard", "/", http.StatusOK},
		{"countries", "/countries", http.StatusOK},
		{"priorities", "/priorities?unmet=1", http.StatusOK},
		{"country", "/countries/kazakhstan", http.StatusOK},
		{"deals", "/deals", http.StatusOK},
		{"deals-filtered", "/deals?country=kz&stage=contracted", http.StatusOK},
		{"deals-empty-search", "/deals?q=zzzznothingmatches", http.StatusOK},
		{"deal", deal, http.StatusOK},
		{"deal-as-of", deal + "?as_of=2025-12-31", http.StatusOK},
		{"organizations", "/organizations", http.StatusOK},
		{"organization", "/organizations/" + orgSlug, http.StatusOK},
		{"summits", "/summits", http.StatusOK},
		{"summit", "/summits/" + summitSlug, http.StatusOK},
		{"methodology", "/methodology", http.StatusOK},
		{"source", "/sources/1", http.StatusOK},
		{"not-found", "/no/such/page", http.StatusNotFound},
		{"login", "/login", http.StatusOK},
	}
	for _, dark := range []bool{false, true} {
		for _, p := range pages {
			if dark && p.name != "dashboard" && p.name != "deal" {
				continue
			}
			name := p.name
			if dark {
				name += "-dark"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				tab := NewTab(t, TabOptions{Dark: dark})
				resp := NavigateResponse(t, tab, srv.URL+p.path)
				if resp != p.status {
					t.Fatalf("GET %s = %d, want %d", p.path, resp, p.status)
				}
				CheckAxe(t, tab)
			})
		}
	}
}
