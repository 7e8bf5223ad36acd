package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// Countries returns every participant, by name.
func (db *DB) Countries(ctx context.Context) ([]ledger.Country, error) {
	rows, err := db.q.CountryList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: list countries: %w", err)
	}
	out := make([]ledger.Country, len(rows))
	for i, r := range rows {
		out[i] = countryFromRow(r)
	}
	return out, nil
}

// CountryBySlug returns one country.
func (db *DB) CountryBySlug(ctx context.Context, slug string) (*ledger.Country, error) {
	r, err := db.q.CountryGetBySlug(ctx, slug)
	if err != nil {
		return nil, dbError(err, "Country")
	}
	c := countryFromRow(r)
	return &c, nil
}

// CountryByCode returns the country with an ISO code, in any letter case.
func (db *DB) CountryByCode(ctx context.Context, code string) (*ledger.Country, error) {
	r, err := db.q.CountryGetByCode(ctx, code)
	if err != nil {
		return nil, dbError(err, "Country")
	}
	c := countryFromRow(r)
	return &c, nil
}

func countryFromRow(r sqlcdb.Country) ledger.Country {
	return ledger.Country{Code: r.Code, Slug: r.Slug, Name: r.Name, Capital: r.Capital,
		Leader: r.Leader, LeaderTitle: r.LeaderTitle, Summary: r.Summary}
}

// Summits returns every summit, newest first.
func (db *DB) Summits(ctx context.Context) ([]ledger.Summit, error) {
	rows, err := db.q.SummitList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: list summits: %w", err)
	}
	out := make([]ledger.Summit, len(rows))
	for i, r := range rows {
		out[i] = ledger.Summit{ID: r.ID, Slug: r.Slug, Name: r.Name, HeldOn: deref(r.HeldOn), City: r.City, Description: r.Description}
	}
	return out, nil
}

// Organizations returns every organization, by name.
func (db *DB) Organizations(ctx context.Context) ([]ledger.Organization, error) {
	rows, err := db.q.OrganizationList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: list organizations: %w", err)
	}
	out := make([]ledger.Organization, len(rows))
	for i, r := range rows {
		out[i] = organizationFromRow(r)
	}
	return out, nil
}

func organizationFromRow(r sqlcdb.Organization) ledger.Organization {
	return ledger.Organization{ID: r.ID, Slug: r.Slug, Name: r.Name, Kind: r.Kind,
		CountryCode: deref(r.CountryCode), Description: r.Description, Version: int(r.Version)}
}

// CreateOrganization inserts o and its revision; it sets o's ID.
func (db *DB) CreateOrganization(ctx context.Context, actor ledger.Actor, o *ledger.Organization) error {
	return db.inTx(ctx, func(q *sqlcdb.Queries) error {
		return createOrganization(ctx, q, actor, o)
	})
}

// createOrganization inserts o and its revision in the caller's
// transaction, so a deal form can add an organization with the deal.
func createOrganization(ctx context.Context, q *sqlcdb.Queries, actor ledger.Actor, o *ledger.Organization) error {
	if o.Slug == "" {
		o.Slug = ledger.Slugify(o.Name)
	}
	if err := o.Validate(); err != nil {
		return err
	}
	id, err := q.OrganizationInsert(ctx, sqlcdb.OrganizationInsertParams{
		Slug: o.Slug, Name: o.Name, Kind: o.Kind, CountryCode: nonZero(o.CountryCode), Description: o.Description,
	})
	if err != nil {
		if isUniqueViolation(err, "organizations_slug_key") {
			return &ledger.Error{Code: ledger.EINVALID, Message: "An organization with that name already exists.",
				Fields: map[string]string{"name": "An organization with this name already exists; choose it from the list."}}
		}
		return dbError(err, "Organization")
	}
	o.ID, o.Version = id, 1
	return writeRevision(ctx, q, actor, "organization", id, "create", o.ChangeNote, nil, o)
}

// Priorities returns every priority that is not deleted, by country.
func (db *DB) Priorities(ctx context.Context) ([]ledger.Priority, error) {
	rows, err := db.q.PriorityList(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: list priorities: %w", err)
	}
	out := make([]ledger.Priority, len(rows))
	for i, r := range rows {
		out[i] = priorityFromRow(r)
	}
	return out, nil
}

func priorityFromRow(r sqlcdb.Priority) ledger.Priority {
	return ledger.Priority{ID: r.ID, CountryCode: r.CountryCode, Slug: r.Slug, Title: r.Title,
		Description: r.Description, Sector: ledger.Sector(r.Sector),
		Source:    ledger.Source{URL: r.SourceUrl, Title: r.SourceTitle, Publisher: r.SourcePublisher},
		DeletedAt: deref(r.DeletedAt), Version: int(r.Version)}
}

// CreatePriority inserts p and its revision, which keeps p.ChangeNote; it
// sets p's ID and Slug. An empty slug is made from the title, numbered
// (slug-2, slug-3 …) when another priority of the country has it.
func (db *DB) CreatePriority(ctx context.Context, actor ledger.Actor, p *ledger.Priority) error {
	if err := p.Validate(); err != nil {
		return err
	}
	typed, base := p.Slug != "", p.Slug
	if !typed {
		base = ledger.Slugify(p.Title)
	}
	var created ledger.Priority
	err := db.inTxRetry(ctx, func(q *sqlcdb.Queries) error {
		for n := 1; n <= maxSlugNumber && (n == 1 || !typed); n++ {
			created = *p
			created.Slug = ledger.NumberedSlug(base, n)
			id, err := q.PriorityInsert(ctx, sqlcdb.PriorityInsertParams{
				CountryCode: p.CountryCode, Slug: created.Slug, Title: p.Title, Description: p.Description,
				Sector: string(p.Sector), SourceUrl: p.Source.URL, SourceTitle: p.Source.Title, SourcePublisher: p.Source.Publisher,
			})
			if errors.Is(err, pgx.ErrNoRows) {
				continue // another priority of the country has the slug
			} else if err != nil {
				return priorityWriteError(err)
			}
			created.ID, created.Version = id, 1
			return writeRevision(ctx, q, actor, "priority", id, "create", p.ChangeNote, nil, created)
		}
		return prioritySlugTaken()
	})
	if err == nil {
		*p = created
	}
	return err
}

// Counts is how many records of each kind the ledger holds.
type Counts struct {
	Summits, Countries, Organizations, Priorities, Deals, Updates, Revisions int64
}

// Count returns the number of records of each kind.
func (db *DB) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM summits), (SELECT count(*) FROM countries),
		(SELECT count(*) FROM organizations), (SELECT count(*) FROM priorities WHERE deleted_at IS NULL),
		(SELECT count(*) FROM deals WHERE deleted_at IS NULL), (SELECT count(*) FROM status_updates),
		(SELECT count(*) FROM revisions)`).Scan(&c.Summits, &c.Countries, &c.Organizations, &c.Priorities, &c.Deals, &c.Updates, &c.Revisions)
	if err != nil {
		return c, fmt.Errorf("postgres: count: %w", err)
	}
	return c, nil
}

// EnsureSummit inserts s unless a summit with its slug exists, and returns its id.
func (db *DB) EnsureSummit(ctx context.Context, s ledger.Summit) (int64, error) {
	id, err := db.q.SummitUpsert(ctx, sqlcdb.SummitUpsertParams{Slug: s.Slug, Name: s.Name, HeldOn: datePtr(s.HeldOn), City: s.City, Description: s.Description})
	return id, dbError(err, "Summit")
}

// EnsureCountry inserts c unless its code exists.
func (db *DB) EnsureCountry(ctx context.Context, c ledger.Country) error {
	return dbError(db.q.CountryUpsert(ctx, sqlcdb.CountryUpsertParams{Code: c.Code, Slug: c.Slug, Name: c.Name,
		Capital: c.Capital, Leader: c.Leader, LeaderTitle: c.LeaderTitle, Summary: c.Summary}), "Country")
}

// OrganizationIDBySlug returns the id of the organization that has, or
// once had, slug, so that seeding again after a rename adds no duplicate.
func (db *DB) OrganizationIDBySlug(ctx context.Context, slug string) (int64, error) {
	o, err := db.OrganizationBySlug(ctx, slug)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

// PriorityIDBySlug returns the id of a country's priority with slug.
func (db *DB) PriorityIDBySlug(ctx context.Context, country, slug string) (int64, error) {
	r, err := db.q.PriorityGetBySlug(ctx, sqlcdb.PriorityGetBySlugParams{CountryCode: country, Slug: slug})
	return r.ID, dbError(err, "Priority")
}
