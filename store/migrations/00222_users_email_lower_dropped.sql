-- +goose Up
-- The directory's match is counted without a join now: the index by
-- lower-cased email (00220) did not change the plan that looped over the
-- users (its estimate of the directory's new rows stayed one), and
-- nothing else reads it.
DROP INDEX users_account_email_lower;

-- +goose Down
CREATE INDEX users_account_email_lower ON users(account_id, LOWER(email));
