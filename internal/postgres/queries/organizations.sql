-- name: OrganizationList :many
SELECT * FROM organizations ORDER BY name;

-- name: OrganizationGet :one
SELECT * FROM organizations WHERE id = @id;

-- name: OrganizationGetBySlug :one
SELECT * FROM organizations WHERE slug = @slug;

-- name: OrganizationInsert :one
INSERT INTO organizations (slug, name, kind, country_code, description)
VALUES (@slug, @name, @kind, @country_code, @description)
RETURNING id;
