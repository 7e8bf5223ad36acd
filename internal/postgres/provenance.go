package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// FindUpdates returns every status update, corrected ones included, of the
// live deals f.Deals matches, in the window f gives, newest first: one query.
func (db *DB) FindUpdates(ctx context.Context, f ledger.UpdateFilter) ([]ledger.TimelineEntry, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	conds := []string{"true"}
	for _, fc := range dealFacets {
		conds = append(conds, fc.cond)
	}
	args := filterArgs(f.Deals)
	if !f.Since.IsZero() {
		conds, args["since"] = append(conds, "su.occurred_on >= @since::date"), f.Since
	}
	if !f.Until.IsZero() {
		conds, args["until"] = append(conds, "su.occurred_on <= @until::date"), f.Until
	}
	return db.timelineOf(ctx, searchJoin(f.Deals), strings.Join(conds, " AND "), args)
}

// SourcePageByID returns a source and everything that cites it: two queries.
func (db *DB) SourcePageByID(ctx context.Context, id int64) (*ledger.SourcePage, error) {
	src, err := db.SourceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &ledger.SourcePage{Source: *src}
	p.Updates, err = db.timelineOf(ctx, "", "EXISTS (SELECT 1 FROM update_sources cs WHERE cs.update_id = su.id AND cs.source_id = @source)",
		pgx.NamedArgs{"source": id})
	if err != nil {
		return nil, err
	}
	rows, err := db.q.PriorityListBySource(ctx, src.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: priorities citing source %d: %w", id, err)
	}
	for _, r := range rows {
		p.Priorities = append(p.Priorities, ledger.CitingPriority{Priority: priorityFromRow(r.Priority), CountrySlug: r.CountrySlug})
	}
	return p, nil
}

// timelineOf returns the updates of live deals d that where (over su and d)
// selects, corrected ones included, newest first.
func (db *DB) timelineOf(ctx context.Context, join, where string, args pgx.NamedArgs) ([]ledger.TimelineEntry, error) {
	sql := `SELECT ` + timelineCols(view{}) + `
		FROM status_updates su JOIN deals d ON d.id = su.deal_id` + join + `
		WHERE d.deleted_at IS NULL AND ` + where + `
		ORDER BY su.occurred_on DESC, su.id DESC`
	return db.scanTimeline(ctx, sql, args)
}
