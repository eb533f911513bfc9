package hiringstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"interviewplanner/store"
)

// Scheduling states of a candidate, as the candidate list shows them.
const (
	ProgressNotScheduled = "not_scheduled" // no live schedule
	ProgressScheduled    = "scheduled"     // a live schedule with interviews to come
	ProgressInterviewed  = "interviewed"   // a live schedule whose interviews are all past
)

// Progress is where a candidate's scheduling stands.
type Progress struct {
	State string
	// Next is the start of their next interview; zero when none is to come.
	Next time.Time
}

// ListProgress returns the scheduling state of each candidate in ids, in one
// query, so a page of the candidate list costs one round trip more.
func (s *Store) ListProgress(ctx context.Context, accountID int64, ids []int64) (map[int64]Progress, error) {
	out := make(map[int64]Progress, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	now := store.MS(s.DB.Now())
	args := []any{accountID, now}
	marks := make([]string, 0, len(ids))
	for _, id := range ids {
		out[id] = Progress{State: ProgressNotScheduled}
		args = append(args, id)
		marks = append(marks, "$"+strconv.Itoa(len(args)))
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT s.candidate_id, MIN(CASE WHEN i.start_at >= $2 THEN i.start_at END), COUNT(i.id)
		FROM schedules s JOIN schedule_items i ON i.account_id = s.account_id AND i.schedule_id = s.id AND i.active
		WHERE s.account_id = $1 AND s.status IN ('scheduled', 'rescheduled') AND s.candidate_id IN (`+strings.Join(marks, ", ")+`)
		GROUP BY s.candidate_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		var next *int64
		if err := rows.Scan(&id, &next, &n); err != nil {
			return nil, err
		}
		p := Progress{State: ProgressInterviewed}
		if next != nil {
			p = Progress{State: ProgressScheduled, Next: store.FromMS(*next)}
		}
		if n > 0 {
			out[id] = p
		}
	}
	return out, rows.Err()
}
