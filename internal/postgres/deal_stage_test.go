package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/peterldowns/pgtestdb"
	"github.com/pressly/goose/v3"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/migrations"
)

// step is one status update a case records, in order; corrects is the
// 1-based number of the earlier step it corrects, 0 for none.
type step struct {
	stage    ledger.Stage
	on       string
	corrects int
}

func TestDealStage(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	for _, tc := range []struct {
		name   string
		steps  []step
		stage  ledger.Stage
		since  string // "" for none
		latest string // the latest update's day, "" for none
	}{
		{"a deal with no update stands at proposed, with no date", nil, ledger.StageProposed, "", ""},
		{"one update sets the stage on its day",
			[]step{{"agreed", "2025-08-01", 0}}, ledger.StageAgreed, "2025-08-01", "2025-08-01"},
		{"a repeated stage keeps the day it was first reached",
			[]step{{"agreed", "2025-08-01", 0}, {"agreed", "2025-10-01", 0}}, ledger.StageAgreed, "2025-08-01", "2025-10-01"},
		{"an earlier update at the current stage, recorded later, moves the day back",
			[]step{{"agreed", "2025-10-01", 0}, {"agreed", "2025-08-01", 0}}, ledger.StageAgreed, "2025-08-01", "2025-10-01"},
		{"a run broken by another stage counts from its last start",
			[]step{{"agreed", "2025-08-01", 0}, {"stalled", "2025-09-01", 0}, {"agreed", "2025-10-01", 0}}, ledger.StageAgreed, "2025-10-01", "2025-10-01"},
		{"an older update at another stage, recorded later, leaves the stage and can break the run",
			[]step{{"agreed", "2025-08-01", 0}, {"agreed", "2025-10-01", 0}, {"contracted", "2025-09-01", 0}}, ledger.StageAgreed, "2025-10-01", "2025-10-01"},
		{"an older update at another stage before the run changes nothing",
			[]step{{"agreed", "2025-08-01", 0}, {"announced", "2025-06-01", 0}}, ledger.StageAgreed, "2025-08-01", "2025-08-01"},
		{"on one day the update recorded last comes last",
			[]step{{"contracted", "2025-10-01", 0}, {"agreed", "2025-10-01", 0}}, ledger.StageAgreed, "2025-10-01", "2025-10-01"},
		{"a corrected update does not count; its correction does",
			[]step{{"agreed", "2025-08-01", 0}, {"stalled", "2025-09-01", 0}, {"agreed", "2025-10-01", 0}, {"agreed", "2025-09-01", 2}},
			ledger.StageAgreed, "2025-08-01", "2025-10-01"},
		{"a correction that moves the first update of the run moves the day",
			[]step{{"announced", "2025-06-01", 0}, {"contracted", "2025-11-06", 0}, {"contracted", "2025-10-15", 1}},
			ledger.StageContracted, "2025-10-15", "2025-11-06"},
		{"a correction of the latest update can change the stage",
			[]step{{"agreed", "2025-08-01", 0}, {"contracted", "2025-10-01", 0}, {"agreed", "2025-10-01", 2}},
			ledger.StageAgreed, "2025-08-01", "2025-10-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addCountry(t, db)
			d := &ledger.Deal{Title: tc.name, Sector: "energy", CountsTowardTotal: true, Parties: []string{"KZ"}}
			if err := db.CreateDeal(ctx, editor, d); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, s := range tc.steps {
				u := update(d.ID, s.stage, s.on)
				if s.corrects > 0 {
					u.CorrectsID, u.CorrectionReason = ids[s.corrects-1], "The report was wrong."
				}
				if err := db.AddUpdate(ctx, editor, u); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, u.ID)
			}
			got, err := db.DealByID(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Stage != tc.stage || dayOrNone(got.StageOn) != tc.since {
				t.Errorf("stage = %s since %q, want %s since %q", got.Stage, dayOrNone(got.StageOn), tc.stage, tc.since)
			}
			var latest *time.Time
			if err := db.Pool.QueryRow(ctx, `SELECT latest_update_on FROM deals WHERE id = $1`, d.ID).Scan(&latest); err != nil {
				t.Fatal(err)
			}
			if got := dayOrNone(deref(latest)); got != tc.latest {
				t.Errorf("latest update on %q, want %q", got, tc.latest)
			}
		})
	}
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func dayOrNone(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func TestDealStageRevisions(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	d := newDeal(t, db)
	revisions := func() int {
		revs, err := db.RevisionsFor(ctx, "deal", d.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(revs)
	}
	add := func(stage ledger.Stage, on string) {
		if err := db.AddUpdate(ctx, editor, update(d.ID, stage, on)); err != nil {
			t.Fatal(err)
		}
	}
	add(ledger.StageAgreed, "2025-10-01")
	n := revisions()
	t.Run("a repeat that leaves the stage and its day writes no deal revision", func(t *testing.T) {
		add(ledger.StageAgreed, "2025-11-01")
		if got := revisions(); got != n {
			t.Errorf("deal revisions = %d, want %d", got, n)
		}
	})
	t.Run("an update that moves only the day writes one", func(t *testing.T) {
		add(ledger.StageAgreed, "2025-09-01")
		if got := revisions(); got != n+1 {
			t.Errorf("deal revisions = %d, want %d", got, n+1)
		}
	})
	t.Run("deleting and restoring the deal leave the stage as it was", func(t *testing.T) {
		if err := db.DeleteDeal(ctx, editor, d.ID, "Duplicate."); err != nil {
			t.Fatal(err)
		}
		if err := db.RestoreDeal(ctx, editor, d.ID, "Not a duplicate."); err != nil {
			t.Fatal(err)
		}
		got, _ := db.DealByID(ctx, d.ID)
		if got.Stage != ledger.StageAgreed || dayOrNone(got.StageOn) != "2025-09-01" || revisions() != n+3 {
			t.Errorf("stage = %s since %s with %d revisions, want agreed since 2025-09-01 with %d (delete, restore)",
				got.Stage, dayOrNone(got.StageOn), revisions(), n+3)
		}
	})
}

// TestStageDateMigration: a ledger kept before the stage date rule (when
// stage_on was the day of the latest update) gets its stage dates derived
// again on migration, each move with a revision.
func TestStageDateMigration(t *testing.T) {
	ctx := context.Background()
	conf := pgtestdb.Custom(t, pgtest.Config(t), pgtestdb.NoopMigrator{})
	sqlDB, err := conf.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := sqlDB.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var moved, kept int64
	for _, x := range []struct {
		id   *int64
		slug string
	}{{&moved, "moved"}, {&kept, "kept"}} {
		if err := sqlDB.QueryRowContext(ctx, `INSERT INTO deals (slug, title, sector) VALUES ($1, $1, 'energy') RETURNING id`, x.slug).Scan(x.id); err != nil {
			t.Fatal(err)
		}
	}
	const insertUpdate = `INSERT INTO status_updates (deal_id, stage, occurred_on, source_url, source_title, source_publisher)
		VALUES ($1, $2, $3, 'https://example.org/a', 'A report', 'Example')`
	exec(insertUpdate, moved, "agreed", "2025-08-01")
	exec(insertUpdate, moved, "agreed", "2025-10-01")
	exec(insertUpdate, kept, "contracted", "2025-11-06")
	exec(`UPDATE deals SET stage = 'agreed', stage_on = '2025-10-01' WHERE id = $1`, moved)
	exec(`UPDATE deals SET stage = 'contracted', stage_on = '2025-11-06' WHERE id = $1`, kept)

	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, conf.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	for _, tc := range []struct {
		name          string
		id            int64
		since, latest string
		revisions     int
	}{
		{"a deal whose stage began before its latest update moves back, with a revision", moved, "2025-08-01", "2025-10-01", 1},
		{"a deal whose latest update began its stage is left alone", kept, "2025-11-06", "2025-11-06", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := db.DealByID(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			revs, _ := db.RevisionsFor(ctx, "deal", tc.id)
			if dayOrNone(d.StageOn) != tc.since || len(revs) != tc.revisions {
				t.Errorf("stage since %s with %d revisions, want %s with %d", dayOrNone(d.StageOn), len(revs), tc.since, tc.revisions)
			}
			var latest *time.Time
			if err := db.Pool.QueryRow(ctx, `SELECT latest_update_on FROM deals WHERE id = $1`, tc.id).Scan(&latest); err != nil {
				t.Fatal(err)
			}
			if got := dayOrNone(deref(latest)); got != tc.latest {
				t.Errorf("latest update on %q, want %q", got, tc.latest)
			}
		})
	}
}

// TestImportDerivesStage: a backup made before the stage date rule (its
// stage_on the day of the latest update, no latest_update_on) is derived
// again on import, with a revision; a backup made after it is left as it is.
func TestImportDerivesStage(t *testing.T) {
	ctx := context.Background()
	src := pgtest.New(t)
	addCountry(t, src)
	d := &ledger.Deal{Title: "Older backup", Sector: "energy", CountsTowardTotal: true, Parties: []string{"KZ"}}
	if err := src.CreateDeal(ctx, editor, d); err != nil {
		t.Fatal(err)
	}
	for _, on := range []string{"2025-08-01", "2025-10-01"} {
		if err := src.AddUpdate(ctx, editor, update(d.ID, ledger.StageAgreed, on)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := src.Export(ctx, &buf, false); err != nil {
		t.Fatal(err)
	}
	current := buf.Bytes()

	// The same ledger as an older version wrote it.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(current, &doc); err != nil {
		t.Fatal(err)
	}
	var deals []map[string]any
	if err := json.Unmarshal(doc["deals"], &deals); err != nil {
		t.Fatal(err)
	}
	deals[0]["stage_on"] = "2025-10-01"
	delete(deals[0], "latest_update_on")
	doc["deals"], _ = json.Marshal(deals)
	doc["schema_version"] = json.RawMessage("5") // the last migration before 00006
	older, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name      string
		backup    []byte
		revisions int
	}{
		{"an older backup's stage date is derived again, with a revision", older, 3},
		{"a current backup's is kept, with no revision", current, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := pgtest.New(t)
			if _, err := dst.Import(ctx, bytes.NewReader(tc.backup)); err != nil {
				t.Fatalf("Import: %v", err)
			}
			got, err := dst.DealByID(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var latest *time.Time
			if err := dst.Pool.QueryRow(ctx, `SELECT latest_update_on FROM deals WHERE id = $1`, d.ID).Scan(&latest); err != nil {
				t.Fatal(err)
			}
			revs, _ := dst.RevisionsFor(ctx, "deal", d.ID)
			if dayOrNone(got.StageOn) != "2025-08-01" || dayOrNone(deref(latest)) != "2025-10-01" || len(revs) != tc.revisions {
				t.Errorf("stage since %s, latest update on %s, %d revisions; want since 2025-08-01, latest 2025-10-01, %d revisions",
					dayOrNone(got.StageOn), dayOrNone(deref(latest)), len(revs), tc.revisions)
			}
		})
	}
}
