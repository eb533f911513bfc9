-- +goose Up
-- What each attendee of an interview answered to its calendar invitation,
-- as the calendar provider (Google Workspace, Microsoft 365) last reported
-- it. item_id is the interview in the schedule (schedule_items.id).
-- user_id is set when the attendee is one of our users (an interviewer);
-- rooms and outside addresses have only their email. The schedule page
-- and the coordinator's home page read it without caring which provider
-- wrote it.
CREATE TABLE attendee_responses (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    schedule_id BIGINT NOT NULL REFERENCES schedules(id),
    item_id BIGINT NOT NULL REFERENCES schedule_items(id),
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    response TEXT NOT NULL CHECK (response IN ('accepted', 'declined', 'tentative', 'needs_action')),
    provider TEXT NOT NULL,
    -- when the response last changed (not when it was last read)
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, item_id, email)
);
CREATE INDEX attendee_responses_schedule ON attendee_responses(account_id, schedule_id);
CREATE INDEX attendee_responses_declined ON attendee_responses(account_id, response, updated_at);

-- +goose Down
DROP TABLE attendee_responses;
