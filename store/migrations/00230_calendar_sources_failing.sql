-- +goose Up
-- Every admin page counts the account's failing calendars for its banner;
-- at a company of thousands of calendars that read each of them. Failing
-- ones are few: a partial index holds only them.
CREATE INDEX calendar_sources_failing ON calendar_sources(account_id) WHERE state = 'failing';

-- +goose Down
DROP INDEX calendar_sources_failing;
