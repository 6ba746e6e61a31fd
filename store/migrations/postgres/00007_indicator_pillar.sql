-- The pillar an indicator belongs to: its column on the scorecard.

-- +goose Up
ALTER TABLE indicators ADD COLUMN pillar_id BIGINT REFERENCES categories (id);

-- +goose Down
ALTER TABLE indicators DROP COLUMN pillar_id;
