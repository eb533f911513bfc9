-- +goose Up
-- One number per account that changes whenever anything a busy lookup
-- reads changes: a source's state, times or busy rows, the calendar
-- policy, an interviewer's keywords, an owner's name or time zone. Find
-- times reads this one row and keeps the rest in memory while it holds,
-- and every instance sees every other's writes through it. Triggers keep
-- it, so no write path can forget to.
CREATE TABLE calendar_versions (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
-- +goose StatementBegin
CREATE TRIGGER calendar_sources_version_insert AFTER INSERT ON calendar_sources BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_sources_version_update AFTER UPDATE OF account_id, user_id, room_id, name, refresh_minutes, state, error,
    failing_since, last_success_at, synced_from, synced_to, busy_version ON calendar_sources BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_sources_version_delete AFTER DELETE ON calendar_sources BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (old.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_settings_version_insert AFTER INSERT ON calendar_settings BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_settings_version_update AFTER UPDATE ON calendar_settings BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_settings_version_delete AFTER DELETE ON calendar_settings BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (old.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_user_keywords_version_insert AFTER INSERT ON calendar_user_keywords BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_user_keywords_version_update AFTER UPDATE ON calendar_user_keywords BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER calendar_user_keywords_version_delete AFTER DELETE ON calendar_user_keywords BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (old.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- Owners' names and zones are in "could not be read" messages.
-- +goose StatementBegin
CREATE TRIGGER users_calendar_version AFTER UPDATE OF name, time_zone ON users
    WHEN old.name IS NOT new.name OR old.time_zone IS NOT new.time_zone BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rooms_calendar_version AFTER UPDATE OF name ON rooms
    WHEN old.name IS NOT new.name BEGIN
    INSERT INTO calendar_versions (account_id, version) VALUES (new.account_id, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER rooms_calendar_version;
DROP TRIGGER users_calendar_version;
DROP TRIGGER calendar_user_keywords_version_delete;
DROP TRIGGER calendar_user_keywords_version_update;
DROP TRIGGER calendar_user_keywords_version_insert;
DROP TRIGGER calendar_settings_version_delete;
DROP TRIGGER calendar_settings_version_update;
DROP TRIGGER calendar_settings_version_insert;
DROP TRIGGER calendar_sources_version_delete;
DROP TRIGGER calendar_sources_version_update;
DROP TRIGGER calendar_sources_version_insert;
DROP TABLE calendar_versions;
