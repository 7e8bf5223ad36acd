-- +goose Up
-- Every write to what readers see sends NOTIFY ledger_changes, so each app
-- instance (LISTENing on its own connection) drops its cache of rendered
-- pages. Statement-level triggers: one notification per statement, and
-- PostgreSQL folds identical notifications of one transaction into one,
-- delivered at commit (never for a rolled-back write). Sessions and sign-in
-- throttling are left out: they change no public page.

-- +goose StatementBegin
CREATE FUNCTION ledger_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ledger_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'summits', 'countries', 'organizations', 'priorities', 'deals',
                             'deal_search', 'deal_parties', 'deal_organizations', 'deal_priorities',
                             'status_updates', 'revisions', 'slug_redirects', 'sources', 'update_sources']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION ledger_notify_change()', t || '_notify_change', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
