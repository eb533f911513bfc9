-- +goose Up
CREATE TABLE jobs (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_account ON jobs(account_id, title);

CREATE TABLE stages (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    job_id BIGINT NOT NULL REFERENCES jobs(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    video TEXT NOT NULL CHECK (video IN ('off', 'zoom')),
    meeting_mode TEXT NOT NULL CHECK (meeting_mode IN ('per_interview', 'per_schedule')),
    buffer_minutes INTEGER NOT NULL DEFAULT 0,
    allowed_start_minute INTEGER NOT NULL DEFAULT 0,
    allowed_end_minute INTEGER NOT NULL DEFAULT 1440,
    earliest_day_offset INTEGER NOT NULL DEFAULT 0,
    latest_day_offset INTEGER NOT NULL DEFAULT 14,
    created_at BIGINT NOT NULL
);
CREATE INDEX stages_job ON stages(account_id, job_id, position);

CREATE TABLE stage_interviews (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    stage_id BIGINT NOT NULL REFERENCES stages(id),
    name TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    interviewers_needed INTEGER NOT NULL,
    room_required BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL DEFAULT 0,
    removed BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX stage_interviews_stage ON stage_interviews(account_id, stage_id, position);

CREATE TABLE interview_pool (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    interview_id BIGINT NOT NULL REFERENCES stage_interviews(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (interview_id, user_id)
);

-- One row per interviewer; schedule saves lock these rows so that two
-- coordinators cannot book the same person into the same slot at once.
CREATE TABLE interviewer_profiles (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users(id),
    time_zone TEXT NOT NULL,
    working_hours TEXT NOT NULL,
    max_per_day INTEGER NOT NULL DEFAULT 0,
    max_per_week INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE rooms (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    video_room_id TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rooms_name ON rooms(account_id, name);

CREATE TABLE candidates (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL,
    job_id BIGINT NOT NULL REFERENCES jobs(id),
    stage_id BIGINT NOT NULL REFERENCES stages(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'hired', 'rejected', 'withdrawn')),
    search_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The list pages by id (newest first) with optional filters; each filter
-- has an index ending in id so a page is one short index range.
CREATE INDEX candidates_account ON candidates(account_id, id);
CREATE INDEX candidates_job ON candidates(account_id, job_id, id);
CREATE INDEX candidates_stage ON candidates(account_id, stage_id, id);
CREATE INDEX candidates_status ON candidates(account_id, status, id);

CREATE TABLE candidate_availability (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL
);
CREATE INDEX candidate_availability_candidate ON candidate_availability(account_id, candidate_id, start_at);

CREATE TABLE schedules (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    stage_id BIGINT NOT NULL REFERENCES stages(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'rescheduled', 'cancelled', 'completed')),
    video BOOLEAN NOT NULL,
    meeting_mode TEXT NOT NULL,
    itinerary_token TEXT NOT NULL,
    form_token TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX schedules_itinerary ON schedules(itinerary_token);
-- A confirm sent twice (double click, retried request) finds the first.
CREATE UNIQUE INDEX schedules_form_token ON schedules(account_id, form_token);
CREATE INDEX schedules_candidate ON schedules(account_id, candidate_id);

CREATE TABLE schedule_items (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    schedule_id BIGINT NOT NULL REFERENCES schedules(id),
    interview_id BIGINT NOT NULL REFERENCES stage_interviews(id),
    name TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    room_id BIGINT REFERENCES rooms(id),
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX schedule_items_schedule ON schedule_items(account_id, schedule_id);
CREATE INDEX schedule_items_room ON schedule_items(account_id, room_id, start_at);

-- Interviewer bookings, denormalised with the item's times for the
-- double-booking and load checks.
CREATE TABLE schedule_item_interviewers (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    item_id BIGINT NOT NULL REFERENCES schedule_items(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (item_id, user_id)
);
CREATE INDEX schedule_item_interviewers_user ON schedule_item_interviewers(account_id, user_id, start_at);

-- A video meeting per item (item_id set) or per schedule (item_id NULL).
-- desired says what the provider should hold; the worker brings it there.
-- marker goes into the agenda so a lost answer can be found again.
CREATE TABLE meetings (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    schedule_id BIGINT NOT NULL REFERENCES schedules(id),
    item_id BIGINT REFERENCES schedule_items(id),
    marker TEXT NOT NULL,
    desired TEXT NOT NULL CHECK (desired IN ('present', 'absent')),
    state TEXT NOT NULL,
    topic TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    host_candidates TEXT NOT NULL DEFAULT '',
    host_id TEXT NOT NULL DEFAULT '',
    provider_meeting_id TEXT NOT NULL DEFAULT '',
    join_url TEXT NOT NULL DEFAULT '',
    synced_start_at BIGINT NOT NULL DEFAULT 0,
    synced_end_at BIGINT NOT NULL DEFAULT 0,
    synced_topic TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    synced_version INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX meetings_marker ON meetings(marker);
CREATE INDEX meetings_schedule ON meetings(account_id, schedule_id);
CREATE INDEX meetings_host ON meetings(account_id, host_id, start_at);
CREATE INDEX meetings_unsynced ON meetings(state, version, synced_version);

CREATE TABLE api_tokens (
    id @ID@,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(account_id, user_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE meetings;
DROP TABLE schedule_item_interviewers;
DROP TABLE schedule_items;
DROP TABLE schedules;
DROP TABLE candidate_availability;
DROP TABLE candidates;
DROP TABLE rooms;
DROP TABLE interviewer_profiles;
DROP TABLE interview_pool;
DROP TABLE stage_interviews;
DROP TABLE stages;
DROP TABLE jobs;
