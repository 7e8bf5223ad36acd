package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"summitledger/internal/ledger"
)

// newDealForm is a deal form a browser would send to create a deal.
func newDealForm(title string) url.Values {
	return url.Values{"title": {title}, "sector": {"transport"}, "party": {"KZ"}, "counts_toward_total": {"true"}}
}

// TestChangeNote: every edit form takes an optional note on the change,
// which the record's history and the change log show.
func TestChangeNote(t *testing.T) {
	e := newEditEnv(t)
	dealNote := "Value corrected from the ministry's release."
	form := e.editForm(t, e.editor, e.dealID)
	form.Set("summary", "A corrected summary.")
	form.Set("change_note", dealNote)
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/edit", form); r.status != http.StatusSeeOther {
		t.Fatalf("deal edit = %d\n%s", r.status, errorSummary(t, r.body))
	}
	orgNote := strings.Repeat("ә", ledger.MaxChangeNote) // 500 characters, 1,000 bytes
	org := e.orgEditForm(t, e.editor, "wabtec")
	org.Set("description", "Rail equipment maker.")
	org.Set("change_note", orgNote)
	if r := e.post(t, e.editor, "/organizations/wabtec/edit", org); r.status != http.StatusSeeOther {
		t.Fatalf("organization edit with a 500-character note = %d\n%s", r.status, errorSummary(t, r.body))
	}
	prioNote := "Split from the corridor priority."
	prio := url.Values{"title": {"Rail electrification"}, "sector": {"transport"}, "source_url": {"https://example.org/rail"},
		"source_title": {"Rail plan"}, "source_publisher": {"Ministry"}, "change_note": {prioNote}}
	if r := e.post(t, e.editor, "/countries/kazakhstan/priorities", prio); r.status != http.StatusSeeOther {
		t.Fatalf("priority create = %d\n%s", r.status, errorSummary(t, r.body))
	}

	t.Run("the deal's history shows its note", func(t *testing.T) {
		got := textOf(doc(t, e.get(t, e.reader, "/deals/"+itoa(e.dealID)+"/history").body).Find(".revision").First().Find(".reason"))
		if got != "Note: "+dealNote {
			t.Errorf("newest revision's note = %q, want %q", got, "Note: "+dealNote)
		}
	})
	t.Run("the organization's history shows its note", func(t *testing.T) {
		got := textOf(doc(t, e.get(t, e.reader, "/organizations/wabtec/history").body).Find(".revision").First().Find(".reason"))
		if got != "Note: "+orgNote {
			t.Errorf("newest revision's note = %q, want the 500-character note", got)
		}
	})
	t.Run("the change log shows every note", func(t *testing.T) {
		var notes []string
		doc(t, e.get(t, e.reader, "/changes").body).Find(".change .reason").Each(func(_ int, s *goquery.Selection) {
			notes = append(notes, textOf(s))
		})
		for _, want := range []string{dealNote, orgNote, prioNote} {
			if !slices.Contains(notes, "Note: "+want) {
				t.Errorf("/changes notes = %q, want %q among them", notes, want)
			}
		}
	})
	t.Run("a note of more than 500 characters is 422, kept as typed", func(t *testing.T) {
		long := strings.Repeat("ж", ledger.MaxChangeNote+1)
		form := e.editForm(t, e.editor, e.dealID)
		form.Set("change_note", long)
		r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/edit", form)
		d := doc(t, r.body)
		if r.status != http.StatusUnprocessableEntity || d.Find(`.error-summary a[href="#change_note"]`).Length() != 1 {
			t.Errorf("status = %d, want 422 with an error on change_note", r.status)
		}
		if got := fieldValue(d, "change_note"); got != long {
			t.Errorf("change_note kept as %d characters, want the 501 typed", len([]rune(got)))
		}
	})
	t.Run("every edit form offers the note", func(t *testing.T) {
		id, _ := e.db.PriorityIDBySlug(t.Context(), "KZ", "rail-electrification")
		for _, path := range []string{"/deals/new", "/deals/" + itoa(e.dealID) + "/edit", "/countries/kazakhstan/priorities/new",
			"/priorities/" + itoa(id) + "/edit", "/organizations/new", "/organizations/wabtec/edit"} {
			if doc(t, e.get(t, e.editor, path).body).Find(`form.edit-form input[name=change_note]`).Length() != 1 {
				t.Errorf("%s has no change_note field", path)
			}
		}
	})
}

// TestDealNeedsAParty: a deal with no party would drop out of every
// country's scoreboard unseen, so neither creating nor editing one may
// leave it without.
func TestDealNeedsAParty(t *testing.T) {
	e := newEditEnv(t)
	form := newDealForm("A deal of nobody's")
	form.Del("party")
	r := e.post(t, e.editor, "/deals", form)
	if r.status != http.StatusUnprocessableEntity || doc(t, r.body).Find(`.error-summary a[href="#party-KZ"]`).Length() != 1 {
		t.Errorf("create without a party = %d, want 422 linking to the first country box", r.status)
	}
	edit := e.editForm(t, e.editor, e.dealID)
	edit.Del("party")
	if r := e.post(t, e.editor, "/deals/"+itoa(e.dealID)+"/edit", edit); r.status != http.StatusUnprocessableEntity {
		t.Errorf("edit clearing the parties = %d, want 422", r.status)
	}
	if got := e.deal(t, e.dealID); len(got.Parties) == 0 {
		t.Error("the deal was saved with no party")
	}
}

// together runs n calls of fn at once, released together, and returns
// their results by index.
func together[T any](n int, fn func(i int) T) []T {
	out := make([]T, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// TestSimultaneousDealCreates: ten editors create a deal with one title at
// once, none typing a slug. Every one is saved, the slugs numbered.
func TestSimultaneousDealCreates(t *testing.T) {
	e := newEditEnv(t)
	rs := together(10, func(int) response { return e.post(t, e.editor, "/deals", newDealForm("Tashkent metro cars")) })
	var slugs []string
	for i, r := range rs {
		if r.status != http.StatusSeeOther {
			t.Errorf("create %d = %d, want 303\n%s", i, r.status, errorSummary(t, r.body))
			continue
		}
		loc := r.header.Get("Location")
		slugs = append(slugs, loc[strings.LastIndex(loc, "/")+1:])
	}
	slices.Sort(slugs)
	want := []string{"tashkent-metro-cars"}
	for _, n := range []string{"10", "2", "3", "4", "5", "6", "7", "8", "9"} {
		want = append(want, "tashkent-metro-cars-"+n)
	}
	if !slices.Equal(slugs, want) {
		t.Errorf("slugs = %v, want %v", slugs, want)
	}
}

// TestSimultaneousUmbrellaEdits: two editors make deal A part of B and B
// part of A at the same moment, ten times over. At most one of each pair
// is saved; the other gets 422 on the umbrella field, never a 500.
func TestSimultaneousUmbrellaEdits(t *testing.T) {
	e := newEditEnv(t)
	ids := make([]int64, 2)
	for i, title := range []string{"Umbrella A", "Umbrella B"} {
		r := e.post(t, e.editor, "/deals", newDealForm(title))
		if r.status != http.StatusSeeOther {
			t.Fatalf("create = %d", r.status)
		}
		ids[i] = dealIDBySlug(t, e.db, ledger.Slugify(title))
	}
	for round := range 10 {
		forms := make([]url.Values, 2)
		for i := range ids {
			f := e.editForm(t, e.editor, ids[i])
			if f.Get("parent_id") != "" { // back to the top first
				f.Set("parent_id", "")
				if r := e.post(t, e.editor, "/deals/"+itoa(ids[i])+"/edit", f); r.status != http.StatusSeeOther {
					t.Fatalf("round %d: reset = %d", round, r.status)
				}
				f = e.editForm(t, e.editor, ids[i])
			}
			forms[i] = f
		}
		forms[0].Set("parent_id", itoa(ids[1]))
		forms[1].Set("parent_id", itoa(ids[0]))
		clients := []*http.Client{e.editor, e.admin}
		rs := together(2, func(i int) response { return e.post(t, clients[i], "/deals/"+itoa(ids[i])+"/edit", forms[i]) })
		saved := 0
		for i, r := range rs {
			switch {
			case r.status == http.StatusSeeOther:
				saved++
			case r.status == http.StatusUnprocessableEntity && doc(t, r.body).Find(`.error-summary a[href="#parent_id"]`).Length() == 1:
			default:
				t.Errorf("round %d, edit %d = %d, want 303 or 422 on parent_id", round, i, r.status)
			}
		}
		if saved != 1 {
			t.Errorf("round %d: %d of 2 saved, want exactly 1", round, saved)
		}
		if a, b := e.deal(t, ids[0]), e.deal(t, ids[1]); a.ParentID == b.ID && b.ParentID == a.ID {
			t.Fatalf("round %d: each deal is part of the other", round)
		}
	}
}

// TestMergeBreakingARule: each editor removes a different party, so the
// merge of their edits would leave the deal with none. Nothing is saved;
// the merged form comes back as 422, at the current version, with what
// the other editor changed.
func TestMergeBreakingARule(t *testing.T) {
	e := newEditEnv(t)
	path := "/deals/" + itoa(e.dealID) + "/edit"
	a, b := e.editForm(t, e.admin, e.dealID), e.editForm(t, e.editor, e.dealID)
	a["party"] = []string{"US"}
	if r := e.post(t, e.admin, path, cite(a)); r.status != http.StatusSeeOther {
		t.Fatalf("A's save = %d", r.status)
	}
	b["party"] = []string{"KZ"}
	r := e.post(t, e.editor, path, cite(b))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("B's save = %d, want 422", r.status)
	}
	d := doc(t, r.body)
	if d.Find(`.error-summary a[href="#party-KZ"]`).Length() != 1 {
		t.Errorf("error summary = %q, want the parties' error", textOf(d.Find(".error-summary")))
	}
	if got := diffRows(d.Find(".conflict"))["Parties"]; got != [2]string{"Kazakhstan, United States", "United States"} {
		t.Errorf("Parties row = %q, want A's change", got)
	}
	if got := checked(d, "party"); len(got) != 0 {
		t.Errorf("parties = %v, want the merge's none", got)
	}
	if v, _ := d.Find("input[name=version]").Attr("value"); v != itoa(int64(e.deal(t, e.dealID).Version)) {
		t.Errorf("version = %q, want the current one", v)
	}
	if got := e.deal(t, e.dealID); !slices.Equal(got.Parties, []string{"US"}) {
		t.Errorf("parties = %v, want A's save untouched", got.Parties)
	}
}
