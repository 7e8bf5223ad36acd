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

// diffRows reads one revision's diff table: field → before, after.
func diffRows(rev *goquery.Selection) map[string][2]string {
	rows := map[string][2]string{}
	rev.Find("table.diff tbody tr").Each(func(_ int, tr *goquery.Selection) {
		rows[textOf(tr.Find("th"))] = [2]string{textOf(tr.Find("td").Eq(0)), textOf(tr.Find("td").Eq(1))}
	})
	return rows
}

func TestDealHistory(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	boeing, _ := e.db.OrganizationIDBySlug(ctx, "boeing")
	form := e.editForm(t, e.editor, e.dealID)
	form.Set("title", "Wabtec locomotives, renamed")
	form.Add("party", "UZ")
	form["org_id"] = append(form["org_id"][:1], itoa(boeing))
	form["org_role"] = append(form["org_role"][:1], "buyer")
	form.Del("priority")
	n0 := e.revisionCount(t)
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/edit", cite(form)); r.status != http.StatusSeeOther {
		t.Fatalf("edit = %d\n%s", r.status, r.body)
	}
	if got, want := e.revisionCount(t), n0+1; got != want {
		t.Errorf("revisions after one edit of fields and relations = %d, want %d", got, want)
	}
	r := e.get(t, e.reader, "/deals/"+itoa(e.dealID)+"/history")
	if r.status != http.StatusOK {
		t.Fatalf("history = %d, want 200 for a reader", r.status)
	}
	d := doc(t, r.body)
	revs := d.Find("li.revision")
	newest := revs.First()
	t.Run("the newest revision comes first, with who and when", func(t *testing.T) {
		if got := textOf(newest.Find("h2")); got != "Deal edited" {
			t.Errorf("newest = %q, want Deal edited", got)
		}
		if meta := textOf(newest.Find(".meta")); !strings.Contains(meta, "Edna Editor") || newest.Find("time[datetime]").Length() != 1 {
			t.Errorf("meta = %q, want the editor's name and a time", meta)
		}
		if got := textOf(revs.Last().Find("h2")); got != "Deal created" {
			t.Errorf("oldest = %q, want Deal created", got)
		}
	})
	t.Run("each field before and after, relations by name", func(t *testing.T) {
		rows := diffRows(newest)
		want := map[string][2]string{
			"Title":               {"Wabtec locomotive fleet modernization deal with Kazakhstan", "Wabtec locomotives, renamed"},
			"Parties":             {"Kazakhstan, United States", "Kazakhstan, United States, Uzbekistan"},
			"Organizations":       {"Wabtec (supplier)", "Wabtec (supplier); Boeing (buyer)"},
			"Priorities advanced": {"Transport corridors to Europe; Middle Corridor", ""},
		}
		for field, w := range want {
			got, ok := rows[field]
			if field == "Priorities advanced" {
				if !ok || got[1] != "(none)" || !strings.Contains(got[0], ";") {
					t.Errorf("%s = %q, want two names before and (none) after", field, got)
				}
				continue
			}
			if got != w {
				t.Errorf("%s = %q, want %q", field, got, w)
			}
		}
		for _, hidden := range []string{"Version", "UpdatedAt", "Summary"} {
			if _, ok := rows[hidden]; ok {
				t.Errorf("%s listed, want it left out", hidden)
			}
		}
	})
	t.Run("status updates and their stage changes are in the history", func(t *testing.T) {
		var actions []string
		revs.Each(func(_ int, s *goquery.Selection) { actions = append(actions, textOf(s.Find("h2"))) })
		if !slices.ContainsFunc(actions, func(a string) bool { return strings.HasPrefix(a, "Status update #") }) ||
			!slices.Contains(actions, "Stage moved by a status update") {
			t.Errorf("actions = %v, want the seeded update and its stage change", actions)
		}
	})
	t.Run("the slug form of the address redirects", func(t *testing.T) {
		r := e.get(t, e.reader, e.dealPath+"/history")
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/deals/"+itoa(e.dealID)+"/history" {
			t.Errorf("GET %s/history = %d to %q", e.dealPath, r.status, r.header.Get("Location"))
		}
	})
}

func TestChanges(t *testing.T) {
	e := newEditEnv(t)
	for range 10 { // more than one page of changes
		if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/verify", nil); r.status != http.StatusSeeOther {
			t.Fatalf("verify = %d", r.status)
		}
	}
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", validUpdate()); r.status != http.StatusSeeOther {
		t.Fatalf("log update = %d", r.status)
	}
	r := e.get(t, e.reader, "/changes")
	if r.status != http.StatusOK {
		t.Fatalf("/changes = %d", r.status)
	}
	d := doc(t, r.body)
	items := d.Find("li.change")
	t.Run("newest first, each linking to its record", func(t *testing.T) {
		first := items.First()
		if got := textOf(first.Find(".change-title")); !strings.HasPrefix(got, "Stage moved: deal Wabtec") {
			t.Errorf("first = %q, want the stage change of the new update", got)
		}
		href, _ := first.Find(".change-title a").Attr("href")
		if href != e.dealPath {
			t.Errorf("first links to %q, want %q", href, e.dealPath)
		}
		second := items.Eq(1)
		href, _ = second.Find(".change-title a").Attr("href")
		if !strings.HasPrefix(textOf(second.Find(".change-title")), "Logged a status update on") || !strings.HasPrefix(href, "/u/") {
			t.Errorf("second = %q linking to %q, want the update's permalink", textOf(second.Find(".change-title")), href)
		}
		if !strings.Contains(textOf(first.Find(".meta")), "Edna Editor") {
			t.Errorf("first meta = %q, want the editor", textOf(first.Find(".meta")))
		}
	})
	t.Run("user accounts stay out of the log", func(t *testing.T) {
		if strings.Contains(r.body, editorEmail) || strings.Contains(r.body, adminEmail) {
			t.Error("/changes shows a user's email")
		}
	})
	t.Run("pages of fifty, older ones through ?before", func(t *testing.T) {
		if items.Length() != 50 {
			t.Fatalf("entries = %d, want 50", items.Length())
		}
		next, ok := d.Find(`a[rel=next]`).Attr("href")
		if !ok || !strings.HasPrefix(next, "/changes?before=") {
			t.Fatalf("next link = %q", next)
		}
		lastID, _ := items.Last().Attr("id")
		older := doc(t, e.get(t, e.reader, next).body)
		firstOlder, _ := older.Find("li.change").First().Attr("id")
		if older.Find("li.change").Length() == 0 || firstOlder == lastID {
			t.Errorf("the next page starts with %q, want an entry older than %q", firstOlder, lastID)
		}
		if r := e.get(t, e.reader, "/changes?before=abc"); r.status != http.StatusBadRequest {
			t.Errorf("?before=abc = %d, want 400", r.status)
		}
	})
}

func TestHistoryQueryCounts(t *testing.T) {
	ts, db, counter := countedServer(t)
	ctx := context.Background()
	id := dealIDBySlug(t, db, "wabtec-kazakhstan-locomotives")
	count := func(path string) int {
		t.Helper()
		counter.Reset()
		if p := fetch(t, ts.URL+path); p.status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, p.status)
		}
		return counter.Count()
	}
	parent := dealIDBySlug(t, db, "boeing-uzbekistan-contracts")
	edit := func(i int) {
		t.Helper()
		d, err := db.DealByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		d.Title = "Edit " + itoa(int64(i))
		d.ParentID = parent
		if err := db.UpdateDeal(ctx, testEditor, d); err != nil {
			t.Fatal(err)
		}
	}
	// One edit first, so that every kind of name (organizations,
	// priorities, parent deals) is looked up from the start.
	edit(0)
	paths := []string{"/deals/" + itoa(id) + "/history", "/changes"}
	before := map[string]int{}
	for _, p := range paths {
		before[p] = count(p)
	}
	for i := range 20 {
		edit(i + 1)
	}
	for _, p := range paths {
		if got := count(p); got != before[p] {
			t.Errorf("GET %s runs %d queries after 20 more revisions, %d before: want the same", p, got, before[p])
		}
	}
}

func TestPriorityEditing(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	form := url.Values{"title": {"Rail electrification"}, "description": {"Electrify the main lines."}, "sector": {"transport"},
		"source_url": {"https://example.org/rail"}, "source_title": {"Rail plan"}, "source_publisher": {"Ministry"}}
	r := e.post(t, e.editor, "/countries/kazakhstan/priorities", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/countries/kazakhstan#priority-rail-electrification" {
		t.Fatalf("create = %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	id, err := e.db.PriorityIDBySlug(ctx, "KZ", "rail-electrification")
	if err != nil {
		t.Fatal(err)
	}
	path := "/priorities/" + itoa(id) + "/edit"
	t.Run("an invalid edit is 422 with the values kept", func(t *testing.T) {
		bad := formValues(doc(t, e.get(t, e.editor, path).body).Find("form.edit-form"))
		bad.Set("title", "")
		bad.Set("description", "Kept description")
		r := e.post(t, e.editor, path, bad)
		d := doc(t, r.body)
		if r.status != http.StatusUnprocessableEntity || d.Find(`.error-summary a[href="#title"]`).Length() != 1 {
			t.Errorf("status = %d, want 422 with an error on title", r.status)
		}
		if got := fieldValue(d, "description"); got != "Kept description" {
			t.Errorf("description = %q, want the typed one", got)
		}
	})
	t.Run("a stale save is merged; a field both changed is 409 with the choice", func(t *testing.T) {
		mine := formValues(doc(t, e.get(t, e.editor, path).body).Find("form.edit-form"))
		theirs := formValues(doc(t, e.get(t, e.admin, path).body).Find("form.edit-form"))
		theirs.Set("title", "Rail electrification and signalling")
		if r := e.post(t, e.admin, path, theirs); r.status != http.StatusSeeOther {
			t.Fatalf("first save = %d", r.status)
		}
		mine.Set("description", "My own description.")
		if r := e.post(t, e.editor, path, mine); r.status != http.StatusSeeOther {
			t.Fatalf("stale save of another field = %d, want 303, merged", r.status)
		}
		if p, _ := e.db.PriorityByID(ctx, id); p.Title != "Rail electrification and signalling" || p.Description != "My own description." {
			t.Errorf("priority = %q / %q, want the admin's title and the editor's description", p.Title, p.Description)
		}

		mine = formValues(doc(t, e.get(t, e.editor, path).body).Find("form.edit-form"))
		theirs = formValues(doc(t, e.get(t, e.admin, path).body).Find("form.edit-form"))
		theirs.Set("source_title", "Rail plan, revised")
		if r := e.post(t, e.admin, path, theirs); r.status != http.StatusSeeOther {
			t.Fatalf("first save = %d", r.status)
		}
		mine.Set("source_url", "https://example.org/rail-2026")
		r := e.post(t, e.editor, path, mine)
		if r.status != http.StatusConflict {
			t.Fatalf("stale save of the source = %d, want 409", r.status)
		}
		d := doc(t, r.body)
		if got := diffRows(d.Find(".conflict"))["Source title"]; got != [2]string{"Rail plan", "Rail plan, revised"} {
			t.Errorf("Source title row = %q", got)
		}
		want := [3]string{"https://example.org/rail Rail plan, revised Ministry", "https://example.org/rail-2026 Rail plan Ministry", "saved"}
		if got := choices(d)["Source"]; got != want {
			t.Errorf("choices = %q, want the source as one choice, %q", choices(d), want)
		}
		p, _ := e.db.PriorityByID(ctx, id)
		if v, _ := d.Find("input[name=version]").Attr("value"); v != itoa(int64(p.Version)) {
			t.Errorf("version = %q, want %d", v, p.Version)
		}
		form := formValues(d.Find("form.edit-form"))
		form.Set("choose.Source", "yours")
		if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
			t.Fatalf("choosing the editor's source = %d, want 303", r.status)
		}
		if p, _ := e.db.PriorityByID(ctx, id); p.Source != (ledger.Source{URL: "https://example.org/rail-2026", Title: "Rail plan", Publisher: "Ministry"}) {
			t.Errorf("source = %+v, want the editor's whole source", p.Source)
		}
	})
	t.Run("admins delete and restore it with a reason", func(t *testing.T) {
		if r := e.post(t, e.editor, "/priorities/"+itoa(id)+"/delete", url.Values{"reason": {"x"}}); r.status != http.StatusForbidden {
			t.Errorf("editor delete = %d, want 403", r.status)
		}
		if r := e.post(t, e.admin, "/priorities/"+itoa(id)+"/delete", url.Values{"reason": {"Folded into another priority."}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete = %d", r.status)
		}
		if strings.Contains(e.get(t, e.reader, "/countries/kazakhstan").body, "Rail electrification and signalling") {
			t.Error("the deleted priority is still on the country page")
		}
		if r := e.get(t, e.editor, path); r.status != http.StatusNotFound {
			t.Errorf("editing a deleted priority = %d, want 404", r.status)
		}
		if r := e.post(t, e.admin, "/priorities/"+itoa(id)+"/restore", url.Values{"reason": {"Needed after all."}}); r.status != http.StatusSeeOther {
			t.Fatalf("restore = %d", r.status)
		}
		revs, _ := e.db.RevisionsFor(ctx, "priority", id)
		var actions []string
		for _, r := range revs {
			actions = append(actions, r.Action)
		}
		if want := []string{"restore", "delete", "update", "update", "update", "update", "create"}; !slices.Equal(actions, want) {
			t.Errorf("revisions = %v, want %v", actions, want)
		}
	})
	if p, _ := e.db.PriorityByID(ctx, id); p.Deleted() || p.CountryCode != "KZ" {
		t.Errorf("priority = %+v, want live in KZ", p)
	}
}
