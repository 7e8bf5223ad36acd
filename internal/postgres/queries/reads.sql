-- name: DealRelationList :many
-- The parties, organizations and priorities of a page of deals, in one round trip.
SELECT p.deal_id, 'party'::text AS kind, c.code AS code, c.slug AS slug, c.name AS name,
       ''::text AS role, c.slug AS country_slug, c.name AS country_name
FROM deal_parties p JOIN countries c ON c.code = p.country_code
WHERE p.deal_id = ANY(@deal_ids::bigint[])
UNION ALL
SELECT o.deal_id, 'organization'::text, org.kind, org.slug, org.name, o.role, ''::text, ''::text
FROM deal_organizations o JOIN organizations org ON org.id = o.organization_id
WHERE o.deal_id = ANY(@deal_ids::bigint[])
UNION ALL
SELECT dp.deal_id, 'priority'::text, pr.country_code, pr.slug, pr.title, ''::text, pc.slug, pc.name
FROM deal_priorities dp
JOIN priorities pr ON pr.id = dp.priority_id AND pr.deleted_at IS NULL
JOIN countries pc ON pc.code = pr.country_code
WHERE dp.deal_id = ANY(@deal_ids::bigint[])
ORDER BY 1, 2, 5;

-- name: UpdateDealRef :one
-- Where an update's permalink points: its deal's id and current slug.
SELECT su.id, su.deal_id, d.slug FROM status_updates su JOIN deals d ON d.id = su.deal_id WHERE su.id = @id;

-- name: OrganizationGetRedirect :one
-- The organization an old slug now names.
SELECT o.* FROM slug_redirects r JOIN organizations o ON o.id = r.entity_id
WHERE r.entity = 'organization' AND r.old_slug = @old_slug;
