-- Composite indices (issue 5): index definitions as versioned data (the
-- tree is a JSON document the engine reads), editions (a version applied
-- to a year and a cohort), their input tables cell by cell, and component
-- scores through self-assessment, appraisal and final, with evidence
-- files. Score changes are audited (entity "index_score"). Kept in step
-- with ../postgres/00008_composite.sql: only identity columns and the
-- type of file data differ.

-- +goose Up
CREATE TABLE index_definitions (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL,
    version    TEXT NOT NULL,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    builtin    BOOLEAN NOT NULL DEFAULT FALSE,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE index_editions (
    id            INTEGER PRIMARY KEY,
    index_id      BIGINT NOT NULL REFERENCES index_definitions (id),
    year          INTEGER NOT NULL,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    cohort        TEXT NOT NULL DEFAULT '',
    owner_unit_id BIGINT REFERENCES units (id),
    source        TEXT NOT NULL,
    inputs        TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL DEFAULT '',
    derived_from  BIGINT REFERENCES index_editions (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX index_editions_index ON index_editions (index_id, year);

CREATE TABLE index_rows (
    edition_id BIGINT NOT NULL REFERENCES index_editions (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    grp        TEXT NOT NULL DEFAULT '',
    unit_id    BIGINT REFERENCES units (id),
    PRIMARY KEY (edition_id, code)
);

CREATE TABLE index_cells (
    edition_id BIGINT NOT NULL REFERENCES index_editions (id) ON DELETE CASCADE,
    row_code   TEXT NOT NULL,
    col        TEXT NOT NULL,
    num        DOUBLE PRECISION,
    txt        TEXT,
    PRIMARY KEY (edition_id, row_code, col)
);

CREATE TABLE index_scores (
    id             INTEGER PRIMARY KEY,
    edition_id     BIGINT NOT NULL REFERENCES index_editions (id) ON DELETE CASCADE,
    row_code       TEXT NOT NULL,
    node           TEXT NOT NULL,
    self_value     DOUBLE PRECISION,
    self_note      TEXT NOT NULL DEFAULT '',
    appraised      DOUBLE PRECISION,
    appraised_note TEXT NOT NULL DEFAULT '',
    final_value    DOUBLE PRECISION,
    stage          TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (edition_id, row_code, node)
);

CREATE TABLE index_evidence (
    id           INTEGER PRIMARY KEY,
    score_id     BIGINT NOT NULL REFERENCES index_scores (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX index_evidence_score ON index_evidence (score_id);

-- +goose Down
DROP TABLE index_evidence;
DROP TABLE index_scores;
DROP TABLE index_cells;
DROP TABLE index_rows;
DROP TABLE index_editions;
DROP TABLE index_definitions;
