-- +goose Up
-- People's busy rows have no room: in the room index they all shared one
-- key prefix, so each sync's rows landed at scattered places ordered by
-- start time across the whole account (a first sync of 2,000 people wrote
-- and read back ever more pages per person). The index holds rooms' rows only.
DROP INDEX calendar_busy_room;
CREATE INDEX calendar_busy_room ON calendar_busy(account_id, room_id, start_at) WHERE room_id IS NOT NULL;

-- +goose Down
DROP INDEX calendar_busy_room;
CREATE INDEX calendar_busy_room ON calendar_busy(account_id, room_id, start_at);
