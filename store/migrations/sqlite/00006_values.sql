-- The value store and indicator analytics (issue 4): how indicators
-- aggregate and where their values come from, the values themselves
-- (unit × indicator × period, with provenance, who and when; their history
-- is in the audit table, entity "value"), and targets per indicator, unit
-- and year. Kept in step with ../postgres/00006_values.sql: only identity
-- columns and the collation of period keys differ. The table is
-- indicator_values because VALUES is a keyword in both engines.

-- +goose Up
ALTER TABLE indicators ADD COLUMN unit_agg TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN time_agg TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN denominator_id BIGINT REFERENCES indicators (id);
ALTER TABLE indicators ADD COLUMN condition TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN threshold DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN formula TEXT NOT NULL DEFAULT '';

CREATE TABLE indicator_values (
    id           INTEGER PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES units (id),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    period_key   TEXT NOT NULL,
    freq         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    provenance   TEXT NOT NULL,
    set_by       BIGINT NOT NULL DEFAULT 0,
    set_at       TEXT NOT NULL,
    UNIQUE (unit_id, indicator_id, period_key)
);
CREATE INDEX indicator_values_indicator ON indicator_values (indicator_id, period_key);

CREATE TABLE indicator_targets (
    id            INTEGER PRIMARY KEY,
    indicator_id  BIGINT NOT NULL REFERENCES indicators (id),
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    year          INTEGER NOT NULL,
    baseline_year INTEGER NOT NULL,
    baseline      DOUBLE PRECISION NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    UNIQUE (indicator_id, unit_id, year)
);
CREATE INDEX indicator_targets_unit ON indicator_targets (unit_id);

-- +goose Down
DROP TABLE indicator_targets;
DROP TABLE indicator_values;
ALTER TABLE indicators DROP COLUMN formula;
ALTER TABLE indicators DROP COLUMN source;
ALTER TABLE indicators DROP COLUMN threshold;
ALTER TABLE indicators DROP COLUMN condition;
ALTER TABLE indicators DROP COLUMN denominator_id;
ALTER TABLE indicators DROP COLUMN time_agg;
ALTER TABLE indicators DROP COLUMN unit_agg;
