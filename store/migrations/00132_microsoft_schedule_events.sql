-- +goose Up
-- The Outlook events a schedule put on calendars through the scheduling
-- mailbox: one per interview (key item:ID) and one for the candidate (key
-- candidate). The transactionId is chosen and stored before Graph is
-- called, so a retry after a lost answer or a killed process finds the
-- event the first attempt made instead of making a second.
CREATE TABLE microsoft_schedule_events (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    schedule_id BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    mailbox TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    event_id TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, schedule_id, event_key)
);

-- +goose Down
DROP TABLE microsoft_schedule_events;
