-- +goose Up
-- Search reads Russian as well as English: the "russian" configuration stems
-- Cyrillic words with the Russian stemmer and Latin words with the English
-- one, so the deal documents move to it, and status-update notes, source
-- titles, priorities, organizations and countries get search indexes of
-- their own for /search. Queries must use the same expressions.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deal_search_refresh(d_id bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deal_search (deal_id, document)
    SELECT d.id,
           setweight(to_tsvector('russian', d.title), 'A')
        || setweight(to_tsvector('russian', d.summary), 'B')
        || setweight(to_tsvector('russian', concat_ws(' ', d.sector,
               (SELECT string_agg(c.name, ' ') FROM deal_parties p JOIN countries c ON c.code = p.country_code
                WHERE p.deal_id = d.id),
               (SELECT string_agg(o.name, ' ') FROM deal_organizations x JOIN organizations o ON o.id = x.organization_id
                WHERE x.deal_id = d.id))), 'B')
        || setweight(to_tsvector('russian', coalesce(
               (SELECT string_agg(su.note, ' ') FROM status_updates su WHERE su.deal_id = d.id), '')), 'C')
    FROM deals d WHERE d.id = d_id
    ON CONFLICT (deal_id) DO UPDATE SET document = EXCLUDED.document;
$$;
-- +goose StatementEnd

SELECT deal_search_refresh(id) FROM deals;

CREATE INDEX status_updates_note_search_idx ON status_updates USING gin (to_tsvector('russian', note));
CREATE INDEX sources_title_search_idx ON sources USING gin (to_tsvector('russian', title || ' ' || publisher));
CREATE INDEX priorities_search_idx ON priorities USING gin (
    (setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('russian', description), 'B')));
CREATE INDEX organizations_search_idx ON organizations USING gin (
    (setweight(to_tsvector('russian', name), 'A') || setweight(to_tsvector('russian', description), 'B')));

-- +goose Down
-- Forward-only: restore from a backup instead.
