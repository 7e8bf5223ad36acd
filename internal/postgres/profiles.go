package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// ProfileDeals is how many deals a country, organization or summit page
// lists, latest stage change first; the deals list has the rest.
const ProfileDeals = 100

// PriorityDeals is how many of the deals advancing one priority a country page lists.
const PriorityDeals = 10

// tally counts by stage the deals of the view that meet where (a condition on deals d).
func (db *DB) tally(ctx context.Context, v view, where string, args pgx.NamedArgs) (ledger.StageTally, error) {
	var t ledger.StageTally
	t.Add(ledger.StageProposed, 0) // lists all eight stages even with no deal
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE(where)+`
		SELECT st.stage, count(*)::int FROM st GROUP BY st.stage`, v.args(args))
	if err != nil {
		return t, fmt.Errorf("postgres: tally: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var stage string
		var n int
		if err := rows.Scan(&stage, &n); err != nil {
			return t, fmt.Errorf("postgres: tally: %w", err)
		}
		t.Add(ledger.Stage(stage), n)
	}
	return t, rows.Err()
}

// summaries returns the deals of the view that meet where, latest stage
// change first, at most limit of them, with their parties and organizations: two queries.
func (db *DB) summaries(ctx context.Context, v view, where string, args pgx.NamedArgs, limit int) ([]ledger.DealSummary, error) {
	a := v.args(args)
	a["limit"] = limit
	deals, err := db.scanSummaries(ctx, `WITH `+v.stateCTE(where)+`
		SELECT `+v.summaryCols()+`
		FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id
		ORDER BY st.stage_on DESC NULLS LAST, d.id DESC
		LIMIT @limit`, a)
	if err != nil {
		return nil, fmt.Errorf("postgres: deals: %w", err)
	}
	if _, err := db.loadRelations(ctx, deals); err != nil {
		return nil, err
	}
	return deals, nil
}

const (
	partyOf     = "EXISTS (SELECT 1 FROM deal_parties cp WHERE cp.deal_id = d.id AND cp.country_code = @code)"
	organizedBy = "EXISTS (SELECT 1 FROM deal_organizations od WHERE od.deal_id = d.id AND od.organization_id = @id)"
)

// CountryProfile returns everything a country page shows as it stood at the
// end of asOf (zero: today): seven queries, however many deals there are.
func (db *DB) CountryProfile(ctx context.Context, slug string, asOf time.Time) (*ledger.CountryProfile, error) {
	c, err := db.CountryBySlug(ctx, slug)
	if err != nil {
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no country %s in the ledger. The participants are listed on the countries page.", ledger.Quote(slug))
		}
		return nil, err
	}
	v := viewOf(asOf)
	out := &ledger.CountryProfile{Country: *c}
	args := pgx.NamedArgs{"code": c.Code}
	if out.Tally, err = db.tally(ctx, v, partyOf, args); err != nil {
		return nil, err
	}
	if out.Deals, err = db.summaries(ctx, v, partyOf, args, ProfileDeals); err != nil {
		return nil, err
	}
	if out.Priorities, err = db.priorityProgress(ctx, v, c.Code); err != nil {
		return nil, err
	}
	out.Timeline, err = db.timeline(ctx, v,
		"EXISTS (SELECT 1 FROM deal_parties tp WHERE tp.deal_id = su.deal_id AND tp.country_code = @code)",
		"LIMIT 30", args)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// priorityProgress returns a country's priorities, each with the latest
// PriorityDeals deals of the view that advance it and how many there are:
// two queries.
func (db *DB) priorityProgress(ctx context.Context, v view, code string) ([]ledger.PriorityProgress, error) {
	advances := "EXISTS (SELECT 1 FROM deal_priorities adp JOIN priorities apr ON apr.id = adp.priority_id WHERE adp.deal_id = d.id AND apr.country_code = @code)"
	rows, err := db.Pool.Query(ctx, `WITH `+v.stateCTE(advances)+`
		SELECT p.id, p.slug, p.title, p.description, p.sector, p.source_url, p.source_title, p.source_publisher,
			coalesce((array_agg(st.deal_id ORDER BY st.stage_on DESC NULLS LAST, st.deal_id DESC)
				FILTER (WHERE st.deal_id IS NOT NULL))[1:@per], '{}'),
			count(st.deal_id)::int
		FROM priorities p
		LEFT JOIN deal_priorities dp ON dp.priority_id = p.id
		LEFT JOIN st ON st.deal_id = dp.deal_id
		WHERE p.country_code = @code AND p.deleted_at IS NULL
		GROUP BY p.id ORDER BY p.id`, v.args(pgx.NamedArgs{"code": code, "per": PriorityDeals}))
	if err != nil {
		return nil, fmt.Errorf("postgres: priorities of %s: %w", code, err)
	}
	var out []ledger.PriorityProgress
	var dealIDs [][]int64
	var ids []int64
	for rows.Next() {
		pp := ledger.PriorityProgress{Priority: ledger.Priority{CountryCode: code}}
		p := &pp.Priority
		var sector string
		var these []int64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &sector,
			&p.Source.URL, &p.Source.Title, &p.Source.Publisher, &these, &pp.Total); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: priorities of %s: %w", code, err)
		}
		p.Sector = ledger.Sector(sector)
		out, dealIDs, ids = append(out, pp), append(dealIDs, these), append(ids, these...)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: priorities of %s: %w", code, err)
	}
	deals, err := db.scanSummaries(ctx, `WITH `+v.stateCTE("d.id = ANY(@ids)")+`
		SELECT `+v.summaryCols()+`
		FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id`,
		v.args(pgx.NamedArgs{"ids": nonNilIDs(ids)}))
	if err != nil {
		return nil, fmt.Errorf("postgres: deals advancing priorities of %s: %w", code, err)
	}
	byID := map[int64]ledger.DealSummary{}
	for _, d := range deals {
		byID[d.ID] = d
	}
	for i := range out {
		for _, id := range dealIDs[i] {
			out[i].Deals = append(out[i].Deals, byID[id])
		}
	}
	return out, nil
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// OrganizationProfile returns an organization and today's stage of the
// deals it takes part in: four queries. When slug is an old one, the error
// is a *MovedError naming the current slug.
func (db *DB) OrganizationProfile(ctx context.Context, slug string) (*ledger.OrganizationProfile, error) {
	out := &ledger.OrganizationProfile{}
	o := &out.Organization
	var code, cslug, cname *string
	err := db.Pool.QueryRow(ctx, `SELECT o.id, o.slug, o.name, o.kind, o.description, o.country_code, c.slug, c.name
		FROM organizations o LEFT JOIN countries c ON c.code = o.country_code
		WHERE o.slug = @slug`, pgx.NamedArgs{"slug": slug}).
		Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &o.Description, &code, &cslug, &cname)
	if errors.Is(err, pgx.ErrNoRows) {
		if r, err := db.q.OrganizationGetRedirect(ctx, slug); err == nil {
			return nil, &MovedError{Slug: r.Slug}
		}
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no organization %s in the ledger.", ledger.Quote(slug))
	} else if err != nil {
		return nil, fmt.Errorf("postgres: organization %s: %w", slug, err)
	}
	if code != nil {
		o.CountryCode = *code
		out.Country = &ledger.CountryRef{Code: *code, Slug: deref(cslug), Name: deref(cname)}
	}
	args := pgx.NamedArgs{"id": o.ID}
	if out.Tally, err = db.tally(ctx, view{}, organizedBy, args); err != nil {
		return nil, err
	}
	if out.Deals, err = db.summaries(ctx, view{}, organizedBy, args, ProfileDeals); err != nil {
		return nil, err
	}
	return out, nil
}

// MovedError says a record's slug changed: the caller redirects to Slug.
type MovedError struct {
	Slug string
}

// Error implements the error interface.
func (e *MovedError) Error() string { return "postgres: moved to " + e.Slug }

// SummitProfile returns a summit and today's stage of the deals filed under
// it: four queries.
func (db *DB) SummitProfile(ctx context.Context, slug string) (*ledger.SummitProfile, error) {
	r, err := db.q.SummitGetBySlug(ctx, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no summit %s in the ledger.", ledger.Quote(slug))
	} else if err != nil {
		return nil, fmt.Errorf("postgres: summit %s: %w", slug, err)
	}
	out := &ledger.SummitProfile{Summit: ledger.Summit{ID: r.ID, Slug: r.Slug, Name: r.Name, HeldOn: deref(r.HeldOn),
		City: r.City, Description: r.Description}}
	args := pgx.NamedArgs{"id": r.ID}
	if out.Tally, err = db.tally(ctx, view{}, "d.summit_id = @id", args); err != nil {
		return nil, err
	}
	if out.Deals, err = db.summaries(ctx, view{}, "d.summit_id = @id", args, ProfileDeals); err != nil {
		return nil, err
	}
	return out, nil
}
