-- DHIS2 compatibility (issue 6): the code tables that map what tools
-- pushing DHIS2 data value sets call things to dxtrack's indicators and
-- units. A data element maps per category option combo ('' is the default
-- combo); an organisation unit without a row is looked up as a unit code.
-- Kept in step with ../postgres/00011_dhis2.sql: only identity columns
-- differ.

-- +goose Up
CREATE TABLE dhis2_elements (
    id           INTEGER PRIMARY KEY,
    data_element TEXT NOT NULL,
    combo        TEXT NOT NULL DEFAULT '',
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    UNIQUE (data_element, combo)
);
CREATE INDEX dhis2_elements_indicator ON dhis2_elements (indicator_id);

CREATE TABLE dhis2_org_units (
    id       INTEGER PRIMARY KEY,
    org_unit TEXT NOT NULL UNIQUE,
    unit_id  BIGINT NOT NULL REFERENCES units (id)
);
CREATE INDEX dhis2_org_units_unit ON dhis2_org_units (unit_id);

-- +goose Down
DROP TABLE dhis2_org_units;
DROP TABLE dhis2_elements;
