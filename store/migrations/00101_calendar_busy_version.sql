-- +goose Up
-- Bumped whenever a source's busy rows are replaced, so an in-memory copy
-- can tell it is stale (timestamps can repeat within a millisecond).
ALTER TABLE calendar_sources ADD COLUMN busy_version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE calendar_sources DROP COLUMN busy_version;
