-- +goose Up
-- The scheduling mailbox has a change-notification subscription of its
-- own, so an attendee's answer is read when Outlook records it rather
-- than at the next periodic read: its id, when it expires, and a hash of
-- its clientState, as for calendars.
ALTER TABLE microsoft_connections ADD COLUMN responses_subscription_id TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_connections ADD COLUMN responses_client_state_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_connections ADD COLUMN responses_subscription_expires BIGINT NOT NULL DEFAULT 0;
CREATE INDEX microsoft_connections_responses_subscription ON microsoft_connections(responses_subscription_id);
-- Notifications counted per calendar and for the scheduling mailbox: one
-- arriving while its read runs is dropped as that job's duplicate, so
-- the job reads again when the count moved meanwhile.
ALTER TABLE microsoft_calendars ADD COLUMN notified BIGINT NOT NULL DEFAULT 0;
ALTER TABLE microsoft_connections ADD COLUMN responses_notified BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE microsoft_connections DROP COLUMN responses_notified;
ALTER TABLE microsoft_calendars DROP COLUMN notified;
DROP INDEX microsoft_connections_responses_subscription;
ALTER TABLE microsoft_connections DROP COLUMN responses_subscription_expires;
ALTER TABLE microsoft_connections DROP COLUMN responses_client_state_hash;
ALTER TABLE microsoft_connections DROP COLUMN responses_subscription_id;
