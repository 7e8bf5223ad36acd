package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// OrganizationByID returns one organization.
func (db *DB) OrganizationByID(ctx context.Context, id int64) (*ledger.Organization, error) {
	r, err := db.q.OrganizationGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "Organization")
	}
	o := organizationFromRow(r)
	return &o, nil
}

// OrganizationBySlug returns the organization that has, or once had, slug:
// compare its Slug with slug to tell an old address from the current one.
func (db *DB) OrganizationBySlug(ctx context.Context, slug string) (*ledger.Organization, error) {
	r, err := db.q.OrganizationGetBySlug(ctx, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		r, err = db.q.OrganizationGetRedirect(ctx, slug)
	}
	if err != nil {
		return nil, dbError(err, "Organization")
	}
	o := organizationFromRow(r)
	return &o, nil
}

// UpdateOrganization replaces o's fields when o.Version is still current; a
// stale version is an ECONFLICT error and changes nothing. A changed slug
// keeps the old one redirecting. Renaming refreshes the search documents of
// the organization's deals (a trigger on organizations.name does it). Its
// revision keeps o.ChangeNote.
func (db *DB) UpdateOrganization(ctx context.Context, actor ledger.Actor, o *ledger.Organization) error {
	if o.Slug == "" {
		o.Slug = ledger.Slugify(o.Name)
	}
	if err := o.Validate(); err != nil {
		return err
	}
	var after ledger.Organization
	err := db.inTxRetry(ctx, func(q *sqlcdb.Queries) error {
		row, err := q.OrganizationGet(ctx, o.ID)
		if err != nil {
			return dbError(err, "Organization")
		}
		before := organizationFromRow(row)
		if before.Version != o.Version {
			return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this organization since you opened it (version %d, now %d).", o.Version, before.Version)
		}
		r, err := q.OrganizationUpdate(ctx, sqlcdb.OrganizationUpdateParams{
			ID: o.ID, Version: int32(o.Version), Slug: o.Slug, Name: o.Name, Kind: o.Kind,
			CountryCode: nonZero(o.CountryCode), Description: o.Description,
		})
		if err != nil {
			// A writer that committed first leaves no row at this version.
			if ledger.ErrorCode(dbError(err, "Organization")) == ledger.ENOTFOUND {
				return ledger.Errorf(ledger.ECONFLICT, "Someone else changed this organization since you opened it.")
			}
			return organizationWriteError(err)
		}
		if before.Slug != r.Slug {
			if err := q.SlugRedirectInsert(ctx, sqlcdb.SlugRedirectInsertParams{Entity: "organization", OldSlug: before.Slug, EntityID: o.ID}); err != nil {
				return dbError(err, "Old slug")
			}
		}
		after = organizationFromRow(r)
		return writeRevision(ctx, q, actor, "organization", o.ID, "update", o.ChangeNote, before, after)
	})
	if err == nil {
		*o = after
	}
	return err
}

// OrganizationAtVersion returns the organization as it stood at version.
func (db *DB) OrganizationAtVersion(ctx context.Context, id int64, version int) (*ledger.Organization, error) {
	var o ledger.Organization
	if err := db.recordAtVersion(ctx, "organization", id, version, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// organizationWriteError turns a taken slug or an unknown country into a
// field error the organization form can show, and any other failure into
// the usual store error.
func organizationWriteError(err error) error {
	if isUniqueViolation(err, "organizations_slug_key") {
		return &ledger.Error{Code: ledger.EINVALID, Message: "Another organization already uses that slug.",
			Fields: map[string]string{"slug": "Another organization already uses this slug; choose another."}}
	}
	if isForeignKeyViolation(err, "organizations_country_code_fkey") {
		return &ledger.Error{Code: ledger.EINVALID, Message: "There is no such country.",
			Fields: map[string]string{"country": "Choose a country from the list."}}
	}
	return dbError(err, "Organization")
}

// isForeignKeyViolation reports whether err is a foreign key violation of constraint.
func isForeignKeyViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == constraint
}
