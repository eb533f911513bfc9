-- +goose Up
-- Company-wide calendar connections (Google Workspace, Microsoft 365) keep
-- one source per interviewer, so sync state, errors and "unknown" work the
-- same as for feeds and CalDAV.
ALTER TABLE calendar_sources DROP CONSTRAINT calendar_sources_kind_check;
ALTER TABLE calendar_sources ADD CONSTRAINT calendar_sources_kind_check
    CHECK (kind IN ('feed', 'upload', 'caldav', 'google', 'microsoft'));

-- +goose Down
ALTER TABLE calendar_sources DROP CONSTRAINT calendar_sources_kind_check;
ALTER TABLE calendar_sources ADD CONSTRAINT calendar_sources_kind_check
    CHECK (kind IN ('feed', 'upload', 'caldav'));
