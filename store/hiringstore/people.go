package hiringstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"interviewplanner/domain"
	"interviewplanner/store"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// GetProfile returns an interviewer's profile; one never saved gets the
// user's time zone and Monday–Friday 09:00–17:00.
func (s *Store) GetProfile(ctx context.Context, accountID, userID int64) (*domain.InterviewerProfile, error) {
	ps, err := s.ListProfiles(ctx, accountID, []int64{userID})
	if err != nil {
		return nil, err
	}
	p, ok := ps[userID]
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "Interviewer not found.")
	}
	return &p, nil
}

// ListProfiles returns the profiles of the account's users among ids.
func (s *Store) ListProfiles(ctx context.Context, accountID int64, ids []int64) (map[int64]domain.InterviewerProfile, error) {
	return s.profiles(ctx, s.DB.Reader(), accountID, ids)
}

func (s *Store) profiles(ctx context.Context, q querier, accountID int64, ids []int64) (map[int64]domain.InterviewerProfile, error) {
	out := map[int64]domain.InterviewerProfile{}
	ids = uniq(ids)
	if len(ids) == 0 {
		return out, nil
	}
	args := append([]any{accountID}, int64Args(ids)...)
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.time_zone, p.time_zone, p.working_hours, p.max_per_day, p.max_per_week,
		p.preferred_start_minute, p.preferred_end_minute
		FROM users u LEFT JOIN interviewer_profiles p ON p.user_id = u.id AND p.account_id = u.account_id
		WHERE u.account_id = $1 AND u.id IN (`+placeholders(2, len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var userTZ string
		var tz, hours sql.NullString
		var maxDay, maxWeek, prefStart, prefEnd sql.NullInt64
		if err := rows.Scan(&uid, &userTZ, &tz, &hours, &maxDay, &maxWeek, &prefStart, &prefEnd); err != nil {
			return nil, err
		}
		p := domain.InterviewerProfile{AccountID: accountID, UserID: uid, TimeZone: userTZ, Hours: domain.DefaultWorkingHours()}
		if tz.Valid {
			p.TimeZone, p.MaxPerDay, p.MaxPerWeek = tz.String, int(maxDay.Int64), int(maxWeek.Int64)
			p.PreferredStartMinute, p.PreferredEndMinute = int(prefStart.Int64), int(prefEnd.Int64)
			var h domain.WorkingHours
			if json.Unmarshal([]byte(hours.String), &h) == nil {
				p.Hours = h
			}
		}
		out[uid] = p
	}
	return out, rows.Err()
}

// UpdateProfile stores an interviewer's profile.
func (s *Store) UpdateProfile(ctx context.Context, p domain.InterviewerProfile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	hours, _ := json.Marshal(p.Hours)
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := s.checkUsers(ctx, tx, p.AccountID, []int64{p.UserID}, "user"); err != nil {
			return domain.Errorf(domain.ENOTFOUND, "Interviewer not found.")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO interviewer_profiles (account_id, user_id, time_zone, working_hours, max_per_day, max_per_week, updated_at,
			preferred_start_minute, preferred_end_minute)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, working_hours = excluded.working_hours,
			max_per_day = excluded.max_per_day, max_per_week = excluded.max_per_week, updated_at = excluded.updated_at,
			preferred_start_minute = excluded.preferred_start_minute, preferred_end_minute = excluded.preferred_end_minute`,
			p.AccountID, p.UserID, p.TimeZone, string(hours), p.MaxPerDay, p.MaxPerWeek, store.MS(tx.Now), p.PreferredStartMinute, p.PreferredEndMinute)
		return err
	})
}

const candidateColumns = `id, name, email, phone, time_zone, job_id, stage_id, status, created_at, updated_at, preferred_start_minute, preferred_end_minute`

func scanCandidate(row interface{ Scan(...any) error }, accountID int64) (*domain.Candidate, error) {
	c := &domain.Candidate{AccountID: accountID}
	var status string
	var created, updated int64
	if err := row.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.TimeZone, &c.JobID, &c.StageID, &status, &created, &updated,
		&c.PreferredStartMinute, &c.PreferredEndMinute); err != nil {
		return nil, err
	}
	c.Status, c.CreatedAt, c.UpdatedAt = domain.CandidateStatus(status), store.FromMS(created), store.FromMS(updated)
	return c, nil
}

func searchText(c *domain.Candidate) string {
	return strings.ToLower(c.Name + " " + c.Email + " " + c.Phone)
}

// checkStage verifies the stage belongs to the job and the account; a
// zero stage picks the job's first.
func (s *Store) checkStage(ctx context.Context, tx *store.Tx, accountID int64, c *domain.Candidate) error {
	var jobs int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE id = $1 AND account_id = $2`, c.JobID, accountID).Scan(&jobs); err != nil {
		return err
	}
	if jobs == 0 {
		return domain.Invalid(map[string]string{"job_id": "Unknown job."})
	}
	if c.StageID == 0 {
		err := tx.QueryRowContext(ctx, `SELECT id FROM stages WHERE account_id = $1 AND job_id = $2 ORDER BY position, id LIMIT 1`, accountID, c.JobID).Scan(&c.StageID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Invalid(map[string]string{"stage_id": "The job has no stages yet."})
		}
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stages WHERE id = $1 AND account_id = $2 AND job_id = $3`, c.StageID, accountID, c.JobID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Invalid(map[string]string{"stage_id": "That stage is not a stage of the job."})
	}
	return nil
}

// CreateCandidate adds a candidate.
func (s *Store) CreateCandidate(ctx context.Context, accountID int64, c domain.Candidate) (*domain.Candidate, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := s.checkStage(ctx, tx, accountID, &c); err != nil {
			return err
		}
		c.AccountID, c.CreatedAt, c.UpdatedAt = accountID, tx.Now, tx.Now
		if err := tx.QueryRowContext(ctx, `INSERT INTO candidates (account_id, name, email, phone, time_zone, job_id, stage_id, status, search_text, created_at, updated_at,
			preferred_start_minute, preferred_end_minute)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) RETURNING id`,
			accountID, c.Name, c.Email, c.Phone, c.TimeZone, c.JobID, c.StageID, string(c.Status), searchText(&c), store.MS(tx.Now),
			c.PreferredStartMinute, c.PreferredEndMinute).Scan(&c.ID); err != nil {
			return err
		}
		return s.saveAvailability(ctx, tx, accountID, &c)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateCandidate changes a candidate, including moving them to another
// stage (or job).
func (s *Store) UpdateCandidate(ctx context.Context, accountID int64, c domain.Candidate) (*domain.Candidate, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := s.checkStage(ctx, tx, accountID, &c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE candidates SET name = $1, email = $2, phone = $3, time_zone = $4, job_id = $5, stage_id = $6, status = $7,
			search_text = $8, updated_at = $9, preferred_start_minute = $10, preferred_end_minute = $11 WHERE id = $12 AND account_id = $13`,
			c.Name, c.Email, c.Phone, c.TimeZone, c.JobID, c.StageID, string(c.Status), searchText(&c), store.MS(tx.Now),
			c.PreferredStartMinute, c.PreferredEndMinute, c.ID, accountID)
		if err := mustAffect(res, err, "Candidate"); err != nil {
			return err
		}
		return s.saveAvailability(ctx, tx, accountID, &c)
	})
	if err != nil {
		return nil, err
	}
	return s.GetCandidate(ctx, accountID, c.ID)
}

func (s *Store) saveAvailability(ctx context.Context, tx *store.Tx, accountID int64, c *domain.Candidate) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM candidate_availability WHERE account_id = $1 AND candidate_id = $2`, accountID, c.ID); err != nil {
		return err
	}
	for _, w := range c.Availability {
		if _, err := tx.ExecContext(ctx, `INSERT INTO candidate_availability (account_id, candidate_id, start_at, end_at) VALUES ($1, $2, $3, $4)`,
			accountID, c.ID, store.MS(w.Start), store.MS(w.End)); err != nil {
			return err
		}
	}
	return nil
}

// GetCandidate returns a candidate with availability.
func (s *Store) GetCandidate(ctx context.Context, accountID, id int64) (*domain.Candidate, error) {
	c, err := scanCandidate(s.DB.Reader().QueryRowContext(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE id = $1 AND account_id = $2`, id, accountID), accountID)
	if err != nil {
		return nil, notFound(err, "Candidate")
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT start_at, end_at FROM candidate_availability WHERE account_id = $1 AND candidate_id = $2 ORDER BY start_at`, accountID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		c.Availability = append(c.Availability, domain.Window{Start: store.FromMS(a), End: store.FromMS(b)})
	}
	return c, rows.Err()
}

// CandidateFilter selects a page of candidates.
type CandidateFilter struct {
	Search  string
	JobID   int64
	StageID int64
	Status  domain.CandidateStatus
	// Before is the keyset cursor: the last id of the previous page.
	Before int64
	Limit  int
	// WithoutAvailability leaves the candidates' availability unread, for
	// a list that does not show it.
	WithoutAvailability bool
}

// CandidatePage is one page of the list, newest first.
type CandidatePage struct {
	Candidates []domain.Candidate
	// Next is the cursor of the following page, 0 at the end.
	Next int64
}

// DefaultCandidatePage is a page of candidates when none is asked for: 25,
// as a page of users or of My interviews; MaxCandidatePage bounds a page.
const (
	DefaultCandidatePage = 25
	MaxCandidatePage     = 200
)

// MaxSearchLen bounds the search text.
const MaxSearchLen = 100

// ListCandidates pages through candidates with keyset pagination: each
// page is a short index range, so page 1,000 costs what page 1 costs.
func (s *Store) ListCandidates(ctx context.Context, accountID int64, f CandidateFilter) (*CandidatePage, error) {
	if f.Limit <= 0 || f.Limit > MaxCandidatePage {
		f.Limit = DefaultCandidatePage
	}
	if utf8.RuneCountInString(f.Search) > MaxSearchLen {
		return nil, domain.Invalid(map[string]string{"q": "Search text is too long."})
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, domain.Invalid(map[string]string{"status": "Unknown status."})
	}
	where := []string{"account_id = $1"}
	args := []any{accountID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.JobID != 0 {
		add("job_id = ?", f.JobID)
	}
	if f.StageID != 0 {
		add("stage_id = ?", f.StageID)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	from, order := `candidates`, `id DESC`
	if q := strings.ToLower(strings.TrimSpace(f.Search)); q != "" {
		if s.DB.Dialect == store.SQLite && utf8.RuneCountInString(q) >= 3 {
			// The trigram index matches a quoted phrase as a substring. It
			// drives the query and hands the matches over newest first, so
			// a common word stops after one page instead of sorting its
			// thousands of matches (16 ms → 1 ms at 100,000 candidates).
			from, order = `candidates_search CROSS JOIN candidates ON candidates.id = candidates_search.rowid`, `candidates_search.rowid DESC`
			add(`candidates_search MATCH ?`, `"`+strings.ReplaceAll(q, `"`, `""`)+`"`)
		} else {
			// PostgreSQL's trigram index serves this LIKE; shorter text
			// matches so many rows that the newest page comes quickly.
			q = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
			add(`search_text LIKE ? ESCAPE '\'`, "%"+q+"%")
		}
	}
	if f.Before > 0 {
		add("id < ?", f.Before)
	}
	args = append(args, f.Limit+1)
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+candidateColumns+` FROM `+from+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := &CandidatePage{}
	for rows.Next() {
		c, err := scanCandidate(rows, accountID)
		if err != nil {
			return nil, err
		}
		page.Candidates = append(page.Candidates, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(page.Candidates) > f.Limit {
		page.Candidates = page.Candidates[:f.Limit]
		page.Next = page.Candidates[f.Limit-1].ID
	}
	if f.WithoutAvailability {
		return page, nil
	}
	return page, s.loadAvailability(ctx, accountID, page.Candidates)
}

// loadAvailability fills the availability of a page of candidates in one
// query, so a list shows what each record shows.
func (s *Store) loadAvailability(ctx context.Context, accountID int64, cs []domain.Candidate) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*domain.Candidate, len(cs))
	args := []any{accountID}
	marks := make([]string, 0, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
		args = append(args, cs[i].ID)
		marks = append(marks, "$"+strconv.Itoa(len(args)))
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT candidate_id, start_at, end_at FROM candidate_availability
		WHERE account_id = $1 AND candidate_id IN (`+strings.Join(marks, ", ")+`) ORDER BY candidate_id, start_at`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, a, b int64
		if err := rows.Scan(&id, &a, &b); err != nil {
			return err
		}
		c := byID[id]
		c.Availability = append(c.Availability, domain.Window{Start: store.FromMS(a), End: store.FromMS(b)})
	}
	return rows.Err()
}
