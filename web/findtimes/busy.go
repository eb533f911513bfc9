package findtimes

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"interviewplanner/scheduler"
	"interviewplanner/store"
)

// The queries below read the same rows the schedule conflict check reads
// (live interviewer bookings, room bookings and the meetings Zoom hosts
// run), so a proposal the engine finds passes that check. When a schedule
// is being replaced, its own rows are left out everywhere, as the check
// leaves them out when the schedule is saved.

// interviewerBookings maps each of users to their live interviews
// overlapping [lo, hi), leaving out those of schedule replacing (0: none).
func interviewerBookings(ctx context.Context, db *store.DB, accountID int64, users []int64, lo, hi time.Time, replacing int64) (map[int64][]scheduler.Interval, error) {
	out := map[int64][]scheduler.Interval{}
	if len(users) == 0 {
		return out, nil
	}
	args := []any{accountID, store.MS(hi), store.MS(lo)}
	for _, u := range users {
		args = append(args, u)
	}
	args = append(args, replacing)
	q := `SELECT sii.user_id, sii.start_at, sii.end_at FROM schedule_item_interviewers sii
		JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
		WHERE sii.account_id = $1 AND sii.active = TRUE AND sii.start_at < $2 AND sii.end_at > $3
		AND sii.user_id IN (` + placeholders(4, len(users)) + `) AND si.schedule_id <> $` + strconv.Itoa(4+len(users)) + `
		ORDER BY sii.start_at, sii.user_id`
	return scanKeyed(ctx, db, q, args)
}

// roomBookings maps room ids to their live bookings overlapping [lo, hi),
// leaving out those of schedule replacing.
func roomBookings(ctx context.Context, db *store.DB, accountID int64, lo, hi time.Time, replacing int64) (map[int64][]scheduler.Interval, error) {
	q := `SELECT room_id, start_at, end_at FROM schedule_items
		WHERE account_id = $1 AND active = TRUE AND start_at < $2 AND end_at > $3 AND room_id IS NOT NULL AND schedule_id <> $4 ORDER BY start_at`
	return scanKeyed(ctx, db, q, []any{accountID, store.MS(hi), store.MS(lo), replacing})
}

// hostMeetings maps video host ids to the meetings they run in [lo, hi),
// leaving out those of schedule replacing.
func hostMeetings(ctx context.Context, db *store.DB, accountID int64, lo, hi time.Time, replacing int64) (map[string][]scheduler.Interval, error) {
	rows, err := db.Reader().QueryContext(ctx, `SELECT host_id, start_at, end_at FROM meetings WHERE account_id = $1 AND desired = 'present'
		AND host_id <> '' AND start_at < $2 AND end_at > $3 AND schedule_id <> $4 ORDER BY start_at`, accountID, store.MS(hi), store.MS(lo), replacing)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]scheduler.Interval{}
	for rows.Next() {
		var host string
		var a, z int64
		if err := rows.Scan(&host, &a, &z); err != nil {
			return nil, err
		}
		out[host] = append(out[host], scheduler.Interval{Start: store.FromMS(a), End: store.FromMS(z)})
	}
	return out, rows.Err()
}

func scanKeyed(ctx context.Context, db *store.DB, q string, args []any) (map[int64][]scheduler.Interval, error) {
	rows, err := db.Reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]scheduler.Interval{}
	for rows.Next() {
		var k int64
		var a, z int64
		if err := rows.Scan(&k, &a, &z); err != nil {
			return nil, err
		}
		out[k] = append(out[k], scheduler.Interval{Start: store.FromMS(a), End: store.FromMS(z)})
	}
	return out, rows.Err()
}

func placeholders(n, count int) string {
	parts := make([]string, count)
	for i := range parts {
		parts[i] = fmt.Sprintf("$%d", n+i)
	}
	return strings.Join(parts, ", ")
}
