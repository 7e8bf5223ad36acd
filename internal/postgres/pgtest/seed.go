package pgtest

import (
	"context"
	"embed"
	"testing"

	"summitledger/internal/postgres"
	"summitledger/internal/seed"
)

// fixture is a small dataset in the datasets' format that tests rely on:
// six commitments, their countries, organizations and priorities. It does
// not change when the real datasets grow, so tests can name its records.
//
//go:embed fixture/*.json
var fixture embed.FS

// NewSeeded is New with the test fixture loaded.
func NewSeeded(t testing.TB) *postgres.DB {
	t.Helper()
	db := New(t)
	Seed(t, db)
	return db
}

// Seed loads the test fixture into db, failing t if it cannot.
func Seed(t testing.TB, db *postgres.DB) {
	t.Helper()
	files, err := seed.ReadFiles(fixture, "fixture")
	if err != nil {
		t.Fatalf("pgtest: read the fixture: %v", err)
	}
	load(t, db, files)
}

// NewWithDatasets is New with the real datasets loaded, as `ledger seed` loads them.
func NewWithDatasets(t testing.TB) *postgres.DB {
	t.Helper()
	db := New(t)
	files, err := seed.Files()
	if err != nil {
		t.Fatalf("pgtest: read the datasets: %v", err)
	}
	load(t, db, files)
	return db
}

func load(t testing.TB, db *postgres.DB, files []seed.File) {
	t.Helper()
	if _, err := seed.Load(context.Background(), db, files); err != nil {
		t.Fatalf("pgtest: load: %v", err)
	}
}
