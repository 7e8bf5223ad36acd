package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

// TestCorrectionMerge: two editors open the correction form of one
// update and save in turn. The second correction is merged with the
// first, three ways from the update both opened: a field only one of them
// changed keeps that editor's value, and a field both changed is a choice
// whose default keeps the saved value. Before, the second correction was
// sent back filled from the original, and saving it undid the first.
func TestCorrectionMerge(t *testing.T) {
	e := newEditEnv(t)
	ctx := context.Background()
	ups, err := e.db.UpdatesByDeal(ctx, e.dealID)
	if err != nil {
		t.Fatal(err)
	}
	orig := ups[0]
	// correctionForm opens the correction form of update id as c's browser shows it.
	correctionForm := func(t *testing.T, c *http.Client, id int64) url.Values {
		t.Helper()
		r := e.get(t, c, "/updates/"+itoa(id)+"/correct")
		if r.status != http.StatusOK {
			t.Fatalf("GET correction form of #%d = %d", id, r.status)
		}
		return formValues(doc(t, r.body).Find("form.edit-form"))
	}
	newest := func(t *testing.T) *ledger.StatusUpdate {
		t.Helper()
		u := &orig
		for {
			c, err := e.db.CorrectionOf(ctx, u.ID)
			if ledger.ErrorCode(err) == ledger.ENOTFOUND {
				return u
			}
			if err != nil {
				t.Fatal(err)
			}
			u = c
		}
	}
	stage := "stalled"
	if orig.Stage == ledger.StageStalled {
		stage = "delivered"
	}

	t.Run("fields changed by one editor each are merged and saved", func(t *testing.T) {
		path := "/updates/" + itoa(orig.ID) + "/correct"
		a, b := correctionForm(t, e.admin, orig.ID), correctionForm(t, e.editor, orig.ID)
		a.Set("stage", stage)
		a.Set("correction_reason", "A: the stage was wrong.")
		if r := e.post(t, e.admin, path, a); r.status != http.StatusSeeOther {
			t.Fatalf("A's correction = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		aID := newest(t).ID
		b.Set("note", "B: the note, corrected from the form opened before A saved.")
		b.Set("correction_reason", "B: the note was wrong.")
		r := e.post(t, e.editor, path, b)
		if r.status != http.StatusSeeOther {
			t.Fatalf("B's correction = %d, want 303, merged\n%s", r.status, r.body)
		}
		got := newest(t)
		if got.CorrectsID != aID {
			t.Errorf("B's correction corrects #%d, want A's #%d", got.CorrectsID, aID)
		}
		if string(got.Stage) != stage {
			t.Errorf("stage = %q, want A's %q: B's correction undid it", got.Stage, stage)
		}
		if got.Note != b.Get("note") || got.CorrectionReason != b.Get("correction_reason") {
			t.Errorf("note %q reason %q, want B's", got.Note, got.CorrectionReason)
		}
		page := e.get(t, e.editor, r.header.Get("Location"))
		if flash := textOf(doc(t, page.body).Find(".flash")); !strings.Contains(flash, "merged with the correction another editor saved") {
			t.Errorf("flash = %q, want it to say the correction was merged", flash)
		}
	})

	t.Run("a field both changed is a choice, and saving as it stands keeps the saved value", func(t *testing.T) {
		base := newest(t)
		path := "/updates/" + itoa(base.ID) + "/correct"
		a, b := correctionForm(t, e.admin, base.ID), correctionForm(t, e.editor, base.ID)
		a.Set("note", "A's note.")
		a.Set("correction_reason", "A's reason.")
		if r := e.post(t, e.admin, path, a); r.status != http.StatusSeeOther {
			t.Fatalf("A's correction = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		aID := newest(t).ID
		b.Set("note", "B's note.")
		b.Set("occurred_on", "2025-12-01")
		b.Set("occurred_precision", "month")
		b.Set("correction_reason", "B's reason.")
		r := e.post(t, e.editor, path, b)
		if r.status != http.StatusConflict {
			t.Fatalf("B's correction = %d, want 409\n%s", r.status, errorSummary(t, r.body))
		}
		d := doc(t, r.body)
		form := d.Find("form.edit-form")
		if got, want := form.AttrOr("action", ""), "/updates/"+itoa(aID)+"/correct"; got != want {
			t.Errorf("form action = %q, want %q: the merge corrects A's correction", got, want)
		}
		for id, want := range map[string]string{"note": "A's note.", "occurred_on": "2025-12-01", "correction_reason": "B's reason."} {
			if got := fieldValue(d, id); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if form.Find(`input[name="choose.Note"][value="saved"][checked]`).Length() != 1 {
			t.Error("no choice for the note with the saved value checked")
		}
		if form.Find(`input[name^="choose."]`).Length() != 2 {
			t.Errorf("%d choice buttons, want the note's two only", form.Find(`input[name^="choose."]`).Length())
		}
		if got := form.Find(`input[type=hidden][name="yours.note"]`).AttrOr("value", ""); got != "B's note." {
			t.Errorf("yours.note = %q, want B's note", got)
		}
		if r := e.post(t, e.editor, form.AttrOr("action", ""), formValues(form)); r.status != http.StatusSeeOther {
			t.Fatalf("saving the conflict page as it stands = %d, want 303\n%s", r.status, errorSummary(t, r.body))
		}
		got := newest(t)
		if got.CorrectsID != aID || got.Note != "A's note." {
			t.Errorf("correction of #%d with note %q, want of A's #%d keeping A's note", got.CorrectsID, got.Note, aID)
		}
		if got.OccurredOn.Format("2006-01-02") != "2025-12-01" || got.OccurredPrecision != "month" || string(got.Stage) != stage {
			t.Errorf("date %s (%s), stage %s; want B's date to the month and the stage kept", got.OccurredOn, got.OccurredPrecision, got.Stage)
		}
	})
}
