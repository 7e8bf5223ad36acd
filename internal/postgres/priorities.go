package postgres

import (
	"context"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// PriorityByID returns one priority, deleted or not.
func (db *DB) PriorityByID(ctx context.Context, id int64) (*ledger.Priority, error) {
	r, err := db.q.PriorityGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "Priority")
	}
	p := priorityFromRow(r)
	return &p, nil
}

// UpdatePriority replaces p's editable fields when p.Version is still
// current; a stale version is an ECONFLICT error and changes nothing. The
// country never changes. Its revision keeps p.ChangeNote.
func (db *DB) UpdatePriority(ctx context.Context, actor ledger.Actor, p *ledger.Priority) error {
	if p.Slug == "" {
		p.Slug = ledger.Slugify(p.Title)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	var after ledger.Priority
	err := db.inTxRetry(ctx, func(q *sqlcdb.Queries) error {
		row, err := q.PriorityGet(ctx, p.ID)
		if err != nil {
			return dbError(err, "Priority")
		}
		before := priorityFromRow(row)
		if before.Deleted() {
			return ledger.Errorf(ledger.ECONFLICT, "This priority was deleted while you were editing it; an admin can restore it.")
		}
		if before.Version != p.Version {
			return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this priority since you opened it (version %d, now %d).", p.Version, before.Version)
		}
		if before.CountryCode != p.CountryCode {
			return ledger.Errorf(ledger.EINVALID, "A priority cannot move to another country.")
		}
		r, err := q.PriorityUpdate(ctx, sqlcdb.PriorityUpdateParams{
			ID: p.ID, Version: int32(p.Version), Slug: p.Slug, Title: p.Title, Description: p.Description,
			Sector: string(p.Sector), SourceUrl: p.Source.URL, SourceTitle: p.Source.Title, SourcePublisher: p.Source.Publisher,
		})
		if err != nil {
			if ledger.ErrorCode(dbError(err, "Priority")) == ledger.ENOTFOUND {
				return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this priority since you opened it.")
			}
			return priorityWriteError(err)
		}
		after = priorityFromRow(r)
		return writeRevision(ctx, q, actor, "priority", p.ID, "update", p.ChangeNote, before, after)
	})
	if err == nil {
		*p = after
	}
	return err
}

// PriorityAtVersion returns the priority as it stood at version.
func (db *DB) PriorityAtVersion(ctx context.Context, id int64, version int) (*ledger.Priority, error) {
	var p ledger.Priority
	if err := db.recordAtVersion(ctx, "priority", id, version, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePriority soft-deletes a priority with a reason kept in its revision.
func (db *DB) DeletePriority(ctx context.Context, actor ledger.Actor, id int64, reason string) error {
	return db.setPriorityDeleted(ctx, actor, id, reason, true)
}

// RestorePriority undoes a soft delete, with a reason.
func (db *DB) RestorePriority(ctx context.Context, actor ledger.Actor, id int64, reason string) error {
	return db.setPriorityDeleted(ctx, actor, id, reason, false)
}

func (db *DB) setPriorityDeleted(ctx context.Context, actor ledger.Actor, id int64, reason string, deleted bool) error {
	if err := ledger.ValidateReason(reason); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		row, err := q.PriorityGet(ctx, id)
		if err != nil {
			return dbError(err, "Priority")
		}
		action, set := "delete", q.PrioritySetDeleted
		if !deleted {
			action, set = "restore", q.PrioritySetRestored
		}
		after, err := set(ctx, id)
		if err != nil {
			if ledger.ErrorCode(dbError(err, "")) == ledger.ENOTFOUND {
				return ledger.Errorf(ledger.ECONFLICT, "This priority is already %sd.", action)
			}
			return dbError(err, "Priority")
		}
		return writeRevision(ctx, q, actor, "priority", id, action, reason,
			map[string]any{"DeletedAt": row.DeletedAt}, map[string]any{"DeletedAt": after.DeletedAt})
	})
}

func priorityWriteError(err error) error {
	if isUniqueViolation(err, "priorities_country_code_slug_key") {
		return prioritySlugTaken()
	}
	return dbError(err, "Priority")
}

// prioritySlugTaken is the field error for a slug another priority of the country has.
func prioritySlugTaken() error {
	return &ledger.Error{Code: ledger.EINVALID, Message: "Another priority of this country already uses that slug.",
		Fields: map[string]string{"slug": "Another priority of this country already uses this slug; choose another."}}
}
