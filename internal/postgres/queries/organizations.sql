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

-- Queries behind the editor workflow for organizations.

-- name: OrganizationUpdate :one
-- Optimistic locking: no row comes back when the version is stale.
UPDATE organizations SET
    slug = @slug, name = @name, kind = @kind, country_code = sqlc.narg(country_code), description = @description,
    version = version + 1, updated_at = now()
WHERE id = @id AND version = @version
RETURNING *;
