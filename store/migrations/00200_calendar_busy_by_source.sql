-- +goose Up
-- Busy rows are read by source (a lookup's cache, a sync's replace), never
-- by user: the index by account and user was only written, on every row of
-- a company's first sync, and on PostgreSQL, while the table grew faster
-- than its statistics, it drew the planner to AND it with the source index
-- (reading every row of the account for one source's 300). One index by
-- source, in start order, serves every read whatever the statistics say.
DROP INDEX calendar_busy_user;
DROP INDEX calendar_busy_source;
CREATE INDEX calendar_busy_source ON calendar_busy(source_id, start_at);

-- +goose Down
DROP INDEX calendar_busy_source;
CREATE INDEX calendar_busy_source ON calendar_busy(source_id);
CREATE INDEX calendar_busy_user ON calendar_busy(account_id, user_id, start_at);
