package seed_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
	"summitledger/internal/seed"
)

func readDir(t *testing.T, dir string) []seed.File {
	t.Helper()
	files, err := seed.ReadFiles(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func load(t *testing.T, db *postgres.DB, files []seed.File) seed.Report {
	t.Helper()
	r, err := seed.Load(context.Background(), db, files)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

// state is what a load may change: the number of rows in every table a
// load writes, revisions included.
func state(t *testing.T, db *postgres.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"summits", "countries", "organizations", "priorities", "deals", "status_updates",
		"sources", "update_sources", "revisions", "deal_parties", "deal_organizations", "deal_priorities"} {
		var n int
		if err := db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestTheDatasetsPassCheck(t *testing.T) {
	files, err := seed.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no dataset files")
	}
	for _, p := range seed.Check(files) {
		t.Error(p)
	}
}

func TestCheck(t *testing.T) {
	t.Run("a good file has no problems", func(t *testing.T) {
		if ps := seed.Check(readDir(t, "testdata/good")); len(ps) > 0 {
			t.Errorf("problems = %v, want none", ps)
		}
	})
	ps := seed.Check(readDir(t, "testdata/broken"))
	for _, want := range []seed.Problem{
		{"broken-summit-2025.json", "source a", "url", `"javascript:alert(1)" is not an http(s) address`},
		{"broken-summit-2025.json", "source a", "published_on", `"yesterday" is not a date as YYYY-MM-DD`},
		{"broken-summit-2025.json", "source unused", "key", "no record cites it"},
		{"broken-summit-2025.json", "summit broken-summit-2025", "held_on", `"2025-13-01" is not a date as YYYY-MM-DD`},
		{"broken-summit-2025.json", "summit broken-summit-2025", "sources", `no source "nope" in this file`},
		{"broken-summit-2025.json", "organization Bad Slug", "kind", "Choose what kind of organization it is."},
		{"broken-summit-2025.json", "organization Bad Slug", "country_code", `no country "XX" in the datasets`},
		{"broken-summit-2025.json", "priority ZZ/p", "sector", `"fishing" is not a sector`},
		{"broken-summit-2025.json", "priority ZZ/p", "source", `no source "missing" in this file`},
		{"broken-summit-2025.json", "deal loop-a", "party", "Choose at least one country that is party to the deal."},
		{"broken-summit-2025.json", "deal loop-a", "value_amount", `amount "1.234" has more than two decimals or is too large`},
		{"broken-summit-2025.json", "deal loop-a", "value_currency", "Enter a three-letter currency code, like USD."},
		{"broken-summit-2025.json", "deal loop-a", "organizations", "Choose a role for each organization."},
		{"broken-summit-2025.json", "deal loop-a", "priorities", "no priority KZ/ghost in the datasets"},
		{"broken-summit-2025.json", "deal loop-a update 1", "stage", `"signed" is not a stage`},
		{"broken-summit-2025.json", "deal loop-a update 1", "sources", "cite at least one source"},
		{"broken-summit-2025.json", "deal loop-b", "updates", "give at least the step that announced it"},
		{"broken-summit-2025.json", "deal loop-a", "parent", "the chain of parents comes back to loop-a"},
	} {
		if !slices.Contains(ps, want) {
			t.Errorf("no problem %q", want)
		}
	}
	t.Run("the same record in two files", func(t *testing.T) {
		good := readDir(t, "testdata/good")
		twin := good[0]
		twin.Name, twin.Summit.Slug = "twin-2025.json", "twin-2025"
		twin.Countries = nil
		twin.Sources = slices.Clone(twin.Sources)
		twin.Sources[1].Title = "The same address, titled differently"
		ps := seed.Check([]seed.File{good[0], twin})
		for _, want := range []string{"organization acme", "priority KZ/rail", "deal tiny-rail", "source b"} {
			if !slices.ContainsFunc(ps, func(p seed.Problem) bool { return p.File == "twin-2025.json" && p.Record == want }) {
				t.Errorf("no problem for %s defined twice; got %v", want, ps)
			}
		}
		if slices.ContainsFunc(ps, func(p seed.Problem) bool { return p.Record == "source a" }) {
			t.Errorf("a source two files describe alike is a problem: %v", ps)
		}
	})
	t.Run("a file must be named after its summit", func(t *testing.T) {
		f := readDir(t, "testdata/good")
		f[0].Name = "other.json"
		if ps := seed.Check(f); !slices.ContainsFunc(ps, func(p seed.Problem) bool {
			return p.Field == "slug" && strings.Contains(p.Message, "tiny-summit-2025.json")
		}) {
			t.Errorf("problems = %v, want one about the file's name", ps)
		}
	})
	t.Run("Load refuses files with problems", func(t *testing.T) {
		if _, err := seed.Load(context.Background(), nil, readDir(t, "testdata/broken")); err == nil {
			t.Error("Load of a broken dataset succeeded")
		}
	})
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	files := readDir(t, "testdata/good")
	r := load(t, db, files)
	first := state(t, db)

	t.Run("loads every record, with every source of every update", func(t *testing.T) {
		if first["deals"] != 2 || first["status_updates"] != 3 || first["sources"] != 2 || first["update_sources"] != 4 {
			t.Errorf("state = %v, want 2 deals, 3 updates, 2 sources, 4 citations", first)
		}
		if len(r.Added) != 4 || len(r.Kept) != 0 {
			t.Errorf("report = %+v, want an organization, a priority and two deals added", r)
		}
		id, _ := db.DealIDBySlug(ctx, "tiny-rail")
		d, err := db.DealByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Stage != ledger.StageContracted || d.AnnouncedPrecision != ledger.Month || d.ParentID == 0 {
			t.Errorf("deal = stage %s, precision %s, parent %d; want contracted, month, a parent", d.Stage, d.AnnouncedPrecision, d.ParentID)
		}
		us, err := db.UpdatesByDeal(ctx, id)
		if err != nil || len(us) != 2 {
			t.Fatalf("updates = %v, %v", us, err)
		}
		if got := us[0].Sources; len(got) != 2 || got[0].URL != "https://example.org/b" || got[0].Language != "ru" || got[1].PublishedOn.IsZero() {
			t.Errorf("newest update's sources = %+v, want b then a, with their language and date", got)
		}
		if us[0].OccurredPrecision != ledger.Month {
			t.Errorf("precision = %q, want month", us[0].OccurredPrecision)
		}
	})
	t.Run("a second load changes nothing", func(t *testing.T) {
		r := load(t, db, files)
		if again := state(t, db); !mapsEqual(again, first) {
			t.Errorf("after a second load %v, want %v", again, first)
		}
		if len(r.Added)+len(r.Changed)+len(r.Kept) != 0 {
			t.Errorf("report = %+v, want nothing done", r)
		}
	})
	t.Run("a corrected file corrects what the dataset wrote", func(t *testing.T) {
		fixed := readDir(t, "testdata/good")
		fixed[0].Deals[1].Updates[1].Note = "A contract, as the ministry confirmed."
		fixed[0].Deals[1].Summary = "Rail cars for the national railway."
		fixed[0].Priorities = nil
		fixed[0].Deals[1].Priorities = nil
		r := load(t, db, fixed)
		if len(r.Changed) != 3 {
			t.Errorf("changed = %v, want the deal, its second update and the removed priority", r.Changed)
		}
		var corrections, deleted int
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM status_updates WHERE corrects_id IS NOT NULL AND note LIKE '%ministry%'`).Scan(&corrections)
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM priorities WHERE deleted_at IS NOT NULL`).Scan(&deleted)
		if corrections != 1 || deleted != 1 {
			t.Errorf("corrections = %d, deleted priorities = %d; want 1 and 1", corrections, deleted)
		}
		if r := load(t, db, fixed); len(r.Added)+len(r.Changed) != 0 {
			t.Errorf("loading the corrected file again did %+v, want nothing", r)
		}
	})
	t.Run("an editor's change survives a re-seed", func(t *testing.T) {
		id, _ := db.DealIDBySlug(ctx, "tiny-package")
		d, _ := db.DealByID(ctx, id)
		u := &ledger.User{Email: "ed@example.org", Name: "Ed", Role: ledger.RoleEditor}
		if err := db.CreateUser(ctx, seed.Actor, u, "unusable"); err != nil {
			t.Fatal(err)
		}
		editor := ledger.Actor{UserID: u.ID, Name: u.Name}
		d.Title = "A package, as an editor named it"
		if err := db.UpdateDeal(ctx, editor, d); err != nil {
			t.Fatal(err)
		}
		changed := readDir(t, "testdata/good")
		changed[0].Deals[0].Title = "A package, renamed in the dataset"
		r := load(t, db, changed)
		if !slices.Contains(r.Kept, "deal tiny-package") {
			t.Errorf("kept = %v, want the edited deal", r.Kept)
		}
		if got, _ := db.DealByID(ctx, id); got.Title != d.Title {
			t.Errorf("title = %q, want the editor's %q", got.Title, d.Title)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCents(t *testing.T) {
	for in, want := range map[string]int64{"4200000000": 420000000000, "12.5": 1250, "0": 0} {
		if got, err := seed.Cents(in); err != nil || got != want {
			t.Errorf("Cents(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "1.234", "abc", "1e9", "1/2"} {
		if _, err := seed.Cents(in); err == nil {
			t.Errorf("Cents(%q) succeeded, want an error", in)
		}
	}
}
