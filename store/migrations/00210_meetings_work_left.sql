-- +goose Up
-- The meetings with work left, oldest change first: the sweep that runs
-- every second reads this short index instead of every meeting of every
-- account (a sequential scan of the whole history each second). The
-- condition is hiringstore's meetingsWorkLeft, word for word, so both
-- databases match the sweep's query to it.
CREATE INDEX meetings_work_left ON meetings(updated_at) WHERE (state IN ('pending', 'creating', 'waiting_for_zoom', 'deleting', 'failed') OR (state = 'created' AND version <> synced_version) OR retiring_meeting_id <> '');

-- +goose Down
DROP INDEX meetings_work_left;
