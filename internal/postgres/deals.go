package postgres

import (
	"context"
	"fmt"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

func dealFromRow(r sqlcdb.Deal) ledger.Deal {
	d := ledger.Deal{
		ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary,
		Sector: ledger.Sector(r.Sector), Stage: ledger.Stage(r.Stage), StageOn: deref(r.StageOn),
		ValueNote: r.ValueNote, AnnouncedOn: deref(r.AnnouncedOn),
		SummitID: deref(r.SummitID), ParentID: deref(r.ParentID),
		CountsTowardTotal: r.CountsTowardTotal, LastVerifiedOn: deref(r.LastVerifiedOn),
		DeletedAt: deref(r.DeletedAt), DeletedReason: r.DeletedReason,
		Version: int(r.Version), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.ValueCents != nil {
		d.Value = &ledger.Money{Cents: *r.ValueCents, Currency: deref(r.ValueCurrency)}
	}
	return d
}

func datePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func moneyParts(m *ledger.Money) (*int64, *string) {
	if m == nil {
		return nil, nil
	}
	return &m.Cents, &m.Currency
}

// DealByID returns the deal with its parties, organizations and priorities.
func (db *DB) DealByID(ctx context.Context, id int64) (*ledger.Deal, error) {
	return dealWithRelations(ctx, db.q, id)
}

// DealIDBySlug returns the id of the deal that has, or once had, slug.
func (db *DB) DealIDBySlug(ctx context.Context, slug string) (int64, error) {
	r, err := db.q.DealGetBySlug(ctx, slug)
	if err == nil {
		return r.ID, nil
	}
	id, err2 := db.q.SlugRedirectGet(ctx, sqlcdb.SlugRedirectGetParams{Entity: "deal", OldSlug: slug})
	if err2 != nil {
		return 0, dbError(err, "Deal")
	}
	return id, nil
}

func dealWithRelations(ctx context.Context, q *sqlcdb.Queries, id int64) (*ledger.Deal, error) {
	r, err := q.DealGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "Deal")
	}
	d := dealFromRow(r)
	ids := []int64{id}
	parties, err := q.DealPartyList(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: parties of deal %d: %w", id, err)
	}
	for _, p := range parties {
		d.Parties = append(d.Parties, p.CountryCode)
	}
	orgs, err := q.DealOrganizationList(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: organizations of deal %d: %w", id, err)
	}
	for _, o := range orgs {
		d.Organizations = append(d.Organizations, ledger.DealOrganization{OrganizationID: o.OrganizationID, Role: o.Role})
	}
	prios, err := q.DealPriorityList(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: priorities of deal %d: %w", id, err)
	}
	for _, p := range prios {
		d.PriorityIDs = append(d.PriorityIDs, p.PriorityID)
	}
	return &d, nil
}

// CreateDeal inserts d with its relations and a revision; it sets d's ID and Version.
func (db *DB) CreateDeal(ctx context.Context, actor ledger.Actor, d *ledger.Deal) error {
	if d.Slug == "" {
		d.Slug = ledger.Slugify(d.Title)
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		cents, cur := moneyParts(d.Value)
		r, err := q.DealInsert(ctx, sqlcdb.DealInsertParams{
			Slug: d.Slug, Title: d.Title, Summary: d.Summary, Sector: string(d.Sector),
			ValueCents: cents, ValueCurrency: cur, ValueNote: d.ValueNote,
			AnnouncedOn: datePtr(d.AnnouncedOn), SummitID: nonZero(d.SummitID), ParentID: nonZero(d.ParentID),
			CountsTowardTotal: d.CountsTowardTotal,
		})
		if err != nil {
			return dealWriteError(err)
		}
		if err := setDealRelations(ctx, q, actor, r.ID, d); err != nil {
			return err
		}
		created, err := dealWithRelations(ctx, q, r.ID)
		if err != nil {
			return err
		}
		*d = *created
		return writeRevision(ctx, q, actor, "deal", d.ID, "create", "", nil, d)
	})
}

// UpdateDeal replaces d's editable fields and relations when d.Version is
// still current; a stale version is an ECONFLICT error and changes nothing.
func (db *DB) UpdateDeal(ctx context.Context, actor ledger.Actor, d *ledger.Deal) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := dealWithRelations(ctx, q, d.ID)
		if err != nil {
			return err
		}
		if before.Deleted() {
			return ledger.Errorf(ledger.ECONFLICT, "This deal was deleted while you were editing it; an admin can restore it.")
		}
		if before.Version != d.Version {
			return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this deal since you opened it (version %d, now %d).", d.Version, before.Version)
		}
		cents, cur := moneyParts(d.Value)
		_, err = q.DealUpdate(ctx, sqlcdb.DealUpdateParams{
			ID: d.ID, Version: int32(d.Version),
			Slug: d.Slug, Title: d.Title, Summary: d.Summary, Sector: string(d.Sector),
			ValueCents: cents, ValueCurrency: cur, ValueNote: d.ValueNote,
			AnnouncedOn: datePtr(d.AnnouncedOn), SummitID: nonZero(d.SummitID), ParentID: nonZero(d.ParentID),
			CountsTowardTotal: d.CountsTowardTotal,
		})
		if err != nil {
			// A writer that committed first leaves no row at this version.
			if ledger.ErrorCode(dbError(err, "Deal")) == ledger.ENOTFOUND {
				return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this deal since you opened it.")
			}
			return dealWriteError(err)
		}
		if before.Slug != d.Slug {
			if err := q.SlugRedirectInsert(ctx, sqlcdb.SlugRedirectInsertParams{Entity: "deal", OldSlug: before.Slug, EntityID: d.ID}); err != nil {
				return dbError(err, "Old slug")
			}
		}
		if err := setDealRelations(ctx, q, actor, d.ID, d); err != nil {
			return err
		}
		after, err := dealWithRelations(ctx, q, d.ID)
		if err != nil {
			return err
		}
		*d = *after
		return writeRevision(ctx, q, actor, "deal", d.ID, "update", "", before, after)
	})
}

func setDealRelations(ctx context.Context, q *sqlcdb.Queries, actor ledger.Actor, id int64, d *ledger.Deal) error {
	if err := q.DealPartyDelete(ctx, id); err != nil {
		return dbError(err, "Deal parties")
	}
	for _, c := range d.Parties {
		if err := q.DealPartyInsert(ctx, sqlcdb.DealPartyInsertParams{DealID: id, CountryCode: c}); err != nil {
			return dbError(err, "Deal party "+c)
		}
	}
	if err := q.DealOrganizationDelete(ctx, id); err != nil {
		return dbError(err, "Deal organizations")
	}
	for _, o := range d.Organizations {
		if o.OrganizationID == 0 && o.New != nil {
			if err := createOrganization(ctx, q, actor, o.New); err != nil {
				return err
			}
			o.OrganizationID = o.New.ID
		}
		if err := q.DealOrganizationInsert(ctx, sqlcdb.DealOrganizationInsertParams{DealID: id, OrganizationID: o.OrganizationID, Role: o.Role}); err != nil {
			return dbError(err, "Deal organization")
		}
	}
	if err := q.DealPriorityDelete(ctx, id); err != nil {
		return dbError(err, "Deal priorities")
	}
	for _, p := range d.PriorityIDs {
		if err := q.DealPriorityInsert(ctx, sqlcdb.DealPriorityInsertParams{DealID: id, PriorityID: p}); err != nil {
			return dbError(err, "Deal priority")
		}
	}
	return nil
}

func updateFromRow(r sqlcdb.StatusUpdate) ledger.StatusUpdate {
	return ledger.StatusUpdate{
		ID: r.ID, DealID: r.DealID, Stage: ledger.Stage(r.Stage), OccurredOn: r.OccurredOn, Note: r.Note,
		Source:   ledger.Source{URL: r.SourceUrl, Title: r.SourceTitle, Publisher: r.SourcePublisher},
		AuthorID: deref(r.AuthorID), AuthorName: r.AuthorName,
		CorrectsID: deref(r.CorrectsID), CorrectionReason: r.CorrectionReason, CreatedAt: r.CreatedAt,
	}
}

// AddUpdate appends a status update (or a correction) to its deal and, in
// the same transaction, derives the deal's stage and stage date again,
// with a revision when they move. It sets u's ID.
func (db *DB) AddUpdate(ctx context.Context, actor ledger.Actor, u *ledger.StatusUpdate) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		before, err := q.DealGetForUpdate(ctx, u.DealID)
		if err != nil {
			return dbError(err, "Deal")
		}
		if before.DeletedAt != nil {
			return ledger.Errorf(ledger.ENOTFOUND, "Deal not found: it was deleted.")
		}
		action := "create"
		if u.CorrectsID != 0 {
			old, err := q.UpdateGet(ctx, u.CorrectsID)
			if err != nil {
				return dbError(err, "Corrected update")
			}
			if old.DealID != u.DealID {
				return ledger.Errorf(ledger.EINVALID, "The corrected update belongs to another deal.")
			}
			action = "correct"
		}
		r, err := q.UpdateInsert(ctx, sqlcdb.UpdateInsertParams{
			DealID: u.DealID, Stage: string(u.Stage), OccurredOn: u.OccurredOn, Note: u.Note,
			SourceUrl: u.Source.URL, SourceTitle: u.Source.Title, SourcePublisher: u.Source.Publisher,
			AuthorID: nonZero(actor.UserID), AuthorName: actor.Name,
			CorrectsID: nonZero(u.CorrectsID), CorrectionReason: u.CorrectionReason,
		})
		if err != nil {
			if ledger.ErrorCode(dbError(err, "")) == ledger.ECONFLICT {
				return ledger.Errorf(ledger.ECONFLICT, "That update has already been corrected.")
			}
			return dbError(err, "Status update")
		}
		*u = updateFromRow(r)
		if err := writeRevision(ctx, q, actor, "status_update", r.ID, action, u.CorrectionReason, nil, u); err != nil {
			return err
		}
		return deriveStage(ctx, q, actor, before)
	})
}

// UpdatesByDeal returns the deal's timeline, newest first, corrected updates included.
func (db *DB) UpdatesByDeal(ctx context.Context, dealID int64) ([]ledger.StatusUpdate, error) {
	rows, err := db.q.UpdateListByDeal(ctx, dealID)
	if err != nil {
		return nil, fmt.Errorf("postgres: updates of deal %d: %w", dealID, err)
	}
	out := make([]ledger.StatusUpdate, len(rows))
	for i, r := range rows {
		out[i] = updateFromRow(r)
	}
	return out, nil
}

// RevisionsFor returns the revisions of one record, newest first.
func (db *DB) RevisionsFor(ctx context.Context, entity string, id int64) ([]ledger.Revision, error) {
	rows, err := db.q.RevisionListByEntity(ctx, sqlcdb.RevisionListByEntityParams{Entity: entity, EntityID: id})
	if err != nil {
		return nil, fmt.Errorf("postgres: revisions of %s %d: %w", entity, id, err)
	}
	out := make([]ledger.Revision, len(rows))
	for i, r := range rows {
		out[i] = ledger.Revision{ID: r.ID, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action,
			ActorID: deref(r.ActorID), ActorName: r.ActorName, Reason: r.Reason,
			Before: r.Before, After: r.After, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
