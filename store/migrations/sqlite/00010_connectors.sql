-- Pull connectors (issue 6): the log of every run, the lease that keeps
-- a source's connector to one dxtrack instance at a time, and the hashes
-- of the records a connector has delivered, so that a run that fetches
-- the same records again does not count them twice. Instants are
-- fixed-width UTC text, compared as strings on both engines. Kept in step
-- with ../postgres/00010_connectors.sql: only identity columns differ.

-- +goose Up
CREATE TABLE connector_runs (
    id          INTEGER PRIMARY KEY,
    source_id   BIGINT NOT NULL,
    holder      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,
    pages       INTEGER NOT NULL DEFAULT 0,
    accepted    INTEGER NOT NULL DEFAULT 0,
    refused     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX connector_runs_source ON connector_runs (source_id, id);

CREATE TABLE connector_leases (
    source_id  BIGINT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE connector_seen (
    source_id BIGINT NOT NULL,
    hash      TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (source_id, hash)
);

-- +goose Down
DROP TABLE connector_seen;
DROP TABLE connector_leases;
DROP TABLE connector_runs;
