-- +goose Up
-- Busy rows are found by source and replaced whole; nothing reads them by
-- id. Their primary key index was written for each of a company's first
-- sync's 600,000 rows and read by nothing. (SQLite's id is the rowid, the
-- table itself: nothing to drop there.)
ALTER TABLE calendar_busy DROP CONSTRAINT calendar_busy_pkey;

-- +goose Down
ALTER TABLE calendar_busy ADD PRIMARY KEY (id);
