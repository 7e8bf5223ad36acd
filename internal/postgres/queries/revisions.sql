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
