-- +goose Up
-- The iCalendar SEQUENCE of each interview's invitations: raised on every
-- change of its schedule, so calendar apps apply updates and cancellations
-- in order (RFC 5546).
ALTER TABLE schedule_items ADD COLUMN invitation_sequence INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE schedule_items DROP COLUMN invitation_sequence;
