package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// UpdatesByDeal returns the deal's timeline, newest first, corrected
// updates included: what the store tests check a write against. No page
// needs it, so it is compiled only into the tests.
func (db *DB) UpdatesByDeal(ctx context.Context, dealID int64) ([]ledger.StatusUpdate, error) {
	rows, err := db.Pool.Query(ctx, `SELECT * FROM status_updates WHERE deal_id = $1 ORDER BY occurred_on DESC, id DESC`, dealID)
	if err != nil {
		return nil, fmt.Errorf("postgres: updates of deal %d: %w", dealID, err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sqlcdb.StatusUpdate])
	if err != nil {
		return nil, fmt.Errorf("postgres: updates of deal %d: %w", dealID, err)
	}
	out := make([]ledger.StatusUpdate, len(got))
	for i, r := range got {
		out[i] = updateFromRow(r)
	}
	return out, nil
}
