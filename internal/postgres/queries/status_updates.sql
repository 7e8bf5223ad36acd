-- name: UpdateInsert :one
INSERT INTO status_updates (deal_id, stage, occurred_on, occurred_precision, note,
                            author_id, author_name, corrects_id, correction_reason)
VALUES (@deal_id, @stage, @occurred_on, @occurred_precision, @note,
        @author_id, @author_name, @corrects_id, @correction_reason)
RETURNING *;

-- name: UpdateGet :one
SELECT * FROM status_updates WHERE id = @id;

-- name: UpdateListByDeal :many
SELECT * FROM status_updates WHERE deal_id = @deal_id ORDER BY occurred_on DESC, id DESC;

-- Queries behind corrections of status updates.

-- name: UpdateGetCorrection :one
-- The update that corrects @id, if any: an update is corrected at most once.
SELECT * FROM status_updates WHERE corrects_id = @id;
