-- name: RevisionInsert :exec
INSERT INTO revisions (entity, entity_id, action, actor_id, actor_name, reason, before, after)
VALUES (@entity, @entity_id, @action, @actor_id, @actor_name, @reason, @before, @after);

-- name: RevisionListByEntity :many
SELECT * FROM revisions WHERE entity = @entity AND entity_id = @entity_id ORDER BY id DESC;

-- name: RevisionCount :one
SELECT count(*) FROM revisions;
