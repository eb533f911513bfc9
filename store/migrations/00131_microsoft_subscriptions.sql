-- +goose Up
-- A change-notification subscription per Outlook calendar: its id, when
-- it expires, and a hash of the clientState Graph echoes on every
-- notification (the state itself is only ever sent to Graph).
ALTER TABLE microsoft_calendars ADD COLUMN subscription_id TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_calendars ADD COLUMN client_state_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_calendars ADD COLUMN subscription_expires BIGINT NOT NULL DEFAULT 0;
CREATE INDEX microsoft_calendars_subscription ON microsoft_calendars(subscription_id);

-- +goose Down
DROP INDEX microsoft_calendars_subscription;
ALTER TABLE microsoft_calendars DROP COLUMN subscription_expires;
ALTER TABLE microsoft_calendars DROP COLUMN client_state_hash;
ALTER TABLE microsoft_calendars DROP COLUMN subscription_id;
