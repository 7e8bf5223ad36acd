package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// Moves returns, newest first, the stage changes of live deals that happened
// in the window: each in-force update (no correction replaces it) whose
// stage differs from the in-force update before it on the same deal, with
// its primary source. At most ledger.MaxMoves; one query.
func (db *DB) Moves(ctx context.Context, w ledger.Window) ([]ledger.Move, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `WITH seq AS (
			SELECT su.id, su.deal_id, su.stage, su.occurred_on, su.occurred_precision, su.created_at,
				lag(su.stage) OVER (PARTITION BY su.deal_id ORDER BY su.occurred_on, su.id) AS prev
			FROM status_updates su
			WHERE su.deal_id IN (SELECT w.deal_id FROM status_updates w WHERE w.occurred_on BETWEEN @since AND @until)
			  AND NOT `+correctedNow("su")+`
		)
		SELECT seq.id, seq.occurred_on, seq.occurred_precision, coalesce(seq.prev, ''), seq.stage, seq.created_at,
			d.id, d.slug, d.title,
			coalesce(src.id, 0), coalesce(src.url, ''), coalesce(src.title, ''), coalesce(src.publisher, '')
		FROM seq JOIN deals d ON d.id = seq.deal_id AND d.deleted_at IS NULL
		LEFT JOIN LATERAL (
			SELECT s.id, s.url, s.title, s.publisher FROM update_sources us JOIN sources s ON s.id = us.source_id
			WHERE us.update_id = seq.id ORDER BY us.position LIMIT 1
		) src ON true
		WHERE seq.prev IS DISTINCT FROM seq.stage AND seq.occurred_on BETWEEN @since AND @until
		ORDER BY seq.occurred_on DESC, seq.id DESC
		LIMIT @max`, pgx.NamedArgs{"since": w.Since, "until": w.Until, "max": ledger.MaxMoves})
	if err != nil {
		return nil, fmt.Errorf("postgres: moves: %w", err)
	}
	defer rows.Close()
	var out []ledger.Move
	for rows.Next() {
		var m ledger.Move
		var from, to, precision string
		if err := rows.Scan(&m.UpdateID, &m.On, &precision, &from, &to, &m.RecordedAt, &m.Deal.ID, &m.Deal.Slug, &m.Deal.Title,
			&m.Source.ID, &m.Source.URL, &m.Source.Title, &m.Source.Publisher); err != nil {
			return nil, fmt.Errorf("postgres: moves: %w", err)
		}
		m.From, m.To, m.Precision = ledger.Stage(from), ledger.Stage(to), ledger.Precision(precision)
		out = append(out, m)
	}
	return out, rows.Err()
}
