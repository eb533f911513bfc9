-- +goose Up
-- One Google Workspace connection per InterviewPlanner account, made by an
-- admin either with OAuth as a Workspace admin (a refresh token) or with a
-- service account's key file under domain-wide delegation. The secret
-- (token or key file) is sealed with AES-256-GCM like Zoom's tokens. The
-- row stays after a disconnect so the page can say when and how it ended.
CREATE TABLE google_connections (
    id @ID@,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts(id),
    state TEXT NOT NULL CHECK (state IN ('connected', 'needs_reconnecting', 'disconnected')),
    -- oauth or service_account
    method TEXT NOT NULL CHECK (method IN ('oauth', 'service_account')),
    admin_email TEXT NOT NULL DEFAULT '',
    workspace_domain TEXT NOT NULL DEFAULT '',
    -- service_account: its email and numeric client id (what the admin pastes into the Admin console)
    sa_email TEXT NOT NULL DEFAULT '',
    sa_client_id TEXT NOT NULL DEFAULT '',
    scopes TEXT NOT NULL DEFAULT '',
    scheduling_calendar TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL DEFAULT '',
    secret @BLOB@,
    token_version BIGINT NOT NULL DEFAULT 0,
    -- A refresh lease across instances: the holder refreshes, others wait.
    refreshing_by TEXT NOT NULL DEFAULT '',
    refreshing_until BIGINT,
    connected_at BIGINT,
    connected_by BIGINT REFERENCES users(id),
    disconnected_at BIGINT,
    -- disconnected, token_dead
    disconnect_reason TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    users_count INTEGER NOT NULL DEFAULT 0,
    rooms_count INTEGER NOT NULL DEFAULT 0,
    matched_count INTEGER NOT NULL DEFAULT 0,
    synced_at BIGINT,
    sync_error TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- OAuth state of a "Connect with Google" in flight: single use, bound to
-- the session, with the PKCE verifier.
CREATE TABLE google_oauth_states (
    state_hash TEXT NOT NULL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    session_hash TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The Workspace directory as last read: users and room resources. A user
-- or room no longer listed keeps its row with removed_at set, so the page
-- shows who went away instead of dropping them silently.
CREATE TABLE google_directory (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    -- user or room
    kind TEXT NOT NULL CHECK (kind IN ('user', 'room')),
    google_id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    suspended BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 0,
    building TEXT NOT NULL DEFAULT '',
    floor TEXT NOT NULL DEFAULT '',
    room_id BIGINT REFERENCES rooms(id),
    seen_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE UNIQUE INDEX google_directory_key ON google_directory(account_id, kind, google_id);
CREATE INDEX google_directory_email ON google_directory(account_id, email);

-- Each interviewer's Google events as last synced (with delegation), so an
-- incremental sync (sync token) changes only what Google says changed and
-- the busy rows are rebuilt from here.
CREATE TABLE google_events (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    series_id TEXT NOT NULL DEFAULT '',
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    -- busy, tentative or free (kept so a later change can turn it busy)
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    all_day BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source_id, event_id)
);
CREATE INDEX google_events_series ON google_events(source_id, series_id);

-- +goose Down
DROP TABLE google_events;
DROP TABLE google_directory;
DROP TABLE google_oauth_states;
DROP TABLE google_connections;
