-- name: DealGet :one
SELECT * FROM deals WHERE id = @id;

-- name: DealGetBySlug :one
SELECT * FROM deals WHERE slug = @slug;

-- name: DealInsert :one
-- No row comes back when another deal has the slug: the caller tries the
-- next one. A simultaneous insert of the same slug is waited for, not failed.
INSERT INTO deals (slug, title, summary, sector, value_cents, value_currency, value_note,
                   announced_on, announced_precision, summit_id, parent_id, counts_toward_total)
VALUES (@slug, @title, @summary, @sector, @value_cents, @value_currency, @value_note,
        @announced_on, @announced_precision, @summit_id, @parent_id, @counts_toward_total)
ON CONFLICT (slug) DO NOTHING
RETURNING *;

-- name: DealSlugTaken :one
-- Whether a deal other than @id has @slug, or had it: an old slug keeps
-- redirecting to its deal, so no other deal may take it.
SELECT (EXISTS (SELECT 1 FROM deals WHERE slug = @slug AND id <> @id)
    OR EXISTS (SELECT 1 FROM slug_redirects WHERE entity = 'deal' AND old_slug = @slug AND entity_id <> @id))::boolean AS taken;

-- name: DealUmbrellaChain :many
-- The deal @id and the umbrella deals above it, read without locks: the
-- rows the caller then locks in id order (DealLockUmbrellas).
WITH RECURSIVE chain(id, parent_id) AS (
    SELECT d.id, d.parent_id FROM deals d WHERE d.id = @id
    UNION
    SELECT d.id, d.parent_id FROM deals d JOIN chain c ON d.id = c.parent_id
)
SELECT chain.id FROM chain;

-- name: DealLockUmbrellas :many
-- Locks the deals in id order, always the same order whoever asks, so
-- that two editors moving deals under each other wait instead of
-- deadlocking, and returns each one's umbrella as it now stands.
SELECT id, parent_id FROM deals WHERE id = ANY(@ids::bigint[]) ORDER BY id FOR UPDATE;

-- name: DealUpdate :one
-- Optimistic locking: no row comes back when the version is stale.
UPDATE deals SET
    slug = @slug, title = @title, summary = @summary, sector = @sector,
    value_cents = @value_cents, value_currency = @value_currency, value_note = @value_note,
    announced_on = @announced_on, announced_precision = @announced_precision, summit_id = @summit_id, parent_id = @parent_id,
    counts_toward_total = @counts_toward_total,
    version = version + 1, updated_at = now()
WHERE id = @id AND version = @version
RETURNING *;

-- name: DealSetStage :one
-- The stage, the day the deal entered it and the day of its latest update,
-- as deal_stage derives them from the updates in force (migrations/00006_deal_stage.sql).
UPDATE deals d SET (stage, stage_on, latest_update_on) = (SELECT s.stage, s.stage_on, s.latest_update_on FROM deal_stage(d.id) s), updated_at = now()
WHERE d.id = @id
RETURNING d.*;

-- name: DealPartyList :many
SELECT deal_id, country_code FROM deal_parties WHERE deal_id = ANY(@deal_ids::bigint[]) ORDER BY deal_id, country_code;

-- name: DealPartyDelete :exec
DELETE FROM deal_parties WHERE deal_id = @deal_id;

-- name: DealPartyInsert :exec
INSERT INTO deal_parties (deal_id, country_code) VALUES (@deal_id, @country_code);

-- name: DealOrganizationList :many
SELECT deal_id, organization_id, role FROM deal_organizations
WHERE deal_id = ANY(@deal_ids::bigint[]) ORDER BY deal_id, organization_id;

-- name: DealOrganizationDelete :exec
DELETE FROM deal_organizations WHERE deal_id = @deal_id;

-- name: DealOrganizationInsert :exec
INSERT INTO deal_organizations (deal_id, organization_id, role) VALUES (@deal_id, @organization_id, @role);

-- name: DealPriorityList :many
SELECT deal_id, priority_id FROM deal_priorities WHERE deal_id = ANY(@deal_ids::bigint[]) ORDER BY deal_id, priority_id;

-- name: DealPriorityDelete :exec
DELETE FROM deal_priorities WHERE deal_id = @deal_id;

-- name: DealPriorityInsert :exec
INSERT INTO deal_priorities (deal_id, priority_id) VALUES (@deal_id, @priority_id);

-- name: DealGetForUpdate :one
SELECT * FROM deals WHERE id = @id FOR UPDATE;

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
