-- +goose Up
-- The Google Calendar events a schedule put on the scheduling calendar:
-- one per interview (key item:ID) and one for the candidate (key
-- candidate). Event ids are ours (base32hex, derived from account,
-- schedule and key), so a retry after a lost answer or a killed process
-- finds the event instead of making a second; the row is written before
-- Google is called, so a cancel knows to delete what a crash left. The
-- busy-time sync skips these ids: our own interviews are not busy time
-- twice.
CREATE TABLE google_schedule_events (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    schedule_id BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    calendar_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    item_id BIGINT,
    fingerprint TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, schedule_id, event_key)
);
CREATE INDEX google_schedule_events_event ON google_schedule_events(account_id, event_id);

-- quotaExceeded makes the scheduling calendar read-only for hours: writes
-- wait until then and admins are told. The scheduling calendar's own sync
-- token brings attendees' answers back.
ALTER TABLE google_connections ADD COLUMN writes_paused_until BIGINT;
ALTER TABLE google_connections ADD COLUMN scheduling_sync_token TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE google_connections DROP COLUMN scheduling_sync_token;
ALTER TABLE google_connections DROP COLUMN writes_paused_until;
DROP TABLE google_schedule_events;
