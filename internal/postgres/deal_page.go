package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// DealDetail returns everything the deal page shows as it stood at the end
// of asOf (zero: today): four queries. A deleted deal comes back with
// DeletedAt set; a deal not yet recorded by asOf is ENOTFOUND.
func (db *DB) DealDetail(ctx context.Context, id int64, asOf time.Time) (*ledger.DealDetail, error) {
	v := viewOf(asOf)
	var (
		dd                   ledger.DealDetail
		verified, deletedAt  *time.Time
		parentSlug, parTitle string
		inView               bool
	)
	dest, fill := summaryDest(&dd.DealSummary, &verified, &deletedAt, &dd.DeletedReason, &parentSlug, &parTitle, &inView)
	err := db.Pool.QueryRow(ctx, `WITH `+v.stateCTE("d.id = @id")+`
		SELECT `+v.summaryCols()+`, d.last_verified_on, d.deleted_at, d.deleted_reason,
			coalesce(pd.slug, ''), coalesce(pd.title, ''), st.deal_id IS NOT NULL
		FROM deals d
		LEFT JOIN st ON st.deal_id = d.id
		LEFT JOIN summits sm ON sm.id = d.summit_id
		LEFT JOIN deals pd ON pd.id = d.parent_id
		WHERE d.id = @id`, v.args(pgx.NamedArgs{"id": id})).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "There is no deal number %d. It may never have existed; browse the deals list to find the one you want.", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: deal %d: %w", id, err)
	}
	fill()
	dd.LastVerifiedOn, dd.DeletedAt = deref(verified), deref(deletedAt)
	if dd.ParentID != 0 {
		dd.Parent = &ledger.DealRef{ID: dd.ParentID, Slug: parentSlug, Title: parTitle}
	}
	if dd.DeletedAt.IsZero() && !inView {
		return nil, ledger.Errorf(ledger.ENOTFOUND, "The deal %q had not been recorded by the end of %s. Open it without a date to see it as it is today.",
			dd.Title, asOf.Format("2 January 2006"))
	}
	if !dd.DeletedAt.IsZero() {
		return &dd, nil
	}

	one := []ledger.DealSummary{dd.DealSummary}
	prios, err := db.loadRelations(ctx, one)
	if err != nil {
		return nil, err
	}
	dd.DealSummary, dd.Priorities = one[0], prios[id]

	if dd.Timeline, err = db.timeline(ctx, v, "su.deal_id = @id", "", pgx.NamedArgs{"id": id}); err != nil {
		return nil, err
	}

	dd.Children, err = db.scanSummaries(ctx, `WITH `+v.stateCTE("d.parent_id = @id")+`
		SELECT `+v.summaryCols()+`
		FROM st JOIN deals d ON d.id = st.deal_id LEFT JOIN summits sm ON sm.id = d.summit_id
		ORDER BY d.title, d.id`, v.args(pgx.NamedArgs{"id": id}))
	if err != nil {
		return nil, fmt.Errorf("postgres: children of deal %d: %w", id, err)
	}
	return &dd, nil
}
