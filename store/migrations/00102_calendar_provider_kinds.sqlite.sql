-- +goose Up
-- Company-wide calendar connections (Google Workspace, Microsoft 365) keep
-- one source per interviewer, so sync state, errors and "unknown" work the
-- same as for feeds and CalDAV. SQLite cannot change a CHECK in place: both
-- tables are rebuilt in this migration's transaction (the busy rows are
-- copied, not re-synced).
CREATE TABLE calendar_sources_new (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT REFERENCES users(id),
    room_id BIGINT REFERENCES rooms(id),
    -- feed, upload, caldav, google, microsoft
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'upload', 'caldav', 'google', 'microsoft')),
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
    busy_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (room_id IS NULL))
);

-- Busy time read from the sources, replaced whole on every successful sync,
-- so Find times and the conflict check never call a calendar server.
CREATE TABLE calendar_busy_new (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources_new(id) ON DELETE CASCADE,
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

INSERT INTO calendar_sources_new (id, account_id, user_id, room_id, kind, name, display_url, username, key_id, secret, upload, calendars, refresh_minutes, etag, last_modified, state, error, failing_since, last_attempt_at, last_success_at, event_count, synced_from, synced_to, next_sync_at, busy_version, created_at, updated_at)
    SELECT id, account_id, user_id, room_id, kind, name, display_url, username, key_id, secret, upload, calendars, refresh_minutes, etag, last_modified, state, error, failing_since, last_attempt_at, last_success_at, event_count, synced_from, synced_to, next_sync_at, busy_version, created_at, updated_at FROM calendar_sources;
INSERT INTO calendar_busy_new (id, account_id, source_id, user_id, room_id, start_at, end_at, kind, title, private, all_day)
    SELECT id, account_id, source_id, user_id, room_id, start_at, end_at, kind, title, private, all_day FROM calendar_busy;
DROP TABLE calendar_busy;
DROP TABLE calendar_sources;
ALTER TABLE calendar_sources_new RENAME TO calendar_sources;
ALTER TABLE calendar_busy_new RENAME TO calendar_busy;
CREATE INDEX calendar_sources_account_user ON calendar_sources(account_id, user_id);
CREATE INDEX calendar_sources_account_room ON calendar_sources(account_id, room_id);
CREATE INDEX calendar_sources_due ON calendar_sources(next_sync_at);
CREATE INDEX calendar_busy_user ON calendar_busy(account_id, user_id, start_at);
CREATE INDEX calendar_busy_room ON calendar_busy(account_id, room_id, start_at);
CREATE INDEX calendar_busy_source ON calendar_busy(source_id);

-- +goose Down
DELETE FROM calendar_sources WHERE kind IN ('google', 'microsoft');
CREATE TABLE calendar_sources_new (
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
    busy_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((user_id IS NULL) <> (room_id IS NULL))
);

-- Busy time read from the sources, replaced whole on every successful sync,
-- so Find times and the conflict check never call a calendar server.
CREATE TABLE calendar_busy_new (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources_new(id) ON DELETE CASCADE,
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

INSERT INTO calendar_sources_new (id, account_id, user_id, room_id, kind, name, display_url, username, key_id, secret, upload, calendars, refresh_minutes, etag, last_modified, state, error, failing_since, last_attempt_at, last_success_at, event_count, synced_from, synced_to, next_sync_at, busy_version, created_at, updated_at)
    SELECT id, account_id, user_id, room_id, kind, name, display_url, username, key_id, secret, upload, calendars, refresh_minutes, etag, last_modified, state, error, failing_since, last_attempt_at, last_success_at, event_count, synced_from, synced_to, next_sync_at, busy_version, created_at, updated_at FROM calendar_sources;
INSERT INTO calendar_busy_new (id, account_id, source_id, user_id, room_id, start_at, end_at, kind, title, private, all_day)
    SELECT id, account_id, source_id, user_id, room_id, start_at, end_at, kind, title, private, all_day FROM calendar_busy;
DROP TABLE calendar_busy;
DROP TABLE calendar_sources;
ALTER TABLE calendar_sources_new RENAME TO calendar_sources;
ALTER TABLE calendar_busy_new RENAME TO calendar_busy;
CREATE INDEX calendar_sources_account_user ON calendar_sources(account_id, user_id);
CREATE INDEX calendar_sources_account_room ON calendar_sources(account_id, room_id);
CREATE INDEX calendar_sources_due ON calendar_sources(next_sync_at);
CREATE INDEX calendar_busy_user ON calendar_busy(account_id, user_id, start_at);
CREATE INDEX calendar_busy_room ON calendar_busy(account_id, room_id, start_at);
CREATE INDEX calendar_busy_source ON calendar_busy(source_id);
