-- +goose Up
-- Push channels (events.watch) on interviewers' calendars. Google echoes
-- the channel's token in every notification; only its SHA-256 is kept. A
-- channel is renewed (a new one made, then the old one stopped) before
-- it expires.
CREATE TABLE google_channels (
    channel_id TEXT NOT NULL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_message_at BIGINT
);
CREATE INDEX google_channels_source ON google_channels(account_id, source_id);

-- +goose Down
DROP TABLE google_channels;
