package hiringstore

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// The reads below are our own busy time: interviewers' and rooms' live
// interviews and the meetings video hosts run. Each reads the window
// [from, to) for the ids asked, leaving out the rows of schedule except (0:
// none), so a schedule being changed does not clash with itself. An
// interview lasts at most domain.MaxDurationMin, so its start is bounded on
// both sides and the (account, key, start_at) indexes read one short range.
// With tx they read inside that write transaction; nil reads committed rows.

// longestItem bounds how long before from a booking overlapping from can start.
const longestItem = domain.MaxDurationMin * time.Minute

// ListInterviewerBookings lists the users' live interviews overlapping
// [from, to); Key is the user id.
func (s *Store) ListInterviewerBookings(ctx context.Context, tx *store.Tx, accountID int64, users []int64, from, to time.Time, except int64) ([]domain.Booking, error) {
	if len(users) == 0 {
		return nil, nil
	}
	return s.scanBookings(ctx, tx, false, `SELECT sii.user_id, si.schedule_id, sii.start_at, sii.end_at FROM schedule_item_interviewers sii
		JOIN schedule_items si ON si.id = sii.item_id AND si.account_id = sii.account_id
		WHERE sii.account_id = $1 AND sii.user_id IN (`+placeholders(2, len(users))+`) AND sii.active = TRUE
		AND `+inWindow("sii.", "si.schedule_id", len(users))+` ORDER BY sii.start_at, sii.user_id`, windowArgs(accountID, users, from, to, except))
}

// ListRoomBookings lists the rooms' live interviews overlapping [from, to);
// Key is the room id.
func (s *Store) ListRoomBookings(ctx context.Context, tx *store.Tx, accountID int64, rooms []int64, from, to time.Time, except int64) ([]domain.Booking, error) {
	if len(rooms) == 0 {
		return nil, nil
	}
	return s.scanBookings(ctx, tx, false, `SELECT room_id, schedule_id, start_at, end_at FROM schedule_items
		WHERE account_id = $1 AND room_id IN (`+placeholders(2, len(rooms))+`) AND active = TRUE
		AND `+inWindow("", "schedule_id", len(rooms))+` ORDER BY start_at, room_id`, windowArgs(accountID, rooms, from, to, except))
}

// inWindow is the condition that a booking row (columns prefixed with p)
// overlaps [from, to) and is not of the excepted schedule, with the
// placeholders that follow the account and n ids, as windowArgs fills them.
func inWindow(p, scheduleColumn string, n int) string {
	arg := func(k int) string { return "$" + strconv.Itoa(n+1+k) }
	return p + "start_at < " + arg(1) + " AND " + p + "start_at > " + arg(2) + " AND " + p + "end_at > " + arg(3) + " AND " + scheduleColumn + " <> " + arg(4)
}

func windowArgs(accountID int64, ids []int64, from, to time.Time, except int64) []any {
	args := append([]any{accountID}, int64Args(ids)...)
	return append(args, store.MS(to), store.MS(from.Add(-longestItem)), store.MS(from), except)
}

// ListHostMeetings lists the meetings the video hosts run overlapping
// [from, to); HostID is the host. A meeting for a whole schedule can span
// more than one interview, so only its end bounds it from below.
func (s *Store) ListHostMeetings(ctx context.Context, tx *store.Tx, accountID int64, hosts []string, from, to time.Time, except int64) ([]domain.Booking, error) {
	if len(hosts) == 0 {
		return nil, nil
	}
	n := len(hosts)
	args := []any{accountID}
	for _, h := range hosts {
		args = append(args, h)
	}
	args = append(args, store.MS(to), store.MS(from), except)
	return s.scanBookings(ctx, tx, true, `SELECT host_id, schedule_id, start_at, end_at FROM meetings
		WHERE account_id = $1 AND host_id IN (`+placeholders(2, n)+`) AND desired = 'present'
		AND start_at < $`+strconv.Itoa(n+2)+` AND end_at > $`+strconv.Itoa(n+3)+` AND schedule_id <> $`+strconv.Itoa(n+4)+`
		ORDER BY start_at, host_id`, args)
}

// scanBookings reads rows of (key, schedule, start, end): the key is a
// video host id with host, else a user or room id.
func (s *Store) scanBookings(ctx context.Context, tx *store.Tx, host bool, query string, args []any) ([]domain.Booking, error) {
	rows, err := s.reader(tx).QueryContext(ctx, query, args...)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (b domain.Booking, err error) {
		var key sql.NullInt64
		var a, z int64
		target := any(&key)
		if host {
			target = &b.HostID
		}
		if err := rows.Scan(target, &b.ScheduleID, &a, &z); err != nil {
			return b, err
		}
		b.Key, b.Start, b.End = key.Int64, store.FromMS(a), store.FromMS(z)
		return b, nil
	})
}

// reader is tx when given, else the read pool.
func (s *Store) reader(tx *store.Tx) querier {
	if tx != nil {
		return tx
	}
	return s.DB.Reader()
}
