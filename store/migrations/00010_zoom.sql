-- +goose Up
-- One Zoom connection per InterviewPlanner account. The row stays after a
-- disconnect (tokens cleared) so the page can say when and how it ended.
CREATE TABLE zoom_connections (
    id @ID@,
    account_id BIGINT NOT NULL UNIQUE REFERENCES accounts(id),
    state TEXT NOT NULL CHECK (state IN ('connected', 'needs_reconnecting', 'disconnected')),
    zoom_account_id TEXT NOT NULL DEFAULT '',
    zoom_user_id TEXT NOT NULL DEFAULT '',
    zoom_user_email TEXT NOT NULL DEFAULT '',
    zoom_user_role TEXT NOT NULL DEFAULT '',
    scopes TEXT NOT NULL DEFAULT '',
    api_url TEXT NOT NULL DEFAULT '',
    connected_at BIGINT,
    connected_by BIGINT REFERENCES users(id),
    -- Tokens are sealed with AES-256-GCM; key_id names the key so keys can rotate.
    key_id TEXT NOT NULL DEFAULT '',
    access_token @BLOB@,
    refresh_token @BLOB@,
    token_expires_at BIGINT,
    -- Bumped on every saved refresh, so a waiter can tell a newer token from its own.
    token_version BIGINT NOT NULL DEFAULT 0,
    -- A refresh lease: the holder (and until when) refreshes; others wait.
    refreshing_by TEXT NOT NULL DEFAULT '',
    refreshing_until BIGINT,
    disconnected_at BIGINT,
    -- uninstalled, disconnected, token_dead
    disconnect_reason TEXT NOT NULL DEFAULT '',
    users_count INTEGER NOT NULL DEFAULT 0,
    rooms_count INTEGER NOT NULL DEFAULT 0,
    synced_at BIGINT,
    sync_error TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
-- The deauthorization webhook knows only Zoom's account id.
CREATE INDEX zoom_connections_zoom_account ON zoom_connections(zoom_account_id);

CREATE TABLE zoom_users (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    zoom_user_id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role_name TEXT NOT NULL DEFAULT '',
    synced_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX zoom_users_account_user ON zoom_users(account_id, zoom_user_id);
CREATE INDEX zoom_users_account_email ON zoom_users(account_id, email);

CREATE TABLE zoom_rooms (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    zoom_room_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    synced_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX zoom_rooms_account_room ON zoom_rooms(account_id, zoom_room_id);

-- OAuth state of a "Connect your account" in flight: single use, bound to
-- the session and the account, short-lived. Only the hash of state is kept.
CREATE TABLE zoom_oauth_states (
    state_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    session_hash TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX zoom_oauth_states_account ON zoom_oauth_states(account_id, created_at);

-- +goose Down
DROP TABLE zoom_oauth_states;
DROP TABLE zoom_rooms;
DROP TABLE zoom_users;
DROP TABLE zoom_connections;
