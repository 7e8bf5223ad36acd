package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// FeedSize is how many updates a feed holds.
const FeedSize = 50

// FeedEntry is a status update as a feed shows it.
type FeedEntry struct {
	ledger.TimelineEntry
	CorrectedAt time.Time // when the correction was recorded; zero when none
}

// UpdateFeed returns the FeedSize status updates last recorded, across
// every deal not deleted, newest first.
func (db *DB) UpdateFeed(ctx context.Context) ([]FeedEntry, error) {
	return db.feed(ctx, "true", nil)
}

// DealUpdateFeed returns the FeedSize status updates last recorded on one
// deal, newest first; none when the deal is deleted.
func (db *DB) DealUpdateFeed(ctx context.Context, dealID int64) ([]FeedEntry, error) {
	return db.feed(ctx, "su.deal_id = @id", pgx.NamedArgs{"id": dealID})
}

// CountryUpdateFeed returns the FeedSize status updates last recorded on
// deals the country is a party to, newest first.
func (db *DB) CountryUpdateFeed(ctx context.Context, code string) ([]FeedEntry, error) {
	return db.feed(ctx, "EXISTS (SELECT 1 FROM deal_parties p WHERE p.deal_id = su.deal_id AND p.country_code = @code)",
		pgx.NamedArgs{"code": code})
}

// feed returns the updates that where (over su and d) selects, by the order
// they were recorded: a feed announces what is new to the ledger, even an
// update about something that happened long ago. Ids grow in that order,
// so the primary key serves it.
func (db *DB) feed(ctx context.Context, where string, args pgx.NamedArgs) ([]FeedEntry, error) {
	sql := `SELECT su.id, su.deal_id, su.stage, su.occurred_on, su.occurred_precision, su.note, ` + sourcesJSON + `,
		su.author_name, coalesce(su.corrects_id, 0), su.correction_reason, su.created_at,
		d.slug, d.title, coalesce(cx.id, 0), cx.created_at
	FROM status_updates su
	JOIN deals d ON d.id = su.deal_id
	LEFT JOIN status_updates cx ON cx.corrects_id = su.id
	WHERE d.deleted_at IS NULL AND ` + where + `
	ORDER BY su.id DESC
	LIMIT ` + fmt.Sprint(FeedSize)
	rows, err := db.Pool.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("postgres: feed: %w", err)
	}
	defer rows.Close()
	var out []FeedEntry
	for rows.Next() {
		var e FeedEntry
		u := &e.Update
		var stage, precision string
		var sources []byte
		var correctedAt *time.Time
		if err := rows.Scan(&u.ID, &u.DealID, &stage, &u.OccurredOn, &precision, &u.Note, &sources,
			&u.AuthorName, &u.CorrectsID, &u.CorrectionReason, &u.CreatedAt,
			&e.Deal.Slug, &e.Deal.Title, &e.CorrectedBy, &correctedAt); err != nil {
			return nil, fmt.Errorf("postgres: feed: %w", err)
		}
		if u.Sources, err = decodeSources(sources); err != nil {
			return nil, err
		}
		u.OccurredPrecision = ledger.Precision(precision)
		u.Stage, e.Deal.ID, e.CorrectedAt = ledger.Stage(stage), u.DealID, deref(correctedAt)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: feed: %w", err)
	}
	return out, nil
}
