-- +goose Up
-- Attendees' answers come back to the scheduling mailbox, which organises
-- the interview events: its calendarView delta is read on its own (it need
-- not be anyone's calendar source). The link belongs to one mailbox and
-- one window; another mailbox or a window that no longer covers the
-- horizon starts a full round.
ALTER TABLE microsoft_connections ADD COLUMN responses_mailbox TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_connections ADD COLUMN responses_delta_link TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_connections ADD COLUMN responses_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE microsoft_connections ADD COLUMN responses_to BIGINT NOT NULL DEFAULT 0;
-- An organiser's event in the delta is found by its id or its iCalUId.
CREATE INDEX microsoft_schedule_events_event_id ON microsoft_schedule_events(account_id, event_id);

-- +goose Down
DROP INDEX microsoft_schedule_events_event_id;
ALTER TABLE microsoft_connections DROP COLUMN responses_to;
ALTER TABLE microsoft_connections DROP COLUMN responses_from;
ALTER TABLE microsoft_connections DROP COLUMN responses_delta_link;
ALTER TABLE microsoft_connections DROP COLUMN responses_mailbox;
