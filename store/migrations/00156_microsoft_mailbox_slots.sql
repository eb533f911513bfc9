-- +goose Up
-- Outlook allows an app four requests in flight per mailbox. Each instance
-- queues its own; these rows are the four places shared by all instances:
-- a holder takes a free (or expired) one for one request or one sequence
-- of requests sent one at a time, and renews it while it works.
CREATE TABLE microsoft_mailbox_slots (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    mailbox TEXT NOT NULL,
    slot INTEGER NOT NULL,
    holder TEXT NOT NULL DEFAULT '',
    held_until BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, mailbox, slot)
);

-- +goose Down
DROP TABLE microsoft_mailbox_slots;
