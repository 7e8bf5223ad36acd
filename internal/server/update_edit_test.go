package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
	"summitledger/web"
)

// stageDates is a deal's stage date as each place that shows it has it.
type stageDates struct {
	page, csv, json, store string
}

// stageDatesOf reads deal d's stage date from its page, from /deals.csv and
// /deals.json (searched by q, a word only its title has), and from the store.
func (e *editEnv) stageDatesOf(t *testing.T, d *ledger.Deal, q string) stageDates {
	t.Helper()
	var got stageDates
	page := doc(t, e.get(t, e.reader, web.DealHref(d.ID, d.Slug)).body)
	got.page = page.Find(".deal-status time").AttrOr("datetime", "") + " (" + textOf(page.Find(".deal-status")) + ")"

	rows, err := csv.NewReader(strings.NewReader(e.get(t, e.reader, "/deals.csv?q="+url.QueryEscape(q)).body)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV for q=%s: %d rows (%v), want a header and the deal", q, len(rows), err)
	}
	for i, col := range rows[0] {
		if col == "stage_on" {
			got.csv = rows[1][i]
		}
	}

	var list struct {
		Deals []struct {
			StageOn string `json:"stage_on"`
		} `json:"deals"`
	}
	if err := json.Unmarshal([]byte(e.get(t, e.reader, "/deals.json?q="+url.QueryEscape(q)).body), &list); err != nil || len(list.Deals) != 1 {
		t.Fatalf("JSON for q=%s: %d deals (%v), want the deal", q, len(list.Deals), err)
	}
	got.json = list.Deals[0].StageOn

	got.store = e.deal(t, d.ID).StageOn.Format(time.DateOnly)
	return got
}

// checkStageDate fails t unless every place dates deal d's stage on day.
func (e *editEnv) checkStageDate(t *testing.T, d *ledger.Deal, q, day, text string) {
	t.Helper()
	got := e.stageDatesOf(t, d, q)
	want := stageDates{page: day + " (" + text + ")", csv: day, json: day, store: day}
	if got != want {
		t.Errorf("stage date\n got: page %s, CSV %s, JSON %s, store %s\nwant: page %s, CSV %s, JSON %s, store %s",
			got.page, got.csv, got.json, got.store, want.page, want.csv, want.json, want.store)
	}
}

// stageRevision returns the "Stage since" row of the newest stage revision
// on the deal's history page: before and after.
func (e *editEnv) stageRevision(t *testing.T, d *ledger.Deal) [2]string {
	t.Helper()
	page := doc(t, e.get(t, e.reader, "/deals/"+itoa(d.ID)+"/history").body)
	var row [2]string
	page.Find("li.revision").EachWithBreak(func(_ int, rev *goquery.Selection) bool {
		if textOf(rev.Find("h2")) != "Stage moved by a status update" {
			return true
		}
		row = diffRows(rev)["Stage since"]
		return false
	})
	return row
}

// updateForm is the status update form at stage on day.
func updateForm(stage ledger.Stage, day string) url.Values {
	return url.Values{
		"stage": {string(stage)}, "occurred_on": {day}, "note": {"Reported again."},
		"source_url": {"https://example.org/report-2"}, "source_title": {"Another report"}, "source_publisher": {"Example News"},
	}
}

// flashAfter follows a 303 and returns the one-time message it shows.
func (e *editEnv) flashAfter(t *testing.T, r response) string {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303\n%s", r.status, r.body)
	}
	return textOf(doc(t, e.get(t, e.editor, r.header.Get("Location")).body).Find(".flash"))
}

// TestStageDate: a deal's stage date is the day it entered its stage, the
// same on its page, in the downloads and in the store, moved by every
// update and correction with a revision, and the editor is told the truth.
func TestStageDate(t *testing.T) {
	e := newEditEnv(t)

	t.Run("the latest update says where the deal now stands", func(t *testing.T) {
		msg := e.flashAfter(t, e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/updates", validUpdate()))
		if want := "Status update logged: the deal is at \u201cUnder way\u201d since 15 Jan 2026."; msg != want {
			t.Errorf("message = %q, want %q", msg, want)
		}
	})

	t.Run("an earlier update at the current stage moves the stage date back everywhere", func(t *testing.T) {
		d := addDeal(t, e.db, "Almaty cable car", []string{"KZ"}, ledger.StageProposed, "2025-11-06")
		e.checkStageDate(t, d, "cable", "2025-11-06", "Proposed counts as a declaration since 6 Nov 2025 · Energy")

		msg := e.flashAfter(t, e.post(t, e.editor, "/deals/"+itoa(d.ID)+"/updates", updateForm(ledger.StageProposed, "2025-10-15")))
		if want := "Status update logged: the deal is at \u201cProposed\u201d since 15 Oct 2025."; msg != want {
			t.Errorf("message = %q, want %q", msg, want)
		}
		e.checkStageDate(t, d, "cable", "2025-10-15", "Proposed counts as a declaration since 15 Oct 2025 · Energy")
		if got, want := e.stageRevision(t, d), [2]string{"2025-11-06", "2025-10-15"}; got != want {
			t.Errorf("stage revision: stage since %q, want %q", got, want)
		}
	})

	t.Run("a correction derives the stage date again, with a revision", func(t *testing.T) {
		d := addDeal(t, e.db, "Bishkek solar park", []string{"KG"},
			ledger.StageAgreed, "2025-09-01", ledger.StageContracted, "2025-11-06")
		e.checkStageDate(t, d, "solar", "2025-11-06", "Contracted counts as a deal since 6 Nov 2025 · Energy")

		page := doc(t, e.get(t, e.reader, web.DealHref(d.ID, d.Slug)).body)
		first := page.Find(`.timeline-item:has(time[datetime="2025-09-01"])`).AttrOr("id", "")
		form := updateForm(ledger.StageContracted, "2025-10-15")
		form.Set("correction_reason", "The contract was signed in October; the September report was early.")
		msg := e.flashAfter(t, e.post(t, e.editor, "/updates/"+strings.TrimPrefix(first, "update-")+"/correct", form))
		if want := "the deal is at \u201cContracted\u201d since 15 Oct 2025."; !strings.HasSuffix(msg, want) {
			t.Errorf("message = %q, want it to end %q", msg, want)
		}
		e.checkStageDate(t, d, "solar", "2025-10-15", "Contracted counts as a deal since 15 Oct 2025 · Energy")
		if got, want := e.stageRevision(t, d), [2]string{"2025-11-06", "2025-10-15"}; got != want {
			t.Errorf("stage revision: stage since %q, want %q", got, want)
		}
	})

	t.Run("an older update at another stage is recorded, the stage stays, and the message says why", func(t *testing.T) {
		d := addDeal(t, e.db, "Dushanbe water works", []string{"TJ"}, ledger.StageProposed, "2025-11-06")
		msg := e.flashAfter(t, e.post(t, e.editor, "/deals/"+itoa(d.ID)+"/updates", updateForm(ledger.StageContracted, "2025-10-15")))
		if want := "Recorded. The deal stays at \u201cProposed\u201d: a later update, of 6 Nov 2025, sets its stage."; msg != want {
			t.Errorf("message = %q, want %q", msg, want)
		}
		page := doc(t, e.get(t, e.reader, web.DealHref(d.ID, d.Slug)).body)
		if got := page.Find(`.timeline-item:has(time[datetime="2025-10-15"])`).Length(); got != 1 {
			t.Errorf("updates of 15 Oct 2025 on the timeline = %d, want the one recorded", got)
		}
		if got := e.deal(t, d.ID); got.Stage != ledger.StageProposed {
			t.Errorf("stage = %s, want proposed", got.Stage)
		}
		e.checkStageDate(t, d, "water", "2025-11-06", "Proposed counts as a declaration since 6 Nov 2025 · Energy")
	})
}

// TestStageDateAsOf: a past view (?as_of) dates the stage by the same rule.
func TestStageDateAsOf(t *testing.T) {
	e := newEditEnv(t)
	d := addDeal(t, e.db, "Ashgabat rail link", []string{"TM"},
		ledger.StageAnnounced, "2025-06-01", ledger.StageAgreed, "2025-08-01", ledger.StageAgreed, "2025-10-01",
		ledger.StageContracted, "2025-12-01")
	page := doc(t, e.get(t, e.reader, web.DealHref(d.ID, d.Slug)+"?as_of=2025-11-30").body)
	if got, want := textOf(page.Find(".deal-status")), "Agreed counts as a declaration since 1 Aug 2025 · Energy"; got != want {
		t.Errorf("deal status as of 30 Nov 2025 = %q, want %q", got, want)
	}
}

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
