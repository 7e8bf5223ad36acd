-- name: SourceUpsert :one
-- One address, one source: a known address keeps the title and publisher it
-- was first cited with, and gains a date or language it lacked.
INSERT INTO sources (url, title, publisher, published_on, language)
VALUES (@url, @title, @publisher, @published_on, @language)
ON CONFLICT (url) DO UPDATE SET
    published_on = coalesce(sources.published_on, EXCLUDED.published_on),
    language = CASE WHEN sources.language = '' THEN EXCLUDED.language ELSE sources.language END
RETURNING *;

-- name: SourceGet :one
SELECT * FROM sources WHERE id = @id;

-- name: SourceGetByURL :one
SELECT * FROM sources WHERE url = @url;

-- name: UpdateSourceInsert :exec
INSERT INTO update_sources (update_id, position, source_id) VALUES (@update_id, @position, @source_id);

-- name: UpdateSourceList :many
-- The sources the updates cite, in each update's order.
SELECT us.update_id, s.*
FROM update_sources us JOIN sources s ON s.id = us.source_id
WHERE us.update_id = ANY(@update_ids::bigint[])
ORDER BY us.update_id, us.position;
