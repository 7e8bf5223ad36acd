package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"summitledger/internal/auth"
	"summitledger/internal/postgres"
	"summitledger/internal/postgres/pgtest"
)

func TestExportImportCommands(t *testing.T) {
	ctx := context.Background()
	src := pgtest.URL(t)
	t.Setenv("DATABASE_URL", src)
	if _, err := runLedger(t, "", "seed"); err != nil {
		t.Fatalf("seed: %v", err)
	}
	if _, err := runLedger(t, "a long enough password\n", "user", "add", "--email", "ada@example.org", "--name", "Ada", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	backup, err := runLedger(t, "", "export")
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	file := filepath.Join(t.TempDir(), "backup.json")
	if err := os.WriteFile(file, []byte(backup), 0o600); err != nil {
		t.Fatal(err)
	}

	// The database restored into is made by pgtest, already migrated:
	// import migrating again must be a no-op.
	dst := pgtest.URL(t)
	t.Setenv("DATABASE_URL", dst)
	out, err := runLedger(t, "", "import", file)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Run("import says what it loaded", func(t *testing.T) {
		for _, want := range []string{"Imported ", " deals", " status updates", "1 users"} {
			if !strings.Contains(out, want) {
				t.Errorf("output = %q, want it to contain %q", out, want)
			}
		}
	})
	t.Run("import names the users who need a password", func(t *testing.T) {
		if want := "ledger user set-password --email ada@example.org"; !strings.Contains(out, want) {
			t.Errorf("output = %q, want it to contain %q", out, want)
		}
	})
	t.Run("set-password then lets the user sign in", func(t *testing.T) {
		if _, err := runLedger(t, "a new password here\n", "user", "set-password", "--email", "ada@example.org"); err != nil {
			t.Fatalf("set-password: %v", err)
		}
		db, err := postgres.Open(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, h, err := db.UserByEmail(ctx, "ada@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword("a new password here", h); !ok || err != nil {
			t.Errorf("the new password verifies = %v, %v; want true", ok, err)
		}
	})
	t.Run("import from standard input into a full ledger is refused", func(t *testing.T) {
		_, err := runLedger(t, backup, "import", "-")
		if err == nil || !strings.Contains(err.Error(), "not empty") || strings.Contains(err.Error(), "code=") {
			t.Errorf("err = %v, want a plain message saying the ledger is not empty", err)
		}
	})
	t.Run("import without a file is refused", func(t *testing.T) {
		if _, err := runLedger(t, "", "import"); err == nil || !strings.Contains(err.Error(), "name one backup file") {
			t.Errorf("err = %v, want it to ask for a file", err)
		}
	})
	t.Run("export with secrets carries the password hash", func(t *testing.T) {
		out, err := runLedger(t, "", "export", "--with-secrets")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "$argon2id$") {
			t.Errorf("the export with secrets holds no password hash")
		}
	})
}
