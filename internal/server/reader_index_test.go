package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

// indexRow is one row of the organizations or summits index, as read.
type indexRow struct {
	name, href                      string
	cells                           map[string]string // by data-label
	commitments, deals, declaration int
}

// indexRows reads the rows of the index table at path.
func indexRows(t *testing.T, p fetched) []indexRow {
	t.Helper()
	var rows []indexRow
	p.doc.Find("main table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		r := indexRow{name: textOf(tr.Find("th[scope=row]")), href: tr.Find("th[scope=row] a").AttrOr("href", ""), cells: map[string]string{}}
		tr.Find("td[data-label]").Each(func(_ int, td *goquery.Selection) {
			r.cells[td.AttrOr("data-label", "")] = textOf(td)
		})
		r.commitments, _ = strconv.Atoi(r.cells["Commitments"])
		r.deals, _ = strconv.Atoi(r.cells["Deals"])
		r.declaration, _ = strconv.Atoi(r.cells["Declarations"])
		rows = append(rows, r)
	})
	return rows
}

var tallyText = regexp.MustCompile(`(\d+) commitments? tracked: (\d+) at a deal stage .*?, (\d+) still (?:a )?declarations?`)

// pageTally reads the commitments, deals and declarations an organization
// or summit page states under its stages heading.
func pageTally(t *testing.T, p fetched) (commitments, deals, declarations int) {
	t.Helper()
	text := textOf(p.doc.Find("#stages-heading").Parent())
	m := tallyText.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no tally in %q", text)
	}
	commitments, _ = strconv.Atoi(m[1])
	deals, _ = strconv.Atoi(m[2])
	declarations, _ = strconv.Atoi(m[3])
	return commitments, deals, declarations
}

// addFiledDeal creates a deal under summit naming orgs, at each stage in turn.
func addFiledDeal(t *testing.T, db *postgres.DB, title string, summit int64, orgs []int64, stages ...ledger.Stage) *ledger.Deal {
	t.Helper()
	ctx := context.Background()
	d := &ledger.Deal{Title: title, Summary: "A test deal.", Sector: "energy", CountsTowardTotal: true, Parties: []string{"KZ"}, SummitID: summit}
	for _, id := range orgs {
		d.Organizations = append(d.Organizations, ledger.DealOrganization{OrganizationID: id, Role: "partner"})
	}
	if err := db.CreateDeal(ctx, testEditor, d); err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	for _, s := range stages {
		if err := db.AddUpdate(ctx, testEditor, statusUpdate(d.ID, s, "2025-12-01")); err != nil {
			t.Fatalf("AddUpdate: %v", err)
		}
	}
	return d
}

// checkAgainstPages follows every row's link and wants the page there to
// answer 200 and state the row's counts.
func checkAgainstPages(t *testing.T, base string, rows []indexRow) {
	t.Helper()
	for _, r := range rows {
		p := fetch(t, base+r.href)
		if p.status != http.StatusOK {
			t.Errorf("%s links to %s, which answers %d", r.name, r.href, p.status)
			continue
		}
		c, d, dc := pageTally(t, p)
		if r.commitments != c || r.deals != d || r.declaration != dc {
			t.Errorf("%s: index says %d commitments, %d deals, %d declarations; its page says %d, %d, %d",
				r.name, r.commitments, r.deals, r.declaration, c, d, dc)
		}
	}
}

func TestOrganizationIndex(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	id := func(slug string) int64 {
		t.Helper()
		id, err := db.OrganizationIDBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	wabtec, boeing := id("wabtec"), id("boeing")
	addFiledDeal(t, db, "Spare parts framework", 0, []int64{wabtec, boeing}, ledger.StageAnnounced)
	addFiledDeal(t, db, "Hangar that went quiet", 0, []int64{boeing}, ledger.StageStalled)
	gone := addFiledDeal(t, db, "Duplicate locomotive entry", 0, []int64{wabtec}, ledger.StageContracted)
	if err := db.DeleteDeal(ctx, testEditor, gone.ID, "Duplicate of another entry."); err != nil {
		t.Fatal(err)
	}
	p := fetch(t, ts.URL+"/organizations")
	if p.status != http.StatusOK {
		t.Fatalf("GET /organizations = %d, want 200", p.status)
	}
	rows := indexRows(t, p)

	t.Run("lists every organization by name, each linking to its page", func(t *testing.T) {
		var got []string
		for _, r := range rows {
			got = append(got, r.name+" "+r.href)
		}
		want := []string{"BlackRock /organizations/blackrock", "Boeing /organizations/boeing",
			"U.S. State Department /organizations/us-state-department", "Wabtec /organizations/wabtec"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("shows kind and country, the country linked", func(t *testing.T) {
		if got := rows[3].cells["Kind"] + " · " + rows[3].cells["Country"]; got != "Company · United States" {
			t.Errorf("Wabtec's kind and country = %q, want %q", got, "Company · United States")
		}
		if got := p.doc.Find(`main table a[href="/countries/united-states"]`).Length(); got != len(rows) {
			t.Errorf("%d links to the United States' page, want one per organization (%d)", got, len(rows))
		}
		if got := rows[2].cells["Kind"]; got != "Government body" {
			t.Errorf("State Department's kind = %q, want Government body", got)
		}
	})
	t.Run("counts live deals apart from declarations, leaving out deleted ones", func(t *testing.T) {
		for _, tc := range []struct {
			row                        int
			commitments, deals, declar int
		}{
			{3, 2, 1, 1}, // Wabtec: the seeded contract and the new framework; the deleted duplicate left out
			{1, 3, 1, 1}, // Boeing: its contract, the framework, and a stalled deal in neither
			{2, 0, 0, 0}, // the State Department takes part in no deal
		} {
			r := rows[tc.row]
			if r.commitments != tc.commitments || r.deals != tc.deals || r.declaration != tc.declar {
				t.Errorf("%s: %d commitments, %d deals, %d declarations; want %d, %d, %d",
					r.name, r.commitments, r.deals, r.declaration, tc.commitments, tc.deals, tc.declar)
			}
		}
	})
	t.Run("counts agree with each organization's page", func(t *testing.T) {
		checkAgainstPages(t, ts.URL, rows)
	})
	t.Run("the table has a caption and column headers", func(t *testing.T) {
		if textOf(p.doc.Find("main table caption")) == "" || p.doc.Find(`main table thead th[scope=col]`).Length() != 6 {
			t.Errorf("table lacks a caption or its six column headers")
		}
		if got := p.doc.Find("h1").Length(); got != 1 {
			t.Errorf("%d h1, want 1", got)
		}
	})
	t.Run("an organization's name is escaped", func(t *testing.T) {
		o := &ledger.Organization{Name: `<script>alert("x")</script> Works`, Kind: "company"}
		if err := db.CreateOrganization(ctx, testEditor, o); err != nil {
			t.Fatal(err)
		}
		body := fetch(t, ts.URL+"/organizations").body
		if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(`) {
			t.Errorf("the organization's name is not shown escaped")
		}
	})
}

func TestSummitIndex(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	ensure := func(s ledger.Summit) int64 {
		t.Helper()
		id, err := db.EnsureSummit(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ensure(ledger.Summit{Slug: "c5plus1-new-york-2024", Name: "C5+1 ministerial, New York 2024", HeldOn: testDay("2024-09-20"), City: "New York"})
	ensure(ledger.Summit{Slug: "c5plus1-samarkand-2026", Name: "C5+1 ministerial, Samarkand 2026", HeldOn: testDay("2026-03-01"), City: "Samarkand"})
	var unga int64 // seeded without a date
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM summits WHERE slug = 'c5plus1-unga-2023'`).Scan(&unga); err != nil {
		t.Fatal(err)
	}
	addFiledDeal(t, db, "Water sharing declaration", unga, nil, ledger.StageAgreed)
	gone := addFiledDeal(t, db, "Withdrawn water deal", unga, nil, ledger.StageContracted)
	if err := db.DeleteDeal(ctx, testEditor, gone.ID, "Never made."); err != nil {
		t.Fatal(err)
	}
	p := fetch(t, ts.URL+"/summits")
	if p.status != http.StatusOK {
		t.Fatalf("GET /summits = %d, want 200", p.status)
	}
	rows := indexRows(t, p)

	t.Run("lists summits newest first, one without a date last", func(t *testing.T) {
		var got []string
		for _, r := range rows {
			got = append(got, r.href)
		}
		want := []string{"/summits/c5plus1-samarkand-2026", "/summits/c5plus1-washington-2025", "/summits/c5plus1-new-york-2024", "/summits/c5plus1-unga-2023"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("order = %v, want %v", got, want)
		}
	})
	t.Run("shows date and city", func(t *testing.T) {
		w := rows[1]
		if w.name != "C5+1 Leaders' Summit, Washington 2025" || w.cells["Date"] != "6 November 2025" || w.cells["City"] != "Washington, D.C." {
			t.Errorf("Washington row = %q %v", w.name, w.cells)
		}
		if got := p.doc.Find(`main table time[datetime="2025-11-06"]`).Length(); got != 1 {
			t.Errorf("%d <time datetime=2025-11-06>, want 1", got)
		}
		if got := rows[3].cells["Date"]; got != "not given in the sources" {
			t.Errorf("undated summit's date = %q, want it to say none is given", got)
		}
	})
	t.Run("counts live deals apart from declarations, leaving out deleted ones", func(t *testing.T) {
		for _, tc := range []struct {
			row                        int
			commitments, deals, declar int
		}{
			{1, 6, 2, 4}, // Washington: the six seeded commitments
			{3, 1, 0, 1}, // UN General Assembly: the declaration; the withdrawn deal left out
			{0, 0, 0, 0},
		} {
			r := rows[tc.row]
			if r.commitments != tc.commitments || r.deals != tc.deals || r.declaration != tc.declar {
				t.Errorf("%s: %d commitments, %d deals, %d declarations; want %d, %d, %d",
					r.name, r.commitments, r.deals, r.declaration, tc.commitments, tc.deals, tc.declar)
			}
		}
	})
	t.Run("counts agree with each summit's page", func(t *testing.T) {
		checkAgainstPages(t, ts.URL, rows)
	})
	t.Run("the table has a caption and column headers", func(t *testing.T) {
		if textOf(p.doc.Find("main table caption")) == "" || p.doc.Find(`main table thead th[scope=col]`).Length() != 11 {
			t.Errorf("table lacks a caption or its eleven column headers")
		}
	})
}

// TestSummitComparison checks the comparison columns of /summits against
// three deals worked out by hand.
func TestSummitComparison(t *testing.T) {
	ts, db := newServer(t)
	ctx := context.Background()
	id, err := db.EnsureSummit(ctx, ledger.Summit{Slug: "c5plus1-new-york-2024", Name: "C5+1 ministerial, New York 2024", HeldOn: testDay("2024-09-20")})
	if err != nil {
		t.Fatal(err)
	}
	add := func(title string, cents int64, currency string, steps ...string) {
		t.Helper()
		d := &ledger.Deal{Title: title, Sector: "energy", CountsTowardTotal: true, Parties: []string{"KZ"}, SummitID: id,
			AnnouncedOn: testDay("2024-10-01"), Value: &ledger.Money{Cents: cents, Currency: currency}}
		if err := db.CreateDeal(ctx, testEditor, d); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(steps); i += 2 {
			if err := db.AddUpdate(ctx, testEditor, statusUpdate(d.ID, ledger.Stage(steps[i]), steps[i+1])); err != nil {
				t.Fatal(err)
			}
		}
	}
	add("Signed in ten days", 100_00, "USD", "agreed", "2024-10-01", "contracted", "2024-10-11")
	add("Signed in twenty days and delivered", 50_00, "USD", "contracted", "2024-10-21", "delivered", "2025-03-01")
	add("Still a memorandum", 30_00, "EUR", "agreed", "2024-10-01")
	p := fetch(t, ts.URL+"/summits")
	var row *indexRow
	for _, r := range indexRows(t, p) {
		if r.href == "/summits/c5plus1-new-york-2024" {
			row = &r
		}
	}
	if row == nil {
		t.Fatal("no row for the summit")
	}
	for col, want := range map[string]string{"Became deals": "67%", "Committed value": "US$150", "Delivered value": "US$50",
		"Delivered": "33%", "Median days to contract": "15 (2 signed)"} {
		if got := row.cells[col]; got != want {
			t.Errorf("%s = %q, want %q", col, got, want)
		}
	}
}

func TestIndexLinks(t *testing.T) {
	ts, _ := newServer(t)
	for _, tc := range []struct{ name, path, css string }{
		{"an organization's breadcrumb leads to the organizations", "/organizations/wabtec", `nav.breadcrumb a[href="/organizations"]`},
		{"a summit's breadcrumb leads to the summits", "/summits/c5plus1-washington-2025", `nav.breadcrumb a[href="/summits"]`},
		{"the footer links the organizations", "/", `footer a[href="/organizations"]`},
		{"the footer links the summits", "/", `footer a[href="/summits"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fetch(t, ts.URL+tc.path).doc.Find(tc.css).Length(); got != 1 {
				t.Errorf("GET %s has %d %s, want 1", tc.path, got, tc.css)
			}
		})
	}
	for _, path := range []string{"/organizations", "/summits"} {
		t.Run("HEAD "+path+" answers 200", func(t *testing.T) {
			resp, err := http.Head(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("HEAD %s = %d, want 200", path, resp.StatusCode)
			}
		})
	}
	t.Run("the summits index takes no POST", func(t *testing.T) {
		resp, err := http.Post(ts.URL+"/summits", "application/x-www-form-urlencoded", strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST /summits = %d, want 405", resp.StatusCode)
		}
	})
}

func TestOrganizationIndexEditorLink(t *testing.T) {
	e := newAuthServer(t, nil)
	pgtest.Seed(t, e.db)
	const add = `a[href="/organizations/new"]`
	t.Run("a reader sees no link to add an organization", func(t *testing.T) {
		r := e.get(t, newClient(t), "/organizations")
		if r.status != http.StatusOK || doc(t, r.body).Find(add).Length() != 0 {
			t.Errorf("reader: status %d, or a link to add an organization", r.status)
		}
	})
	t.Run("an editor can add one from the index", func(t *testing.T) {
		addUser(t, e.db, editorEmail, "Ed", ledger.RoleEditor, editorPass)
		r := e.get(t, e.signIn(t, editorEmail, editorPass), "/organizations")
		if doc(t, r.body).Find(add).Length() != 1 {
			t.Errorf("editor: no link to add an organization (status %d)", r.status)
		}
	})
}
