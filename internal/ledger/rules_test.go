package ledger_test

import (
	"strings"
	"testing"

	"summitledger/internal/ledger"
)

func fieldsOf(err error) map[string]string {
	if e, ok := err.(*ledger.Error); ok {
		return e.Fields
	}
	return nil
}

func TestDealRules(t *testing.T) {
	valid := func() ledger.Deal {
		return ledger.Deal{Title: "Wabtec locomotives", Sector: "transport", Parties: []string{"KZ"}}
	}
	t.Run("a deal needs at least one party", func(t *testing.T) {
		d := valid()
		d.Parties = nil
		if fieldsOf(d.Validate())["party"] == "" {
			t.Errorf("Validate() = %v, want a message on party", d.Validate())
		}
	})
	t.Run("lengths count characters, not bytes", func(t *testing.T) {
		d := valid()
		d.Title = strings.Repeat("Ж", ledger.MaxTitle)         // 400 bytes
		d.Summary = strings.Repeat("ә", ledger.MaxText)        // 10,000 bytes
		d.ValueNote = strings.Repeat("ң", ledger.MaxValueNote) // 1,000 bytes
		d.ChangeNote = strings.Repeat("ө", ledger.MaxChangeNote)
		if err := d.Validate(); err != nil {
			t.Errorf("Validate() = %v (%v), want the longest Cyrillic and Kazakh texts accepted", err, fieldsOf(err))
		}
		d.Title += "Ж"
		d.ChangeNote += "ө"
		if f := fieldsOf(d.Validate()); f["title"] == "" || f["change_note"] == "" {
			t.Errorf("fields = %v, want title and change_note one character too long", f)
		}
	})
	t.Run("a typed slug naming one of the deal's pages is refused; an empty one is made by the store", func(t *testing.T) {
		d := valid()
		d.Slug = "history"
		if fieldsOf(d.Validate())["slug"] == "" {
			t.Error("slug \"history\" accepted")
		}
		d.Slug = ""
		if err := d.Validate(); err != nil {
			t.Errorf("empty slug: %v", err)
		}
		if got := ledger.DealSlug("Edit"); got != "edit-deal" {
			t.Errorf("DealSlug(Edit) = %q, want edit-deal", got)
		}
	})
}

func TestCheckUmbrella(t *testing.T) {
	// 1 ← 2 ← 3: deal 3 is part of 2, which is part of 1.
	tree := map[int64]int64{1: 0, 2: 1, 3: 2}
	umbrellaOf := func(id int64) (int64, bool) { p, ok := tree[id]; return p, ok }
	for _, c := range []struct {
		self, parent int64
		cycle        bool
	}{
		{1, 3, true},  // 1 under 3, which is under 1
		{2, 2, true},  // itself
		{3, 1, false}, // moving 3 up
		{1, 0, false}, // no umbrella
		{0, 3, false}, // a new deal
	} {
		err := ledger.CheckUmbrella(c.self, c.parent, umbrellaOf)
		if got := fieldsOf(err)["parent_id"] != ""; got != c.cycle {
			t.Errorf("CheckUmbrella(%d, %d) = %v, want a loop: %v", c.self, c.parent, err, c.cycle)
		}
	}
}

func TestNumberedSlug(t *testing.T) {
	long := strings.Repeat("a", 79) + "-b"
	for _, c := range []struct {
		slug string
		n    int
		want string
	}{
		{"rail", 1, "rail"},
		{"rail", 2, "rail-2"},
		{long[:80], 10, strings.Repeat("a", 77) + "-10"},
	} {
		if got := ledger.NumberedSlug(c.slug, c.n); got != c.want || len(got) > ledger.MaxSlug {
			t.Errorf("NumberedSlug(%q, %d) = %q, want %q", c.slug, c.n, got, c.want)
		}
	}
}
