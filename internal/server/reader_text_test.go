package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"summitledger/internal/postgres"
	"summitledger/web"
)

// TestReaderText pins how lists read as text: words around a stage badge
// are separate words (for copying and for screen readers, not only on
// screen), and counts agree with their nouns.
func TestReaderText(t *testing.T) {
	ts, db := newServer(t)
	wabtec := web.DealHref(dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives"), "wabtec-kazakhstan-locomotives")
	for _, tc := range []struct {
		name, path, css, want string
	}{
		{"a quiet deal's title, stage and last update", "/", ".stale-list li", "Wabtec locomotive fleet modernization deal with Kazakhstan Contracted last update 1 Sep 2025"},
		{"an organization's deal, stage and role", "/organizations/wabtec", ".role-list li", "Contracted Wabtec locomotive fleet modernization deal with Kazakhstan as supplier"},
		{"a deal's stage line", wabtec, ".deal-status", "Contracted counts as a deal since 1 Sep 2025 · Transport"},
		{"a listed deal's stage line", "/deals?q=locomotive", "li.deal-item .deal-meta", "Contracted since 1 Sep 2025 Transport US$4.2 billion"},
		{"a timeline entry's head", wabtec, ".timeline-head", "1 Sep 2025 Contracted"},
		{"a priority's deal", "/countries/kazakhstan", "#priority-upper-kairakty-tungsten-mine .priority-deals li", "Announced Reopening the Upper Kairakty tungsten mine"},
		{"a country card ends its sentence", "/countries", ".card p", "2 commitments: 1 deal, 1 declaration."},
		{"one declaration is singular", "/countries/kazakhstan", "main", "1 still a declaration (proposed"},
		{"several declarations are plural", "/", "main", "4 still declarations (proposed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetch(t, ts.URL+tc.path)
			sel := p.doc.Find(tc.css)
			if sel.Length() == 0 {
				t.Fatalf("GET %s has no %s", tc.path, tc.css)
			}
			var texts []string
			for i := range sel.Length() {
				texts = append(texts, textOf(sel.Eq(i)))
			}
			if !strings.Contains(strings.Join(texts, "\n"), tc.want) {
				t.Errorf("GET %s %s reads:\n%s\nwant it to contain %q", tc.path, tc.css, strings.Join(texts, "\n"), tc.want)
			}
		})
	}
}

func TestOrganizationPageCap(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	for i := range postgres.ProfileDeals {
		addDeal(t, db, "Bulk deal "+strconv.Itoa(i), []string{"KZ"})
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO deal_organizations (deal_id, organization_id, role)
		SELECT d.id, g.id, 'partner' FROM deals d, organizations g WHERE d.slug LIKE 'bulk-deal-%' AND g.slug = 'wabtec'`); err != nil {
		t.Fatal(err)
	}
	p := fetch(t, ts.URL+"/organizations/wabtec")
	if got := p.doc.Find(".role-list li").Length(); got != postgres.ProfileDeals {
		t.Fatalf("organization page lists %d deals, want the cap, %d", got, postgres.ProfileDeals)
	}
	want := "Showing the latest " + strconv.Itoa(postgres.ProfileDeals) + " of " + strconv.Itoa(postgres.ProfileDeals+1) + "."
	if got := textOf(p.doc.Find("#deals-heading").Parent()); !strings.Contains(got, want) {
		t.Errorf("deals section = %q, want it to say %q", got, want)
	}
}
