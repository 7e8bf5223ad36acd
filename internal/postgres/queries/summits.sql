-- name: SummitList :many
SELECT * FROM summits ORDER BY held_on DESC NULLS LAST, id DESC;

-- name: SummitGetBySlug :one
SELECT * FROM summits WHERE slug = @slug;

-- name: SummitUpsert :one
INSERT INTO summits (slug, name, held_on, city, description)
VALUES (@slug, @name, @held_on, @city, @description)
ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug
RETURNING id;
