-- +goose Up
-- What a deal's status updates make of it, derived in one place: its stage,
-- the day it entered that stage (stage_on), and the day of its latest
-- update (latest_update_on, for "gone quiet"). Every write path stores
-- what deal_stage says for today; past views (?as_of) ask it for their day.
--
-- The updates that count ("in force") are those not replaced by a
-- correction, as at the end of as_of_day (midnight UTC): an update that
-- happened on or before it, unless it is a correction recorded after it,
-- and not corrected by a correction recorded by then; the same rule as the
-- as-of view in internal/postgres/asof.go. Today's state is the state as
-- of 'infinity', the default: every update recorded.
--
-- Ordered by occurred_on, then id, the latest of them sets the stage, and
-- stage_on is the occurred_on of the first update of the latest unbroken
-- run of updates at that stage. A deal with no update in force stands at
-- proposed, with no dates. One row, always.

ALTER TABLE deals ADD COLUMN latest_update_on date;

-- The updates of deal d_id in force at the end of as_of_day.
-- +goose StatementBegin
CREATE FUNCTION deal_updates_in_force(d_id bigint, as_of_day date DEFAULT 'infinity')
RETURNS TABLE (id bigint, stage text, occurred_on date)
LANGUAGE sql STABLE AS $$
    SELECT su.id, su.stage, su.occurred_on
    FROM status_updates su
    WHERE su.deal_id = d_id
      AND su.occurred_on <= as_of_day
      AND (su.corrects_id IS NULL OR su.created_at < (as_of_day + 1)::timestamp AT TIME ZONE 'UTC')
      AND NOT EXISTS (
          SELECT 1 FROM status_updates c
          WHERE c.corrects_id = su.id AND c.created_at < (as_of_day + 1)::timestamp AT TIME ZONE 'UTC')
$$;
-- +goose StatementEnd

-- Three short index scans, each stopping at its first row: the latest
-- update, the latest one at another stage (the last before the current
-- run), and the first update after that one, which began the run.
-- +goose StatementBegin
CREATE FUNCTION deal_stage(d_id bigint, as_of_day date DEFAULT 'infinity')
RETURNS TABLE (stage text, stage_on date, latest_update_on date)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(latest.stage, 'proposed'),
           (SELECT f.occurred_on FROM deal_updates_in_force(d_id, as_of_day) f
            WHERE (f.occurred_on, f.id) > (coalesce(before_run.occurred_on, '-infinity'), coalesce(before_run.id, 0))
            ORDER BY f.occurred_on, f.id LIMIT 1),
           latest.occurred_on
    FROM (SELECT) AS one
    LEFT JOIN LATERAL (
        SELECT f.stage, f.occurred_on FROM deal_updates_in_force(d_id, as_of_day) f
        ORDER BY f.occurred_on DESC, f.id DESC LIMIT 1
    ) latest ON true
    LEFT JOIN LATERAL (
        SELECT f.id, f.occurred_on FROM deal_updates_in_force(d_id, as_of_day) f
        WHERE f.stage <> latest.stage
        ORDER BY f.occurred_on DESC, f.id DESC LIMIT 1
    ) before_run ON true
$$;
-- +goose StatementEnd

-- Derives every deal again and stores what moved, with a revision for each
-- deal whose stage or stage date moves: for the deals already here, whose
-- stage_on was the day of their latest update until now, and for a backup
-- made before this migration (Import in internal/postgres/backup.go).
-- +goose StatementBegin
CREATE FUNCTION deals_derive_stage(why text) RETURNS void LANGUAGE sql AS $$
    WITH derived AS (
        SELECT d.id, d.stage AS old_stage, d.stage_on AS old_on, s.stage, s.stage_on, s.latest_update_on
        FROM deals d CROSS JOIN LATERAL deal_stage(d.id) s
        WHERE (d.stage, d.stage_on, d.latest_update_on) IS DISTINCT FROM (s.stage, s.stage_on, s.latest_update_on)
    ), stored AS (
        UPDATE deals d SET stage = x.stage, stage_on = x.stage_on, latest_update_on = x.latest_update_on
        FROM derived x WHERE x.id = d.id
    )
    INSERT INTO revisions (entity, entity_id, action, reason, before, after)
    SELECT 'deal', x.id, 'update', why,
           jsonb_build_object('stage', x.old_stage, 'stage_on', to_char(x.old_on, 'YYYY-MM-DD"T00:00:00Z"')),
           jsonb_build_object('stage', x.stage, 'stage_on', to_char(x.stage_on, 'YYYY-MM-DD"T00:00:00Z"'))
    FROM derived x
    WHERE (x.old_stage, x.old_on) IS DISTINCT FROM (x.stage, x.stage_on)
    ORDER BY x.id;
$$;
-- +goose StatementEnd

SELECT deals_derive_stage('stage date derived again: the day the deal entered its stage');

-- +goose Down
-- Forward-only: restore from a backup instead.
