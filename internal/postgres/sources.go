package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"summitledger/internal/ledger"
	"summitledger/internal/postgres/sqlcdb"
)

// sourcesJSON is a column over su (status_updates): the sources the update
// cites, in order, as a JSON array that decodeSources reads. It keeps a page
// that lists updates to one query however many sources they cite.
const sourcesJSON = `coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'url', s.url, 'title', s.title,
		'publisher', s.publisher, 'published_on', s.published_on, 'language', s.language) ORDER BY us.position)
	FROM update_sources us JOIN sources s ON s.id = us.source_id WHERE us.update_id = su.id), '[]')`

// decodeSources reads a sourcesJSON column.
func decodeSources(raw []byte) ([]ledger.Source, error) {
	var rows []struct {
		ID          int64  `json:"id"`
		URL         string `json:"url"`
		Title       string `json:"title"`
		Publisher   string `json:"publisher"`
		PublishedOn string `json:"published_on"`
		Language    string `json:"language"`
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, fmt.Errorf("postgres: decode sources: %w", err)
	}
	out := make([]ledger.Source, len(rows))
	for i, r := range rows {
		out[i] = ledger.Source{ID: r.ID, URL: r.URL, Title: r.Title, Publisher: r.Publisher, Language: r.Language}
		if r.PublishedOn != "" {
			t, err := time.Parse(time.DateOnly, r.PublishedOn)
			if err != nil {
				return nil, fmt.Errorf("postgres: decode sources: %w", err)
			}
			out[i].PublishedOn = t
		}
	}
	return out, nil
}

func sourceFromRow(r sqlcdb.Source) ledger.Source {
	return ledger.Source{ID: r.ID, URL: r.Url, Title: r.Title, Publisher: r.Publisher,
		PublishedOn: deref(r.PublishedOn), Language: r.Language}
}

// citeSources records that update id cites srcs, in order, making a source
// of each address not yet known. It sets each source's ID and, for a known
// address, the title and publisher it was first cited with.
func citeSources(ctx context.Context, q *sqlcdb.Queries, updateID int64, srcs []ledger.Source) error {
	for i := range srcs {
		s := &srcs[i]
		r, err := q.SourceUpsert(ctx, sqlcdb.SourceUpsertParams{Url: s.URL, Title: s.Title, Publisher: s.Publisher,
			PublishedOn: datePtr(s.PublishedOn), Language: s.Language})
		if err != nil {
			return dbError(err, "Source")
		}
		*s = sourceFromRow(r)
		if err := q.UpdateSourceInsert(ctx, sqlcdb.UpdateSourceInsertParams{UpdateID: updateID, Position: int16(i), SourceID: r.ID}); err != nil {
			return fmt.Errorf("postgres: cite source %d for update %d: %w", r.ID, updateID, err)
		}
	}
	return nil
}

// withSources fills the sources of us, in one query.
func withSources(ctx context.Context, q *sqlcdb.Queries, us ...*ledger.StatusUpdate) error {
	ids := make([]int64, len(us))
	byID := map[int64]*ledger.StatusUpdate{}
	for i, u := range us {
		ids[i], byID[u.ID] = u.ID, u
		u.Sources = nil
	}
	rows, err := q.UpdateSourceList(ctx, ids)
	if err != nil {
		return fmt.Errorf("postgres: sources of updates: %w", err)
	}
	for _, r := range rows {
		u := byID[r.UpdateID]
		u.Sources = append(u.Sources, sourceFromRow(sqlcdb.Source{ID: r.ID, Url: r.Url, Title: r.Title,
			Publisher: r.Publisher, PublishedOn: r.PublishedOn, Language: r.Language, CreatedAt: r.CreatedAt}))
	}
	return nil
}

// SourceByID returns one source.
func (db *DB) SourceByID(ctx context.Context, id int64) (*ledger.Source, error) {
	r, err := db.q.SourceGet(ctx, id)
	if err != nil {
		return nil, dbError(err, "Source")
	}
	s := sourceFromRow(r)
	return &s, nil
}
