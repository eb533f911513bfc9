-- +goose Up
-- The account's admins, by name, without reading every user: the pages a
-- non-admin cannot change name whom to ask.
CREATE INDEX users_admins ON users(account_id, name) WHERE role = 'admin';

-- +goose Down
DROP INDEX users_admins;
