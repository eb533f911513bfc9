-- +goose Up
-- Calendar sources: where an interviewer's (or a room's) busy time is read
-- from. The feed URL (a "secret address") and the CalDAV password are
-- sealed with AES-256-GCM like Zoom's tokens; key_id names the key.
CREATE TABLE calendar_sources (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT REFERENCES users(id),
    room_id BIGINT REFERENCES rooms(id),
    -- feed, upload, caldav
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'upload', 'caldav')),
    name TEXT NOT NULL,
    -- What the page may show of the address: scheme and host only.
    display_url TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL DEFAULT '',
    secret @BLOB@,
    -- An uploaded .ics, kept so each sync expands it over the moving window.
    upload @BLOB@,
    -- CalDAV: the account's calendars as JSON [{path, name, selected}].
    calendars TEXT NOT NULL DEFAULT '[]',
    refresh_minutes INTEGER NOT NULL DEFAULT 15,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    -- pending (never read), ok, failing
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'ok', 'failing')),
    error TEXT NOT NULL DEFAULT '',
    failing_since BIGINT,
    last_attempt_at BIGINT,
    last_success_at BIGINT,
    event_count INTEGER NOT NULL DEFAULT 0,
    -- The window the cached busy time covers.
    synced_from BIGINT,
    synced_to BIGINT,
    next_sync_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (room_id IS NULL))
);
CREATE INDEX calendar_sources_account_user ON calendar_sources(account_id, user_id);
CREATE INDEX calendar_sources_account_room ON calendar_sources(account_id, room_id);
CREATE INDEX calendar_sources_due ON calendar_sources(next_sync_at);

-- Busy time read from the sources, replaced whole on every successful sync,
-- so Find times and the conflict check never call a calendar server.
CREATE TABLE calendar_busy (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources(id) ON DELETE CASCADE,
    user_id BIGINT,
    room_id BIGINT,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    -- busy or tentative
    kind TEXT NOT NULL,
    -- Empty for private events, which show as "Busy".
    title TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    all_day BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX calendar_busy_user ON calendar_busy(account_id, user_id, start_at);
CREATE INDEX calendar_busy_room ON calendar_busy(account_id, room_id, start_at);
CREATE INDEX calendar_busy_source ON calendar_busy(source_id);

-- Account-wide calendar policy: whether tentative events block, and the
-- conflict keywords (one phrase a line) whose events are soft.
CREATE TABLE calendar_settings (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts(id),
    tentative_busy BOOLEAN NOT NULL DEFAULT TRUE,
    keywords TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- An interviewer's own additional conflict keywords.
CREATE TABLE calendar_user_keywords (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users(id),
    keywords TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE calendar_user_keywords;
DROP TABLE calendar_settings;
DROP TABLE calendar_busy;
DROP TABLE calendar_sources;
