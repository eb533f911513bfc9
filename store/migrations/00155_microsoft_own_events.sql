-- +goose Up
-- Events InterviewPlanner made come back when interviewers' calendars are
-- read; they are busy time already (as bookings, which move with a
-- reschedule), so they must not count twice. Our events are known by the
-- iCalUId Graph gives the organiser's event and every attendee's copy, and
-- by the transactionId on the organiser's; their times and attendees as
-- last written let getSchedule's answers (which carry no ids) be matched.
ALTER TABLE microsoft_schedule_events ADD COLUMN ical_uid TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_schedule_events ADD COLUMN start_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE microsoft_schedule_events ADD COLUMN end_at BIGINT NOT NULL DEFAULT 0;
-- Lower-case addresses, one per line: the organiser, interviewers, room.
ALTER TABLE microsoft_schedule_events ADD COLUMN attendees TEXT NOT NULL DEFAULT '';
CREATE INDEX microsoft_schedule_events_ical_uid ON microsoft_schedule_events(account_id, ical_uid);
CREATE INDEX microsoft_schedule_events_transaction ON microsoft_schedule_events(account_id, transaction_id);
ALTER TABLE microsoft_events ADD COLUMN ical_uid TEXT NOT NULL DEFAULT '';
ALTER TABLE microsoft_events ADD COLUMN transaction_id TEXT NOT NULL DEFAULT '';
-- Events stored before carry no iCalUId: read every calendar whole again.
UPDATE microsoft_calendars SET delta_link = '';

-- +goose Down
ALTER TABLE microsoft_events DROP COLUMN transaction_id;
ALTER TABLE microsoft_events DROP COLUMN ical_uid;
DROP INDEX microsoft_schedule_events_transaction;
DROP INDEX microsoft_schedule_events_ical_uid;
ALTER TABLE microsoft_schedule_events DROP COLUMN attendees;
ALTER TABLE microsoft_schedule_events DROP COLUMN end_at;
ALTER TABLE microsoft_schedule_events DROP COLUMN start_at;
ALTER TABLE microsoft_schedule_events DROP COLUMN ical_uid;
