package postgres_test

import (
	"context"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

func newPriority(t *testing.T, db *postgres.DB) *ledger.Priority {
	t.Helper()
	ctx := context.Background()
	addCountry(t, db)
	p := &ledger.Priority{CountryCode: "KZ", Title: "Normal trade relations", Sector: "trade",
		Source: ledger.Source{URL: "https://example.org/p", Title: "A report", Publisher: "Example"}}
	if err := db.CreatePriority(ctx, editor, p); err != nil {
		t.Fatalf("CreatePriority: %v", err)
	}
	return p
}

func countRevisions(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVerifyDeal(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)
	if err := db.AddUpdate(ctx, editor, update(d.ID, ledger.StageAnnounced, "2025-11-06")); err != nil {
		t.Fatal(err)
	}
	before, _ := db.DealByID(ctx, d.ID)
	n0 := countRevisions(t, db)

	got, err := db.VerifyDeal(ctx, editor, d.ID, date("2026-02-03"))
	if err != nil {
		t.Fatalf("VerifyDeal: %v", err)
	}
	t.Run("records the day and keeps stage and version", func(t *testing.T) {
		if !got.LastVerifiedOn.Equal(date("2026-02-03")) {
			t.Errorf("last verified = %s, want 2026-02-03", got.LastVerifiedOn)
		}
		if got.Stage != before.Stage || got.Version != before.Version {
			t.Errorf("stage %s v%d, want %s v%d", got.Stage, got.Version, before.Stage, before.Version)
		}
		ups, _ := db.UpdatesByDeal(ctx, d.ID)
		if len(ups) != 1 {
			t.Errorf("updates = %d, want 1: verifying adds no update", len(ups))
		}
	})
	t.Run("writes one verify revision", func(t *testing.T) {
		if got, want := countRevisions(t, db), n0+1; got != want {
			t.Errorf("revisions = %d, want %d", got, want)
		}
		revs, _ := db.RevisionsFor(ctx, "deal", d.ID)
		if revs[0].Action != "verify" || revs[0].ActorName != editor.Name {
			t.Errorf("latest revision = %s by %q, want verify by %q", revs[0].Action, revs[0].ActorName, editor.Name)
		}
	})
}

func TestDeleteAndRestoreDeal(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)

	t.Run("a reason is required", func(t *testing.T) {
		err := db.DeleteDeal(ctx, editor, d.ID, "  ")
		if ledger.ErrorCode(err) != ledger.EINVALID || err.(*ledger.Error).Fields["reason"] == "" {
			t.Errorf("err = %v, want EINVALID on reason", err)
		}
	})
	t.Run("delete keeps the row, marks it and writes a revision", func(t *testing.T) {
		if err := db.DeleteDeal(ctx, editor, d.ID, "Duplicate of another deal"); err != nil {
			t.Fatal(err)
		}
		got, err := db.DealByID(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Deleted() || got.DeletedReason != "Duplicate of another deal" {
			t.Errorf("deleted = %v, reason %q", got.Deleted(), got.DeletedReason)
		}
		revs, _ := db.RevisionsFor(ctx, "deal", d.ID)
		if revs[0].Action != "delete" || revs[0].Reason != "Duplicate of another deal" {
			t.Errorf("latest revision = %s %q, want delete with the reason", revs[0].Action, revs[0].Reason)
		}
	})
	t.Run("a deleted deal takes no update, edit or verification", func(t *testing.T) {
		if err := db.AddUpdate(ctx, editor, update(d.ID, ledger.StageAgreed, "2026-01-01")); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("AddUpdate: %v, want ENOTFOUND", err)
		}
		cur, _ := db.DealByID(ctx, d.ID)
		if err := db.UpdateDeal(ctx, editor, cur); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Errorf("UpdateDeal: %v, want ECONFLICT", err)
		}
		if _, err := db.VerifyDeal(ctx, editor, d.ID, date("2026-01-01")); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("VerifyDeal: %v, want ENOTFOUND", err)
		}
	})
	t.Run("deleting twice is ECONFLICT", func(t *testing.T) {
		if err := db.DeleteDeal(ctx, editor, d.ID, "again"); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Errorf("err = %v, want ECONFLICT", err)
		}
	})
	t.Run("restore brings it back with a revision", func(t *testing.T) {
		if err := db.RestoreDeal(ctx, editor, d.ID, "Not a duplicate after all"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.DealByID(ctx, d.ID)
		if got.Deleted() || got.DeletedReason != "" {
			t.Errorf("after restore: deleted = %v, reason %q", got.Deleted(), got.DeletedReason)
		}
		revs, _ := db.RevisionsFor(ctx, "deal", d.ID)
		if revs[0].Action != "restore" {
			t.Errorf("latest revision = %s, want restore", revs[0].Action)
		}
		if err := db.RestoreDeal(ctx, editor, d.ID, "again"); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Errorf("restoring a live deal: %v, want ECONFLICT", err)
		}
	})
}

func TestDealAtVersion(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)
	v1Title := d.Title
	d.Title = "Renamed"
	if err := db.UpdateDeal(ctx, editor, d); err != nil {
		t.Fatal(err)
	}
	for v, want := range map[int]string{1: v1Title, 2: "Renamed"} {
		got, err := db.DealAtVersion(ctx, d.ID, v)
		if err != nil {
			t.Fatalf("DealAtVersion(%d): %v", v, err)
		}
		if got.Title != want || got.Version != v {
			t.Errorf("at version %d: %q v%d, want %q", v, got.Title, got.Version, want)
		}
	}
	if _, err := db.DealAtVersion(ctx, d.ID, 9); ledger.ErrorCode(err) != ledger.ENOTFOUND {
		t.Errorf("unknown version: %v, want ENOTFOUND", err)
	}
}

func TestDealWithNewOrganization(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)

	addCountry(t, db)
	t.Run("creates the organization in the same transaction", func(t *testing.T) {
		d := &ledger.Deal{Title: "Turbine order", Sector: "energy", CountsTowardTotal: true, Parties: []string{"KZ"},
			Organizations: []ledger.DealOrganization{{Role: "supplier", New: &ledger.Organization{Name: "Acme Turbines", Kind: "company"}}}}
		if err := db.CreateDeal(ctx, editor, d); err != nil {
			t.Fatal(err)
		}
		if len(d.Organizations) != 1 || d.Organizations[0].OrganizationID == 0 || d.Organizations[0].New != nil {
			t.Fatalf("organizations = %+v, want one saved organization", d.Organizations)
		}
		revs, _ := db.RevisionsFor(ctx, "organization", d.Organizations[0].OrganizationID)
		if len(revs) != 1 || revs[0].Action != "create" {
			t.Errorf("organization revisions = %+v, want one create", revs)
		}
	})
	t.Run("a failing deal leaves no organization behind", func(t *testing.T) {
		d := &ledger.Deal{Title: "Turbine order", Slug: "turbine-order", Sector: "energy", Parties: []string{"KZ"}, // the slug is taken
			Organizations: []ledger.DealOrganization{{Role: "supplier", New: &ledger.Organization{Name: "Orphan Ltd", Kind: "company"}}}}
		if err := db.CreateDeal(ctx, editor, d); err == nil {
			t.Fatal("CreateDeal succeeded, want a slug error")
		}
		if _, err := db.OrganizationIDBySlug(ctx, "orphan-ltd"); ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("organization lookup: %v, want ENOTFOUND", err)
		}
	})
}

func TestUpdatePriority(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	p := newPriority(t, db)

	first := *p
	first.Title = "Permanent normal trade relations"
	if err := db.UpdatePriority(ctx, editor, &first); err != nil {
		t.Fatalf("UpdatePriority: %v", err)
	}
	t.Run("bumps the version and writes an update revision", func(t *testing.T) {
		if first.Version != 2 {
			t.Errorf("version = %d, want 2", first.Version)
		}
		revs, _ := db.RevisionsFor(ctx, "priority", p.ID)
		if len(revs) != 2 || revs[0].Action != "update" {
			t.Errorf("revisions = %d, latest %q; want 2, update", len(revs), revs[0].Action)
		}
	})
	t.Run("a stale version is ECONFLICT and changes nothing", func(t *testing.T) {
		stale := *p
		stale.Title = "Someone else's title"
		if err := db.UpdatePriority(ctx, editor, &stale); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		got, _ := db.PriorityByID(ctx, p.ID)
		if got.Title != first.Title {
			t.Errorf("title = %q, want %q", got.Title, first.Title)
		}
		was, err := db.PriorityAtVersion(ctx, p.ID, 1)
		if err != nil || was.Title != p.Title {
			t.Errorf("PriorityAtVersion(1) = %+v, %v; want title %q", was, err, p.Title)
		}
	})
	t.Run("delete and restore need a reason and write revisions", func(t *testing.T) {
		if err := db.DeletePriority(ctx, editor, p.ID, ""); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("no reason: %v, want EINVALID", err)
		}
		if err := db.DeletePriority(ctx, editor, p.ID, "Not a priority of this country"); err != nil {
			t.Fatal(err)
		}
		list, _ := db.Priorities(ctx)
		if len(list) != 0 {
			t.Errorf("public priorities = %d, want 0 after delete", len(list))
		}
		if err := db.RestorePriority(ctx, editor, p.ID, "It is after all"); err != nil {
			t.Fatal(err)
		}
		revs, _ := db.RevisionsFor(ctx, "priority", p.ID)
		if revs[0].Action != "restore" || revs[1].Action != "delete" || revs[1].Reason == "" {
			t.Errorf("latest revisions = %s, %s %q; want restore, delete with reason", revs[0].Action, revs[1].Action, revs[1].Reason)
		}
	})
}

func TestHistoryAndChanges(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)
	u := update(d.ID, ledger.StageAnnounced, "2025-11-06")
	if err := db.AddUpdate(ctx, editor, u); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO revisions (entity, entity_id, action) VALUES ('user', 1, 'create')`); err != nil {
		t.Fatal(err)
	}

	t.Run("a deal's history includes its updates, newest first", func(t *testing.T) {
		revs, err := db.DealHistory(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var entities []string
		for _, r := range revs {
			entities = append(entities, r.Entity+"/"+r.Action)
		}
		want := []string{"deal/update", "status_update/create", "deal/create"}
		if len(entities) != len(want) || entities[0] != want[0] || entities[1] != want[1] || entities[2] != want[2] {
			t.Errorf("history = %v, want %v", entities, want)
		}
	})
	t.Run("the change log leaves out users, names records and pages by id", func(t *testing.T) {
		all, err := db.Changes(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range all {
			if c.Entity == "user" {
				t.Errorf("change log shows a user revision")
			}
			if (c.Entity == "deal" || c.Entity == "status_update") && (c.DealID != d.ID || c.DealTitle != d.Title) {
				t.Errorf("%s change names deal %d %q, want %d %q", c.Entity, c.DealID, c.DealTitle, d.ID, d.Title)
			}
		}
		page, _ := db.Changes(ctx, 0, 2)
		next, _ := db.Changes(ctx, page[1].ID, 2)
		if len(page) != 2 || len(next) != 1 || next[0].ID >= page[1].ID {
			t.Errorf("pages of 2 = %d then %d, want 2 then 1, older", len(page), len(next))
		}
	})
	t.Run("names come in one lookup", func(t *testing.T) {
		n, err := db.LookupNames(ctx, postgres.NameIDs{Deals: []int64{d.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if n.Deals[d.ID] != d.Title {
			t.Errorf("deal name = %q, want %q", n.Deals[d.ID], d.Title)
		}
	})
}
