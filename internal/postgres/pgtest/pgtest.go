// Package pgtest gives each test a fresh, migrated PostgreSQL database.
package pgtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strconv"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb opens
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/common"

	"summitledger/internal/postgres"
	"summitledger/migrations"
)

// migrator applies the embedded goose migrations to pgtestdb's template database.
type migrator struct{}

// Hash changes whenever a migration file does, so the template is rebuilt.
func (migrator) Hash() (string, error) {
	return common.HashDirs(migrations.FS, "*.sql", ".")
}

// Migrate runs the migrations.
func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return postgres.MigrateSQL(ctx, db)
}

// Config says which server the test databases live on: TEST_DATABASE_URL,
// or postgres@127.0.0.1:5432 with trust authentication.
func Config(t testing.TB) pgtestdb.Config {
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("pgtest: TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	port := u.Port()
	if _, err := strconv.Atoi(port); err != nil {
		port = "5432"
	}
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       port,
		User:       u.User.Username(),
		Password:   pw,
		Database:   "postgres",
		Options:    "sslmode=disable",
	}
}

// URL returns the connection URL of a fresh migrated database, dropped when t passes.
func URL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, Config(t), migrator{}).URL()
}

// New returns a store on a fresh migrated database, closed at the end of t.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}
