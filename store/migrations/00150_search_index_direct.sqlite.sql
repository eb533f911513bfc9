-- +goose Up
-- PostgreSQL's candidate search index stops keeping a pending list;
-- SQLite's FTS5 index has none.
SELECT 1;

-- +goose Down
SELECT 1;
