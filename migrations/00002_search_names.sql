-- +goose Up
-- The search document also holds a deal's sector and the names of its
-- countries and organizations, so "Boeing", "Kazakhstan" or "energy" find
-- the deals they take part in, not only those whose text names them.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deal_search_refresh(d_id bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deal_search (deal_id, document)
    SELECT d.id,
           setweight(to_tsvector('english', d.title), 'A')
        || setweight(to_tsvector('english', d.summary), 'B')
        || setweight(to_tsvector('english', concat_ws(' ', d.sector,
               (SELECT string_agg(c.name, ' ') FROM deal_parties p JOIN countries c ON c.code = p.country_code
                WHERE p.deal_id = d.id),
               (SELECT string_agg(o.name, ' ') FROM deal_organizations x JOIN organizations o ON o.id = x.organization_id
                WHERE x.deal_id = d.id))), 'B')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(su.note, ' ') FROM status_updates su WHERE su.deal_id = d.id), '')), 'C')
    FROM deals d WHERE d.id = d_id
    ON CONFLICT (deal_id) DO UPDATE SET document = EXCLUDED.document;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deal_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        PERFORM deal_search_refresh(NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM deal_search_refresh(OLD.deal_id);
    ELSE
        PERFORM deal_search_refresh(NEW.deal_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER deal_parties_search AFTER INSERT OR DELETE ON deal_parties
    FOR EACH ROW EXECUTE FUNCTION deal_search_trigger();
CREATE TRIGGER deal_organizations_search AFTER INSERT OR DELETE ON deal_organizations
    FOR EACH ROW EXECUTE FUNCTION deal_search_trigger();

-- +goose StatementBegin
CREATE FUNCTION organization_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM deal_search_refresh(x.deal_id) FROM deal_organizations x WHERE x.organization_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER organizations_search AFTER UPDATE OF name ON organizations
    FOR EACH ROW EXECUTE FUNCTION organization_search_trigger();

SELECT deal_search_refresh(id) FROM deals;

-- +goose Down
-- Forward-only: restore from a backup instead.
