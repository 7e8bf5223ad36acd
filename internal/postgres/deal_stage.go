package postgres

import (
	"context"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// stageDerivedReason is the reason of the revision deriveStage writes.
const stageDerivedReason = "stage derived from status update"

// deriveStage sets the deal's stage and stage date from its updates in
// force (the rule is deal_stage's, in migrations/00006_deal_stage.sql),
// in the caller's transaction, after any write that may move them; before
// is the deal row as the transaction locked it. A revision records a move.
func deriveStage(ctx context.Context, q *sqlcdb.Queries, actor ledger.Actor, before sqlcdb.Deal) error {
	after, err := q.DealSetStage(ctx, before.ID)
	if err != nil {
		return dbError(err, "Deal stage")
	}
	if before.Stage == after.Stage && deref(before.StageOn).Equal(deref(after.StageOn)) {
		return nil
	}
	return writeRevision(ctx, q, actor, "deal", before.ID, "update", stageDerivedReason,
		map[string]any{"stage": before.Stage, "stage_on": before.StageOn},
		map[string]any{"stage": after.Stage, "stage_on": after.StageOn})
}
