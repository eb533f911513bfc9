-- +goose Up
-- A Workspace directory is matched to interviewers by lower-cased email in
-- the transaction that stores it, before its new rows have statistics: the
-- planner then looped over every user of the account for each directory
-- row (seconds for 2,000 people, with the directory's rows locked). The
-- match reads this index instead, whatever the statistics say.
CREATE INDEX users_account_email_lower ON users(account_id, LOWER(email));
-- Google events are read and deleted by source (a few hundred rows): the
-- index by series was written for every event of a company's first sync
-- and saved nothing on those reads.
DROP INDEX google_events_series;

-- +goose Down
CREATE INDEX google_events_series ON google_events(source_id, series_id);
DROP INDEX users_account_email_lower;
