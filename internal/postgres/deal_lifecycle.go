package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// VerifyDeal records that an editor checked the deal on day `on` and found
// no change: it sets last_verified_on and writes a 'verify' revision, and
// leaves the stage, the timeline and the version alone.
func (db *DB) VerifyDeal(ctx context.Context, actor ledger.Actor, id int64, on time.Time) (*ledger.Deal, error) {
	var out *ledger.Deal
	err := db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := q.DealGetForUpdate(ctx, id)
		if err != nil {
			return dbError(err, "Deal")
		}
		if before.DeletedAt != nil {
			return ledger.Errorf(ledger.ENOTFOUND, "Deal not found: it was deleted.")
		}
		day := on.UTC().Truncate(24 * time.Hour)
		after, err := q.DealSetVerified(ctx, sqlcdb.DealSetVerifiedParams{ID: id, VerifiedOn: &day})
		if err != nil {
			return dbError(err, "Deal")
		}
		d := dealFromRow(after)
		out = &d
		return writeRevision(ctx, q, actor, "deal", id, "verify", "",
			map[string]any{"LastVerifiedOn": before.LastVerifiedOn},
			map[string]any{"LastVerifiedOn": after.LastVerifiedOn})
	})
	return out, err
}

// DeleteDeal soft-deletes the deal with a reason: it leaves public lists and
// totals but nothing is removed, and RestoreDeal brings it back. Both derive
// the stage again in their transaction, as status updates do, so that no
// write to a deal can leave a stage of an older rule stored.
func (db *DB) DeleteDeal(ctx context.Context, actor ledger.Actor, id int64, reason string) error {
	if err := ledger.ValidateReason(reason); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := q.DealGetForUpdate(ctx, id)
		if err != nil {
			return dbError(err, "Deal")
		}
		if before.DeletedAt != nil {
			return ledger.Errorf(ledger.ECONFLICT, "This deal is already deleted.")
		}
		after, err := q.DealSetDeleted(ctx, sqlcdb.DealSetDeletedParams{ID: id, Reason: reason})
		if err != nil {
			return dbError(err, "Deal")
		}
		err = writeRevision(ctx, q, actor, "deal", id, "delete", reason,
			map[string]any{"DeletedAt": before.DeletedAt, "DeletedReason": before.DeletedReason},
			map[string]any{"DeletedAt": after.DeletedAt, "DeletedReason": after.DeletedReason})
		if err != nil {
			return err
		}
		return deriveStage(ctx, q, actor, after)
	})
}

// RestoreDeal undoes a soft delete, with a reason.
func (db *DB) RestoreDeal(ctx context.Context, actor ledger.Actor, id int64, reason string) error {
	if err := ledger.ValidateReason(reason); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := q.DealGetForUpdate(ctx, id)
		if err != nil {
			return dbError(err, "Deal")
		}
		if before.DeletedAt == nil {
			return ledger.Errorf(ledger.ECONFLICT, "This deal is not deleted.")
		}
		after, err := q.DealSetRestored(ctx, id)
		if err != nil {
			return dbError(err, "Deal")
		}
		err = writeRevision(ctx, q, actor, "deal", id, "restore", reason,
			map[string]any{"DeletedAt": before.DeletedAt, "DeletedReason": before.DeletedReason},
			map[string]any{"DeletedAt": after.DeletedAt, "DeletedReason": after.DeletedReason})
		if err != nil {
			return err
		}
		return deriveStage(ctx, q, actor, after)
	})
}

// DealAtVersion returns the deal as it stood at version, rebuilt from the
// revision that produced that version: what an editor's form started from.
func (db *DB) DealAtVersion(ctx context.Context, id int64, version int) (*ledger.Deal, error) {
	var d ledger.Deal
	if err := db.recordAtVersion(ctx, "deal", id, version, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (db *DB) recordAtVersion(ctx context.Context, entity string, id int64, version int, into any) error {
	raw, err := db.q.RevisionRecordAtVersion(ctx, sqlcdb.RevisionRecordAtVersionParams{Entity: entity, EntityID: id, Version: int32(version)})
	if err != nil {
		return dbError(err, fmt.Sprintf("Version %d", version))
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("postgres: %s %d at version %d: %w", entity, id, version, err)
	}
	return nil
}

// DealChoice is a deal as a select offers it.
type DealChoice struct {
	ID       int64
	Title    string
	ParentID int64 // 0 when none
}

// DealChoices returns every deal that is not deleted, by title, for the parent-deal select.
func (db *DB) DealChoices(ctx context.Context) ([]DealChoice, error) {
	rows, err := db.q.DealChoiceList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: deal choices: %w", err)
	}
	out := make([]DealChoice, len(rows))
	for i, r := range rows {
		out[i] = DealChoice{ID: r.ID, Title: r.Title, ParentID: deref(r.ParentID)}
	}
	return out, nil
}
