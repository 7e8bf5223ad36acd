-- name: PriorityList :many
SELECT * FROM priorities WHERE deleted_at IS NULL ORDER BY country_code, id;

-- name: PriorityGet :one
SELECT * FROM priorities WHERE id = @id;

-- name: PriorityGetBySlug :one
SELECT * FROM priorities WHERE country_code = @country_code AND slug = @slug;

-- name: PriorityInsert :one
INSERT INTO priorities (country_code, slug, title, description, sector, source_url, source_title, source_publisher)
VALUES (@country_code, @slug, @title, @description, @sector, @source_url, @source_title, @source_publisher)
ON CONFLICT (country_code, slug) DO NOTHING
RETURNING id;

-- Queries behind the editor workflow for priorities.

-- name: PriorityUpdate :one
-- Optimistic locking: no row comes back when the version is stale.
UPDATE priorities SET
    slug = @slug, title = @title, description = @description, sector = @sector,
    source_url = @source_url, source_title = @source_title, source_publisher = @source_publisher,
    version = version + 1, updated_at = now()
WHERE id = @id AND version = @version
RETURNING *;

-- name: PrioritySetDeleted :one
UPDATE priorities SET deleted_at = now(), updated_at = now()
WHERE id = @id AND deleted_at IS NULL
RETURNING *;

-- name: PrioritySetRestored :one
UPDATE priorities SET deleted_at = NULL, updated_at = now()
WHERE id = @id AND deleted_at IS NOT NULL
RETURNING *;

-- name: PriorityTitleList :many
SELECT id, country_code, title FROM priorities WHERE id = ANY(@ids::bigint[]);

-- name: PriorityListBySource :many
-- The live priorities that give @url as their source.
SELECT sqlc.embed(p), c.slug AS country_slug
FROM priorities p JOIN countries c ON c.code = p.country_code
WHERE p.source_url = @url AND p.deleted_at IS NULL ORDER BY p.country_code, p.id;
