-- name: SummitList :many
SELECT * FROM summits ORDER BY held_on DESC NULLS LAST, id DESC;

-- name: SummitGetBySlug :one
SELECT * FROM summits WHERE slug = @slug;

-- name: SummitUpsert :one
INSERT INTO summits (slug, name, held_on, city, description)
VALUES (@slug, @name, @held_on, @city, @description)
-- Summits are not edited through forms: the dataset is their one author.
ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, held_on = EXCLUDED.held_on,
    city = EXCLUDED.city, description = EXCLUDED.description
RETURNING id;
