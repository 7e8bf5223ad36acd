-- Names for ids, loaded in one query per kind so that history pages never
-- query once per row.

-- name: OrganizationNameList :many
SELECT id, name FROM organizations WHERE id = ANY(@ids::bigint[]);

-- name: SummitNameList :many
SELECT id, name FROM summits WHERE id = ANY(@ids::bigint[]);

-- name: FacetValueList :many
-- The values the deal list's open facets ask for, each with the value it
-- names: a country's code (asked for by code in any case or by slug), a
-- summit's slug, an organization's current slug (asked for by it or by an
-- old one). A value that names nothing has no row.
SELECT 'country'::text AS facet, v.asked::text AS asked, c.code AS value
FROM unnest(@countries::text[]) AS v(asked)
JOIN countries c ON c.code = upper(v.asked) OR c.slug = lower(v.asked)
UNION ALL
SELECT 'summit', v.asked, s.slug
FROM unnest(@summits::text[]) AS v(asked)
JOIN summits s ON s.slug = lower(v.asked)
UNION ALL
SELECT 'organization', v.asked, o.slug
FROM unnest(@organizations::text[]) AS v(asked)
JOIN organizations o ON o.slug = lower(v.asked)
    OR o.id = (SELECT r.entity_id FROM slug_redirects r WHERE r.entity = 'organization' AND r.old_slug = lower(v.asked));
