-- The dxtrack schema. Kept in step with ../postgres/00001_init.sql: only
-- identity columns, byte columns and the collation of sort keys differ.
-- Dates are TEXT 'YYYY-MM-DD' and instants TEXT in fixed-width UTC
-- ('2006-01-02T15:04:05.000000Z'), so that both engines compare them as
-- strings the same way.

-- +goose Up
CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name_vi      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    full_name    TEXT NOT NULL DEFAULT '',
    type         TEXT NOT NULL,
    type_name_vi TEXT NOT NULL DEFAULT '',
    type_name_en TEXT NOT NULL DEFAULT '',
    parent_id    BIGINT REFERENCES units (id),
    path         TEXT NOT NULL DEFAULT '',
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,
    head         TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    sort_name    TEXT NOT NULL DEFAULT '',
    search       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_path ON units (path);

CREATE TABLE unit_changes (
    id        INTEGER PRIMARY KEY,
    unit_id   BIGINT NOT NULL REFERENCES units (id),
    on_date   TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    source    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_changes_unit ON unit_changes (unit_id);

CREATE TABLE unit_lineage (
    id      INTEGER PRIMARY KEY,
    from_id BIGINT NOT NULL REFERENCES units (id),
    to_id   BIGINT NOT NULL REFERENCES units (id),
    kind    TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX unit_lineage_from ON unit_lineage (from_id);
CREATE INDEX unit_lineage_to ON unit_lineage (to_id);

CREATE TABLE categories (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    code    TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    sort    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    number        TEXT NOT NULL,
    title_vi      TEXT NOT NULL,
    title_en      TEXT NOT NULL DEFAULT '',
    issuer        TEXT NOT NULL DEFAULT '',
    issued_on     TEXT NOT NULL,
    span_from     INTEGER NOT NULL,
    span_to       INTEGER NOT NULL,
    vision_year   INTEGER NOT NULL DEFAULT 0,
    parent_id     BIGINT REFERENCES documents (id),
    owner_unit_id BIGINT NOT NULL REFERENCES units (id),
    summary       TEXT NOT NULL DEFAULT '',
    search        TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL,
    UNIQUE (kind, number)
);
CREATE INDEX documents_parent ON documents (parent_id);

CREATE TABLE targets (
    id               INTEGER PRIMARY KEY,
    document_id      BIGINT NOT NULL REFERENCES documents (id),
    code             TEXT NOT NULL,
    sort_key         TEXT NOT NULL,
    name_vi          TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    measure          TEXT NOT NULL DEFAULT '',
    baseline         DOUBLE PRECISION,
    target_value     DOUBLE PRECISION,
    current_value    DOUBLE PRECISION,
    direction        TEXT NOT NULL DEFAULT '',
    done             BOOLEAN NOT NULL DEFAULT FALSE,
    start_on         TEXT,
    deadline         TEXT NOT NULL,
    pillar_id        BIGINT REFERENCES categories (id),
    sector_id        BIGINT REFERENCES categories (id),
    lead_unit_id     BIGINT NOT NULL REFERENCES units (id),
    illustrative     BOOLEAN NOT NULL DEFAULT FALSE,
    note             TEXT NOT NULL DEFAULT '',
    override_status  TEXT,
    override_reason  TEXT NOT NULL DEFAULT '',
    override_by      BIGINT NOT NULL DEFAULT 0,
    override_by_name TEXT NOT NULL DEFAULT '',
    override_at      TEXT,
    search           TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL,
    UNIQUE (document_id, code)
);
CREATE INDEX targets_lead ON targets (lead_unit_id);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    document_id      BIGINT NOT NULL REFERENCES documents (id),
    code             TEXT NOT NULL,
    sort_key         TEXT NOT NULL,
    name_vi          TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    grp              TEXT NOT NULL DEFAULT '',
    lead_unit_id     BIGINT NOT NULL REFERENCES units (id),
    start_on         TEXT,
    deadline         TEXT NOT NULL,
    output           TEXT NOT NULL DEFAULT '',
    budget_vnd       BIGINT NOT NULL DEFAULT 0,
    progress         INTEGER NOT NULL DEFAULT 0,
    pillar_id        BIGINT REFERENCES categories (id),
    sector_id        BIGINT REFERENCES categories (id),
    illustrative     BOOLEAN NOT NULL DEFAULT FALSE,
    note             TEXT NOT NULL DEFAULT '',
    override_status  TEXT,
    override_reason  TEXT NOT NULL DEFAULT '',
    override_by      BIGINT NOT NULL DEFAULT 0,
    override_by_name TEXT NOT NULL DEFAULT '',
    override_at      TEXT,
    search           TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL,
    UNIQUE (document_id, code)
);
CREATE INDEX tasks_lead ON tasks (lead_unit_id);

CREATE TABLE task_units (
    task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units (unit_id);

CREATE TABLE task_targets (
    task_id   BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, target_id)
);
CREATE INDEX task_targets_target ON task_targets (target_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    lang          TEXT NOT NULL DEFAULT 'vi',
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    search        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit (entity, entity_id);

-- +goose Down
DROP TABLE audit;
DROP TABLE sessions;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE task_targets;
DROP TABLE task_units;
DROP TABLE tasks;
DROP TABLE targets;
DROP TABLE documents;
DROP TABLE categories;
DROP TABLE unit_lineage;
DROP TABLE unit_changes;
DROP TABLE units;
