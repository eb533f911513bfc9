-- +goose Up
-- Each CalDAV block remembers the calendar object (href) it came from, so
-- an incremental sync (RFC 6578 sync-collection) replaces only the blocks
-- of the objects that changed or were removed.
ALTER TABLE calendar_busy ADD COLUMN href TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE calendar_busy DROP COLUMN href;
