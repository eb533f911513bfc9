-- +goose Up
-- Candidate search finds any part of a name, email or phone (three
-- characters or more) through a trigram index instead of reading every row.
CREATE VIRTUAL TABLE candidates_search USING fts5(search_text, content='candidates', content_rowid='id', tokenize='trigram');
INSERT INTO candidates_search(candidates_search) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
    INSERT INTO candidates_search(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
    INSERT INTO candidates_search(candidates_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidates_search_update AFTER UPDATE OF search_text ON candidates BEGIN
    INSERT INTO candidates_search(candidates_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO candidates_search(rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

-- The "waiting for Zoom" banner on every page counts one state of one
-- account: an index range, not the account's whole meeting history.
CREATE INDEX meetings_account_state ON meetings(account_id, state);

-- +goose Down
DROP INDEX meetings_account_state;
DROP TRIGGER candidates_search_update;
DROP TRIGGER candidates_search_delete;
DROP TRIGGER candidates_search_insert;
DROP TABLE candidates_search;
