package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
)

// orgForm is the organization form a browser sends for a new organization.
func orgForm() url.Values {
	return url.Values{"name": {"Steppe Wind Power"}, "kind": {"company"}, "country": {"KZ"},
		"description": {"Builds wind farms.\nBased in Almaty."}}
}

// orgEditForm returns the organization's edit form as the browser would send it back unchanged.
func (e *editEnv) orgEditForm(t *testing.T, c *http.Client, slug string) url.Values {
	t.Helper()
	r := e.get(t, c, "/organizations/"+slug+"/edit")
	if r.status != http.StatusOK {
		t.Fatalf("GET /organizations/%s/edit = %d", slug, r.status)
	}
	return formValues(doc(t, r.body).Find("form.edit-form"))
}

// organization returns the organization with slug, or an old slug, as the store has it now.
func (e *editEnv) organization(t *testing.T, slug string) *ledger.Organization {
	t.Helper()
	o, err := e.db.OrganizationBySlug(context.Background(), slug)
	if err != nil {
		t.Fatalf("organization %s: %v", slug, err)
	}
	return o
}

func TestOrganizationEditing(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()

	t.Run("a reader is sent to sign in and writes nothing", func(t *testing.T) {
		for _, path := range []string{"/organizations/new", "/organizations/wabtec/edit"} {
			r := e.get(t, e.reader, path)
			if got, want := r.header.Get("Location"), "/login?next="+url.QueryEscape(path); r.status != http.StatusSeeOther || got != want {
				t.Errorf("GET %s = %d to %q, want 303 to %q", path, r.status, got, want)
			}
		}
		n := e.revisionCount(t)
		edit := url.Values{"name": {"Renamed by a reader"}, "kind": {"company"}, "version": {"1"}}
		for path, form := range map[string]url.Values{"/organizations": orgForm(), "/organizations/wabtec/edit": edit} {
			r := e.post(t, e.reader, path, form)
			signIn := r.status == http.StatusUnauthorized ||
				r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login?next=")
			if !signIn {
				t.Errorf("POST %s as reader = %d to %q, want to be asked to sign in", path, r.status, r.header.Get("Location"))
			}
		}
		if got := e.revisionCount(t); got != n {
			t.Errorf("revisions = %d, want %d: a reader changed something", got, n)
		}
		if got := e.organization(t, "wabtec").Name; got != "Wabtec" {
			t.Errorf("name = %q, want Wabtec", got)
		}
	})

	t.Run("an editor creates one, with its slug made from the name and one revision", func(t *testing.T) {
		if r := e.get(t, e.editor, "/organizations/new"); r.status != http.StatusOK || doc(t, r.body).Find(`form.edit-form[action="/organizations"]`).Length() != 1 {
			t.Fatalf("GET /organizations/new = %d, want 200 with the form", r.status)
		}
		n := e.revisionCount(t)
		r := e.post(t, e.editor, "/organizations", orgForm())
		if got := r.header.Get("Location"); r.status != http.StatusSeeOther || got != "/organizations/steppe-wind-power" {
			t.Fatalf("create = %d to %q, want 303 to /organizations/steppe-wind-power\n%s", r.status, got, r.body)
		}
		o := e.organization(t, "steppe-wind-power")
		want := ledger.Organization{ID: o.ID, Slug: "steppe-wind-power", Name: "Steppe Wind Power", Kind: "company",
			CountryCode: "KZ", Description: "Builds wind farms.\nBased in Almaty.", Version: 1}
		if *o != want {
			t.Errorf("stored %+v, want %+v", *o, want)
		}
		if got := e.revisionCount(t); got != n+1 {
			t.Errorf("revisions = %d, want %d", got, n+1)
		}
		page := doc(t, e.get(t, e.editor, "/organizations/steppe-wind-power").body)
		if got := textOf(page.Find(".flash")); got != "Organization added." {
			t.Errorf("flash = %q, want %q", got, "Organization added.")
		}
		if got := textOf(page.Find("h1")); got != "Steppe Wind Power" {
			t.Errorf("heading = %q", got)
		}
	})

	t.Run("editors see an edit link on the organization page, readers do not", func(t *testing.T) {
		link := `a[href="/organizations/wabtec/edit"]`
		if got := doc(t, e.get(t, e.editor, "/organizations/wabtec").body).Find(link).Length(); got != 1 {
			t.Errorf("editor sees %d edit links, want 1", got)
		}
		if got := doc(t, e.get(t, e.editor, "/organizations/wabtec").body).Find(`a[href="/organizations/new"]`).Length(); got != 1 {
			t.Errorf("editor sees %d new-organization links, want 1", got)
		}
		if got := doc(t, e.get(t, e.reader, "/organizations/wabtec").body).Find(link + `, a[href="/organizations/new"]`).Length(); got != 0 {
			t.Errorf("reader sees %d editor links, want 0", got)
		}
	})

	t.Run("an invalid form is 422 with the summary and every value kept", func(t *testing.T) {
		n := e.revisionCount(t)
		bad := url.Values{"name": {""}, "slug": {"Not A Slug"}, "kind": {"pirate"}, "country": {"ZZ"},
			"description": {"Kept <b>description</b>"}}
		r := e.post(t, e.editor, "/organizations", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", r.status)
		}
		d := doc(t, r.body)
		var links []string
		d.Find(".error-summary a").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			links = append(links, href)
		})
		if want := []string{"#name", "#slug", "#kind", "#country"}; !slices.Equal(links, want) {
			t.Errorf("summary links = %v, want %v", links, want)
		}
		if !strings.HasPrefix(textOf(d.Find("title")), "Error:") {
			t.Errorf("title = %q, want it to start with Error:", textOf(d.Find("title")))
		}
		for id, want := range map[string]string{"slug": "Not A Slug", "kind": "pirate", "country": "ZZ", "description": "Kept <b>description</b>"} {
			if got := fieldValue(d, id); got != want {
				t.Errorf("%s = %q, want %q as typed", id, got, want)
			}
		}
		if v, _ := d.Find("#name").Attr("aria-invalid"); v != "true" {
			t.Errorf("name aria-invalid = %q, want true", v)
		}
		if got := e.revisionCount(t); got != n {
			t.Errorf("revisions = %d, want %d", got, n)
		}
	})

	t.Run("a name or slug another organization has, or a reserved slug, is 422", func(t *testing.T) {
		cases := map[string]struct{ name, slug, field string }{
			"same name":          {"wabtec", "", "name"},
			"taken slug":         {"Wabtec Rail", "wabtec", "slug"},
			"slug from the name": {"Boeing!", "", "slug"},
			"reserved slug":      {"New", "", "slug"},
			"name without latin": {"Қазақстан темір жолы", "", "slug"},
		}
		for what, c := range cases {
			form := url.Values{"name": {c.name}, "slug": {c.slug}, "kind": {"company"}}
			r := e.post(t, e.editor, "/organizations", form)
			d := doc(t, r.body)
			if r.status != http.StatusUnprocessableEntity || d.Find(`.error-summary a[href="#`+c.field+`"]`).Length() != 1 {
				t.Errorf("%s: status %d, summary %q; want 422 with an error on %s", what, r.status, textOf(d.Find(".error-summary")), c.field)
			}
			if got := fieldValue(d, "name"); got != c.name {
				t.Errorf("%s: name = %q, want %q kept", what, got, c.name)
			}
		}
	})

	t.Run("the deal form cannot add an organization at the new-organization page's address", func(t *testing.T) {
		deal := url.Values{"title": {"Agency support"}, "sector": {"energy"}, "party": {"KZ"},
			"new_org_name": {"New"}, "new_org_kind": {"agency"}, "new_org_role": {"partner"}}
		r := e.post(t, e.editor, "/deals", deal)
		if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#new_org_name"]`).Length() != 1 {
			t.Errorf("status = %d, want 422 with an error on new_org_name", r.status)
		}
		if _, err := e.db.OrganizationBySlug(ctx, "new"); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("organization \"new\": %v, want none", err)
		}
	})

	t.Run("an edit saves, and the old slug answers 301 to the new one", func(t *testing.T) {
		before := e.organization(t, "steppe-wind-power")
		n := e.revisionCount(t)
		form := e.orgEditForm(t, e.editor, "steppe-wind-power")
		if got := form.Get("version"); got != "1" {
			t.Errorf("version field = %q, want 1", got)
		}
		form.Set("name", "Steppe Wind and Solar")
		form.Set("slug", "steppe-wind-solar")
		form.Set("kind", "fund")
		form.Set("country", "")
		r := e.post(t, e.editor, "/organizations/steppe-wind-power/edit", form)
		if got := r.header.Get("Location"); r.status != http.StatusSeeOther || got != "/organizations/steppe-wind-solar" {
			t.Fatalf("save = %d to %q, want 303 to the new slug\n%s", r.status, got, r.body)
		}
		after := e.organization(t, "steppe-wind-solar")
		if after.ID != before.ID || after.Name != "Steppe Wind and Solar" || after.Kind != "fund" || after.CountryCode != "" || after.Version != 2 {
			t.Errorf("stored %+v", *after)
		}
		if got := e.revisionCount(t); got != n+1 {
			t.Errorf("revisions = %d, want %d: one per change", got, n+1)
		}
		for old, want := range map[string]string{
			"/organizations/steppe-wind-power":      "/organizations/steppe-wind-solar",
			"/organizations/steppe-wind-power?x=1":  "/organizations/steppe-wind-solar?x=1",
			"/organizations/steppe-wind-power/edit": "/organizations/steppe-wind-solar/edit",
		} {
			r := e.get(t, e.reader, old)
			if old == "/organizations/steppe-wind-power/edit" {
				r = e.get(t, e.editor, old)
			}
			if r.status != http.StatusMovedPermanently || r.header.Get("Location") != want {
				t.Errorf("GET %s = %d to %q, want 301 to %q", old, r.status, r.header.Get("Location"), want)
			}
		}
		if got := textOf(doc(t, e.get(t, e.editor, "/organizations/steppe-wind-solar").body).Find(".flash")); got != "Organization saved." {
			t.Errorf("flash = %q", got)
		}
	})

	t.Run("the change log shows the edit field by field", func(t *testing.T) {
		d := doc(t, e.get(t, e.reader, "/changes").body)
		first := d.Find(".changes li.change").First()
		if got := textOf(first.Find(".change-title")); got != "Edited organization Steppe Wind and Solar" {
			t.Errorf("latest change = %q", got)
		}
		if href, _ := first.Find(".change-title a").Attr("href"); href != "/organizations/steppe-wind-solar" {
			t.Errorf("link = %q, want the organization's page", href)
		}
		if got := textOf(first.Find(".changed-fields")); got != "Changed: Name, Slug, Kind, Country" {
			t.Errorf("fields = %q, want Name, Slug, Kind, Country", got)
		}
		if href, _ := first.Find(`.meta a`).Attr("href"); href != "/organizations/steppe-wind-solar/history" {
			t.Errorf("history link = %q, want the organization's history", href)
		}
	})

	t.Run("its public history shows each field before and after, newest first", func(t *testing.T) {
		r := e.get(t, e.reader, "/organizations/steppe-wind-power/history")
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/organizations/steppe-wind-solar/history" {
			t.Errorf("old slug's history = %d to %q, want 301 to the new one", r.status, r.header.Get("Location"))
		}
		d := doc(t, e.get(t, e.reader, "/organizations/steppe-wind-solar/history").body)
		revs := d.Find("li.revision")
		var titles []string
		revs.Each(func(_ int, s *goquery.Selection) { titles = append(titles, textOf(s.Find(".revision-title"))) })
		if want := []string{"Organization edited", "Organization created"}; !slices.Equal(titles, want) {
			t.Fatalf("revisions = %v, want %v", titles, want)
		}
		rows := diffRows(revs.First())
		for field, want := range map[string][2]string{
			"Name": {"Steppe Wind Power", "Steppe Wind and Solar"}, "Slug": {"steppe-wind-power", "steppe-wind-solar"},
			"Kind": {"company", "fund"}, "Country": {"Kazakhstan", "(none)"},
		} {
			if got := rows[field]; got != want {
				t.Errorf("%s row = %q, want %q", field, got, want)
			}
		}
		if len(rows) != 4 {
			t.Errorf("diff rows = %v, want only the four changed fields", rows)
		}
		if got := textOf(revs.First().Find(".meta")); !strings.Contains(got, "Edna Editor") {
			t.Errorf("meta = %q, want the editor's name", got)
		}
		page := doc(t, e.get(t, e.reader, "/organizations/steppe-wind-solar").body)
		if page.Find(`a[href="/organizations/steppe-wind-solar/history"]`).Length() != 1 {
			t.Error("the organization page does not link its history")
		}
	})

	t.Run("a stale save is merged, and a field both changed is 409 with the choice", func(t *testing.T) {
		mine := e.orgEditForm(t, e.editor, "steppe-wind-solar")
		theirs := e.orgEditForm(t, e.admin, "steppe-wind-solar")
		theirs.Set("name", "Steppe Renewables")
		theirs.Set("slug", "steppe-renewables")
		theirs.Set("kind", "company")
		if r := e.post(t, e.admin, "/organizations/steppe-wind-solar/edit", theirs); r.status != http.StatusSeeOther {
			t.Fatalf("first save = %d\n%s", r.status, r.body)
		}
		n := e.revisionCount(t)
		mine.Set("description", "My own description.")
		mine.Set("kind", "bank")
		// Sent to the address the form was opened at, now an old slug.
		r := e.post(t, e.editor, "/organizations/steppe-wind-solar/edit", mine)
		if r.status != http.StatusConflict {
			t.Fatalf("stale save = %d, want 409\n%s", r.status, r.body)
		}
		d := doc(t, r.body)
		rows := diffRows(d.Find(".conflict"))
		if got := rows["Name"]; got != [2]string{"Steppe Wind and Solar", "Steppe Renewables"} {
			t.Errorf("Name row = %q", got)
		}
		if got := rows["Slug"]; got != [2]string{"steppe-wind-solar", "steppe-renewables"} {
			t.Errorf("Slug row = %q", got)
		}
		if got := choices(d); len(got) != 1 || got["Kind"] != [3]string{"company", "bank", "saved"} {
			t.Errorf("choices = %q, want Kind alone, company against bank", got)
		}
		for id, want := range map[string]string{"description": "My own description.", "kind": "company", "name": "Steppe Renewables"} {
			if got := fieldValue(d, id); got != want {
				t.Errorf("%s = %q, want the merge's %q", id, got, want)
			}
		}
		if v, _ := d.Find("input[name=version]").Attr("value"); v != "3" {
			t.Errorf("version = %q, want 3, the current one", v)
		}
		if a, _ := d.Find("form.edit-form").Attr("action"); a != "/organizations/steppe-renewables/edit" {
			t.Errorf("form action = %q, want the current address", a)
		}
		if got := e.organization(t, "steppe-renewables"); got.Description != "Builds wind farms.\nBased in Almaty." || got.Kind != "company" {
			t.Errorf("stored %+v, want the admin's save untouched", *got)
		}
		if got := e.revisionCount(t); got != n {
			t.Errorf("revisions = %d, want %d", got, n)
		}
		again := formValues(d.Find("form.edit-form"))
		again.Set("choose.Kind", "yours")
		if r := e.post(t, e.editor, "/organizations/steppe-renewables/edit", again); r.status != http.StatusSeeOther {
			t.Errorf("second save = %d, want 303", r.status)
		}
		if got := e.organization(t, "steppe-renewables"); got.Name != "Steppe Renewables" || got.Description != "My own description." || got.Kind != "bank" {
			t.Errorf("stored %+v, want the admin's name with the editor's description and chosen kind", *got)
		}
	})

	t.Run("an unknown organization is 404; a form without a version is 400", func(t *testing.T) {
		if r := e.get(t, e.editor, "/organizations/atlantis-inc/edit"); r.status != http.StatusNotFound {
			t.Errorf("GET edit = %d, want 404", r.status)
		}
		if r := e.post(t, e.editor, "/organizations/atlantis-inc/edit", orgForm()); r.status != http.StatusNotFound {
			t.Errorf("POST edit = %d, want 404", r.status)
		}
		if r := e.post(t, e.editor, "/organizations/wabtec/edit", orgForm()); r.status != http.StatusBadRequest {
			t.Errorf("POST without version = %d, want 400", r.status)
		}
	})

	t.Run("a renamed organization's deals are found by the new name", func(t *testing.T) {
		form := e.orgEditForm(t, e.editor, "wabtec")
		form.Set("name", "Westinghouse Air Brake Technologies")
		if r := e.post(t, e.editor, "/organizations/wabtec/edit", form); r.status != http.StatusSeeOther {
			t.Fatalf("rename = %d\n%s", r.status, r.body)
		}
		res, err := e.db.FindDeals(ctx, ledger.DealFilter{Query: "Westinghouse", Page: 1, PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range res.Deals {
			found = found || d.ID == e.dealID
		}
		if !found {
			t.Errorf("searching the new name misses the organization's deal")
		}
		if page := doc(t, e.get(t, e.reader, e.dealPath).body); !strings.Contains(textOf(page.Find("main")), "Westinghouse Air Brake Technologies") {
			t.Errorf("the deal page does not show the new name")
		}
	})
}
