package postgres

import (
	"context"

	"summitledger/internal/ledger"
)

// UpdateByID returns one status update.
func (db *DB) UpdateByID(ctx context.Context, id int64) (*ledger.StatusUpdate, error) {
	r, err := db.q.UpdateGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "Status update")
	}
	u := updateFromRow(r)
	return &u, withSources(ctx, db.q, &u)
}

// CorrectionOf returns the update that corrects update id; ENOTFOUND when
// none does yet.
func (db *DB) CorrectionOf(ctx context.Context, id int64) (*ledger.StatusUpdate, error) {
	r, err := db.q.UpdateGetCorrection(ctx, &id)
	if err != nil {
		return nil, dbError(err, "Correction")
	}
	u := updateFromRow(r)
	return &u, withSources(ctx, db.q, &u)
}
