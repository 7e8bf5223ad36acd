-- name: UpdateInsert :one
INSERT INTO status_updates (deal_id, stage, occurred_on, note, source_url, source_title, source_publisher,
                            author_id, author_name, corrects_id, correction_reason)
VALUES (@deal_id, @stage, @occurred_on, @note, @source_url, @source_title, @source_publisher,
        @author_id, @author_name, @corrects_id, @correction_reason)
RETURNING *;

-- name: UpdateGet :one
SELECT * FROM status_updates WHERE id = @id;

-- Queries behind corrections of status updates.

-- name: UpdateGetCorrection :one
-- The update that corrects @id, if any: an update is corrected at most once.
SELECT * FROM status_updates WHERE corrects_id = @id;
