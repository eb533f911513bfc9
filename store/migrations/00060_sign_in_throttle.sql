-- +goose Up
-- Failed sign-ins per address and client: one row per (address, client)
-- and one per address alone (client ''), the looser ceiling over all clients.
CREATE TABLE sign_in_throttle (
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at BIGINT NOT NULL,
    PRIMARY KEY (email, client)
);
DROP TABLE sign_in_failures;

-- Browsers that signed in as an address before: their attempts are not
-- held back by failures from other clients, so guessing cannot lock the
-- owner out. Only a hash of the cookie's token is kept.
CREATE TABLE sign_in_devices (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sign_in_devices_expires ON sign_in_devices(expires_at);

-- +goose Down
DROP TABLE sign_in_devices;
DROP TABLE sign_in_throttle;
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at BIGINT NOT NULL
);
