-- name: PriorityList :many
SELECT * FROM priorities WHERE deleted_at IS NULL ORDER BY country_code, id;

-- name: PriorityGet :one
SELECT * FROM priorities WHERE id = @id;

-- name: PriorityGetBySlug :one
SELECT * FROM priorities WHERE country_code = @country_code AND slug = @slug;

-- name: PriorityInsert :one
INSERT INTO priorities (country_code, slug, title, description, sector, source_url, source_title, source_publisher)
VALUES (@country_code, @slug, @title, @description, @sector, @source_url, @source_title, @source_publisher)
RETURNING id;
