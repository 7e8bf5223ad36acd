-- Queries behind corrections of status updates.

-- name: UpdateGetCorrection :one
-- The update that corrects @id, if any: an update is corrected at most once.
SELECT * FROM status_updates WHERE corrects_id = @id;
