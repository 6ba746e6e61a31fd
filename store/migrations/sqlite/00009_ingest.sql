-- Machine data (issue 6): sources with their hashed token and mapping,
-- the log of the batches they sent (the idempotency keys of counted
-- batches are unique per source; a batch refused whole keeps its key
-- only for display, so the fixed batch may reuse it; pending holds a
-- counted batch's cells until they are applied), and the
-- accumulator cells per source, indicator, unit and period from which
-- the machine values are derived (records, records meeting the rule's
-- condition, sum of its expression), so that count, sum, share and mean
-- stay exact across batches. Kept in step with ../postgres/00009_ingest.sql:
-- only identity columns and the collation of keys differ.

-- +goose Up
CREATE TABLE data_sources (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    owner_unit_id BIGINT NOT NULL REFERENCES units (id),
    policy        TEXT NOT NULL,
    mapping       TEXT NOT NULL,
    pull          TEXT NOT NULL DEFAULT '',
    pull_secret   TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    token_hash    TEXT UNIQUE,
    token_hint    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE ingest_batches (
    id          INTEGER PRIMARY KEY,
    source_id   BIGINT NOT NULL REFERENCES data_sources (id) ON DELETE CASCADE,
    idem_key    TEXT,
    key_label   TEXT NOT NULL,
    received    INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    refused     INTEGER NOT NULL,
    errors      TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    day         TEXT NOT NULL,
    pending     TEXT,
    UNIQUE (source_id, idem_key)
);
CREATE INDEX ingest_batches_source ON ingest_batches (source_id, id);
CREATE INDEX ingest_batches_day ON ingest_batches (source_id, day);
CREATE INDEX ingest_batches_pending ON ingest_batches (id) WHERE pending IS NOT NULL;

CREATE TABLE ingest_cells (
    source_id    BIGINT NOT NULL REFERENCES data_sources (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    unit_id      BIGINT NOT NULL REFERENCES units (id),
    period_key   TEXT NOT NULL,
    records      BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    total        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (source_id, indicator_id, unit_id, period_key)
);

-- +goose Down
DROP TABLE ingest_cells;
DROP TABLE ingest_batches;
DROP TABLE data_sources;
