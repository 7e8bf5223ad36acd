package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOrganizationXSSPayloads types each payload into an organization's
// name and description, on a new organization and on one that a deal
// names, and checks every page that shows them.
func TestOrganizationXSSPayloads(t *testing.T) {
	e := newEditEnv(t)
	for i, p := range xssPayloads {
		slug := "xss-org-" + itoa(int64(i))
		t.Run(slug, func(t *testing.T) {
			create := url.Values{"name": {p + " new " + slug}, "slug": {slug}, "kind": {"company"}, "description": {p}}
			if r := e.post(t, e.editor, "/organizations", create); r.status != http.StatusSeeOther {
				t.Fatalf("create = %d\n%s", r.status, r.body)
			}
			stale := e.orgEditForm(t, e.editor, "wabtec")
			edit := e.orgEditForm(t, e.admin, "wabtec")
			name := p + " renamed " + slug
			edit.Set("name", name)
			edit.Set("description", "before "+p+" after")
			if r := e.post(t, e.admin, "/organizations/wabtec/edit", edit); r.status != http.StatusSeeOther {
				t.Fatalf("rename = %d\n%s", r.status, r.body)
			}

			pages := []string{"/organizations/wabtec", "/organizations/" + slug, e.dealPath, "/deals",
				"/deals?organization=wabtec", "/deals.json", "/deals.csv", "/changes", "/organizations/wabtec/history",
				"/organizations/wabtec/edit", "/organizations/" + slug + "/edit", "/deals/" + itoa(e.dealID) + "/edit"}
			for _, path := range pages {
				r := e.get(t, e.editor, path)
				if r.status != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", path, r.status)
				}
				assertInert(t, "GET "+path, r)
			}
			org := doc(t, e.get(t, e.reader, "/organizations/wabtec").body)
			if got := textOf(org.Find("h1")); got != name {
				t.Errorf("organization heading = %q, want the payload shown as typed: %q", got, name)
			}
			if got := textOf(org.Find(".lede")); got != "before "+p+" after" {
				t.Errorf("organization description = %q, want it as typed", got)
			}
			for _, path := range []string{e.dealPath, "/deals", "/changes"} {
				if got := textOf(doc(t, e.get(t, e.reader, path).body).Find("main")); !strings.Contains(got, name) {
					t.Errorf("GET %s does not show the new name as text", path)
				}
			}

			// Forms that echo the payload back: 422 and 409.
			bad := url.Values{"name": {p}, "slug": {p}, "kind": {p}, "country": {p}, "description": {p}}
			r := e.post(t, e.editor, "/organizations", bad)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("bad organization = %d, want 422", r.status)
			}
			assertInert(t, "422 organization form", r)
			stale.Set("description", p)
			r = e.post(t, e.editor, "/organizations/wabtec/edit", stale)
			if r.status != http.StatusConflict {
				t.Errorf("stale edit = %d, want 409", r.status)
			}
			assertInert(t, "409 organization form", r)
			d := doc(t, r.body)
			if got, _ := d.Find(`input[name="yours.description"]`).Attr("value"); got != p {
				t.Errorf("409 carries the description %q, want the payload kept as typed", got)
			}
			if got := choices(d)["Description"][1]; got != p {
				t.Errorf("409 shows the editor's description as %q, want the payload as text", got)
			}
		})
	}
}
