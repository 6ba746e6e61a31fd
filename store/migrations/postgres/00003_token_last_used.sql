-- When each API token was last used (an instant, like created_at); NULL
-- until its first use. UserByToken refreshes it at most once a minute.

-- +goose Up
ALTER TABLE tokens ADD COLUMN last_used TEXT;

-- +goose Down
ALTER TABLE tokens DROP COLUMN last_used;
