-- +goose Up
-- Loop rules of a stage: the longest wait between a candidate's
-- consecutive interviews, and a lunch break of lunch_minutes kept free
-- inside a window of the candidate's day. 0 means not set.
ALTER TABLE stages ADD COLUMN max_gap_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stages ADD COLUMN lunch_minutes INTEGER NOT NULL DEFAULT 0;
-- Minutes after midnight in the candidate's zone; 0 and 0 is 11:30–13:30.
ALTER TABLE stages ADD COLUMN lunch_start_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stages ADD COLUMN lunch_end_minute INTEGER NOT NULL DEFAULT 0;

-- Preferred hours, each in the person's own zone; 0 and 0 is none.
ALTER TABLE interviewer_profiles ADD COLUMN preferred_start_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interviewer_profiles ADD COLUMN preferred_end_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE candidates ADD COLUMN preferred_start_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE candidates ADD COLUMN preferred_end_minute INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE candidates DROP COLUMN preferred_end_minute;
ALTER TABLE candidates DROP COLUMN preferred_start_minute;
ALTER TABLE interviewer_profiles DROP COLUMN preferred_end_minute;
ALTER TABLE interviewer_profiles DROP COLUMN preferred_start_minute;
ALTER TABLE stages DROP COLUMN lunch_end_minute;
ALTER TABLE stages DROP COLUMN lunch_start_minute;
ALTER TABLE stages DROP COLUMN lunch_minutes;
ALTER TABLE stages DROP COLUMN max_gap_minutes;
