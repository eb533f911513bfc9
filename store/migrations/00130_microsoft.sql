-- +goose Up
-- A company's Microsoft 365 tenant, connected once by an admin through
-- admin consent. The app-only token (client credentials) is sealed like
-- Zoom's; token_version and the lease serialise fetching a new one across
-- instances.
CREATE TABLE microsoft_connections (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts(id),
    tenant_id TEXT NOT NULL,
    -- pending (consent not effective yet), connected, needs_reconnecting
    state TEXT NOT NULL CHECK (state IN ('pending', 'connected', 'needs_reconnecting')),
    error TEXT NOT NULL DEFAULT '',
    consented_by TEXT NOT NULL DEFAULT '',
    -- The mailbox that organises interview events (an address in the tenant).
    scheduling_mailbox TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL DEFAULT '',
    token @BLOB@,
    token_expiry BIGINT NOT NULL DEFAULT 0,
    token_version BIGINT NOT NULL DEFAULT 0,
    lease_holder TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    directory_synced_at BIGINT,
    connected_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A connect in progress: the admin consent's state, bound to a session.
CREATE TABLE microsoft_consent_states (
    state_hash TEXT NOT NULL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    session_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The tenant's directory as last read: users (matched to interviewers by
-- mail or userPrincipalName) and rooms.
CREATE TABLE microsoft_users (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    graph_id TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    mail TEXT NOT NULL DEFAULT '',
    upn TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, graph_id)
);
CREATE TABLE microsoft_rooms (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    graph_id TEXT NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    building TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, graph_id)
);

-- Per calendar source of kind microsoft: the mailbox, the delta link of
-- the last round, and the events read so far (delta sends changes only).
CREATE TABLE microsoft_calendars (
    source_id BIGINT NOT NULL PRIMARY KEY REFERENCES calendar_sources(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    mailbox TEXT NOT NULL,
    delta_link TEXT NOT NULL DEFAULT '',
    window_from BIGINT NOT NULL DEFAULT 0,
    window_to BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE microsoft_events (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    source_id BIGINT NOT NULL REFERENCES calendar_sources(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    show_as TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    declined BOOLEAN NOT NULL DEFAULT FALSE,
    all_day BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source_id, event_id)
);

-- +goose Down
DROP TABLE microsoft_events;
DROP TABLE microsoft_calendars;
DROP TABLE microsoft_rooms;
DROP TABLE microsoft_users;
DROP TABLE microsoft_consent_states;
DROP TABLE microsoft_connections;
