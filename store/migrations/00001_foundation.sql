-- +goose Up
CREATE TABLE accounts (
    id @ID@,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'scheduler', 'interviewer')),
    password_hash TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    created_at BIGINT NOT NULL
);
-- One address signs in to one account.
CREATE UNIQUE INDEX users_email ON users(email);
CREATE INDEX users_account ON users(account_id, name);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(account_id, user_id);

CREATE TABLE invitations (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'scheduler', 'interviewer')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_account ON invitations(account_id, created_at);

-- Failed sign-ins per address, to slow down guessing.
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_events_account ON audit_events(account_id, created_at);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE sign_in_failures;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE accounts;
