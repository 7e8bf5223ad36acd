-- name: SlugRedirectGet :one
SELECT entity_id FROM slug_redirects WHERE entity = @entity AND old_slug = @old_slug;

-- name: SlugRedirectInsert :exec
INSERT INTO slug_redirects (entity, old_slug, entity_id) VALUES (@entity, @old_slug, @entity_id)
ON CONFLICT (entity, old_slug) DO UPDATE SET entity_id = EXCLUDED.entity_id;
