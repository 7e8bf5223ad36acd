package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/web"
)

// xssPayloads are typed into every text field an editor has.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`javascript:alert(1)`,
	`</textarea><svg onload=alert(1)>`,
	`{{7*7}}`,
	`'><a href="javascript:alert(1)">x</a>`,
}

// assertInert fails when a page carries any payload as live markup: the
// raw text of a markup payload, a script that alerts, an event handler
// attribute, or a javascript: address. CSV is checked for its content
// type; JSON and Atom feeds for the raw text.
func assertInert(t *testing.T, what string, r response) {
	t.Helper()
	ct := r.header.Get("Content-Type")
	if strings.HasPrefix(ct, "text/csv") {
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: CSV without nosniff", what)
		}
		return
	}
	for _, p := range xssPayloads {
		if strings.ContainsAny(p, `<>"'`) && strings.Contains(r.body, p) {
			t.Errorf("%s: raw payload %q in the page", what, p)
		}
	}
	if strings.HasPrefix(ct, "application/json") || strings.Contains(ct, "xml") {
		return
	}
	d := doc(t, r.body)
	d.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s %s=%q>", what, goquery.NodeName(s), a.Key, a.Val)
			}
			if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("%s: <%s %s=%q>", what, goquery.NodeName(s), a.Key, a.Val)
			}
		}
	})
	d.Find("script").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "alert") {
			t.Errorf("%s: a script that alerts", what)
		}
	})
}

func TestXSSPayloads(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	for i, p := range xssPayloads {
		slug := "xss-" + itoa(int64(i))
		t.Run(slug, func(t *testing.T) {
			// A deal with the payload in every text field, a new organization included.
			deal := url.Values{"title": {p + " deal"}, "slug": {slug}, "summary": {p}, "sector": {"energy"},
				"party": {"KZ"}, "value_amount": {"10"}, "value_currency": {"USD"}, "value_note": {p},
				"new_org_name": {p + " org " + slug}, "new_org_kind": {"company"}, "new_org_role": {"partner"},
				"counts_toward_total": {"true"}}
			if r := e.post(t, e.editor, "/deals", deal); r.status != http.StatusSeeOther {
				t.Fatalf("create deal = %d\n%s", r.status, r.body)
			}
			id, err := e.db.DealIDBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			sid := itoa(id)
			update := url.Values{"stage": {"agreed"}, "occurred_on": {"2025-11-06"}, "note": {p},
				"source_url": {"https://example.org/?q=" + p}, "source_title": {p}, "source_publisher": {p}}
			if r := e.post(t, e.editor, "/deals/"+sid+"/updates", update); r.status != http.StatusSeeOther {
				t.Fatalf("log update = %d\n%s", r.status, r.body)
			}
			ups, _ := updatesByDeal(ctx, e.db, id)
			update.Set("correction_reason", p)
			update.Set("stage", "announced")
			if r := e.post(t, e.editor, "/updates/"+itoa(ups[0].ID)+"/correct", update); r.status != http.StatusSeeOther {
				t.Fatalf("correct = %d\n%s", r.status, r.body)
			}
			edit := e.editForm(t, e.editor, id)
			edit.Set("title", p+" renamed")
			edit.Set("summary", "before "+p+" after")
			if r := e.post(t, e.editor, "/deals/"+sid+"/edit", edit); r.status != http.StatusSeeOther {
				t.Fatalf("edit = %d\n%s", r.status, r.body)
			}
			prio := url.Values{"title": {p + " priority"}, "slug": {slug}, "description": {p}, "sector": {"trade"},
				"source_url": {"https://example.org/" + p}, "source_title": {p}, "source_publisher": {p}}
			if r := e.post(t, e.editor, "/countries/kazakhstan/priorities", prio); r.status != http.StatusSeeOther {
				t.Fatalf("add priority = %d\n%s", r.status, r.body)
			}
			orgs, _ := e.db.Organizations(ctx)
			var orgSlug string
			for _, o := range orgs {
				if strings.HasSuffix(o.Name, " org "+slug) {
					orgSlug = o.Slug
				}
			}

			pages := []string{web.DealHref(id, slug), "/deals/" + sid + "/history", "/changes", "/deals", "/deals?q=deal",
				"/deals.json", "/deals.csv", "/countries/kazakhstan", "/", "/organizations/" + orgSlug,
				"/deals/" + sid + "/edit", "/updates/" + itoa(ups[0].ID+1) + "/correct",
				"/updates.atom", "/deals/" + sid + "/updates.atom", "/countries/kazakhstan/updates.atom"}
			for _, path := range pages {
				r := e.get(t, e.editor, path)
				if r.status != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", path, r.status)
				}
				assertInert(t, "GET "+path, r)
			}
			page := doc(t, e.get(t, e.reader, web.DealHref(id, slug)).body)
			if got := textOf(page.Find("h1")); got != p+" renamed" {
				t.Errorf("deal heading = %q, want the payload shown as typed: %q", got, p+" renamed")
			}
			history := doc(t, e.get(t, e.reader, "/deals/"+sid+"/history").body)
			if got := history.Find("table.diff td").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Text() == "before "+p+" after"
			}).Length(); got != 1 {
				t.Errorf("history shows the edited summary as text %d times, want 1", got)
			}
			if got := textOf(doc(t, e.get(t, e.reader, "/changes").body).Find(".changes")); !strings.Contains(got, p+" renamed") {
				t.Errorf("/changes does not name the deal as typed")
			}

			// Invalid forms echo the payload back: escaped too.
			bad := url.Values{}
			for _, f := range []string{"stage", "occurred_on", "note", "source_url", "source_title", "source_publisher"} {
				bad.Set(f, p)
			}
			r := e.post(t, e.editor, "/deals/"+sid+"/updates", bad)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("bad update = %d, want 422", r.status)
			}
			assertInert(t, "422 update form", r)
			badDeal := url.Values{}
			for _, f := range []string{"title", "slug", "summary", "sector", "party", "org_id", "org_role", "new_org_name", "new_org_kind",
				"new_org_role", "priority", "value_amount", "value_currency", "value_note", "announced_on", "summit_id", "parent_id"} {
				badDeal.Set(f, p)
			}
			r = e.post(t, e.editor, "/deals", badDeal)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("bad deal = %d, want 422", r.status)
			}
			assertInert(t, "422 deal form", r)
			r = e.post(t, e.admin, "/deals/"+sid+"/delete", url.Values{"reason": {p}})
			if r.status != http.StatusSeeOther {
				t.Errorf("delete = %d, want 303", r.status)
			}
			for _, path := range []string{web.DealHref(id, slug), "/deals/" + sid + "/history", "/changes"} {
				assertInert(t, "after delete: GET "+path, e.get(t, e.admin, path))
			}
		})
	}
}
