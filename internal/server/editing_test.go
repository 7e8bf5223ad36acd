package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
)

func TestEditorRoles(t *testing.T) {
	e := newEditEnv(t)
	id := itoa(e.dealID)
	editorPages := []string{"/deals/new", "/deals/" + id + "/edit", "/deals/" + id + "/updates/new", "/countries/kazakhstan/priorities/new"}
	t.Run("a reader is sent to sign in, and back", func(t *testing.T) {
		for _, path := range editorPages {
			r := e.get(t, e.reader, path)
			if got, want := r.header.Get("Location"), "/login?next="+url.QueryEscape(path); r.status != http.StatusSeeOther || got != want {
				t.Errorf("GET %s = %d to %q, want 303 to %q", path, r.status, got, want)
			}
		}
		r := e.post(t, e.reader, "/deals/"+id+"/updates", validUpdate())
		if r.status != http.StatusUnauthorized || doc(t, r.body).Find(`form[action="/login"]`).Length() != 1 {
			t.Errorf("POST update as reader = %d, want 401 with the sign-in form", r.status)
		}
		if ups, _ := updatesByDeal(context.Background(), e.db, e.dealID); len(ups) != 1 {
			t.Errorf("updates = %d, want the seeded 1: a reader wrote one", len(ups))
		}
	})
	t.Run("an editor opens every editor page", func(t *testing.T) {
		for _, path := range editorPages {
			if r := e.get(t, e.editor, path); r.status != http.StatusOK {
				t.Errorf("GET %s as editor = %d, want 200", path, r.status)
			}
		}
		if r := e.get(t, e.editor, "/"); !strings.Contains(r.body, `href="/deals/new"`) {
			t.Error("the header offers an editor no link to a new deal")
		}
		if r := e.get(t, e.reader, "/"); strings.Contains(r.body, `href="/deals/new"`) {
			t.Error("the header offers a reader a link to a new deal")
		}
	})
	t.Run("delete and restore are for admins: an editor gets 403", func(t *testing.T) {
		for _, path := range []string{"/deals/" + id + "/delete", "/deals/" + id + "/restore"} {
			if r := e.get(t, e.editor, path); r.status != http.StatusForbidden {
				t.Errorf("GET %s as editor = %d, want 403", path, r.status)
			}
			if r := e.post(t, e.editor, path, url.Values{"reason": {"because"}}); r.status != http.StatusForbidden {
				t.Errorf("POST %s as editor = %d, want 403", path, r.status)
			}
		}
		if e.deal(t, e.dealID).Deleted() {
			t.Error("an editor deleted the deal")
		}
		if r := e.get(t, e.admin, "/deals/"+id+"/delete"); r.status != http.StatusOK {
			t.Errorf("GET delete as admin = %d, want 200", r.status)
		}
	})
}

func TestLogUpdate(t *testing.T) {
	e := newEditEnv(t)
	n0 := e.revisionCount(t)
	r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", validUpdate())
	if r.status != http.StatusSeeOther || r.header.Get("Location") != e.dealPath {
		t.Fatalf("POST update = %d to %q, want 303 to %s\n%s", r.status, r.header.Get("Location"), e.dealPath, r.body)
	}
	t.Run("the deal's stage moves", func(t *testing.T) {
		d := e.deal(t, e.dealID)
		if d.Stage != ledger.StageUnderWay || d.StageOn.Format(time.DateOnly) != "2026-01-15" {
			t.Errorf("stage = %s on %s, want under_way on 2026-01-15", d.Stage, d.StageOn.Format(time.DateOnly))
		}
	})
	t.Run("the deal page shows the flash once and the update on top", func(t *testing.T) {
		page := e.get(t, e.editor, e.dealPath)
		d := doc(t, page.body)
		if got := textOf(d.Find(".flash")); !strings.Contains(got, "Status update logged") {
			t.Errorf("flash = %q, want it to say the update was logged", got)
		}
		ups, _ := updatesByDeal(context.Background(), e.db, e.dealID)
		first, _ := d.Find(".timeline-item").First().Attr("id")
		if want := "update-" + itoa(ups[0].ID); first != want || !strings.Contains(ups[0].Note, "First locomotives") {
			t.Errorf("first timeline item = %q, want %q (the new update)", first, want)
		}
		if again := e.get(t, e.editor, e.dealPath); strings.Contains(again.body, "Status update logged") {
			t.Error("the flash shows a second time")
		}
	})
	t.Run("one revision for the update and one for the stage", func(t *testing.T) {
		if got, want := e.revisionCount(t), n0+2; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
	})
}

func TestUpdateForm422(t *testing.T) {
	e := newEditEnv(t)
	form := url.Values{
		"stage": {"contracted"}, "occurred_on": {"2025-13-45"}, "note": {"Typed note\nwith two lines"},
		"source_url": {"javascript:alert(1)"}, "source_title": {"My title"}, "source_publisher": {""},
	}
	r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422", r.status)
	}
	d := doc(t, r.body)
	t.Run("the error summary links to each bad field", func(t *testing.T) {
		box := d.Find(".error-summary[role=alert]")
		if got := textOf(box.Find("h2")); got != "There is a problem" {
			t.Errorf("summary title = %q", got)
		}
		var links []string
		box.Find("a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			links = append(links, href)
		})
		if want := []string{"#occurred_on", "#source_url-0", "#source_publisher-0"}; !slices.Equal(links, want) {
			t.Errorf("summary links = %v, want %v", links, want)
		}
		for _, id := range []string{"occurred_on", "source_url-0", "source_publisher-0"} {
			f := d.Find("#" + id)
			if inv, _ := f.Attr("aria-invalid"); inv != "true" {
				t.Errorf("#%s aria-invalid = %q, want true", id, inv)
			}
			desc, _ := f.Attr("aria-describedby")
			if !strings.Contains(desc, id+"-error") || d.Find("#"+id+"-error").Length() != 1 {
				t.Errorf("#%s aria-describedby = %q, want it to name its error message", id, desc)
			}
		}
		if inv, ok := d.Find("#note").Attr("aria-invalid"); ok {
			t.Errorf("#note aria-invalid = %q, want none: it is valid", inv)
		}
	})
	t.Run("every typed value is still in place", func(t *testing.T) {
		for name, want := range map[string]string{"stage": "contracted", "occurred_on": "2025-13-45", "note": "Typed note\nwith two lines",
			"source_url-0": "javascript:alert(1)", "source_title-0": "My title", "source_publisher-0": ""} {
			if got := fieldValue(d, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})
	t.Run("nothing was saved", func(t *testing.T) {
		if ups, _ := updatesByDeal(context.Background(), e.db, e.dealID); len(ups) != 1 {
			t.Errorf("updates = %d, want 1", len(ups))
		}
	})
}

// typedDeal is a deal form with every kind of field filled, one of them wrong.
func typedDeal(e *editEnv, t *testing.T) url.Values {
	t.Helper()
	ctx := context.Background()
	boeing, err := e.db.OrganizationIDBySlug(ctx, "boeing")
	if err != nil {
		t.Fatal(err)
	}
	wabtec, _ := e.db.OrganizationIDBySlug(ctx, "wabtec")
	p1, _ := e.db.PriorityIDBySlug(ctx, "KZ", "transport-corridors-to-europe")
	p2, _ := e.db.PriorityIDBySlug(ctx, "US", "middle-corridor")
	summits, _ := e.db.Summits(ctx)
	return url.Values{
		"title": {""}, "slug": {"typed-slug"}, "summary": {"A summary\nover two lines <b>bold</b>"}, "sector": {"energy"},
		"party":  {"KZ", "UZ"},
		"org_id": {itoa(boeing), itoa(wabtec), ""}, "org_role": {"buyer", "", ""},
		"new_org_name": {"Air Astana"}, "new_org_kind": {"company"}, "new_org_role": {"partner"},
		"priority":     {itoa(p1), itoa(p2)},
		"value_amount": {"1,250.5"}, "value_currency": {"usd"}, "value_note": {"over ten years"},
		"announced_on": {"2025-11-06"}, "summit_id": {itoa(summits[0].ID)}, "parent_id": {itoa(e.dealID)},
		"counts_toward_total": {"true"},
	}
}

func TestDealForm422(t *testing.T) {
	e := newEditEnv(t)
	form := typedDeal(e, t)
	n0 := e.revisionCount(t)
	r := e.post(t, e.editor, "/deals", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422\n%s", r.status, r.body)
	}
	d := doc(t, r.body)
	t.Run("the summary names the empty title and the row without a role", func(t *testing.T) {
		var links []string
		d.Find(".error-summary a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			links = append(links, href)
		})
		if want := []string{"#title", "#org_role-1"}; !slices.Equal(links, want) {
			t.Errorf("summary links = %v, want %v", links, want)
		}
		if title := textOf(d.Find("title")); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("page title = %q, want it to start with Error:", title)
		}
	})
	t.Run("every typed value is in place, boxes and rows included", func(t *testing.T) {
		for _, name := range []string{"title", "slug", "summary", "sector", "new_org_name", "new_org_kind", "new_org_role",
			"value_amount", "value_currency", "value_note", "announced_on", "summit_id", "parent_id"} {
			if got, want := fieldValue(d, name), form.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		for i, want := range []string{form["org_id"][0], form["org_id"][1]} {
			if got := fieldValue(d, "org_id-"+itoa(int64(i))); got != want {
				t.Errorf("org_id-%d = %q, want %q", i, got, want)
			}
		}
		if got := fieldValue(d, "org_role-0"); got != "buyer" {
			t.Errorf("org_role-0 = %q, want buyer", got)
		}
		if got := checked(d, "party"); !slices.Equal(got, []string{"KZ", "UZ"}) {
			t.Errorf("parties ticked = %v, want [KZ UZ]", got)
		}
		if got := checked(d, "priority"); len(got) != 2 || !slices.Contains(got, form["priority"][0]) || !slices.Contains(got, form["priority"][1]) {
			t.Errorf("priorities ticked = %v, want %v", got, form["priority"])
		}
		if got := checked(d, "counts_toward_total"); len(got) != 1 {
			t.Errorf("counts toward total ticked = %v, want ticked", got)
		}
	})
	t.Run("resubmitting the re-rendered form sends the same values", func(t *testing.T) {
		again := formValues(d.Find("form.edit-form"))
		again.Set("title", "Air Astana fleet renewal")
		again["org_role"][1] = "supplier"
		r := e.post(t, e.editor, "/deals", again)
		if r.status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303\n%s", r.status, r.body)
		}
		id, err := e.db.DealIDBySlug(context.Background(), "typed-slug")
		if err != nil {
			t.Fatal(err)
		}
		got := e.deal(t, id)
		if got.Value == nil || got.Value.Cents != 125050 || got.Value.Currency != "USD" || len(got.Parties) != 2 ||
			len(got.Organizations) != 3 || len(got.PriorityIDs) != 2 || got.ParentID != e.dealID || !got.CountsTowardTotal {
			t.Errorf("saved deal = %+v", got)
		}
		// The deal and the organization it created: one revision each.
		if got, want := e.revisionCount(t), n0+2; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
	})
}

// choices reads the conflict page's choices: for each field both editors
// changed, its saved value and the editor's, and which radio is checked.
func choices(d *goquery.Document) map[string][3]string {
	out := map[string][3]string{}
	d.Find("form.edit-form fieldset.choice").Each(func(_ int, f *goquery.Selection) {
		opts := f.Find(".choice-option")
		picked, _ := f.Find("input[type=radio][checked]").Attr("value")
		out[textOf(f.Find("legend"))] = [3]string{textOf(opts.Eq(0).Find(".choice-value")), textOf(opts.Eq(1).Find(".choice-value")), picked}
	})
	return out
}

// TestDealConflict: two editors open a deal's edit form and save in turn.
// The second save is merged with the first: a field only one of them
// changed keeps that one's value, and a field both changed waits for a
// choice, the saved value chosen until then, so that nobody's saved change
// is undone by saving the conflict page as it stands.
func TestDealConflict(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"

	t.Run("fields changed by one editor each are merged and saved", func(t *testing.T) {
		a, b := e.editForm(t, e.admin, e.dealID), e.editForm(t, e.editor, e.dealID)
		a.Set("title", "Wabtec order, as renamed by A")
		a.Set("value_amount", "5000000000")
		if r := e.post(t, e.admin, path, cite(a)); r.status != http.StatusSeeOther {
			t.Fatalf("A's save = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		b.Set("summary", "B's rewrite of the summary, from the form opened before A saved.")
		r := e.post(t, e.editor, path, cite(b))
		if r.status != http.StatusSeeOther {
			t.Fatalf("B's save = %d, want 303, merged\n%s", r.status, r.body)
		}
		got := e.deal(t, e.dealID)
		if got.Title != "Wabtec order, as renamed by A" || got.Value == nil || got.Value.Cents != 500000000000 {
			t.Errorf("title %q, value %+v: A's title and value were undone", got.Title, got.Value)
		}
		if got.Summary != b.Get("summary") {
			t.Errorf("summary = %q, want B's", got.Summary)
		}
		page := e.get(t, e.editor, r.header.Get("Location"))
		if flash := textOf(doc(t, page.body).Find(".flash")); !strings.Contains(flash, "merged with the changes another editor saved") {
			t.Errorf("flash = %q, want it to say the save was merged", flash)
		}
	})

	a, b := e.editForm(t, e.admin, e.dealID), e.editForm(t, e.editor, e.dealID)
	a.Set("title", "Renamed again by A")
	a.Set("value_amount", "6000000000")
	a.Del("party")
	a.Add("party", "KZ") // A drops the United States
	if r := e.post(t, e.admin, path, cite(a)); r.status != http.StatusSeeOther {
		t.Fatalf("A's save = %d, want 303", r.status)
	}
	before := e.deal(t, e.dealID)
	n := e.revisionCount(t)
	b.Set("value_amount", "1000")
	b.Set("summary", "B's second summary.")
	b.Add("party", "UZ") // B adds Uzbekistan
	r := e.post(t, e.editor, path, cite(b))
	if r.status != http.StatusConflict {
		t.Fatalf("B's save, both having changed the value = %d, want 409", r.status)
	}
	d := doc(t, r.body)
	t.Run("the field both changed is shown side by side, the saved value chosen", func(t *testing.T) {
		got := choices(d)
		if want := map[string][3]string{"Value": {"USD 6,000,000,000", "USD 1,000", "saved"}}; len(got) != 1 || got["Value"] != want["Value"] {
			t.Errorf("choices = %q, want %q", got, want)
		}
		if d.Find(`form.edit-form input[type=radio][name="choose.Value"]`).Length() != 2 {
			t.Error("the value's choice is not a pair of radio buttons in the form")
		}
	})
	t.Run("the box lists what A changed, field by field", func(t *testing.T) {
		rows := diffRows(d.Find(".conflict"))
		if got, want := rows["Title"], [2]string{"Wabtec order, as renamed by A", "Renamed again by A"}; got != want {
			t.Errorf("Title row = %q, want %q", got, want)
		}
		if got, want := rows["Parties"], [2]string{"Kazakhstan, United States", "Kazakhstan"}; got != want {
			t.Errorf("Parties row = %q, want %q", got, want)
		}
		if _, ok := rows["Summary"]; ok {
			t.Error("Summary listed as changed meanwhile; only B changed it")
		}
	})
	t.Run("the form holds the merge, at the new version", func(t *testing.T) {
		for id, want := range map[string]string{"title": "Renamed again by A", "summary": "B's second summary.", "value_amount": "6000000000"} {
			if got := fieldValue(d, id); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if got := checked(d, "party"); !slices.Equal(got, []string{"KZ", "UZ"}) {
			t.Errorf("parties = %v, want A's removal and B's addition: [KZ UZ]", got)
		}
		v, _ := d.Find(`input[name=version]`).Attr("value")
		if want := itoa(int64(before.Version)); v != want {
			t.Errorf("version = %q, want the current %s", v, want)
		}
	})
	t.Run("nothing was stored", func(t *testing.T) {
		if got := e.deal(t, e.dealID); got.Summary != before.Summary || got.Version != before.Version || e.revisionCount(t) != n {
			t.Errorf("deal = %q v%d, want it as A left it", got.Summary, got.Version)
		}
	})
	t.Run("a form without its version is a bad request", func(t *testing.T) {
		for _, v := range []string{"", "abc", "0"} {
			bad := formValues(d.Find("form.edit-form"))
			bad.Set("version", v)
			if r := e.post(t, e.editor, path, bad); r.status != http.StatusBadRequest {
				t.Errorf("version %q: status %d, want 400", v, r.status)
			}
		}
	})
	t.Run("saving the conflict page as it stands undoes nobody's change", func(t *testing.T) {
		if r := e.post(t, e.editor, path, formValues(d.Find("form.edit-form"))); r.status != http.StatusSeeOther {
			t.Fatalf("resubmit = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		got := e.deal(t, e.dealID)
		if got.Title != "Renamed again by A" || got.Value == nil || got.Value.Cents != 600000000000 {
			t.Errorf("title %q, value %+v: A's changes were undone", got.Title, got.Value)
		}
		if slices.Sort(got.Parties); got.Summary != "B's second summary." || !slices.Equal(got.Parties, []string{"KZ", "UZ"}) {
			t.Errorf("summary %q, parties %v: want B's summary and both editors' parties", got.Summary, got.Parties)
		}
	})
	t.Run("choosing your value saves it", func(t *testing.T) {
		a, b := e.editForm(t, e.admin, e.dealID), e.editForm(t, e.editor, e.dealID)
		a.Set("value_amount", "7000000000")
		if r := e.post(t, e.admin, path, cite(a)); r.status != http.StatusSeeOther {
			t.Fatalf("A's save = %d", r.status)
		}
		b.Set("value_amount", "8000000000")
		b.Set("value_currency", "EUR")
		r := e.post(t, e.editor, path, cite(b))
		if r.status != http.StatusConflict {
			t.Fatalf("B's save = %d, want 409", r.status)
		}
		form := formValues(doc(t, r.body).Find("form.edit-form"))
		form.Set("choose.Value", "yours")
		if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
			t.Fatalf("choosing B's value = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		if got := e.deal(t, e.dealID); got.Value == nil || *got.Value != (ledger.Money{Cents: 800000000000, Currency: "EUR"}) {
			t.Errorf("value = %+v, want B's EUR 8,000,000,000", got.Value)
		}
	})
	t.Run("an organization's role both changed is chosen element by element", func(t *testing.T) {
		a, b := e.editForm(t, e.admin, e.dealID), e.editForm(t, e.editor, e.dealID)
		wabtec := a["org_id"][0]
		a["org_role"][0] = "investor"
		if r := e.post(t, e.admin, path, cite(a)); r.status != http.StatusSeeOther {
			t.Fatalf("A's save = %d", r.status)
		}
		b["org_role"][0] = "partner"
		r := e.post(t, e.editor, path, cite(b))
		if r.status != http.StatusConflict {
			t.Fatalf("B's save = %d, want 409", r.status)
		}
		d := doc(t, r.body)
		if got := choices(d)["Role of Wabtec"]; got != [3]string{"Investor", "Partner", "saved"} {
			t.Errorf("choices = %q, want Wabtec's role, Investor against Partner", choices(d))
		}
		form := formValues(d.Find("form.edit-form"))
		form.Set("choose.Organizations:"+wabtec, "yours")
		if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
			t.Fatalf("choosing B's role = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		got := e.deal(t, e.dealID)
		if len(got.Organizations) != 1 || got.Organizations[0].Role != "partner" {
			t.Errorf("organizations = %+v, want Wabtec once, as partner", got.Organizations)
		}
	})
}
