-- +goose Up
-- Emails kept instead of sent while no SMTP server is configured, per
-- company, for the admins' Outbox page. Attachments (the invitations'
-- .ics files) are a JSON list of {Name, ContentType, Data (base64)}.
CREATE TABLE outbox_emails (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attachments TEXT NOT NULL
);
CREATE INDEX outbox_emails_account ON outbox_emails(account_id, id);

-- +goose Down
DROP TABLE outbox_emails;
