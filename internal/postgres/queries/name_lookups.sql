-- Names for ids, loaded in one query per kind so that history pages never
-- query once per row.

-- name: OrganizationNameList :many
SELECT id, name FROM organizations WHERE id = ANY(@ids::bigint[]);

-- name: SummitNameList :many
SELECT id, name FROM summits WHERE id = ANY(@ids::bigint[]);
