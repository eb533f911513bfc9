package hiringstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// CreateJob adds a job.
func (s *Store) CreateJob(ctx context.Context, accountID int64, j domain.Job) (*domain.Job, error) {
	if err := j.Validate(); err != nil {
		return nil, err
	}
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		j.AccountID, j.CreatedAt = accountID, tx.Now
		return tx.QueryRowContext(ctx, `INSERT INTO jobs (account_id, title, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
			accountID, j.Title, string(j.Status), store.MS(tx.Now)).Scan(&j.ID)
	})
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// UpdateJob changes a job's title and status.
func (s *Store) UpdateJob(ctx context.Context, accountID int64, j domain.Job) error {
	if err := j.Validate(); err != nil {
		return err
	}
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET title = $1, status = $2, updated_at = $3 WHERE id = $4 AND account_id = $5`,
			j.Title, string(j.Status), store.MS(tx.Now), j.ID, accountID)
		return mustAffect(res, err, "Job")
	})
}

func mustAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s not found.", what)
	}
	return nil
}

// JobNames is a job's title and its stages' names in the job's order: what
// a filter or a label needs, without the stages' scheduling rules.
type JobNames struct {
	ID     int64
	Title  string
	Stages []StageName
}

// StageName is a stage's id and name.
type StageName struct {
	ID   int64
	Name string
}

// ListJobNames lists the account's jobs by title with their stages' names,
// in one query: the candidates list's filters read it on every page.
func (s *Store) ListJobNames(ctx context.Context, accountID int64) ([]JobNames, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT j.id, j.title, st.id, st.name FROM jobs j
		LEFT JOIN stages st ON st.job_id = j.id AND st.account_id = $1
		WHERE j.account_id = $1 ORDER BY j.title, j.id, st.position, st.id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var jobs []JobNames
	for rows.Next() {
		var id int64
		var title string
		var stageID sql.NullInt64
		var stageName sql.NullString
		if err := rows.Scan(&id, &title, &stageID, &stageName); err != nil {
			return nil, err
		}
		if len(jobs) == 0 || jobs[len(jobs)-1].ID != id {
			jobs = append(jobs, JobNames{ID: id, Title: title})
		}
		if stageID.Valid {
			j := &jobs[len(jobs)-1]
			j.Stages = append(j.Stages, StageName{ID: stageID.Int64, Name: stageName.String})
		}
	}
	return jobs, rows.Err()
}

// ListJobs lists the account's jobs with their stages (no interviews).
func (s *Store) ListJobs(ctx context.Context, accountID int64) ([]domain.Job, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, title, status, created_at FROM jobs WHERE account_id = $1 ORDER BY title, id`, accountID)
	if err != nil {
		return nil, err
	}
	var jobs []domain.Job
	for rows.Next() {
		j := domain.Job{AccountID: accountID}
		var status string
		var created int64
		if err := rows.Scan(&j.ID, &j.Title, &status, &created); err != nil {
			rows.Close()
			return nil, err
		}
		j.Status, j.CreatedAt = domain.JobStatus(status), store.FromMS(created)
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	stages, err := s.stages(ctx, s.DB.Reader(), accountID, `account_id = $1`, accountID)
	if err != nil {
		return nil, err
	}
	for i := range jobs {
		for _, st := range stages {
			if st.JobID == jobs[i].ID {
				jobs[i].Stages = append(jobs[i].Stages, st)
			}
		}
	}
	return jobs, nil
}

// GetJob returns a job with its stages, interviews and pools.
func (s *Store) GetJob(ctx context.Context, accountID, id int64) (*domain.Job, error) {
	j := &domain.Job{ID: id, AccountID: accountID}
	var status string
	var created int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT title, status, created_at FROM jobs WHERE id = $1 AND account_id = $2`, id, accountID).
		Scan(&j.Title, &status, &created)
	if err != nil {
		return nil, notFound(err, "Job")
	}
	j.Status, j.CreatedAt = domain.JobStatus(status), store.FromMS(created)
	if j.Stages, err = s.stages(ctx, s.DB.Reader(), accountID, `account_id = $1 AND job_id = $2`, accountID, id); err != nil {
		return nil, err
	}
	for i := range j.Stages {
		if j.Stages[i].Interviews, err = s.interviews(ctx, s.DB.Reader(), accountID, j.Stages[i].ID); err != nil {
			return nil, err
		}
	}
	return j, nil
}

const stageColumns = `id, job_id, name, position, video, meeting_mode, buffer_minutes, allowed_start_minute, allowed_end_minute, earliest_day_offset, latest_day_offset,
	max_gap_minutes, lunch_minutes, lunch_start_minute, lunch_end_minute`

func (s *Store) stages(ctx context.Context, q querier, accountID int64, where string, args ...any) ([]domain.Stage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stageColumns+` FROM stages WHERE `+where+` ORDER BY job_id, position, id`, args...)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (domain.Stage, error) {
		st := domain.Stage{AccountID: accountID}
		var video, mode string
		if err := rows.Scan(&st.ID, &st.JobID, &st.Name, &st.Position, &video, &mode, &st.BufferMinutes, &st.AllowedStartMinute,
			&st.AllowedEndMinute, &st.EarliestDayOffset, &st.LatestDayOffset, &st.MaxGapMinutes, &st.LunchMinutes, &st.LunchStartMinute, &st.LunchEndMinute); err != nil {
			return domain.Stage{}, err
		}
		st.Video, st.MeetingMode = domain.VideoMode(video), domain.MeetingMode(mode)
		return st, nil
	})
}

func (s *Store) interviews(ctx context.Context, q querier, accountID, stageID int64) ([]domain.Interview, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, duration_minutes, interviewers_needed, room_required, position FROM stage_interviews
		WHERE account_id = $1 AND stage_id = $2 AND removed = FALSE ORDER BY CASE WHEN position = 0 THEN 1 ELSE 0 END, position, id`, accountID, stageID)
	if err != nil {
		return nil, err
	}
	var out []domain.Interview
	for rows.Next() {
		iv := domain.Interview{AccountID: accountID, StageID: stageID}
		if err := rows.Scan(&iv.ID, &iv.Name, &iv.DurationMinutes, &iv.InterviewersNeeded, &iv.RoomRequired, &iv.Position); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, iv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prow, err := q.QueryContext(ctx, `SELECT p.interview_id, p.user_id FROM interview_pool p JOIN stage_interviews i ON i.id = p.interview_id
		WHERE p.account_id = $1 AND i.stage_id = $2 ORDER BY p.user_id`, accountID, stageID)
	if err != nil {
		return nil, err
	}
	defer prow.Close()
	for prow.Next() {
		var ivID, uid int64
		if err := prow.Scan(&ivID, &uid); err != nil {
			return nil, err
		}
		for i := range out {
			if out[i].ID == ivID {
				out[i].Pool = append(out[i].Pool, uid)
			}
		}
	}
	return out, prow.Err()
}

// GetStage returns a stage with its interviews.
func (s *Store) GetStage(ctx context.Context, accountID, id int64) (*domain.Stage, error) {
	return s.getStage(ctx, s.DB.Reader(), accountID, id)
}

func (s *Store) getStage(ctx context.Context, q querier, accountID, id int64) (*domain.Stage, error) {
	st, err := s.stages(ctx, q, accountID, `account_id = $1 AND id = $2`, accountID, id)
	if err != nil {
		return nil, err
	}
	if len(st) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "Stage not found.")
	}
	if st[0].Interviews, err = s.interviews(ctx, q, accountID, id); err != nil {
		return nil, err
	}
	return &st[0], nil
}

// CreateStage adds a stage with its interviews to a job.
func (s *Store) CreateStage(ctx context.Context, accountID int64, st domain.Stage) (*domain.Stage, error) {
	if st.ID != 0 {
		return nil, fmt.Errorf("create stage: id %d given", st.ID)
	}
	return s.saveStage(ctx, accountID, st)
}

// UpdateStage updates a stage with its interviews. The interviews given
// replace the stage's: matched by ID, new ones added, missing ones removed
// (kept for history, hidden from new schedules).
func (s *Store) UpdateStage(ctx context.Context, accountID int64, st domain.Stage) (*domain.Stage, error) {
	if st.ID == 0 {
		return nil, errors.New("update stage: no id")
	}
	return s.saveStage(ctx, accountID, st)
}

func (s *Store) saveStage(ctx context.Context, accountID int64, st domain.Stage) (*domain.Stage, error) {
	if err := st.Validate(); err != nil {
		return nil, err
	}
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE id = $1 AND account_id = $2`, st.JobID, accountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Job not found.")
		}
		if err := s.checkUsers(ctx, tx, accountID, poolUsers(st.Interviews), "interviews"); err != nil {
			return err
		}
		if st.ID == 0 {
			var count int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stages WHERE account_id = $1 AND job_id = $2`, accountID, st.JobID).Scan(&count); err != nil {
				return err
			}
			if count >= domain.MaxStages {
				return domain.Errorf(domain.EINVALID, "A job has at most %d stages.", domain.MaxStages)
			}
			if st.Position <= 0 {
				st.Position = count + 1
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO stages (account_id, job_id, name, position, video, meeting_mode, buffer_minutes,
				allowed_start_minute, allowed_end_minute, earliest_day_offset, latest_day_offset, created_at,
				max_gap_minutes, lunch_minutes, lunch_start_minute, lunch_end_minute)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
				accountID, st.JobID, st.Name, st.Position, string(st.Video), string(st.MeetingMode), st.BufferMinutes,
				st.AllowedStartMinute, st.AllowedEndMinute, st.EarliestDayOffset, st.LatestDayOffset, store.MS(tx.Now),
				st.MaxGapMinutes, st.LunchMinutes, st.LunchStartMinute, st.LunchEndMinute).Scan(&st.ID)
			if err != nil {
				return err
			}
		} else {
			if st.Position <= 0 {
				st.Position = 1
			}
			res, err := tx.ExecContext(ctx, `UPDATE stages SET name = $1, position = $2, video = $3, meeting_mode = $4, buffer_minutes = $5,
				allowed_start_minute = $6, allowed_end_minute = $7, earliest_day_offset = $8, latest_day_offset = $9,
				max_gap_minutes = $10, lunch_minutes = $11, lunch_start_minute = $12, lunch_end_minute = $13
				WHERE id = $14 AND account_id = $15 AND job_id = $16`,
				st.Name, st.Position, string(st.Video), string(st.MeetingMode), st.BufferMinutes, st.AllowedStartMinute,
				st.AllowedEndMinute, st.EarliestDayOffset, st.LatestDayOffset,
				st.MaxGapMinutes, st.LunchMinutes, st.LunchStartMinute, st.LunchEndMinute, st.ID, accountID, st.JobID)
			if err := mustAffect(res, err, "Stage"); err != nil {
				return err
			}
		}
		return s.saveInterviews(ctx, tx, accountID, &st)
	})
	if err != nil {
		return nil, err
	}
	return s.GetStage(ctx, accountID, st.ID)
}

func poolUsers(ivs []domain.Interview) []int64 {
	var out []int64
	for _, iv := range ivs {
		out = append(out, iv.Pool...)
	}
	return out
}

func (s *Store) saveInterviews(ctx context.Context, tx *store.Tx, accountID int64, st *domain.Stage) error {
	existing, err := s.interviews(ctx, tx, accountID, st.ID)
	if err != nil {
		return err
	}
	keep := map[int64]bool{}
	for i := range st.Interviews {
		iv := &st.Interviews[i]
		if iv.ID != 0 {
			found := false
			for _, e := range existing {
				found = found || e.ID == iv.ID
			}
			if !found {
				return domain.Errorf(domain.ENOTFOUND, "Interview %d is not part of this stage.", iv.ID)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE stage_interviews SET name = $1, duration_minutes = $2, interviewers_needed = $3, room_required = $4, position = $5
				WHERE id = $6 AND account_id = $7`, iv.Name, iv.DurationMinutes, iv.InterviewersNeeded, iv.RoomRequired, iv.Position, iv.ID, accountID); err != nil {
				return err
			}
		} else if err := tx.QueryRowContext(ctx, `INSERT INTO stage_interviews (account_id, stage_id, name, duration_minutes, interviewers_needed, room_required, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, accountID, st.ID, iv.Name, iv.DurationMinutes, iv.InterviewersNeeded, iv.RoomRequired, iv.Position).Scan(&iv.ID); err != nil {
			return err
		}
		keep[iv.ID] = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM interview_pool WHERE account_id = $1 AND interview_id = $2`, accountID, iv.ID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, uid := range iv.Pool {
			if seen[uid] {
				continue
			}
			seen[uid] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO interview_pool (account_id, interview_id, user_id) VALUES ($1, $2, $3)`, accountID, iv.ID, uid); err != nil {
				return err
			}
		}
	}
	for _, e := range existing {
		if !keep[e.ID] {
			if _, err := tx.ExecContext(ctx, `UPDATE stage_interviews SET removed = TRUE WHERE id = $1 AND account_id = $2`, e.ID, accountID); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkUsers refuses user ids that are not active users of the account.
func (s *Store) checkUsers(ctx context.Context, q querier, accountID int64, ids []int64, field string) error {
	ids = uniq(ids)
	if len(ids) == 0 {
		return nil
	}
	args := append([]any{accountID}, int64Args(ids)...)
	rows, err := q.QueryContext(ctx, `SELECT id FROM users WHERE account_id = $1 AND active = TRUE AND id IN (`+placeholders(2, len(ids))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		found[id] = true
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, itoa(id))
		}
	}
	if len(missing) > 0 {
		return domain.Invalid(map[string]string{field: "Unknown interviewers: " + strings.Join(missing, ", ") + "."})
	}
	return rows.Err()
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// ListRooms lists the account's rooms.
func (s *Store) ListRooms(ctx context.Context, accountID int64) ([]domain.Room, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT id, name, video_room_id FROM rooms WHERE account_id = $1 ORDER BY name`, accountID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (domain.Room, error) {
		r := domain.Room{AccountID: accountID}
		if err := rows.Scan(&r.ID, &r.Name, &r.VideoRoomID); err != nil {
			return domain.Room{}, err
		}
		return r, nil
	})
}

// GetRoom returns one of the account's rooms.
func (s *Store) GetRoom(ctx context.Context, accountID, id int64) (*domain.Room, error) {
	r := &domain.Room{ID: id, AccountID: accountID}
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT name, video_room_id FROM rooms WHERE account_id = $1 AND id = $2`, accountID, id).Scan(&r.Name, &r.VideoRoomID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Room not found.")
	}
	return r, err
}

// CreateRoom adds a room, or finds the existing one with that video room id
// (Zoom Rooms are added the first time an interview uses them).
func (s *Store) CreateRoom(ctx context.Context, accountID int64, name, videoRoomID string) (*domain.Room, error) {
	name, err := domain.CleanName("Room name", name)
	if err != nil {
		return nil, domain.Invalid(map[string]string{"name": domain.ErrorMessage(err)})
	}
	if len(videoRoomID) > 100 {
		return nil, domain.Errorf(domain.EINVALID, "Room id is too long.")
	}
	r := &domain.Room{AccountID: accountID, Name: name, VideoRoomID: videoRoomID}
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, name FROM rooms WHERE account_id = $1 AND ((video_room_id <> '' AND video_room_id = $2) OR name = $3)`,
			accountID, videoRoomID, name).Scan(&r.ID, &r.Name)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO rooms (account_id, name, video_room_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			accountID, name, videoRoomID, store.MS(tx.Now)).Scan(&r.ID)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ListJobPoolUsers lists, up to limit, the people in the interview pools
// of a job's stages: the interviewers Find times may suggest adding to a
// pool, instead of everyone in the company.
func (s *Store) ListJobPoolUsers(ctx context.Context, accountID, jobID int64, limit int) ([]int64, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT DISTINCT p.user_id FROM interview_pool p
		WHERE p.account_id = $1 AND p.interview_id IN (SELECT i.id FROM stage_interviews i JOIN stages st ON st.id = i.stage_id
			WHERE st.account_id = $1 AND st.job_id = $2 AND i.account_id = $1 AND i.removed = FALSE)
		ORDER BY p.user_id LIMIT $3`, accountID, jobID, limit)
	return store.ScanIDs(rows, err)
}
