-- +goose Up

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    name          text NOT NULL CHECK (name <> ''),
    role          text NOT NULL CHECK (role IN ('editor', 'admin')),
    password_hash text NOT NULL,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- The table scs/pgxstore expects.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE summits (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (name <> ''),
    held_on     date,
    city        text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE countries (
    code         text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name         text NOT NULL CHECK (name <> ''),
    capital      text NOT NULL DEFAULT '',
    leader       text NOT NULL DEFAULT '',
    leader_title text NOT NULL DEFAULT '',
    summary      text NOT NULL DEFAULT ''
);

CREATE TABLE organizations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name         text NOT NULL CHECK (name <> ''),
    kind         text NOT NULL DEFAULT 'other'
                 CHECK (kind IN ('company', 'government', 'bank', 'fund', 'agency', 'other')),
    country_code text REFERENCES countries (code),
    description  text NOT NULL DEFAULT '',
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE priorities (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country_code text NOT NULL REFERENCES countries (code),
    slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title        text NOT NULL CHECK (title <> ''),
    description  text NOT NULL DEFAULT '',
    sector       text NOT NULL CHECK (sector IN ('trade', 'minerals', 'energy', 'transport', 'technology',
                                                 'finance', 'security', 'telecom', 'education', 'other')),
    source_url       text NOT NULL CHECK (source_url ~ '^https?://'),
    source_title     text NOT NULL CHECK (source_title <> ''),
    source_publisher text NOT NULL CHECK (source_publisher <> ''),
    deleted_at   timestamptz,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (country_code, slug)
);

CREATE TABLE deals (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title               text NOT NULL CHECK (title <> ''),
    summary             text NOT NULL DEFAULT '',
    sector              text NOT NULL CHECK (sector IN ('trade', 'minerals', 'energy', 'transport', 'technology',
                                                        'finance', 'security', 'telecom', 'education', 'other')),
    -- Derived from the latest status update, in the same transaction as that update.
    stage               text NOT NULL DEFAULT 'proposed'
                        CHECK (stage IN ('proposed', 'announced', 'agreed', 'contracted',
                                         'under_way', 'delivered', 'stalled', 'cancelled')),
    stage_on            date,
    -- Hundredths of the currency unit.
    value_cents         bigint CHECK (value_cents >= 0),
    value_currency      text CHECK (value_currency ~ '^[A-Z]{3}$'),
    value_note          text NOT NULL DEFAULT '',
    announced_on        date,
    summit_id           bigint REFERENCES summits (id),
    parent_id           bigint REFERENCES deals (id),
    counts_toward_total boolean NOT NULL DEFAULT true,
    last_verified_on    date,
    deleted_at          timestamptz,
    deleted_reason      text NOT NULL DEFAULT '',
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id <> id),
    CHECK ((value_cents IS NULL) = (value_currency IS NULL))
);
CREATE INDEX deals_stage_idx ON deals (stage);
CREATE INDEX deals_sector_idx ON deals (sector);
CREATE INDEX deals_summit_idx ON deals (summit_id);
CREATE INDEX deals_parent_idx ON deals (parent_id);
CREATE INDEX deals_stage_on_idx ON deals (stage_on DESC NULLS LAST, id DESC);
CREATE INDEX deals_value_idx ON deals (value_cents DESC NULLS LAST, id DESC);
CREATE INDEX deals_announced_idx ON deals (announced_on DESC NULLS LAST, id DESC);

-- The full-text document of each deal, kept by triggers below.
CREATE TABLE deal_search (
    deal_id  bigint PRIMARY KEY REFERENCES deals (id),
    document tsvector NOT NULL
);
CREATE INDEX deal_search_document_idx ON deal_search USING gin (document);

CREATE TABLE deal_parties (
    deal_id      bigint NOT NULL REFERENCES deals (id),
    country_code text NOT NULL REFERENCES countries (code),
    PRIMARY KEY (deal_id, country_code)
);
CREATE INDEX deal_parties_country_idx ON deal_parties (country_code, deal_id);

CREATE TABLE deal_organizations (
    deal_id         bigint NOT NULL REFERENCES deals (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    role            text NOT NULL DEFAULT 'partner'
                    CHECK (role IN ('buyer', 'supplier', 'investor', 'financier', 'partner',
                                    'bidder', 'sponsor', 'other')),
    PRIMARY KEY (deal_id, organization_id)
);
CREATE INDEX deal_organizations_org_idx ON deal_organizations (organization_id, deal_id);

CREATE TABLE deal_priorities (
    deal_id     bigint NOT NULL REFERENCES deals (id),
    priority_id bigint NOT NULL REFERENCES priorities (id),
    PRIMARY KEY (deal_id, priority_id)
);
CREATE INDEX deal_priorities_priority_idx ON deal_priorities (priority_id, deal_id);

-- Append-only: a correction is a new row pointing at the row it corrects.
CREATE TABLE status_updates (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id          bigint NOT NULL REFERENCES deals (id),
    stage            text NOT NULL
                     CHECK (stage IN ('proposed', 'announced', 'agreed', 'contracted',
                                      'under_way', 'delivered', 'stalled', 'cancelled')),
    occurred_on      date NOT NULL,
    note             text NOT NULL DEFAULT '',
    source_url       text NOT NULL CHECK (source_url ~ '^https?://'),
    source_title     text NOT NULL CHECK (source_title <> ''),
    source_publisher text NOT NULL CHECK (source_publisher <> ''),
    author_id        bigint REFERENCES users (id),
    author_name      text NOT NULL DEFAULT '',
    corrects_id      bigint UNIQUE REFERENCES status_updates (id),
    correction_reason text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (corrects_id IS NULL OR correction_reason <> '')
);
CREATE INDEX status_updates_deal_idx ON status_updates (deal_id, occurred_on DESC, id DESC);
CREATE INDEX status_updates_occurred_idx ON status_updates (occurred_on DESC, id DESC);

-- Every change to every editable record: the public history and corrections log.
CREATE TABLE revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     text NOT NULL CHECK (entity IN ('deal', 'priority', 'organization', 'status_update', 'user')),
    entity_id  bigint NOT NULL,
    action     text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'correct', 'verify')),
    actor_id   bigint REFERENCES users (id),
    actor_name text NOT NULL DEFAULT '',
    reason     text NOT NULL DEFAULT '',
    before     jsonb,
    after      jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revisions_entity_idx ON revisions (entity, entity_id, id DESC);
CREATE INDEX revisions_created_idx ON revisions (created_at DESC, id DESC);

-- Old slugs keep redirecting to the record's current URL.
CREATE TABLE slug_redirects (
    entity    text NOT NULL CHECK (entity IN ('deal', 'organization', 'priority')),
    old_slug  text NOT NULL,
    entity_id bigint NOT NULL,
    PRIMARY KEY (entity, old_slug)
);

-- Nothing in the append-only tables is overwritten or deleted.
-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER status_updates_append_only BEFORE UPDATE OR DELETE ON status_updates
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER revisions_append_only BEFORE UPDATE OR DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The search document: a deal's title, summary and every update note, stemmed in English.
-- +goose StatementBegin
CREATE FUNCTION deal_search_refresh(d_id bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO deal_search (deal_id, document)
    SELECT d.id,
           setweight(to_tsvector('english', d.title), 'A')
        || setweight(to_tsvector('english', d.summary), 'B')
        || setweight(to_tsvector('english', coalesce(
               (SELECT string_agg(su.note, ' ') FROM status_updates su WHERE su.deal_id = d.id), '')), 'C')
    FROM deals d WHERE d.id = d_id
    ON CONFLICT (deal_id) DO UPDATE SET document = EXCLUDED.document;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION deal_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'deals' THEN
        PERFORM deal_search_refresh(NEW.id);
    ELSE
        PERFORM deal_search_refresh(NEW.deal_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER deals_search AFTER INSERT OR UPDATE OF title, summary ON deals
    FOR EACH ROW EXECUTE FUNCTION deal_search_trigger();
CREATE TRIGGER status_updates_search AFTER INSERT ON status_updates
    FOR EACH ROW EXECUTE FUNCTION deal_search_trigger();

-- +goose Down
-- Forward-only: restore from a backup instead.
