-- +goose Up
-- Sources become records of their own: one address, one source, cited by
-- any number of status updates, in order (the first is the primary). A
-- priority keeps its one source in its own columns; /sources/{id} finds it
-- by address. Dates carry their precision, since a source may give only a
-- month or a year.

CREATE TABLE sources (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url          text NOT NULL UNIQUE CHECK (url ~ '^https?://'),
    title        text NOT NULL CHECK (title <> ''),
    publisher    text NOT NULL CHECK (publisher <> ''),
    published_on date,
    -- An IETF language tag ("en", "ru"); empty when unknown.
    language     text NOT NULL DEFAULT '' CHECK (language ~ '^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$'),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE update_sources (
    update_id bigint NOT NULL REFERENCES status_updates (id),
    position  smallint NOT NULL CHECK (position >= 0),
    source_id bigint NOT NULL REFERENCES sources (id),
    PRIMARY KEY (update_id, position),
    UNIQUE (update_id, source_id)
);
CREATE INDEX update_sources_source_idx ON update_sources (source_id, update_id);

-- Like the updates that cite them, citations are never changed.
CREATE TRIGGER update_sources_append_only BEFORE UPDATE OR DELETE ON update_sources
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Every address cited so far becomes a source, titled as first cited.
INSERT INTO sources (url, title, publisher)
SELECT DISTINCT ON (url) url, title, publisher FROM (
    SELECT source_url AS url, source_title AS title, source_publisher AS publisher, 0 AS rank, id FROM status_updates
    UNION ALL
    SELECT source_url, source_title, source_publisher, 1, id FROM priorities
) cited
ORDER BY url, rank, id;

INSERT INTO update_sources (update_id, position, source_id)
SELECT su.id, 0, s.id FROM status_updates su JOIN sources s ON s.url = su.source_url;

ALTER TABLE status_updates
    DROP COLUMN source_url,
    DROP COLUMN source_title,
    DROP COLUMN source_publisher,
    ADD COLUMN occurred_precision text NOT NULL DEFAULT 'day' CHECK (occurred_precision IN ('day', 'month', 'year'));

ALTER TABLE deals
    ADD COLUMN announced_precision text NOT NULL DEFAULT 'day' CHECK (announced_precision IN ('day', 'month', 'year'));

-- +goose Down
-- Forward-only: restore from a backup instead.
