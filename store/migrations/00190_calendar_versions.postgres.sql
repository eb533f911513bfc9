-- +goose Up
-- One number per account that changes whenever anything a busy lookup
-- reads changes: a source's state, times or busy rows, the calendar
-- policy, an interviewer's keywords, an owner's name or time zone. Find
-- times reads this one row and keeps the rest in memory while it holds,
-- and every instance sees every other's writes through it. Triggers keep
-- it, so no write path can forget to. They are deferred to commit, so the
-- row is locked last and briefly: a sync holding its source's row never
-- waits on it while another holds it and waits for that source.
CREATE TABLE calendar_versions (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
-- +goose StatementBegin
CREATE FUNCTION calendar_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    acct BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        acct := OLD.account_id;
    ELSE
        acct := NEW.account_id;
    END IF;
    INSERT INTO calendar_versions (account_id, version) VALUES (acct, 1)
        ON CONFLICT (account_id) DO UPDATE SET version = calendar_versions.version + 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER calendar_sources_version AFTER INSERT OR DELETE OR UPDATE OF account_id, user_id, room_id, name,
    refresh_minutes, state, error, failing_since, last_success_at, synced_from, synced_to, busy_version ON calendar_sources
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_version_bump();
CREATE CONSTRAINT TRIGGER calendar_settings_version AFTER INSERT OR UPDATE OR DELETE ON calendar_settings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_version_bump();
CREATE CONSTRAINT TRIGGER calendar_user_keywords_version AFTER INSERT OR UPDATE OR DELETE ON calendar_user_keywords
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION calendar_version_bump();
-- Owners' names and zones are in "could not be read" messages.
CREATE CONSTRAINT TRIGGER users_calendar_version AFTER UPDATE OF name, time_zone ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.time_zone IS DISTINCT FROM NEW.time_zone)
    EXECUTE FUNCTION calendar_version_bump();
CREATE CONSTRAINT TRIGGER rooms_calendar_version AFTER UPDATE OF name ON rooms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION calendar_version_bump();

-- +goose Down
DROP TRIGGER rooms_calendar_version ON rooms;
DROP TRIGGER users_calendar_version ON users;
DROP TRIGGER calendar_user_keywords_version ON calendar_user_keywords;
DROP TRIGGER calendar_settings_version ON calendar_settings;
DROP TRIGGER calendar_sources_version ON calendar_sources;
DROP FUNCTION calendar_version_bump();
DROP TABLE calendar_versions;
