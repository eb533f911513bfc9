-- +goose Up
-- Who hosts an interview's Zoom meeting follows the people on it.
-- people: the interviewers the meeting was last wanted for, so a swap of
--   interviewers (not only a move in time) makes the worker look at it;
-- host_choice: the Zoom user the coordinator picked ('' = by the rule);
-- retiring_meeting_id: the provider's meeting being replaced by one under
--   a new host, deleted once the new one exists (Zoom does not move a
--   meeting to another host for an account-level app);
-- host_note: why the host is not the one expected, for the schedule page.
ALTER TABLE meetings ADD COLUMN people TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN host_choice TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN retiring_meeting_id TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN host_note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE meetings DROP COLUMN host_note;
ALTER TABLE meetings DROP COLUMN retiring_meeting_id;
ALTER TABLE meetings DROP COLUMN host_choice;
ALTER TABLE meetings DROP COLUMN people;
