package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// timelineCols are the columns timeline scans, over su (status_updates)
// and d (deals), for view v.
func timelineCols(v view) string {
	return `su.id, su.deal_id, su.stage, su.occurred_on, su.occurred_precision, su.note, ` + sourcesJSON + `,
		coalesce(su.author_id, 0), su.author_name, coalesce(su.corrects_id, 0), su.correction_reason, su.created_at,
		d.slug, d.title, coalesce(` + v.correctedBy("su") + `, 0)`
}

// timeline runs a query over su and d that selects timelineCols and
// returns the entries: the updates the view shows, newest first.
func (db *DB) timeline(ctx context.Context, v view, where, limit string, args pgx.NamedArgs) ([]ledger.TimelineEntry, error) {
	sql := `SELECT ` + timelineCols(v) + `
		FROM status_updates su JOIN deals d ON d.id = su.deal_id
		WHERE ` + v.liveDeal("d") + ` AND ` + v.visible("su") + ` AND ` + where + `
		ORDER BY su.occurred_on DESC, su.id DESC ` + limit
	return db.scanTimeline(ctx, sql, v.args(args))
}

// scanTimeline runs a query that selects timelineCols.
func (db *DB) scanTimeline(ctx context.Context, sql string, args pgx.NamedArgs) ([]ledger.TimelineEntry, error) {
	rows, err := db.Pool.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline: %w", err)
	}
	defer rows.Close()
	var out []ledger.TimelineEntry
	for rows.Next() {
		var e ledger.TimelineEntry
		u := &e.Update
		var stage, precision string
		var sources []byte
		if err := rows.Scan(&u.ID, &u.DealID, &stage, &u.OccurredOn, &precision, &u.Note, &sources,
			&u.AuthorID, &u.AuthorName, &u.CorrectsID, &u.CorrectionReason, &u.CreatedAt,
			&e.Deal.Slug, &e.Deal.Title, &e.CorrectedBy); err != nil {
			return nil, fmt.Errorf("postgres: timeline: %w", err)
		}
		if u.Sources, err = decodeSources(sources); err != nil {
			return nil, err
		}
		u.Stage, u.OccurredPrecision, e.Deal.ID = ledger.Stage(stage), ledger.Precision(precision), u.DealID
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: timeline: %w", err)
	}
	return out, nil
}

// UpdateLocation returns the id and current slug of the deal an update belongs to.
func (db *DB) UpdateLocation(ctx context.Context, updateID int64) (ledger.DealRef, error) {
	r, err := db.q.UpdateDealRef(ctx, updateID)
	if err != nil {
		return ledger.DealRef{}, dbError(err, "Status update")
	}
	return ledger.DealRef{ID: r.DealID, Slug: r.Slug}, nil
}

// viewOf returns the view for asOf; zero is today.
func viewOf(asOf time.Time) view { return view{asOf: asOf} }
