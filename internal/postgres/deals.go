package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

func dealFromRow(r sqlcdb.Deal) ledger.Deal {
	d := ledger.Deal{
		ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary,
		Sector: ledger.Sector(r.Sector), Stage: ledger.Stage(r.Stage), StageOn: deref(r.StageOn),
		ValueNote: r.ValueNote, AnnouncedOn: deref(r.AnnouncedOn), AnnouncedPrecision: ledger.Precision(r.AnnouncedPrecision),
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

// precisionOrDay is p, or a whole day when p is not given.
func precisionOrDay(p ledger.Precision) ledger.Precision {
	if p == "" {
		return ledger.Day
	}
	return p
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
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, dbError(err, "Deal")
	}
	id, err := db.q.SlugRedirectGet(ctx, sqlcdb.SlugRedirectGetParams{Entity: "deal", OldSlug: slug})
	if err != nil {
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

// CreateDeal inserts d with its relations and a revision, which keeps
// d.ChangeNote; it sets d's ID, Slug and Version. An empty slug is made
// from the title, and when another deal has it, or had it, the next free
// one of slug-2, slug-3 … is taken, however many deals are created at once.
func (db *DB) CreateDeal(ctx context.Context, actor ledger.Actor, d *ledger.Deal) error {
	if err := d.Validate(); err != nil {
		return err
	}
	var created *ledger.Deal
	err := db.inTxRetry(ctx, func(q *sqlcdb.Queries) error {
		r, err := insertDeal(ctx, q, d)
		if err != nil {
			return err
		}
		if err := setDealRelations(ctx, q, actor, r.ID, d); err != nil {
			return err
		}
		if created, err = dealWithRelations(ctx, q, r.ID); err != nil {
			return err
		}
		return writeRevision(ctx, q, actor, "deal", r.ID, "create", d.ChangeNote, nil, created)
	})
	if err == nil {
		*d = *created
	}
	return err
}

// maxSlugNumber bounds the numbered slugs tried for one title.
const maxSlugNumber = 1000

// insertDeal inserts the deal's row under its typed slug, or under the
// first free slug made from its title.
func insertDeal(ctx context.Context, q *sqlcdb.Queries, d *ledger.Deal) (sqlcdb.Deal, error) {
	typed, base := d.Slug != "", d.Slug
	if !typed {
		base = ledger.DealSlug(d.Title)
	}
	cents, cur := moneyParts(d.Value)
	for n := 1; n <= maxSlugNumber && (n == 1 || !typed); n++ {
		slug := ledger.NumberedSlug(base, n)
		taken, err := q.DealSlugTaken(ctx, sqlcdb.DealSlugTakenParams{Slug: slug})
		if err != nil {
			return sqlcdb.Deal{}, dbError(err, "Deal slug")
		}
		if taken {
			continue
		}
		r, err := q.DealInsert(ctx, sqlcdb.DealInsertParams{
			Slug: slug, Title: d.Title, Summary: d.Summary, Sector: string(d.Sector),
			ValueCents: cents, ValueCurrency: cur, ValueNote: d.ValueNote,
			AnnouncedOn: datePtr(d.AnnouncedOn), AnnouncedPrecision: string(precisionOrDay(d.AnnouncedPrecision)),
			SummitID: nonZero(d.SummitID), ParentID: nonZero(d.ParentID), CountsTowardTotal: d.CountsTowardTotal,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			continue // another deal took it, perhaps a moment ago
		} else if err != nil {
			return sqlcdb.Deal{}, dealWriteError(err)
		}
		return r, nil
	}
	return sqlcdb.Deal{}, slugTaken()
}

// slugTaken is the field error for a typed slug another deal has or had.
func slugTaken() error {
	return &ledger.Error{Code: ledger.EINVALID, Message: "Another deal already uses that slug.",
		Fields: map[string]string{"slug": "Another deal already uses this slug, or did; choose another."}}
}

// citing is a record as a revision keeps it, with the sources the editor
// cited for the change; a revision read back as the record ignores them.
type citing struct {
	*ledger.Deal
	ChangeSources []ledger.Source `json:",omitempty"`
}

// UpdateDeal replaces d's editable fields and relations when d.Version is
// still current; a stale version is an ECONFLICT error and changes nothing.
// Its revision keeps d.ChangeNote. An empty slug is made from the title as
// CreateDeal makes it. The umbrella may not put the deal inside itself:
// the deal and every deal on its new umbrella's chain are locked in id
// order before that is checked, so two editors moving two deals under
// each other at once never both succeed, and never deadlock.
func (db *DB) UpdateDeal(ctx context.Context, actor ledger.Actor, d *ledger.Deal) error {
	if err := d.Validate(); err != nil {
		return err
	}
	var after *ledger.Deal
	err := db.inTxRetry(ctx, func(q *sqlcdb.Queries) error {
		if err := lockUmbrellas(ctx, q, d.ID, d.ParentID); err != nil {
			return err
		}
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
		if ledger.SourceNeeded(before, d) && len(d.ChangeSources) == 0 {
			return &ledger.Error{Code: ledger.EINVALID, Message: "Cite a source for this change.",
				Fields: map[string]string{ledger.SourceField("source_url", 0): "A change to the value, the parties or the organizations needs a source: give one below."}}
		}
		slug, err := updatedSlug(ctx, q, d)
		if err != nil {
			return err
		}
		cents, cur := moneyParts(d.Value)
		_, err = q.DealUpdate(ctx, sqlcdb.DealUpdateParams{
			ID: d.ID, Version: int32(d.Version),
			Slug: slug, Title: d.Title, Summary: d.Summary, Sector: string(d.Sector),
			ValueCents: cents, ValueCurrency: cur, ValueNote: d.ValueNote,
			AnnouncedOn: datePtr(d.AnnouncedOn), AnnouncedPrecision: string(precisionOrDay(d.AnnouncedPrecision)), SummitID: nonZero(d.SummitID), ParentID: nonZero(d.ParentID),
			CountsTowardTotal: d.CountsTowardTotal,
		})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			// The row is locked and its version checked: only a bug gets here.
			return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this deal since you opened it.")
		case d.Slug == "" && isUniqueViolation(err, "deals_slug_key"):
			return errRetry // a slug made from the title was taken a moment ago
		case err != nil:
			return dealWriteError(err)
		}
		if before.Slug != slug {
			if err := q.SlugRedirectInsert(ctx, sqlcdb.SlugRedirectInsertParams{Entity: "deal", OldSlug: before.Slug, EntityID: d.ID}); err != nil {
				return dbError(err, "Old slug")
			}
		}
		if err := setDealRelations(ctx, q, actor, d.ID, d); err != nil {
			return err
		}
		if after, err = dealWithRelations(ctx, q, d.ID); err != nil {
			return err
		}
		return writeRevision(ctx, q, actor, "deal", d.ID, "update", d.ChangeNote, before, citing{after, d.ChangeSources})
	})
	if err == nil {
		*d = *after
	}
	return err
}

// updatedSlug is the slug an edit gives the deal: the typed one, unless
// another deal has or had it, or the first free one made from the title.
func updatedSlug(ctx context.Context, q *sqlcdb.Queries, d *ledger.Deal) (string, error) {
	typed, base := d.Slug != "", d.Slug
	if !typed {
		base = ledger.DealSlug(d.Title)
	}
	for n := 1; n <= maxSlugNumber && (n == 1 || !typed); n++ {
		slug := ledger.NumberedSlug(base, n)
		taken, err := q.DealSlugTaken(ctx, sqlcdb.DealSlugTakenParams{Slug: slug, ID: d.ID})
		if err != nil {
			return "", dbError(err, "Deal slug")
		}
		if !taken {
			return slug, nil
		}
	}
	return "", slugTaken()
}

// lockUmbrellas locks the deal self and, when it is to be part of parent,
// every deal on parent's chain of umbrellas, in id order; then it checks,
// on the rows as locked, that parent would not put self inside itself.
// Locked, no deal on the chain can move until the transaction ends. When
// the chain changed between reading and locking it, the transaction is
// run again (errRetry) rather than locking more rows out of order.
func lockUmbrellas(ctx context.Context, q *sqlcdb.Queries, self, parent int64) error {
	ids := []int64{self}
	if parent != 0 {
		chain, err := q.DealUmbrellaChain(ctx, parent)
		if err != nil {
			return dbError(err, "Umbrella deals")
		}
		if len(chain) == 0 {
			return &ledger.Error{Code: ledger.EINVALID, Message: "There is no such umbrella deal.",
				Fields: map[string]string{"parent_id": "Choose the umbrella deal from the list."}}
		}
		ids = append(ids, chain...)
	}
	slices.Sort(ids)
	rows, err := q.DealLockUmbrellas(ctx, slices.Compact(ids))
	if err != nil {
		return dbError(err, "Deal")
	}
	umbrella := map[int64]int64{}
	for _, r := range rows {
		umbrella[r.ID] = deref(r.ParentID)
	}
	if _, ok := umbrella[self]; !ok {
		return ledger.Errorf(ledger.ENOTFOUND, "Deal not found.")
	}
	complete := true
	err = ledger.CheckUmbrella(self, parent, func(id int64) (int64, bool) {
		p, ok := umbrella[id]
		complete = complete && ok
		return p, ok
	})
	if err == nil && !complete {
		return errRetry
	}
	return err
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
		ID: r.ID, DealID: r.DealID, Stage: ledger.Stage(r.Stage), OccurredOn: r.OccurredOn,
		OccurredPrecision: ledger.Precision(r.OccurredPrecision), Note: r.Note,
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
			DealID: u.DealID, Stage: string(u.Stage), OccurredOn: u.OccurredOn,
			OccurredPrecision: string(precisionOrDay(u.OccurredPrecision)), Note: u.Note,
			AuthorID: nonZero(actor.UserID), AuthorName: actor.Name,
			CorrectsID: nonZero(u.CorrectsID), CorrectionReason: u.CorrectionReason,
		})
		if err != nil {
			if ledger.ErrorCode(dbError(err, "")) == ledger.ECONFLICT {
				return ledger.Errorf(ledger.ECONFLICT, "That update has already been corrected.")
			}
			return dbError(err, "Status update")
		}
		srcs := u.Sources
		*u = updateFromRow(r)
		u.Sources = srcs
		if err := citeSources(ctx, q, u.ID, u.Sources); err != nil {
			return err
		}
		if err := writeRevision(ctx, q, actor, "status_update", r.ID, action, u.CorrectionReason, nil, u); err != nil {
			return err
		}
		return deriveStage(ctx, q, actor, before)
	})
}

// UpdatesByDeal returns the deal's timeline, newest first, corrected
// updates included, each with its sources: what the dataset loader
// compares the files with.
func (db *DB) UpdatesByDeal(ctx context.Context, dealID int64) ([]ledger.StatusUpdate, error) {
	rows, err := db.q.UpdateListByDeal(ctx, dealID)
	if err != nil {
		return nil, fmt.Errorf("postgres: updates of deal %d: %w", dealID, err)
	}
	out := make([]ledger.StatusUpdate, len(rows))
	ptrs := make([]*ledger.StatusUpdate, len(rows))
	for i, r := range rows {
		out[i] = updateFromRow(r)
		ptrs[i] = &out[i]
	}
	return out, withSources(ctx, db.q, ptrs...)
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
