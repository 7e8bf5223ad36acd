-- Queries behind the editor workflow for deals: verification, soft delete
-- and restore, and the choices the deal form offers.

-- name: DealSetVerified :one
UPDATE deals SET last_verified_on = @verified_on, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: DealSetDeleted :one
UPDATE deals SET deleted_at = now(), deleted_reason = @reason, updated_at = now()
WHERE id = @id AND deleted_at IS NULL
RETURNING *;

-- name: DealSetRestored :one
UPDATE deals SET deleted_at = NULL, deleted_reason = '', updated_at = now()
WHERE id = @id AND deleted_at IS NOT NULL
RETURNING *;

-- name: DealChoiceList :many
-- Every deal that is not deleted, for the parent-deal select.
SELECT id, title, parent_id FROM deals WHERE deleted_at IS NULL ORDER BY title, id;

-- name: DealTitleList :many
SELECT id, slug, title FROM deals WHERE id = ANY(@ids::bigint[]);
