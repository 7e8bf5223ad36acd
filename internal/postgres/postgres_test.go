package postgres_test

import (
	"context"
	"testing"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

var editor = ledger.Actor{Name: "Test Editor"}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// addCountry adds Kazakhstan, which a deal of a database without the seed
// needs as its party; adding it again is a no-op.
func addCountry(t *testing.T, db *postgres.DB) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), `INSERT INTO countries (code, slug, name) VALUES ('KZ', 'kazakhstan', 'Kazakhstan') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
}

func newDeal(t *testing.T, db *postgres.DB) *ledger.Deal {
	t.Helper()
	addCountry(t, db)
	d := &ledger.Deal{Title: "Test locomotive order", Summary: "Forty locomotives.", Sector: "transport",
		CountsTowardTotal: true, Value: &ledger.Money{Cents: 420_000_000_00, Currency: "USD"}, Parties: []string{"KZ"}}
	if err := db.CreateDeal(context.Background(), editor, d); err != nil {
		t.Fatalf("CreateDeal: %v", err)
	}
	return d
}

func update(dealID int64, stage ledger.Stage, on string) *ledger.StatusUpdate {
	return &ledger.StatusUpdate{DealID: dealID, Stage: stage, OccurredOn: date(on), Note: "note",
		Sources: []ledger.Source{{URL: "https://example.org/a", Title: "A report", Publisher: "Example"}}}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	t.Run("a second run is a no-op", func(t *testing.T) {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
	})
	t.Run("status updates are append-only", func(t *testing.T) {
		d := newDeal(t, db)
		if err := db.AddUpdate(ctx, editor, update(d.ID, ledger.StageAnnounced, "2025-11-06")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `UPDATE status_updates SET note = 'rewritten'`); err == nil {
			t.Error("UPDATE status_updates succeeded, want it refused")
		}
		if _, err := db.Pool.Exec(ctx, `DELETE FROM revisions`); err == nil {
			t.Error("DELETE FROM revisions succeeded, want it refused")
		}
	})
}

func TestCreateDeal(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)

	t.Run("derives a slug and writes a revision", func(t *testing.T) {
		d := newDeal(t, db)
		if got, want := d.Slug, "test-locomotive-order"; got != want {
			t.Errorf("slug = %q, want %q", got, want)
		}
		if got, want := d.Stage, ledger.StageProposed; got != want {
			t.Errorf("stage = %q, want %q", got, want)
		}
		revs, err := db.RevisionsFor(ctx, "deal", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].Action != "create" || revs[0].ActorName != editor.Name {
			t.Errorf("revisions = %+v, want one create by %q", revs, editor.Name)
		}
	})
	t.Run("an invalid deal is EINVALID with field messages", func(t *testing.T) {
		err := db.CreateDeal(ctx, editor, &ledger.Deal{Title: "", Sector: "nonsense"})
		if got := ledger.ErrorCode(err); got != ledger.EINVALID {
			t.Fatalf("code = %q, want %q (%v)", got, ledger.EINVALID, err)
		}
		e := err.(*ledger.Error)
		for _, f := range []string{"title", "sector"} {
			if e.Fields[f] == "" {
				t.Errorf("no message for field %q in %v", f, e.Fields)
			}
		}
	})
	t.Run("an unknown deal is ENOTFOUND", func(t *testing.T) {
		_, err := db.DealByID(ctx, 999999)
		if got := ledger.ErrorCode(err); got != ledger.ENOTFOUND {
			t.Errorf("code = %q, want %q (%v)", got, ledger.ENOTFOUND, err)
		}
	})
	t.Run("a title already taken gets a numbered slug", func(t *testing.T) {
		d := &ledger.Deal{Title: "Test locomotive order", Sector: "transport", Parties: []string{"KZ"}}
		if err := db.CreateDeal(ctx, editor, d); err != nil {
			t.Fatal(err)
		}
		if got, want := d.Slug, "test-locomotive-order-2"; got != want {
			t.Errorf("slug = %q, want %q", got, want)
		}
	})
	t.Run("a typed slug already taken is EINVALID on the slug field", func(t *testing.T) {
		err := db.CreateDeal(ctx, editor, &ledger.Deal{Title: "Another order", Slug: "test-locomotive-order", Sector: "transport", Parties: []string{"KZ"}})
		if got := ledger.ErrorCode(err); got != ledger.EINVALID {
			t.Fatalf("code = %q, want %q (%v)", got, ledger.EINVALID, err)
		}
		if e := err.(*ledger.Error); e.Fields["slug"] == "" {
			t.Errorf("fields = %v, want a message for slug", e.Fields)
		}
	})
}

func TestUpdateDeal(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)

	first := *d
	first.Title = "First editor's title"
	if err := db.UpdateDeal(ctx, editor, &first); err != nil {
		t.Fatalf("UpdateDeal: %v", err)
	}
	if got, want := first.Version, d.Version+1; got != want {
		t.Errorf("version = %d, want %d", got, want)
	}

	t.Run("a stale version is ECONFLICT and changes nothing", func(t *testing.T) {
		stale := *d
		stale.Title = "Second editor's title"
		err := db.UpdateDeal(ctx, editor, &stale)
		if got := ledger.ErrorCode(err); got != ledger.ECONFLICT {
			t.Fatalf("code = %q, want %q (%v)", got, ledger.ECONFLICT, err)
		}
		now, err := db.DealByID(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.Title != first.Title || now.Version != first.Version {
			t.Errorf("deal = %q v%d, want %q v%d", now.Title, now.Version, first.Title, first.Version)
		}
	})
	t.Run("a new slug keeps the old one redirecting", func(t *testing.T) {
		moved := first
		moved.Slug = "renamed-order"
		if err := db.UpdateDeal(ctx, editor, &moved); err != nil {
			t.Fatal(err)
		}
		id, err := db.DealIDBySlug(ctx, d.Slug)
		if err != nil || id != d.ID {
			t.Errorf("DealIDBySlug(old) = %d, %v; want %d", id, err, d.ID)
		}
	})
}

func TestAddUpdate(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)

	t.Run("moves the stage to the latest update and writes revisions", func(t *testing.T) {
		for _, u := range []*ledger.StatusUpdate{
			update(d.ID, ledger.StageContracted, "2026-01-10"),
			update(d.ID, ledger.StageAnnounced, "2025-11-06"), // older: must not win
		} {
			if err := db.AddUpdate(ctx, editor, u); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.DealByID(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Stage != ledger.StageContracted || !got.StageOn.Equal(date("2026-01-10")) {
			t.Errorf("stage = %s on %s, want contracted on 2026-01-10", got.Stage, got.StageOn)
		}
		revs, _ := db.RevisionsFor(ctx, "deal", d.ID)
		if len(revs) != 2 { // create, then the stage change
			t.Errorf("deal revisions = %d, want 2", len(revs))
		}
	})
	t.Run("a correction replaces the corrected update's stage", func(t *testing.T) {
		ups, _ := db.UpdatesByDeal(ctx, d.ID)
		latest := ups[0]
		c := update(d.ID, ledger.StageAgreed, "2026-01-10")
		c.CorrectsID, c.CorrectionReason = latest.ID, "It was a memorandum, not a contract."
		if err := db.AddUpdate(ctx, editor, c); err != nil {
			t.Fatal(err)
		}
		got, _ := db.DealByID(ctx, d.ID)
		if got.Stage != ledger.StageAgreed {
			t.Errorf("stage = %s, want agreed", got.Stage)
		}
		again := update(d.ID, ledger.StageAgreed, "2026-01-10")
		again.CorrectsID, again.CorrectionReason = latest.ID, "twice"
		if err := db.AddUpdate(ctx, editor, again); ledger.ErrorCode(err) != ledger.ECONFLICT {
			t.Errorf("correcting twice: %v, want ECONFLICT", err)
		}
	})
	t.Run("a missing source is EINVALID", func(t *testing.T) {
		u := update(d.ID, ledger.StageDelivered, "2026-02-01")
		u.Sources = []ledger.Source{{URL: "javascript:alert(1)"}}
		err := db.AddUpdate(ctx, editor, u)
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		for _, f := range []string{"source_url-0", "source_title-0", "source_publisher-0"} {
			if err.(*ledger.Error).Fields[f] == "" {
				t.Errorf("no message for %s", f)
			}
		}
	})
	t.Run("an unknown deal is ENOTFOUND", func(t *testing.T) {
		err := db.AddUpdate(ctx, editor, update(987654, ledger.StageDelivered, "2026-02-01"))
		if ledger.ErrorCode(err) != ledger.ENOTFOUND {
			t.Errorf("err = %v, want ENOTFOUND", err)
		}
	})
	t.Run("a failure after the insert leaves neither update nor stage", func(t *testing.T) {
		before, _ := db.DealByID(ctx, d.ID)
		n0, _ := db.UpdatesByDeal(ctx, d.ID)
		// Make the revision insert, the transaction's last step, fail.
		if _, err := db.Pool.Exec(ctx, `CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS
			$$ BEGIN RAISE EXCEPTION 'injected'; END $$;
			CREATE TRIGGER fail BEFORE INSERT ON revisions FOR EACH ROW EXECUTE FUNCTION fail();`); err != nil {
			t.Fatal(err)
		}
		err := db.AddUpdate(ctx, editor, update(d.ID, ledger.StageDelivered, "2026-03-01"))
		if err == nil {
			t.Fatal("AddUpdate succeeded, want the injected failure")
		}
		after, _ := db.DealByID(ctx, d.ID)
		n1, _ := db.UpdatesByDeal(ctx, d.ID)
		if after.Stage != before.Stage || len(n1) != len(n0) {
			t.Errorf("after failure: stage %s, %d updates; want %s, %d", after.Stage, len(n1), before.Stage, len(n0))
		}
	})
}

func TestOpen(t *testing.T) {
	db := pgtest.New(t)
	t.Run("turns JIT compilation off", func(t *testing.T) {
		var jit string
		if err := db.Pool.QueryRow(context.Background(), `SHOW jit`).Scan(&jit); err != nil {
			t.Fatal(err)
		}
		if jit != "off" {
			t.Errorf("jit = %q, want off", jit)
		}
	})
}
