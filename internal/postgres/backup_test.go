package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"summitledger/internal/auth"
	"summitledger/internal/ledger"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

// export returns db's backup.
func export(t *testing.T, db *postgres.DB, withSecrets bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := db.Export(context.Background(), &buf, withSecrets); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

// backupSections decodes a backup into its top-level sections, without exported_at.
func backupSections(t *testing.T, doc []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("the backup is not JSON: %v", err)
	}
	delete(m, "exported_at")
	return m
}

// sameBackup reports the first difference between two backups, ignoring exported_at.
func sameBackup(t *testing.T, a, b []byte) {
	t.Helper()
	ma, mb := backupSections(t, a), backupSections(t, b)
	for k := range mb {
		if _, ok := ma[k]; !ok {
			t.Errorf("section %q is only in the second export", k)
		}
	}
	for k, va := range ma {
		vb, ok := mb[k]
		if !ok {
			t.Errorf("section %q is only in the first export", k)
			continue
		}
		if bytes.Equal(va, vb) {
			continue
		}
		la, lb := strings.Split(string(va), "\n"), strings.Split(string(vb), "\n")
		for i := range max(len(la), len(lb)) {
			var x, y string
			if i < len(la) {
				x = la[i]
			}
			if i < len(lb) {
				y = lb[i]
			}
			if x != y {
				t.Errorf("section %q differs at line %d:\nfirst:  %s\nsecond: %s", k, i+1, x, y)
				break
			}
		}
	}
}

func TestExportImport(t *testing.T) {
	ctx := context.Background()
	src := pgtest.NewSeeded(t)

	// What editors do: a user, an update by them, its correction, a renamed
	// deal (its old slug kept) and a deleted one.
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	ada := &ledger.User{Email: "ada@example.org", Name: "Ada Lovelace", Role: ledger.RoleEditor}
	if err := src.CreateUser(ctx, editor, ada, hash); err != nil {
		t.Fatal(err)
	}
	adaActor := ledger.Actor{UserID: ada.ID, Name: ada.Name}
	dealID, err := src.DealIDBySlug(ctx, "boeing-uzbekistan-contracts")
	if err != nil {
		t.Fatal(err)
	}
	up := update(dealID, ledger.StageContracted, "2026-01-15")
	up.Note = `Signed; "quoted" & <b>marked</b> — ünïcödé`
	if err := src.AddUpdate(ctx, adaActor, up); err != nil {
		t.Fatalf("AddUpdate: %v", err)
	}
	fix := update(dealID, ledger.StageAgreed, "2026-01-15")
	fix.CorrectsID, fix.CorrectionReason = up.ID, "The contract was not signed yet."
	if err := src.AddUpdate(ctx, adaActor, fix); err != nil {
		t.Fatalf("AddUpdate (correction): %v", err)
	}
	d, err := src.DealByID(ctx, dealID)
	if err != nil {
		t.Fatal(err)
	}
	oldSlug := d.Slug
	d.Slug = "renamed-deal"
	if err := src.UpdateDeal(ctx, adaActor, d); err != nil {
		t.Fatalf("UpdateDeal: %v", err)
	}
	var goneID int64
	if err := src.Pool.QueryRow(ctx, "SELECT max(id) FROM deals WHERE id <> $1", dealID).Scan(&goneID); err != nil {
		t.Fatal(err)
	}
	if err := src.DeleteDeal(ctx, adaActor, goneID, "A duplicate."); err != nil {
		t.Fatalf("DeleteDeal: %v", err)
	}

	first := export(t, src, false)
	dst := pgtest.New(t)
	res, err := dst.Import(ctx, bytes.NewReader(first))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}

	t.Run("a second export of the imported ledger equals the first", func(t *testing.T) {
		sameBackup(t, first, export(t, dst, false))
	})
	t.Run("the backup holds no password hash", func(t *testing.T) {
		for _, s := range []string{"password_hash", "$argon2id$"} {
			if bytes.Contains(first, []byte(s)) {
				t.Errorf("the backup contains %q", s)
			}
		}
	})
	t.Run("the backup leaves sessions out", func(t *testing.T) {
		if _, ok := backupSections(t, first)["sessions"]; ok {
			t.Errorf("the backup has a sessions section")
		}
	})
	t.Run("import counts what it loaded", func(t *testing.T) {
		var want int
		if err := src.Pool.QueryRow(ctx, "SELECT count(*) FROM status_updates").Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := res.Rows("status_updates"); got != want {
			t.Errorf("status_updates imported = %d, want %d", got, want)
		}
		if res.Rows("deal_parties") == 0 {
			t.Errorf("no deal parties imported: %v", res.Tables)
		}
	})
	t.Run("an update's permalink leads to its renamed deal", func(t *testing.T) {
		ref, err := dst.UpdateLocation(ctx, fix.ID)
		if err != nil {
			t.Fatalf("UpdateLocation(%d): %v", fix.ID, err)
		}
		if ref.ID != dealID || ref.Slug != "renamed-deal" {
			t.Errorf("update %d is on deal %d %q, want %d %q", fix.ID, ref.ID, ref.Slug, dealID, "renamed-deal")
		}
	})
	t.Run("the correction still points at the update it corrects", func(t *testing.T) {
		c, err := dst.CorrectionOf(ctx, up.ID)
		if err != nil {
			t.Fatalf("CorrectionOf(%d): %v", up.ID, err)
		}
		if c.ID != fix.ID {
			t.Errorf("correction of %d = %d, want %d", up.ID, c.ID, fix.ID)
		}
	})
	t.Run("the old slug still finds the deal", func(t *testing.T) {
		if got, err := dst.DealIDBySlug(ctx, oldSlug); err != nil || got != dealID {
			t.Errorf("DealIDBySlug(%q) = %d, %v; want %d", oldSlug, got, err, dealID)
		}
	})
	t.Run("the deleted deal stays deleted", func(t *testing.T) {
		got, err := dst.DealByID(ctx, goneID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Deleted() || got.DeletedReason != "A duplicate." {
			t.Errorf("deal %d deleted = %v (%q), want deleted for %q", goneID, got.Deleted(), got.DeletedReason, "A duplicate.")
		}
	})
	t.Run("search finds imported notes", func(t *testing.T) {
		r, err := dst.FindDeals(ctx, ledger.DealFilter{Query: "ünïcödé", Page: 1, PerPage: 25})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 1 {
			t.Errorf("search for the new note found %d deals, want 1", r.Total)
		}
	})
	t.Run("new records take ids after the imported ones", func(t *testing.T) {
		next := update(dealID, ledger.StageUnderWay, "2026-02-01")
		if err := dst.AddUpdate(ctx, editor, next); err != nil {
			t.Fatalf("AddUpdate after import: %v", err)
		}
		if next.ID <= fix.ID {
			t.Errorf("new update id = %d, want more than %d", next.ID, fix.ID)
		}
		o := &ledger.Organization{Name: "New Co", Slug: "new-co", Kind: "company"}
		if err := dst.CreateOrganization(ctx, editor, o); err != nil {
			t.Errorf("CreateOrganization after import: %v", err)
		}
	})
	t.Run("a user imported without secrets cannot sign in until given a password", func(t *testing.T) {
		if !slices.Contains(res.NoPassword, "ada@example.org") {
			t.Errorf("NoPassword = %v, want it to name ada@example.org", res.NoPassword)
		}
		u, h, err := dst.UserByEmail(ctx, "ada@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != ada.ID {
			t.Errorf("user id = %d, want %d", u.ID, ada.ID)
		}
		if ok, err := auth.VerifyPassword("correct horse battery staple", h); ok || err != nil {
			t.Errorf("the old password verifies = %v, %v; want false, no error", ok, err)
		}
	})
	t.Run("with secrets, users keep their passwords", func(t *testing.T) {
		secret := export(t, src, true)
		if !bytes.Contains(secret, []byte("$argon2id$")) {
			t.Fatalf("the backup with secrets holds no hash")
		}
		db := pgtest.New(t)
		res, err := db.Import(ctx, bytes.NewReader(secret))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if len(res.NoPassword) != 0 {
			t.Errorf("NoPassword = %v, want none", res.NoPassword)
		}
		_, h, err := db.UserByEmail(ctx, "ada@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword("correct horse battery staple", h); !ok || err != nil {
			t.Errorf("the password verifies = %v, %v; want true", ok, err)
		}
	})
	t.Run("import into a ledger that holds deals is refused and changes nothing", func(t *testing.T) {
		before := export(t, dst, false)
		_, err := dst.Import(ctx, bytes.NewReader(first))
		if ledger.ErrorCode(err) != ledger.ECONFLICT || !strings.Contains(ledger.ErrorMessage(err), "not empty") {
			t.Fatalf("Import into a full ledger: err = %v, want a conflict saying it is not empty", err)
		}
		sameBackup(t, before, export(t, dst, false))
	})
	t.Run("import into a ledger with only a user is refused", func(t *testing.T) {
		db := pgtest.New(t)
		if err := db.CreateUser(ctx, editor, &ledger.User{Email: "root@example.org", Name: "Root", Role: ledger.RoleAdmin}, hash); err != nil {
			t.Fatal(err)
		}
		_, err := db.Import(ctx, bytes.NewReader(first))
		if ledger.ErrorCode(err) != ledger.ECONFLICT || !strings.Contains(ledger.ErrorMessage(err), "users") {
			t.Errorf("err = %v, want a conflict naming users", err)
		}
	})
}

func TestImportRefusesOtherDocuments(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	good := string(export(t, db, false))
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", "hello", "not a JSON document"},
		{"another format", `{"format":"other","version":1}`, "not a Summit Ledger backup"},
		{"a later format version", strings.Replace(good, `"version":1`, `"version":2`, 1), "format version 2"},
		{"a newer schema", strings.Replace(good, `"schema_version":`, `"schema_version":9999`, 1), "newer ledger"},
		{"a missing table", strings.Replace(good, `"summits"`, `"summitz"`, 1), `no "summits"`},
		{"a field the table lacks", strings.Replace(good, `"countries": [`, `"countries": [`+"\n"+`{"code":"KZ","slug":"kz","name":"K","colour":"red"}`, 1), `"colour"`},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := db.Import(ctx, strings.NewReader(tc.doc))
			if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want invalid mentioning %q", err, tc.want)
			}
		})
	}
}

func TestExportCoversEveryTable(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	sections := backupSections(t, export(t, db, false))
	// Tables a backup holds inside deals, and tables it leaves out on purpose.
	nested := []string{"deal_parties", "deal_organizations", "deal_priorities"}
	left := []string{"sessions", "deal_search", "goose_db_version"}
	rows, err := db.Pool.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		_, ok := sections[name]
		if !ok && !slices.Contains(nested, name) && !slices.Contains(left, name) {
			t.Errorf("table %s is neither in the backup nor left out on purpose: add it to backupTables in backup.go", name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestImportABackupFromBeforeSources imports a backup written before
// sources were records (schema 2: each update carried one source in its own
// fields): every update keeps its source, and one address is one source.
func TestImportABackupFromBeforeSources(t *testing.T) {
	ctx := context.Background()
	src := pgtest.NewSeeded(t)
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(export(t, src, false), &doc); err != nil {
		t.Fatal(err)
	}
	var updates []map[string]any
	json.Unmarshal(doc["status_updates"], &updates) //nolint:errcheck
	for _, u := range updates {
		u["source_url"], u["source_title"], u["source_publisher"] = "https://example.org/old", "The old report", "Old News"
		delete(u, "occurred_precision")
	}
	doc["status_updates"], _ = json.Marshal(updates)
	delete(doc, "sources")
	delete(doc, "update_sources")
	doc["schema_version"] = json.RawMessage("2")
	old, _ := json.Marshal(doc)

	dst := pgtest.New(t)
	if _, err := dst.Import(ctx, bytes.NewReader(old)); err != nil {
		t.Fatalf("Import: %v", err)
	}
	var sources, cites int
	dst.Pool.QueryRow(ctx, `SELECT count(*) FROM sources`).Scan(&sources)
	dst.Pool.QueryRow(ctx, `SELECT count(*) FROM update_sources`).Scan(&cites)
	if sources != 1 || cites != len(updates) {
		t.Errorf("sources = %d, citations = %d; want 1 and %d", sources, cites, len(updates))
	}
}
