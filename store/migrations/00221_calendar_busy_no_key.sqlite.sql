-- +goose Up
-- PostgreSQL drops the busy rows' primary key index here; SQLite's id is
-- the rowid, the table itself, and stays.
SELECT 1;

-- +goose Down
SELECT 1;
