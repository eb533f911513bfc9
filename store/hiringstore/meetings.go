package hiringstore

import (
	"context"
	"database/sql"
	"fmt"

	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// MeetingTask is what the meeting worker needs to sync one meeting.
type MeetingTask struct {
	ID, AccountID, ScheduleID int64
	// ItemID is the interview of a per-interview meeting, 0 for one per schedule.
	ItemID                 int64
	Marker                 string
	Present                bool
	State                  domain.MeetingState
	Topic, TimeZone        string
	Start, End             time.Time
	HostID                 string
	ProviderMeetingID      string
	JoinURL                string
	Version, SyncedVersion int
	SyncedStart, SyncedEnd time.Time
	SyncedTopic            string
	InterviewerEmails      []string
	// HostChoice is the Zoom user the coordinator picked; "" by the rule.
	HostChoice string
	// RetiringMeetingID is the provider's meeting under the previous host,
	// deleted once its replacement exists.
	RetiringMeetingID string
}

// InSync reports whether nothing is left to do.
func (t *MeetingTask) InSync() bool {
	if !t.Present {
		return t.State == domain.MeetingDeleted && t.RetiringMeetingID == ""
	}
	return t.State == domain.MeetingCreated && t.ProviderMeetingID != "" && t.SyncedVersion == t.Version && t.RetiringMeetingID == ""
}

// NeedsUpdate reports whether the provider's meeting differs from ours.
func (t *MeetingTask) NeedsUpdate() bool {
	return !t.SyncedStart.Equal(t.Start) || !t.SyncedEnd.Equal(t.End) || t.SyncedTopic != t.Topic
}

// GetMeetingTask reads one meeting with its interviewers' emails.
func (s *Store) GetMeetingTask(ctx context.Context, accountID, id int64) (*MeetingTask, error) {
	t := &MeetingTask{ID: id, AccountID: accountID}
	var desired, state string
	var item sql.NullInt64
	var a, z, sa, sz int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT schedule_id, item_id, marker, desired, state, topic, time_zone, start_at, end_at, host_id,
		provider_meeting_id, join_url, version, synced_version, synced_start_at, synced_end_at, synced_topic, host_choice, retiring_meeting_id
		FROM meetings WHERE id = $1 AND account_id = $2`,
		id, accountID).Scan(&t.ScheduleID, &item, &t.Marker, &desired, &state, &t.Topic, &t.TimeZone, &a, &z, &t.HostID,
		&t.ProviderMeetingID, &t.JoinURL, &t.Version, &t.SyncedVersion, &sa, &sz, &t.SyncedTopic, &t.HostChoice, &t.RetiringMeetingID)
	if err != nil {
		return nil, notFound(err, "Meeting")
	}
	t.Present, t.State, t.ItemID = desired == "present", domain.MeetingState(state), item.Int64
	t.Start, t.End, t.SyncedStart, t.SyncedEnd = store.FromMS(a), store.FromMS(z), store.FromMS(sa), store.FromMS(sz)
	// Items first (CROSS JOIN fixes the order on SQLite), so the bookings
	// are looked up by item, not walked across the account.
	q := `SELECT u.email FROM schedule_items si CROSS JOIN schedule_item_interviewers sii JOIN users u ON u.id = sii.user_id
		WHERE si.account_id = $1 AND si.schedule_id = $2 AND sii.item_id = si.id AND sii.account_id = $1 AND sii.active = TRUE ORDER BY si.start_at, sii.user_id`
	args := []any{accountID, t.ScheduleID}
	if item.Valid {
		q = `SELECT u.email FROM schedule_item_interviewers sii JOIN users u ON u.id = sii.user_id
			WHERE sii.account_id = $1 AND sii.item_id = $2 ORDER BY sii.user_id`
		args = []any{accountID, item.Int64}
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		t.InterviewerEmails = append(t.InterviewerEmails, e)
	}
	return t, rows.Err()
}

// ErrNoFreeHost: every possible host already hosts a meeting then.
var ErrNoFreeHost = domain.Errorf(domain.ECONFLICT, "Every possible Zoom host is already hosting another meeting at that time (a Zoom host runs one meeting at a time). Move the interview or add interviewers with Zoom accounts.")

// BeginCreate records, before the provider is called, that a create is
// about to happen and with which host: the first of candidates that does
// not host another of our meetings at that time (an already chosen host
// is kept, so a retry looks in the same place for the earlier attempt).
//
// first is true when no earlier attempt was ever recorded for the row (read
// under the write lock, so two workers cannot both see it): no meeting can
// carry its marker yet, and the caller may skip looking for one.
func (s *Store) BeginCreate(ctx context.Context, t *MeetingTask, candidates []string) (host string, first bool, err error) {
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var attempts int
		if err := tx.QueryRowContext(ctx, `SELECT host_id, attempts FROM meetings WHERE id = $1 AND account_id = $2`+tx.DB().ForUpdate(),
			t.ID, t.AccountID).Scan(&host, &attempts); err != nil {
			return err
		}
		first = host == "" && attempts == 0
		if host == "" {
			var err error
			if host, err = firstFreeHost(ctx, tx, t, candidates); err != nil {
				return err
			}
			if host == "" {
				return ErrNoFreeHost
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET host_id = $1, state = $2, attempts = attempts + 1, updated_at = $3 WHERE id = $4 AND account_id = $5`,
			host, string(domain.MeetingCreating), store.MS(tx.Now), t.ID, t.AccountID)
		return err
	})
	if err == nil {
		t.HostID, t.State = host, domain.MeetingCreating
	}
	return host, first, err
}

// UpdateMeetingCreated stores the provider's meeting; version is the one the
// worker synced to. then, when not nil, runs in the same transaction (the
// invitations of a meeting whose link changed are queued there).
func (s *Store) UpdateMeetingCreated(ctx context.Context, t *MeetingTask, m domain.Meeting, then func(tx *store.Tx) error) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET provider_meeting_id = $1, join_url = $2, host_id = $3, state = $4, synced_start_at = $5,
			synced_end_at = $6, synced_topic = $7, synced_version = $8, last_error = '', updated_at = $9 WHERE id = $10 AND account_id = $11`,
			m.ID, m.JoinURL, t.HostID, string(domain.MeetingCreated), store.MS(t.Start), store.MS(t.End), t.Topic, t.Version, store.MS(tx.Now), t.ID, t.AccountID)
		if err != nil || then == nil {
			return err
		}
		return then(tx)
	})
}

// BeginReplace starts moving a meeting to a new host, which Zoom does not
// do in place for an app: the first of candidates not hosting another of
// our meetings at that time becomes the host of a meeting to be created
// (with a fresh marker, so it is never confused with the old one), and the
// old meeting is kept as retiring until the new one exists. It reports
// false, changing nothing, when no candidate is free or the free one is
// already the host, or when the row changed under the worker.
func (s *Store) BeginReplace(ctx context.Context, t *MeetingTask, candidates []string) (bool, error) {
	var host string
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var cur, pid, retiring string
		if err := tx.QueryRowContext(ctx, `SELECT host_id, provider_meeting_id, retiring_meeting_id FROM meetings WHERE id = $1 AND account_id = $2`+tx.DB().ForUpdate(),
			t.ID, t.AccountID).Scan(&cur, &pid, &retiring); err != nil {
			return err
		}
		if pid == "" || pid != t.ProviderMeetingID || retiring != "" {
			return nil
		}
		var err error
		if host, err = firstFreeHost(ctx, tx, t, candidates); err != nil {
			return err
		}
		if host == "" || host == cur {
			host = ""
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET retiring_meeting_id = provider_meeting_id, provider_meeting_id = '', host_id = $1, marker = $2,
			state = $3, attempts = 0, last_error = '', updated_at = $4 WHERE id = $5 AND account_id = $6`,
			host, newMarker(), string(domain.MeetingPending), store.MS(tx.Now), t.ID, t.AccountID); err != nil {
			return err
		}
		return tx.CreateAuditEvent(ctx, t.AccountID, nil, "meeting.host_changed", fmt.Sprintf(
			"schedule %d: the meeting moves from Zoom user %s to %s, who now takes part; a new meeting replaces the old one", t.ScheduleID, cur, host))
	})
	if err != nil || host == "" {
		return false, err
	}
	return true, nil
}

// UpdateMeetingRetired notes that the previous host's meeting is deleted.
func (s *Store) UpdateMeetingRetired(ctx context.Context, t *MeetingTask) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET retiring_meeting_id = '', updated_at = $1 WHERE id = $2 AND account_id = $3 AND retiring_meeting_id = $4`,
			store.MS(tx.Now), t.ID, t.AccountID, t.RetiringMeetingID)
		if err == nil {
			t.RetiringMeetingID = ""
		}
		return err
	})
}

// hostFree reports whether host runs none of the account's other meetings
// during t.
// firstFreeHost is the first of candidates not hosting another of our
// meetings during t, "" when none is free.
func firstFreeHost(ctx context.Context, tx *store.Tx, t *MeetingTask, candidates []string) (string, error) {
	for _, c := range candidates {
		free, err := hostFree(ctx, tx, t, c)
		if err != nil || free {
			return c, err
		}
	}
	return "", nil
}

func hostFree(ctx context.Context, tx *store.Tx, t *MeetingTask, host string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE account_id = $1 AND host_id = $2 AND desired = 'present'
		AND id <> $3 AND start_at < $4 AND end_at > $5`, t.AccountID, host, t.ID, store.MS(t.End), store.MS(t.Start)).Scan(&n)
	return n == 0, err
}

// UpdateMeetingSynced notes that the provider's meeting matches version.
func (s *Store) UpdateMeetingSynced(ctx context.Context, t *MeetingTask) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET state = $1, synced_start_at = $2, synced_end_at = $3, synced_topic = $4, synced_version = $5,
			last_error = '', updated_at = $6 WHERE id = $7 AND account_id = $8`,
			string(domain.MeetingCreated), store.MS(t.Start), store.MS(t.End), t.Topic, t.Version, store.MS(tx.Now), t.ID, t.AccountID)
		return err
	})
}

// UpdateMeetingGone forgets a meeting the provider no longer has, so it is
// created again (the join URL changes).
func (s *Store) UpdateMeetingGone(ctx context.Context, t *MeetingTask) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET provider_meeting_id = '', join_url = '', state = $1, updated_at = $2 WHERE id = $3 AND account_id = $4`,
			string(domain.MeetingPending), store.MS(tx.Now), t.ID, t.AccountID)
		return err
	})
}

// UpdateMeetingHostGone forgets a host the provider no longer has, so the
// next attempt chooses again, and records it in the account's audit log.
func (s *Store) UpdateMeetingHostGone(ctx context.Context, t *MeetingTask, gone string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET host_id = '', host_choice = '', state = $1, last_error = $2, host_note = $3, updated_at = $4
			WHERE id = $5 AND account_id = $6 AND provider_meeting_id = ''`,
			string(domain.MeetingPending), "The Zoom user chosen to host no longer exists or was deactivated; another host is being chosen.",
			"The Zoom user first chosen to host no longer exists or was deactivated in Zoom, so the host was chosen again.",
			store.MS(tx.Now), t.ID, t.AccountID)
		if err != nil {
			return err
		}
		t.HostID, t.HostChoice, t.State = "", "", domain.MeetingPending
		return tx.CreateAuditEvent(ctx, t.AccountID, nil, "meeting.host_replaced", fmt.Sprintf(
			"schedule %d: Zoom user %s no longer exists or was deactivated in Zoom; the meeting's host was chosen again", t.ScheduleID, gone))
	})
}

// UpdateMeetingHostSpent forgets a host that has used its daily allowance
// of meeting creates and updates, before its meeting exists, so the next
// attempt chooses another; the schedule shows note, the audit log says so.
// It reports whether the host was forgotten.
func (s *Store) UpdateMeetingHostSpent(ctx context.Context, t *MeetingTask, spent, note string) (bool, error) {
	var moved bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET host_id = '', state = $1, last_error = '', host_note = $2, updated_at = $3
			WHERE id = $4 AND account_id = $5 AND provider_meeting_id = '' AND host_id = $6 AND host_choice = ''`,
			string(domain.MeetingPending), note, store.MS(tx.Now), t.ID, t.AccountID, spent)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		moved = true
		return tx.CreateAuditEvent(ctx, t.AccountID, nil, "meeting.host_replaced", fmt.Sprintf(
			"schedule %d: Zoom user %s has used Zoom's daily allowance of meeting creates and updates; the meeting's host was chosen again", t.ScheduleID, spent))
	})
	if moved {
		t.HostID, t.State = "", domain.MeetingPending
	}
	return moved, err
}

// UpdateMeetingRetry puts a failed meeting of a live schedule back in the
// queue's hands: it reports whether there was one to retry.
func (s *Store) UpdateMeetingRetry(ctx context.Context, tx *store.Tx, accountID, scheduleID, meetingID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE meetings SET state = $1, host_id = CASE WHEN provider_meeting_id = '' THEN '' ELSE host_id END,
		last_error = '', updated_at = $2 WHERE id = $3 AND account_id = $4 AND schedule_id = $5 AND desired = 'present' AND state = $6`,
		string(domain.MeetingPending), store.MS(tx.Now), meetingID, accountID, scheduleID, string(domain.MeetingFailed))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// UpdateMeetingDeleted notes that the provider holds no meeting for the row.
func (s *Store) UpdateMeetingDeleted(ctx context.Context, t *MeetingTask) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET provider_meeting_id = '', join_url = '', state = $1, synced_version = $2, last_error = '', updated_at = $3
			WHERE id = $4 AND account_id = $5 AND desired = 'absent'`,
			string(domain.MeetingDeleted), t.Version, store.MS(tx.Now), t.ID, t.AccountID)
		return err
	})
}

// UpdateMeetingProblem shows why a meeting is not there yet: failed (retrying)
// or waiting for the provider to be connected.
func (s *Store) UpdateMeetingProblem(ctx context.Context, t *MeetingTask, state domain.MeetingState, msg string) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		// A row being deleted stays "deleting"; its problem is still shown.
		_, err := tx.ExecContext(ctx, `UPDATE meetings SET state = CASE WHEN desired = 'absent' THEN state ELSE $1 END, last_error = $2, updated_at = $3
			WHERE id = $4 AND account_id = $5`, string(state), msg, store.MS(tx.Now), t.ID, t.AccountID)
		return err
	})
}

// MeetingRef names a meeting row.
type MeetingRef struct{ AccountID, ID int64 }

// meetingsWorkLeft is the condition of the partial index
// meetings_work_left, as its migration writes it: SQLite uses a partial
// index only for a query that holds the same expression.
const meetingsWorkLeft = `(state IN ('pending', 'creating', 'waiting_for_zoom', 'deleting', 'failed') OR (state = 'created' AND version <> synced_version) OR retiring_meeting_id <> '')`

// ListUnsyncedMeetings lists meetings with work left, oldest change first,
// across all accounts: the sweep that re-queues them (after Zoom is
// reconnected, or when a queued job was lost) runs for the whole server.
func (s *Store) ListUnsyncedMeetings(ctx context.Context, limit int) ([]MeetingRef, error) {
	// A failed meeting is retried by its own job with backoff; the sweep
	// only picks up those left alone for a while (no free host, say),
	// unless an older meeting is still to be retired.
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT account_id, id FROM meetings
		WHERE `+meetingsWorkLeft+` AND NOT (state = 'failed' AND updated_at >= $1 AND retiring_meeting_id = '')
		ORDER BY updated_at LIMIT $2`, store.MS(s.DB.Now().Add(-30*time.Second)), limit)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (r MeetingRef, err error) {
		err = rows.Scan(&r.AccountID, &r.ID)
		return r, err
	})
}

// CountMeetingsInState counts an account's meetings in one state; the
// banner on every page asks it, so it reads one range of
// meetings_account_state however long the history.
func (s *Store) CountMeetingsInState(ctx context.Context, accountID int64, state domain.MeetingState) (int, error) {
	var n int
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings WHERE account_id = $1 AND state = $2`, accountID, string(state)).Scan(&n)
	return n, err
}

// CountMeetingStates counts an account's live meetings by state (tests,
// benchmarks and the metrics page use it).
func (s *Store) CountMeetingStates(ctx context.Context, accountID int64) (map[domain.MeetingState]int, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT state, COUNT(*) FROM meetings WHERE account_id = $1 GROUP BY state`, accountID)
	return store.CollectMap(rows, err, func(rows *sql.Rows) (domain.MeetingState, int, error) {
		var st string
		var n int
		err := rows.Scan(&st, &n)
		return domain.MeetingState(st), n, err
	})
}
