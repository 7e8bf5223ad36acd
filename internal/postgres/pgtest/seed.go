package pgtest

import (
	"context"
	"testing"

	"summitledger/internal/postgres"
	"summitledger/internal/seed"
)

// NewSeeded is New with the C5+1 dataset loaded.
func NewSeeded(t testing.TB) *postgres.DB {
	t.Helper()
	db := New(t)
	Seed(t, db)
	return db
}

// Seed loads the C5+1 dataset into db, failing t if it cannot.
func Seed(t testing.TB, db *postgres.DB) {
	t.Helper()
	data, err := seed.C5plus1()
	if err != nil {
		t.Fatalf("pgtest: read the C5+1 dataset: %v", err)
	}
	if err := seed.Load(context.Background(), db, data); err != nil {
		t.Fatalf("pgtest: load the C5+1 dataset: %v", err)
	}
}
