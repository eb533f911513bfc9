-- +goose Up
-- Google events are read and deleted by source (a few hundred rows): the
-- index by series was written for every event of a company's first sync
-- and saved nothing on those reads.
DROP INDEX google_events_series;

-- +goose Down
CREATE INDEX google_events_series ON google_events(source_id, series_id);
