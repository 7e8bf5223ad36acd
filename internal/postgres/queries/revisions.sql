-- name: RevisionInsert :exec
INSERT INTO revisions (entity, entity_id, action, actor_id, actor_name, reason, before, after)
VALUES (@entity, @entity_id, @action, @actor_id, @actor_name, @reason, @before, @after);

-- name: RevisionListByEntity :many
SELECT * FROM revisions WHERE entity = @entity AND entity_id = @entity_id ORDER BY id DESC;

-- The public history: one deal's revisions and the log of every change.

-- name: RevisionRecordAtVersion :one
-- The record as a create or update left it at @version, from the revision's after JSON.
SELECT after FROM revisions
WHERE entity = @entity AND entity_id = @entity_id AND action IN ('create', 'update')
  AND after ? 'Version' AND (after->>'Version')::int = @version::int
ORDER BY id DESC
LIMIT 1;

-- name: RevisionListForDeal :many
-- A deal's own revisions and those of its status updates, newest first.
SELECT * FROM revisions
WHERE (entity = 'deal' AND entity_id = @deal_id)
   OR (entity = 'status_update' AND entity_id IN (SELECT su.id FROM status_updates su WHERE su.deal_id = @deal_id))
ORDER BY id DESC;

-- name: RevisionLogPage :many
-- Public changes, newest first, before the revision id @before_id (0: the newest),
-- each with what is needed to name and link its record. User records stay private.
SELECT r.id, r.entity, r.entity_id, r.action, r.actor_name, r.reason, r.before, r.after, r.created_at,
       coalesce(d.id, su.deal_id, 0)::bigint AS deal_id,
       coalesce(d.slug, sud.slug, '')::text AS deal_slug,
       coalesce(d.title, sud.title, '')::text AS deal_title,
       (coalesce(d.deleted_at, sud.deleted_at) IS NOT NULL)::boolean AS deal_deleted,
       coalesce(p.title, '')::text AS priority_title,
       coalesce(p.slug, '')::text AS priority_slug,
       coalesce(pc.slug, '')::text AS priority_country_slug,
       coalesce(o.name, '')::text AS organization_name,
       coalesce(o.slug, '')::text AS organization_slug
FROM revisions r
LEFT JOIN deals d ON r.entity = 'deal' AND d.id = r.entity_id
LEFT JOIN status_updates su ON r.entity = 'status_update' AND su.id = r.entity_id
LEFT JOIN deals sud ON sud.id = su.deal_id
LEFT JOIN priorities p ON r.entity = 'priority' AND p.id = r.entity_id
LEFT JOIN countries pc ON pc.code = p.country_code
LEFT JOIN organizations o ON r.entity = 'organization' AND o.id = r.entity_id
WHERE r.entity <> 'user' AND (@before_id::bigint = 0 OR r.id < @before_id::bigint)
ORDER BY r.id DESC
LIMIT @page_size::int;

-- name: RevisionSeedOwned :many
-- The live records of @entity that the dataset created and that nobody
-- else has changed since: a deal also counts as changed when someone else
-- logged or corrected one of its updates. Only these may a re-seed change.
SELECT r.entity_id FROM revisions r
WHERE r.entity = @entity AND r.action = 'create' AND r.actor_id IS NULL AND r.actor_name = @actor_name
  AND NOT EXISTS (SELECT 1 FROM revisions o WHERE o.entity = r.entity AND o.entity_id = r.entity_id
                  AND (o.actor_id IS NOT NULL OR o.actor_name <> @actor_name))
  AND NOT EXISTS (SELECT 1 FROM status_updates su WHERE @entity = 'deal' AND su.deal_id = r.entity_id
                  AND (su.author_id IS NOT NULL OR su.author_name <> @actor_name))
  AND NOT EXISTS (SELECT 1 FROM deals d WHERE @entity = 'deal' AND d.id = r.entity_id AND d.deleted_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM priorities p WHERE @entity = 'priority' AND p.id = r.entity_id AND p.deleted_at IS NOT NULL)
ORDER BY r.entity_id;
