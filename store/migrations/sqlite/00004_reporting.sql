-- Periodic reporting (issue 3): indicators, regimes with their form items
-- and reporting units, reports with their values, task and target
-- entries, evidence files, the holiday calendar and the reminders sent.
-- Kept in step with ../postgres/00004_reporting.sql: only identity
-- columns, byte columns and the collation of codes differ. Rules and
-- sections of a regime and the sections of a report are JSON text: they
-- are read and written whole, never queried.

-- +goose Up
CREATE TABLE indicators (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    measure       TEXT NOT NULL DEFAULT '',
    type          TEXT NOT NULL,
    decimals      INTEGER NOT NULL DEFAULT 0,
    min_value     DOUBLE PRECISION,
    max_value     DOUBLE PRECISION,
    direction     TEXT NOT NULL,
    owner_unit_id BIGINT REFERENCES units (id),
    search        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE regimes (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_vi         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    content         TEXT NOT NULL DEFAULT '',
    freq            TEXT NOT NULL,
    scope_unit_id   BIGINT REFERENCES units (id),
    unit_types      TEXT NOT NULL DEFAULT '',
    owner_unit_id   BIGINT NOT NULL REFERENCES units (id),
    final_unit_id   BIGINT REFERENCES units (id),
    skip_levels     BOOLEAN NOT NULL DEFAULT FALSE,
    deadline_days   INTEGER NOT NULL DEFAULT 0,
    remind_days     INTEGER NOT NULL DEFAULT 0,
    outlier_share   DOUBLE PRECISION NOT NULL DEFAULT 0,
    outline         TEXT NOT NULL DEFAULT '',
    rules           TEXT NOT NULL DEFAULT '[]',
    sections        TEXT NOT NULL DEFAULT '[]',
    include_targets BOOLEAN NOT NULL DEFAULT FALSE,
    include_tasks   BOOLEAN NOT NULL DEFAULT FALSE,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    search          TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);

CREATE TABLE regime_items (
    regime_id    BIGINT NOT NULL REFERENCES regimes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    grp          TEXT NOT NULL DEFAULT '',
    required     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (regime_id, indicator_id)
);
CREATE INDEX regime_items_indicator ON regime_items (indicator_id);

CREATE TABLE regime_units (
    regime_id BIGINT NOT NULL REFERENCES regimes (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (regime_id, unit_id)
);
CREATE INDEX regime_units_unit ON regime_units (unit_id);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    regime_id    BIGINT NOT NULL REFERENCES regimes (id),
    unit_id      BIGINT NOT NULL REFERENCES units (id),
    period_key   TEXT NOT NULL,
    freq         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    status       TEXT NOT NULL,
    level        INTEGER NOT NULL DEFAULT 0,
    sections     TEXT NOT NULL DEFAULT '{}',
    comment      TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL,
    submitted_at TEXT,
    late         BOOLEAN NOT NULL DEFAULT FALSE,
    approved_at  TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL,
    updated_by   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (regime_id, unit_id, period_key)
);
CREATE INDEX reports_period ON reports (regime_id, period_key);
CREATE INDEX reports_unit ON reports (unit_id);

CREATE TABLE report_values (
    report_id    BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    value        DOUBLE PRECISION,
    prefilled    BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, indicator_id)
);

CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    report_id    BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    task_id      BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX evidence_report ON evidence (report_id);

CREATE TABLE report_tasks (
    report_id        BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    task_id          BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    progress         INTEGER,
    narrative        TEXT NOT NULL DEFAULT '',
    evidence_number  TEXT NOT NULL DEFAULT '',
    evidence_url     TEXT NOT NULL DEFAULT '',
    evidence_file_id BIGINT REFERENCES evidence (id) ON DELETE SET NULL,
    PRIMARY KEY (report_id, task_id)
);

CREATE TABLE report_targets (
    report_id     BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    target_id     BIGINT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    current_value DOUBLE PRECISION,
    done          BOOLEAN,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, target_id)
);

CREATE TABLE calendar_days (
    day     TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE reminders_sent (
    key     TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE reminders_sent;
DROP TABLE calendar_days;
DROP TABLE report_targets;
DROP TABLE report_tasks;
DROP TABLE evidence;
DROP TABLE report_values;
DROP TABLE reports;
DROP TABLE regime_units;
DROP TABLE regime_items;
DROP TABLE regimes;
DROP TABLE indicators;
