package postgres

import (
	"context"
	"fmt"

	"summitledger/internal/postgres/sqlcdb"
)

// SeedOwned returns the ids of the live records of entity ("deal",
// "priority", "organization") that actor created and that nobody else has
// changed since: the ones a re-seed may bring in line with the dataset.
func (db *DB) SeedOwned(ctx context.Context, entity, actor string) (map[int64]bool, error) {
	ids, err := db.q.RevisionSeedOwned(ctx, sqlcdb.RevisionSeedOwnedParams{Entity: entity, ActorName: actor})
	if err != nil {
		return nil, fmt.Errorf("postgres: %ss made by %s alone: %w", entity, actor, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
