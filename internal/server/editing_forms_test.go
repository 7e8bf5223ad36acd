package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestFieldLengthsCountCharacters: the limits the forms state are in
// characters, so a title in Cyrillic is as long as one in Latin letters.
func TestFieldLengthsCountCharacters(t *testing.T) {
	e := newEditEnv(t)
	title := strings.Repeat("Ж", 150) // 300 bytes
	note := strings.Repeat("қ", 4000) // 8,000 bytes
	t.Run("a deal titled in 150 Cyrillic letters is saved", func(t *testing.T) {
		r := e.post(t, e.editor, "/deals", url.Values{"title": {title}, "slug": {"cyrillic-title"}, "sector": {"energy"}, "party": {"KZ"}})
		if r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
	t.Run("a note of 4,000 Kazakh letters is saved", func(t *testing.T) {
		form := validUpdate()
		form.Set("note", note)
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
		if r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
}

// TestMistypedDates: a date typed wrong is shown back as typed, in a text
// input (a browser empties a type="date" input holding no real day), with
// a message that says what is wrong with it.
func TestMistypedDates(t *testing.T) {
	e := newEditEnv(t)
	for _, c := range []struct{ typed, want string }{
		{"2025-02-30", "2025-02-30 is not a real date; check the month and the day."},
		{"2025-13-01", "2025-13-01 is not a real date; check the month and the day."},
		{"06/11/2025", "Enter the date as YYYY-MM-DD"},
		{"1989-12-31", "Enter a date in 1990 or later."},
	} {
		t.Run("update form, "+c.typed, func(t *testing.T) {
			form := validUpdate()
			form.Set("occurred_on", c.typed)
			r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
			checkDateField(t, r, "occurred_on", c.typed, c.want)
		})
		t.Run("deal form, "+c.typed, func(t *testing.T) {
			r := e.post(t, e.editor, "/deals", url.Values{"title": {"A deal"}, "sector": {"energy"}, "announced_on": {c.typed}})
			checkDateField(t, r, "announced_on", c.typed, c.want)
		})
	}
	t.Run("1990-01-01 is accepted", func(t *testing.T) {
		form := validUpdate()
		form.Set("occurred_on", "1990-01-01")
		if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form); r.status != http.StatusSeeOther {
			t.Errorf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
	})
}

func checkDateField(t *testing.T, r response, id, typed, want string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422", r.status)
	}
	d := doc(t, r.body)
	field := d.Find("#" + id)
	if typ, _ := field.Attr("type"); typ != "text" {
		t.Errorf("#%s type = %q, want text, which keeps what was typed", id, typ)
	}
	if got, _ := field.Attr("value"); got != typed {
		t.Errorf("#%s value = %q, want %q as typed", id, got, typed)
	}
	if got := textOf(d.Find("#" + id + "-error")); !strings.Contains(got, want) {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// TestValueAmounts: commas and spaces may only part thousands, so a
// decimal comma is refused rather than read as a ten times larger value,
// and each refusal says what is wrong.
func TestValueAmounts(t *testing.T) {
	e := newEditEnv(t)
	for i, c := range []struct {
		typed string
		cents int64
	}{{"4,200,000,000", 420000000000}, {"1 250.5", 125050}, {"12.35", 1235}, {"0", 0}} {
		t.Run("accepts "+c.typed, func(t *testing.T) {
			slug := "amount-" + itoa(int64(i))
			r := e.post(t, e.editor, "/deals", url.Values{"title": {"Amount"}, "slug": {slug}, "sector": {"energy"},
				"party": {"KZ"}, "value_amount": {c.typed}, "value_currency": {"USD"}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
			}
			if d := e.deal(t, dealIDBySlug(t, e.db, slug)); d.Value == nil || d.Value.Cents != c.cents {
				t.Errorf("value = %+v, want %d hundredths", d.Value, c.cents)
			}
		})
	}
	for _, c := range []struct{ typed, want string }{
		{"1,5", "Use commas only between groups of three digits"},
		{",5", "Use commas only between groups of three digits"},
		{"1,,000", "Use commas only between groups of three digits"},
		{"12.345", "Give at most two decimals"},
		{"-1", "Enter an amount of zero or more."},
		{"4.2e9", "Enter the amount as a number"},
	} {
		t.Run("refuses "+c.typed, func(t *testing.T) {
			r := e.post(t, e.editor, "/deals", url.Values{"title": {"Amount"}, "sector": {"energy"},
				"value_amount": {c.typed}, "value_currency": {"USD"}})
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", r.status)
			}
			d := doc(t, r.body)
			if got := textOf(d.Find("#value_amount-error")); !strings.Contains(got, c.want) {
				t.Errorf("message = %q, want %q", got, c.want)
			}
			if got := fieldValue(d, "value_amount"); got != c.typed {
				t.Errorf("value_amount = %q, want %q as typed", got, c.typed)
			}
		})
	}
}

// TestConflictListsOnlyEdits: the conflict box lists what another editor
// changed, not the stage a status update moved without a new version, nor
// the day a check recorded.
func TestConflictListsOnlyEdits(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"
	mine := e.editForm(t, e.editor, e.dealID)
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", validUpdate()); r.status != http.StatusSeeOther {
		t.Fatalf("log update = %d, want 303", r.status)
	}
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/verify", nil); r.status != http.StatusSeeOther {
		t.Fatalf("verify = %d, want 303", r.status)
	}
	theirs := e.editForm(t, e.admin, e.dealID)
	theirs.Set("title", "Renamed by the admin")
	theirs.Set("summary", "Theirs.")
	if r := e.post(t, e.admin, path, theirs); r.status != http.StatusSeeOther {
		t.Fatalf("their save = %d, want 303", r.status)
	}
	mine.Set("summary", "Mine.")
	r := e.post(t, e.editor, path, mine)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", r.status)
	}
	var fields []string
	doc(t, r.body).Find(".conflict table.diff tbody th").Each(func(_ int, th *goquery.Selection) {
		fields = append(fields, textOf(th))
	})
	if !slices.Equal(fields, []string{"Title", "Summary"}) {
		t.Errorf("fields listed as changed meanwhile = %v, want [Title Summary]", fields)
	}
}

// TestCorrectionChains: a correction of a correction asks for its own
// reason, and a correction sent after someone else corrected the same
// update is merged with theirs, now correcting the newest word, each
// field both changed offered to choose.
func TestCorrectionChains(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	ups, err := updatesByDeal(ctx, e.db, e.dealID)
	if err != nil {
		t.Fatal(err)
	}
	orig := ups[0].ID
	path := "/updates/" + itoa(orig) + "/correct"
	mine := validUpdate()
	mine.Set("note", "My correction, typed with care.")
	mine.Set("correction_reason", "My reason.")

	theirs := validUpdate()
	theirs.Set("stage", "agreed")
	theirs.Set("correction_reason", "Their reason.")
	if r := e.post(t, e.admin, path, theirs); r.status != http.StatusSeeOther {
		t.Fatalf("their correction = %d, want 303", r.status)
	}
	c, err := e.db.CorrectionOf(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("correcting a correction starts with an empty reason", func(t *testing.T) {
		d := doc(t, e.get(t, e.editor, "/updates/"+itoa(c.ID)+"/correct").body)
		if got := fieldValue(d, "correction_reason"); got != "" {
			t.Errorf("correction_reason = %q, want empty: the reason of the correction before is not this one's", got)
		}
		if got := fieldValue(d, "stage"); got != "agreed" {
			t.Errorf("stage = %q, want the correction's agreed", got)
		}
	})
	t.Run("a correction sent after another is merged with it, the fields both changed to choose", func(t *testing.T) {
		r := e.post(t, e.editor, path, mine)
		if r.status != http.StatusConflict {
			t.Fatalf("status = %d, want 409", r.status)
		}
		d := doc(t, r.body)
		if got := textOf(d.Find(".conflict")); !strings.Contains(got, "update #"+itoa(c.ID)) {
			t.Errorf("conflict box = %q, want it to name update #%d", got, c.ID)
		}
		form := d.Find("form.edit-form")
		if got, want := form.AttrOr("action", ""), "/updates/"+itoa(c.ID)+"/correct"; got != want {
			t.Errorf("form action = %q, want %q", got, want)
		}
		if got := fieldValue(d, "correction_reason"); got != mine.Get("correction_reason") {
			t.Errorf("correction_reason = %q, want %q as typed", got, mine.Get("correction_reason"))
		}
		// Each field both changed holds the saved value, mine travelling beside it.
		if got := fieldValue(d, "stage"); got != "agreed" {
			t.Errorf("stage = %q, want the saved agreed", got)
		}
		for _, name := range []string{"stage", "note"} {
			if got := form.Find(`input[type=hidden][name="yours.`+name+`"]`).AttrOr("value", ""); got != mine.Get(name) {
				t.Errorf("yours.%s = %q, want %q as typed", name, got, mine.Get(name))
			}
		}
		again := formValues(form)
		for name := range again {
			if strings.HasPrefix(name, "choose.") {
				again.Set(name, "yours")
			}
		}
		if r := e.post(t, e.editor, form.AttrOr("action", ""), again); r.status != http.StatusSeeOther {
			t.Fatalf("saving again with mine chosen = %d, want 303", r.status)
		}
		if got, err := e.db.CorrectionOf(ctx, c.ID); err != nil || got.Note != mine.Get("note") || string(got.Stage) != mine.Get("stage") {
			t.Errorf("correction of #%d = %+v, %v; want the editor's", c.ID, got, err)
		}
	})
	t.Run("opening the original's correction links to its correction and offers the newest", func(t *testing.T) {
		newest, err := e.db.CorrectionOf(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := e.get(t, e.editor, path)
		if r.status != http.StatusConflict {
			t.Fatalf("status = %d, want 409", r.status)
		}
		d := doc(t, r.body)
		for _, id := range []int64{c.ID, newest.ID} {
			if d.Find(`main a[href="`+e.dealPath+`#update-`+itoa(id)+`"]`).Length() != 1 {
				t.Errorf("no link to update #%d on the deal page", id)
			}
		}
		if d.Find(`main a[href="/updates/`+itoa(newest.ID)+`/correct"]`).Length() != 1 {
			t.Errorf("no link to correct the newest, update #%d", newest.ID)
		}
		if d.Find(`main a[href="/updates/`+itoa(c.ID)+`/correct"]`).Length() != 0 {
			t.Errorf("offers to correct #%d, itself corrected", c.ID)
		}
	})
}

// TestInvitationTooLarge: an oversized invitation is 413, like every form.
func TestInvitationTooLarge(t *testing.T) {
	e := newEditEnv(t)
	form := url.Values{"name": {strings.Repeat("n", 20<<10)}, "email": {"big@example.org"}, "role": {"editor"}, "password": {"long-enough-1"}}
	if r := e.post(t, e.admin, "/admin/users", form); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", r.status)
	}
}

// TestEditKeepsDeletedChoices: a deal that names a deleted priority or a
// deleted umbrella deal can be saved unchanged, and keeps both.
func TestEditKeepsDeletedChoices(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"
	before := e.deal(t, e.dealID)
	if len(before.PriorityIDs) == 0 {
		t.Fatal("the seeded deal advances no priority")
	}
	prio := before.PriorityIDs[0]
	umbrella := dealIDBySlug(t, e.db, "trans-caspian-gas-pipeline")
	form := e.editForm(t, e.editor, e.dealID)
	form.Set("parent_id", itoa(umbrella))
	if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
		t.Fatalf("set umbrella = %d, want 303\n%s", r.status, errorSummary(t, r.body))
	}
	for _, p := range []string{"/priorities/" + itoa(prio) + "/delete", "/deals/" + itoa(umbrella) + "/delete"} {
		if r := e.post(t, e.admin, p, url.Values{"reason": {"Test."}}); r.status != http.StatusSeeOther {
			t.Fatalf("POST %s = %d, want 303", p, r.status)
		}
	}
	r := e.get(t, e.editor, path)
	d := doc(t, r.body)
	t.Run("the form shows both, marked as deleted", func(t *testing.T) {
		if got := textOf(d.Find(`label[for="priority-` + itoa(prio) + `"]`)); !strings.HasSuffix(got, "(deleted)") {
			t.Errorf("priority label = %q, want it marked (deleted)", got)
		}
		if !slices.Contains(checked(d, "priority"), itoa(prio)) {
			t.Errorf("priorities ticked = %v, want %d among them", checked(d, "priority"), prio)
		}
		if got := textOf(d.Find(`#parent_id option[selected]`)); !strings.HasSuffix(got, "(deleted)") {
			t.Errorf("umbrella option = %q, want it marked (deleted)", got)
		}
	})
	t.Run("saving an unrelated change keeps them", func(t *testing.T) {
		again := formValues(d.Find("form.edit-form"))
		again.Set("summary", "An unrelated change.")
		if r := e.post(t, e.editor, path, again); r.status != http.StatusSeeOther {
			t.Fatalf("save = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		after := e.deal(t, e.dealID)
		if !slices.Contains(after.PriorityIDs, prio) {
			t.Errorf("priorities = %v, want %d kept", after.PriorityIDs, prio)
		}
		if after.ParentID != umbrella {
			t.Errorf("parent = %d, want %d kept", after.ParentID, umbrella)
		}
	})
}

// TestEditOfDeletedDeal: a deal deleted while it was edited answers 409
// with the editor's input, and does not invite them to save again.
func TestEditOfDeletedDeal(t *testing.T) {
	e := newEditEnv(t)
	mine := e.editForm(t, e.editor, e.dealID)
	if r := e.post(t, e.admin, "/deals/"+itoa(e.dealID)+"/delete", url.Values{"reason": {"Duplicate."}}); r.status != http.StatusSeeOther {
		t.Fatalf("delete = %d, want 303", r.status)
	}
	mine.Set("summary", "Typed before the deal was deleted.")
	r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/edit", mine)
	if r.status != http.StatusConflict {
		t.Fatalf("status = %d, want 409", r.status)
	}
	d := doc(t, r.body)
	if got := fieldValue(d, "summary"); got != mine.Get("summary") {
		t.Errorf("summary = %q, want the editor's", got)
	}
	box := textOf(d.Find(".conflict"))
	if strings.Contains(box, "save again") || !strings.Contains(box, "until an admin restores it") {
		t.Errorf("conflict box = %q, want it to say the deal must be restored first, not to save again", box)
	}
}

// TestEditOfDeletedPriority: the same for a priority deleted while edited.
func TestEditOfDeletedPriority(t *testing.T) {
	e := newEditEnv(t)
	id, err := e.db.PriorityIDBySlug(context.Background(), "KZ", "transport-corridors-to-europe")
	if err != nil {
		t.Fatal(err)
	}
	path := "/priorities/" + itoa(id) + "/edit"
	r := e.get(t, e.editor, path)
	mine := formValues(doc(t, r.body).Find("form.edit-form"))
	if r := e.post(t, e.admin, "/priorities/"+itoa(id)+"/delete", url.Values{"reason": {"Duplicate."}}); r.status != http.StatusSeeOther {
		t.Fatalf("delete = %d, want 303", r.status)
	}
	mine.Set("description", "Typed before the priority was deleted.")
	r = e.post(t, e.editor, path, mine)
	if r.status != http.StatusConflict {
		t.Fatalf("status = %d, want 409", r.status)
	}
	d := doc(t, r.body)
	if got := fieldValue(d, "description"); got != mine.Get("description") {
		t.Errorf("description = %q, want the editor's", got)
	}
	if box := textOf(d.Find(".conflict")); strings.Contains(box, "save again") || !strings.Contains(box, "until an admin restores it") {
		t.Errorf("conflict box = %q, want it to say the priority must be restored first, not to save again", box)
	}
}

// TestReasonFormsWithNothingToDo: the form to delete a deleted record, or
// to restore a live one, is not offered.
func TestReasonFormsWithNothingToDo(t *testing.T) {
	e := newEditEnv(t)
	prio, err := e.db.PriorityIDBySlug(context.Background(), "KZ", "transport-corridors-to-europe")
	if err != nil {
		t.Fatal(err)
	}
	deal, priority := "/deals/"+itoa(e.dealID), "/priorities/"+itoa(prio)
	for _, p := range []string{deal + "/restore", priority + "/restore"} {
		if r := e.get(t, e.admin, p); r.status != http.StatusConflict {
			t.Errorf("GET %s of a live record = %d, want 409", p, r.status)
		}
	}
	for _, p := range []string{deal, priority} {
		if r := e.post(t, e.admin, p+"/delete", url.Values{"reason": {"Test."}}); r.status != http.StatusSeeOther {
			t.Fatalf("POST %s/delete = %d, want 303", p, r.status)
		}
		if r := e.get(t, e.admin, p+"/delete"); r.status != http.StatusConflict {
			t.Errorf("GET %s/delete of a deleted record = %d, want 409", p, r.status)
		}
		if r := e.get(t, e.admin, p+"/restore"); r.status != http.StatusOK {
			t.Errorf("GET %s/restore of a deleted record = %d, want 200", p, r.status)
		}
	}
}

// TestAccountsRefuseUnstorableText: a NUL or invalid UTF-8, which
// PostgreSQL refuses, is a form error, not a server error: at sign-in the
// same answer as an unknown email, in an invitation a field error.
func TestAccountsRefuseUnstorableText(t *testing.T) {
	e := newEditEnv(t)
	for _, email := range []string{"a\x00b@example.org", "\xff@example.org", "edna\x01@example.org"} {
		t.Run("sign-in as "+strings.ToValidUTF8(email, "?"), func(t *testing.T) {
			r := e.login(t, newClient(t), email, "a wrong password", "/")
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Email or password is incorrect.") {
				t.Errorf("status = %d, want 422 with the one answer for bad credentials", r.status)
			}
		})
	}
	for _, c := range []struct{ name, email, field string }{
		{"A\x00B", "nul@example.org", "name"},
		{"A\xffB", "utf@example.org", "name"},
		{"Line\nbreak", "nl@example.org", "name"},
		{"Nul Email", "a\x00@example.org", "email"},
		{"Bad Email", "\xff@example.org", "email"},
	} {
		t.Run("invitation with "+c.field+" "+strings.ToValidUTF8(c.name+" "+c.email, "?"), func(t *testing.T) {
			r := e.post(t, e.admin, "/admin/users", url.Values{"name": {c.name}, "email": {c.email}, "role": {"editor"}, "password": {"long-enough-1"}})
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", r.status)
			}
			if doc(t, r.body).Find(`.error-summary a[href="#`+c.field+`"]`).Length() != 1 {
				t.Errorf("no error on %s: %s", c.field, errorSummary(t, r.body))
			}
		})
	}
}

// TestInvitationTrimsName: the name is trimmed, as `ledger user add` does,
// so pages and the history do not show the spaces pasted around it.
func TestInvitationTrimsName(t *testing.T) {
	e := newEditEnv(t)
	form := url.Values{"name": {"  Spacey Editor \t"}, "email": {"spacey@example.org"}, "role": {"editor"}, "password": {"long-enough-1"}}
	if r := e.post(t, e.admin, "/admin/users", form); r.status != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303\n%s", r.status, errorSummary(t, r.body))
	}
	u, _, err := e.db.UserByEmail(context.Background(), "spacey@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Spacey Editor" {
		t.Errorf("name = %q, want %q", u.Name, "Spacey Editor")
	}
}

// errorSummary is the text of a page's error summary, for failure messages.
func errorSummary(t *testing.T, body string) string {
	t.Helper()
	return textOf(doc(t, body).Find(".error-summary"))
}
