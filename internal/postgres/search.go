package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"summitledger/internal/ledger"
)

// SearchHitsPerKind is how many hits of each kind /search shows.
const SearchHitsPerKind = 10

// searchKinds are the parts of the search statement, one per kind: each
// selects kind, id, slug, country_slug, deal_id, deal_slug, title, detail,
// rank and total for the rows matching the tsquery tq, best first. The
// documents are the expressions migration 00009 indexes.
var searchKinds = []string{
	`(SELECT 'country', 0::bigint, c.slug, '', 0::bigint, '', c.name, c.summary,
		ts_rank(v.doc, tq.q), count(*) OVER ()
	FROM countries c, tq,
		LATERAL (SELECT setweight(to_tsvector('russian', c.name), 'A')
			|| setweight(to_tsvector('russian', concat_ws(' ', c.capital, c.leader, c.summary)), 'B') AS doc) v
	WHERE v.doc @@ tq.q ORDER BY 9 DESC, c.name LIMIT @per)`,
	`(SELECT 'deal', d.id, d.slug, '', 0::bigint, '', d.title, d.summary,
		ts_rank(ds.document, tq.q), count(*) OVER ()
	FROM deal_search ds JOIN deals d ON d.id = ds.deal_id, tq
	WHERE ds.document @@ tq.q AND d.deleted_at IS NULL ORDER BY 9 DESC, d.id DESC LIMIT @per)`,
	`(SELECT 'priority', p.id, p.slug, c.slug, 0::bigint, '', p.title, c.name || ': ' || p.description,
		ts_rank(setweight(to_tsvector('russian', p.title), 'A') || setweight(to_tsvector('russian', p.description), 'B'), tq.q),
		count(*) OVER ()
	FROM priorities p JOIN countries c ON c.code = p.country_code, tq
	WHERE (setweight(to_tsvector('russian', p.title), 'A') || setweight(to_tsvector('russian', p.description), 'B')) @@ tq.q
		AND p.deleted_at IS NULL
	ORDER BY 9 DESC, p.id LIMIT @per)`,
	`(SELECT 'organization', o.id, o.slug, '', 0::bigint, '', o.name, o.description,
		ts_rank(setweight(to_tsvector('russian', o.name), 'A') || setweight(to_tsvector('russian', o.description), 'B'), tq.q),
		count(*) OVER ()
	FROM organizations o, tq
	WHERE (setweight(to_tsvector('russian', o.name), 'A') || setweight(to_tsvector('russian', o.description), 'B')) @@ tq.q
	ORDER BY 9 DESC, o.name LIMIT @per)`,
	`(SELECT 'update', su.id, '', '', d.id, d.slug, d.title, su.note,
		ts_rank(to_tsvector('russian', su.note), tq.q), count(*) OVER ()
	FROM status_updates su JOIN deals d ON d.id = su.deal_id, tq
	WHERE to_tsvector('russian', su.note) @@ tq.q AND d.deleted_at IS NULL
	ORDER BY 9 DESC, su.occurred_on DESC, su.id DESC LIMIT @per)`,
	`(SELECT 'source', s.id, '', '', 0::bigint, '', s.title, s.publisher,
		ts_rank(to_tsvector('russian', s.title || ' ' || s.publisher), tq.q), count(*) OVER ()
	FROM sources s, tq
	WHERE to_tsvector('russian', s.title || ' ' || s.publisher) @@ tq.q
	ORDER BY 9 DESC, s.id DESC LIMIT @per)`,
}

// Search finds countries, deals, priorities, organizations, status-update
// notes and sources matching what was typed (see prefixQuery), grouped by
// kind in SearchKinds order, each group best first with at most
// SearchHitsPerKind hits and its total. One query.
func (db *DB) Search(ctx context.Context, typed string) (*ledger.SearchResults, error) {
	if err := ledger.ValidateSearch(typed); err != nil {
		return nil, err
	}
	out := &ledger.SearchResults{Query: typed}
	q := prefixQuery(typed)
	if q == "" {
		return out, nil
	}
	sql := `WITH tq AS (SELECT to_tsquery('` + searchConfig + `', @q) AS q) `
	for i, k := range searchKinds {
		if i > 0 {
			sql += " UNION ALL "
		}
		sql += k
	}
	rows, err := db.Pool.Query(ctx, sql, pgx.NamedArgs{"q": q, "per": SearchHitsPerKind})
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", typed, err)
	}
	defer rows.Close()
	groups := map[string]*ledger.SearchGroup{}
	for rows.Next() {
		var h ledger.SearchHit
		var total int64
		if err := rows.Scan(&h.Kind, &h.ID, &h.Slug, &h.CountrySlug, &h.DealID, &h.DealSlug, &h.Title, &h.Detail, &h.Rank, &total); err != nil {
			return nil, fmt.Errorf("postgres: search %q: %w", typed, err)
		}
		g := groups[h.Kind]
		if g == nil {
			g = &ledger.SearchGroup{Kind: h.Kind, Total: int(total)}
			groups[h.Kind] = g
		}
		g.Hits = append(g.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", typed, err)
	}
	for _, k := range ledger.SearchKinds() {
		if g := groups[k]; g != nil {
			// UNION ALL need not keep each part's order.
			sort.SliceStable(g.Hits, func(i, j int) bool { return g.Hits[i].Rank > g.Hits[j].Rank })
			out.Groups = append(out.Groups, *g)
		}
	}
	return out, nil
}
