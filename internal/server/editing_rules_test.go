package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summitledger/internal/ledger"
)

func TestEditorUnknownIDs(t *testing.T) {
	e := newEditEnv(t)
	for _, path := range []string{"/deals/999999/edit", "/deals/abc/edit", "/deals/999999/updates/new",
		"/updates/999999/correct", "/priorities/999999/edit", "/deals/999999/history", "/countries/atlantis/priorities/new"} {
		if r := e.get(t, e.editor, path); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
	}
	for _, path := range []string{"/deals/999999/updates", "/deals/999999/edit", "/deals/999999/verify", "/updates/999999/correct"} {
		if r := e.post(t, e.editor, path, validUpdate()); r.status != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, r.status)
		}
	}
	for _, path := range []string{"/deals/999999/delete", "/priorities/999999/restore"} {
		if r := e.post(t, e.admin, path, url.Values{"reason": {"r"}}); r.status != http.StatusNotFound {
			t.Errorf("POST %s as admin = %d, want 404", path, r.status)
		}
	}
}

func TestOversizedForm(t *testing.T) {
	e := newEditEnv(t)
	form := validUpdate()
	form.Set("note", strings.Repeat("x", 70<<10))
	for _, path := range []string{"/deals/" + itoa(e.dealID) + "/updates", "/deals", "/deals/" + itoa(e.dealID) + "/edit"} {
		if r := e.post(t, e.editor, path, form); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 70 KiB = %d, want 413", path, r.status)
		}
	}
	if ups, _ := updatesByDeal(context.Background(), e.db, e.dealID); len(ups) != 1 {
		t.Errorf("updates = %d, want 1", len(ups))
	}
}

func TestSourceURLSchemes(t *testing.T) {
	e := newEditEnv(t)
	for _, bad := range []string{"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
		"data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x", "ftp://example.org/f", "https://"} {
		form := validUpdate()
		form.Set("source_url", bad)
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", form)
		if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#source_url-0"]`).Length() != 1 {
			t.Errorf("source %q: status %d, want 422 with an error on source_url", bad, r.status)
		}
		prio := url.Values{"title": {"A priority"}, "sector": {"trade"}, "source_url": {bad}, "source_title": {"T"}, "source_publisher": {"P"}}
		if r := e.post(t, e.editor, "/countries/kazakhstan/priorities", prio); r.status != http.StatusUnprocessableEntity {
			t.Errorf("priority source %q: status %d, want 422", bad, r.status)
		}
	}
	if ups, _ := updatesByDeal(context.Background(), e.db, e.dealID); len(ups) != 1 {
		t.Errorf("updates = %d, want 1: a bad source was stored", len(ups))
	}
}

func TestCorrectUpdate(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", validUpdate()); r.status != http.StatusSeeOther {
		t.Fatalf("log update = %d", r.status)
	}
	ups, _ := updatesByDeal(ctx, e.db, e.dealID)
	orig := ups[0]
	path := "/updates/" + itoa(orig.ID) + "/correct"

	t.Run("the form starts from the original", func(t *testing.T) {
		d := doc(t, e.get(t, e.editor, path).body)
		if got := fieldValue(d, "note"); got != orig.Note {
			t.Errorf("note = %q, want the original %q", got, orig.Note)
		}
	})
	t.Run("a reason is required", func(t *testing.T) {
		form := validUpdate()
		form.Set("stage", "agreed")
		r := e.post(t, e.editor, path, form)
		if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#correction_reason"]`).Length() != 1 {
			t.Errorf("status = %d, want 422 with an error on correction_reason", r.status)
		}
	})
	n0 := e.revisionCount(t)
	form := validUpdate()
	form.Set("stage", "agreed")
	form.Set("correction_reason", "It was a memorandum, not deliveries.")
	if r := e.post(t, e.editor, path, form); r.status != http.StatusSeeOther {
		t.Fatalf("correct = %d, want 303\n%s", r.status, r.body)
	}
	t.Run("the original stays, marked, and the stage is derived again", func(t *testing.T) {
		now, _ := updatesByDeal(ctx, e.db, e.dealID)
		if len(now) != len(ups)+1 {
			t.Fatalf("updates = %d, want %d", len(now), len(ups)+1)
		}
		if d := e.deal(t, e.dealID); d.Stage != ledger.StageAgreed {
			t.Errorf("stage = %s, want agreed", d.Stage)
		}
		page := doc(t, e.get(t, e.reader, e.dealPath).body)
		if page.Find("#update-"+itoa(orig.ID)+".is-corrected").Length() != 1 {
			t.Errorf("the original update is not shown marked as corrected")
		}
	})
	t.Run("it writes one revision for the correction and one for the stage", func(t *testing.T) {
		if got, want := e.revisionCount(t), n0+2; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
	})
	t.Run("an update is corrected once", func(t *testing.T) {
		r := e.get(t, e.editor, path)
		if r.status != http.StatusConflict {
			t.Errorf("GET correct again = %d, want 409", r.status)
		}
		c, err := e.db.CorrectionOf(ctx, orig.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := doc(t, r.body)
		if got, want := d.Find(`main a[href="`+e.dealPath+`#update-`+itoa(c.ID)+`"]`).Length(), 1; got != want {
			t.Errorf("links to the correction #%d = %d, want %d", c.ID, got, want)
		}
		if got := textOf(d.Find(`main a[href="/updates/` + itoa(c.ID) + `/correct"]`)); got != "Correct update #"+itoa(c.ID)+" instead" {
			t.Errorf("link to correct the correction = %q, want Correct update #%d instead", got, c.ID)
		}
		if r := e.post(t, e.editor, path, form); r.status != http.StatusConflict {
			t.Errorf("POST correct again = %d, want 409", r.status)
		}
	})
}

func TestVerifyDeal(t *testing.T) {
	e := newEditEnv(t)
	before := e.deal(t, e.dealID)
	n0 := e.revisionCount(t)
	r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/verify", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != e.dealPath {
		t.Fatalf("verify = %d to %q, want 303 to the deal", r.status, r.header.Get("Location"))
	}
	after := e.deal(t, e.dealID)
	if got, want := after.LastVerifiedOn.Format(time.DateOnly), time.Now().UTC().Format(time.DateOnly); got != want {
		t.Errorf("last verified = %s, want today %s", got, want)
	}
	if after.Stage != before.Stage || after.Version != before.Version {
		t.Errorf("stage %s v%d, want unchanged %s v%d", after.Stage, after.Version, before.Stage, before.Version)
	}
	if ups, _ := updatesByDeal(context.Background(), e.db, e.dealID); len(ups) != 1 {
		t.Errorf("updates = %d, want 1: verifying logs no update", len(ups))
	}
	if got, want := e.revisionCount(t), n0+1; got != want {
		t.Errorf("revisions = %d, want %d", got, want)
	}
	h := doc(t, e.get(t, e.reader, "/deals/"+itoa(e.dealID)+"/history").body)
	if got := textOf(h.Find(".revision").First().Find("h2")); got != "Checked, no change" {
		t.Errorf("newest history entry = %q, want Checked, no change", got)
	}
}

func TestDeleteAndRestore(t *testing.T) {
	e := newEditEnv(t)
	id := itoa(e.dealID)
	t.Run("a reason is required", func(t *testing.T) {
		r := e.post(t, e.admin, "/deals/"+id+"/delete", url.Values{"reason": {"   "}})
		if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#reason"]`).Length() != 1 {
			t.Errorf("status = %d, want 422 with an error on reason", r.status)
		}
	})
	n0 := e.revisionCount(t)
	if r := e.post(t, e.admin, "/deals/"+id+"/delete", url.Values{"reason": {"Counted twice."}}); r.status != http.StatusSeeOther {
		t.Fatalf("delete = %d, want 303", r.status)
	}
	t.Run("readers get 410 with the reason, and the deal leaves the lists", func(t *testing.T) {
		r := e.get(t, e.reader, e.dealPath)
		if r.status != http.StatusGone || !strings.Contains(r.body, "Counted twice.") {
			t.Errorf("deal page = %d, want 410 naming the reason", r.status)
		}
		if list := e.get(t, e.reader, "/deals"); strings.Contains(list.body, e.dealPath) {
			t.Error("the deleted deal is still in /deals")
		}
	})
	t.Run("a deleted deal cannot be edited or updated", func(t *testing.T) {
		for _, path := range []string{"/deals/" + id + "/edit", "/deals/" + id + "/updates/new"} {
			if r := e.get(t, e.editor, path); r.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, r.status)
			}
		}
	})
	t.Run("the history stays public and offers admins the restore", func(t *testing.T) {
		if r := e.get(t, e.reader, "/deals/"+id+"/history"); r.status != http.StatusOK || strings.Contains(r.body, "/restore") {
			t.Errorf("reader history = %d, restore link shown = %v", r.status, strings.Contains(r.body, "/restore"))
		}
		if r := e.get(t, e.admin, "/deals/"+id+"/history"); !strings.Contains(r.body, `href="/deals/`+id+`/restore"`) {
			t.Error("admin history lacks the restore link")
		}
	})
	if r := e.post(t, e.admin, "/deals/"+id+"/restore", url.Values{"reason": {"Not a duplicate."}}); r.status != http.StatusSeeOther {
		t.Fatalf("restore = %d, want 303", r.status)
	}
	t.Run("restored, it is back, with one revision each way", func(t *testing.T) {
		if r := e.get(t, e.reader, e.dealPath); r.status != http.StatusOK {
			t.Errorf("deal page = %d, want 200", r.status)
		}
		if got, want := e.revisionCount(t), n0+2; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
	})
}
