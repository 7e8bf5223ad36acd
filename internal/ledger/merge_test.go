package ledger_test

import (
	"slices"
	"testing"
	"time"

	"summitledger/internal/ledger"
)

func baseDeal() ledger.Deal {
	return ledger.Deal{ID: 7, Slug: "wabtec-locomotives", Title: "Wabtec locomotives", Summary: "Three hundred locomotives.",
		Sector: "transport", Value: &ledger.Money{Cents: 420_000_000_000, Currency: "USD"}, Version: 3,
		CountsTowardTotal: true, Parties: []string{"KZ", "US"},
		Organizations: []ledger.DealOrganization{{OrganizationID: 1, Role: "supplier"}, {OrganizationID: 2, Role: "buyer"}},
		PriorityIDs:   []int64{10}}
}

func TestMergeDeal(t *testing.T) {
	t.Run("fields only one editor changed keep that editor's value", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Title, theirs.Value, theirs.Version = "Their title", &ledger.Money{Cents: 1, Currency: "EUR"}, 4
		mine.Summary, mine.ChangeNote = "My summary.", "Fixed the summary."
		got, conflicts := ledger.MergeDeal(&base, &theirs, &mine)
		if len(conflicts) > 0 {
			t.Fatalf("conflicts = %v, want none", conflicts)
		}
		if got.Title != "Their title" || *got.Value != (ledger.Money{Cents: 1, Currency: "EUR"}) || got.Summary != "My summary." {
			t.Errorf("merged = %q / %v / %q, want their title and value with my summary", got.Title, *got.Value, got.Summary)
		}
		if got.Version != 4 || got.ChangeNote != "Fixed the summary." {
			t.Errorf("merged version %d note %q, want their version 4 and my note", got.Version, got.ChangeNote)
		}
	})
	t.Run("a field both changed differently is a conflict and keeps theirs", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Value = &ledger.Money{Cents: 5, Currency: "USD"}
		mine.Value = nil
		mine.AnnouncedOn = time.Date(2025, 11, 6, 0, 0, 0, 0, time.UTC)
		got, conflicts := ledger.MergeDeal(&base, &theirs, &mine)
		if !slices.Equal(conflicts, []string{"Value"}) {
			t.Errorf("conflicts = %v, want [Value]", conflicts)
		}
		if got.Value == nil || got.Value.Cents != 5 || !got.AnnouncedOn.Equal(mine.AnnouncedOn) {
			t.Errorf("merged value %v announced %s, want theirs and my date", got.Value, got.AnnouncedOn)
		}
	})
	t.Run("the same change made by both is no conflict", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Title, mine.Title = "Same", "Same"
		if got, conflicts := ledger.MergeDeal(&base, &theirs, &mine); len(conflicts) > 0 || got.Title != "Same" {
			t.Errorf("merged %q with conflicts %v", got.Title, conflicts)
		}
	})
	t.Run("relations merge element by element", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Parties = []string{"KZ", "US", "UZ"}                       // they add Uzbekistan
		mine.Parties = []string{"KZ"}                                     // I remove the United States
		theirs.Organizations = theirs.Organizations[:1]                   // they drop organization 2
		mine.Organizations = append(slices.Clone(mine.Organizations[:1]), // I keep 1
			ledger.DealOrganization{OrganizationID: 2, Role: "buyer"},     // leave 2 alone
			ledger.DealOrganization{OrganizationID: 3, Role: "financier"}) // and add 3
		mine.Organizations[0].Role = "partner"                      // and change 1's role
		theirs.PriorityIDs, mine.PriorityIDs = []int64{10, 11}, nil // they add 11, I drop 10
		got, conflicts := ledger.MergeDeal(&base, &theirs, &mine)
		if len(conflicts) > 0 {
			t.Fatalf("conflicts = %v, want none", conflicts)
		}
		slices.Sort(got.Parties)
		if !slices.Equal(got.Parties, []string{"KZ", "UZ"}) {
			t.Errorf("parties = %v, want [KZ UZ]", got.Parties)
		}
		roles := map[int64]string{}
		for _, o := range got.Organizations {
			roles[o.OrganizationID] = o.Role
		}
		if want := map[int64]string{1: "partner", 3: "financier"}; len(roles) != 2 || roles[1] != want[1] || roles[3] != want[3] {
			t.Errorf("organizations = %v, want %v", roles, want)
		}
		if !slices.Equal(got.PriorityIDs, []int64{11}) {
			t.Errorf("priorities = %v, want [11]", got.PriorityIDs)
		}
		if !slices.Equal(theirs.Parties, []string{"KZ", "US", "UZ"}) {
			t.Errorf("merging changed theirs: %v", theirs.Parties)
		}
	})
	t.Run("an organization's role changed differently by both is a conflict of that element", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Organizations = []ledger.DealOrganization{{OrganizationID: 1, Role: "investor"}, {OrganizationID: 2, Role: "buyer"}}
		mine.Organizations = []ledger.DealOrganization{{OrganizationID: 2, Role: "buyer"}} // I removed 1
		if _, conflicts := ledger.MergeDeal(&base, &theirs, &mine); !slices.Equal(conflicts, []string{"Organizations:1"}) {
			t.Errorf("conflicts = %v, want [Organizations:1]", conflicts)
		}
	})
	t.Run("a new organization typed in the form is kept", func(t *testing.T) {
		base, theirs, mine := baseDeal(), baseDeal(), baseDeal()
		theirs.Title = "Theirs"
		mine.Organizations = append(slices.Clone(mine.Organizations), ledger.DealOrganization{Role: "partner",
			New: &ledger.Organization{Name: "New Co", Kind: "company"}})
		got, _ := ledger.MergeDeal(&base, &theirs, &mine)
		if n := len(got.Organizations); n != 3 || got.Organizations[2].New == nil {
			t.Errorf("organizations = %+v, want the two and the new one", got.Organizations)
		}
	})
	t.Run("without a base every difference is a conflict", func(t *testing.T) {
		theirs, mine := baseDeal(), baseDeal()
		theirs.Title, mine.Summary = "Theirs", "Mine"
		if _, conflicts := ledger.MergeDeal(nil, &theirs, &mine); !slices.Equal(conflicts, []string{"Title", "Summary"}) {
			t.Errorf("conflicts = %v, want [Title Summary]", conflicts)
		}
	})
}

func TestMergePriorityAndOrganization(t *testing.T) {
	src := ledger.Source{URL: "https://example.org/a", Title: "A", Publisher: "P"}
	base := ledger.Priority{Title: "Rail", Sector: "transport", Source: src}
	theirs, mine := base, base
	theirs.Source.Title = "Their title of the source"
	mine.Source.URL = "https://example.org/mine"
	mine.Description = "Mine."
	got, conflicts := ledger.MergePriority(&base, &theirs, &mine)
	if !slices.Equal(conflicts, []string{"Source"}) || got.Description != "Mine." || got.Source != theirs.Source {
		t.Errorf("priority: conflicts %v, merged %+v; want the source as one conflicting part", conflicts, got)
	}

	org := ledger.Organization{Name: "Steppe", Slug: "steppe", Kind: "company"}
	theirsOrg, mineOrg := org, org
	theirsOrg.Name, theirsOrg.Slug = "Steppe Renewables", "steppe-renewables"
	mineOrg.Kind = "bank"
	gotOrg, conflicts := ledger.MergeOrganization(&org, &theirsOrg, &mineOrg)
	if len(conflicts) > 0 || gotOrg.Name != "Steppe Renewables" || gotOrg.Slug != "steppe-renewables" || gotOrg.Kind != "bank" {
		t.Errorf("organization: conflicts %v, merged %+v", conflicts, gotOrg)
	}
}

func baseUpdate() ledger.StatusUpdate {
	return ledger.StatusUpdate{ID: 20, DealID: 7, Stage: ledger.Stage("agreed"), OccurredOn: time.Date(2025, 11, 6, 0, 0, 0, 0, time.UTC),
		OccurredPrecision: ledger.Day, Note: "Signed at the summit.",
		Sources: []ledger.Source{{ID: 1, URL: "https://example.org/a", Title: "A", Publisher: "Wire"}}}
}

func TestMergeUpdate(t *testing.T) {
	// theirs is the newest correction of base, saved meanwhile; mine is a
	// correction typed from base's form, not saved yet.
	versions := func() (base, theirs, mine ledger.StatusUpdate) {
		base, theirs, mine = baseUpdate(), baseUpdate(), baseUpdate()
		theirs.ID, theirs.CorrectsID, theirs.CorrectionReason, theirs.AuthorID = 21, 20, "Their reason.", 5
		mine.ID, mine.CorrectsID, mine.CorrectionReason, mine.AuthorID = 0, 20, "My reason.", 0
		mine.Sources[0].ID = 0 // a form's sources have no id yet
		return base, theirs, mine
	}
	t.Run("fields only one editor changed keep that editor's value", func(t *testing.T) {
		base, theirs, mine := versions()
		theirs.Stage = ledger.Stage("contracted")
		mine.Note = "My note."
		got, conflicts := ledger.MergeUpdate(&base, &theirs, &mine)
		if len(conflicts) > 0 {
			t.Fatalf("conflicts = %v, want none", conflicts)
		}
		if got.Stage != "contracted" || got.Note != "My note." {
			t.Errorf("merged stage %q note %q, want their stage and my note", got.Stage, got.Note)
		}
		if got.ID != 0 || got.AuthorID != 0 || got.CorrectsID != 21 || got.CorrectionReason != "My reason." {
			t.Errorf("merged id %d author %d corrects %d reason %q, want a new correction of #21 with my reason",
				got.ID, got.AuthorID, got.CorrectsID, got.CorrectionReason)
		}
	})
	t.Run("a field both changed differently is a conflict and keeps theirs", func(t *testing.T) {
		base, theirs, mine := versions()
		theirs.Note, mine.Note = "Their note.", "My note."
		mine.OccurredPrecision = ledger.Precision("month")
		got, conflicts := ledger.MergeUpdate(&base, &theirs, &mine)
		if !slices.Equal(conflicts, []string{"Note"}) {
			t.Errorf("conflicts = %v, want [Note]", conflicts)
		}
		if got.Note != "Their note." || got.OccurredPrecision != "month" {
			t.Errorf("merged note %q precision %q, want their note and my precision", got.Note, got.OccurredPrecision)
		}
	})
	t.Run("the sources are one part, compared without their ids", func(t *testing.T) {
		base, theirs, mine := versions()
		theirs.Sources = append(theirs.Sources, ledger.Source{ID: 2, URL: "https://example.org/b", Title: "B", Publisher: "Paper"})
		got, conflicts := ledger.MergeUpdate(&base, &theirs, &mine)
		if len(conflicts) > 0 || len(got.Sources) != 2 {
			t.Fatalf("untouched sources: conflicts %v, %d sources; want none and their two", conflicts, len(got.Sources))
		}
		mine.Sources[0].Title = "A, retitled"
		if _, conflicts := ledger.MergeUpdate(&base, &theirs, &mine); !slices.Equal(conflicts, []string{"Sources"}) {
			t.Errorf("both changed the list: conflicts = %v, want [Sources]", conflicts)
		}
	})
	t.Run("an empty precision is a day's", func(t *testing.T) {
		base, theirs, mine := versions()
		mine.OccurredPrecision = ""
		theirs.OccurredOn = theirs.OccurredOn.AddDate(0, 0, -1)
		got, conflicts := ledger.MergeUpdate(&base, &theirs, &mine)
		if len(conflicts) > 0 || !got.OccurredOn.Equal(theirs.OccurredOn) {
			t.Errorf("conflicts %v, date %s; want none and their date", conflicts, got.OccurredOn)
		}
	})
	t.Run("a correction that says what theirs says says the same", func(t *testing.T) {
		base, theirs, mine := versions()
		theirs.Note, mine.Note = "Same note.", "Same note."
		got, conflicts := ledger.MergeUpdate(&base, &theirs, &mine)
		if len(conflicts) > 0 || !got.SaysSame(&theirs) {
			t.Errorf("conflicts %v, says same %v; want none and true", conflicts, got.SaysSame(&theirs))
		}
		mine.Stage = "cancelled"
		if got, _ := ledger.MergeUpdate(&base, &theirs, &mine); got.SaysSame(&theirs) {
			t.Error("a merge with my stage says the same as theirs")
		}
	})
}
