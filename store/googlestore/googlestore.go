// Package googlestore keeps an account's Google Workspace connection: the
// connection row with its sealed secret (an OAuth token or a service
// account's key file), the refresh lease, the OAuth state of a connect in
// flight, the Workspace directory as last read, and each interviewer's
// synced events. Every query is scoped by account id, except the list of
// live connections the periodic refresh walks.
//
// Secrets arrive sealed; sealing is the caller's job.
package googlestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Connection states, as stored.
const (
	StateConnected         = store.ConnectionConnected
	StateNeedsReconnecting = store.ConnectionNeedsReconnecting
	StateDisconnected      = store.ConnectionDisconnected
)

// Connection methods.
const (
	MethodOAuth          = "oauth"
	MethodServiceAccount = "service_account"
)

// Why a connection ended.
const (
	ReasonDisconnected = "disconnected"
	ReasonTokenDead    = "token_dead"
)

// Connection is an account's Google connection without its secret.
type Connection struct {
	AccountID          int64
	State, Method      string
	AdminEmail         string
	Domain             string
	SAEmail, SAClient  string
	Scopes             string
	SchedulingCalendar string
	ConnectedAt        *time.Time
	ConnectedByName    string
	DisconnectedAt     *time.Time
	DisconnectReason   string
	Error              string
	UsersCount         int
	RoomsCount         int
	MatchedCount       int
	SyncedAt           *time.Time
	SyncError          string
	// WritesPausedUntil: Google refused writes (quotaExceeded) until then.
	WritesPausedUntil *time.Time
}

// Delegated reports whether the connection reads every calendar in full
// (service account with domain-wide delegation).
func (c *Connection) Delegated() bool { return c.Method == MethodServiceAccount }

// NewConnection is what a successful connect stores.
type NewConnection struct {
	Method, AdminEmail, Domain string
	SAEmail, SAClient          string
	Scopes                     string
	ConnectedBy                int64
	KeyID                      string
	Secret                     []byte
}

// Secret is the sealed secret and its version.
type Secret struct {
	KeyID   string
	Sealed  []byte
	Version int64
}

// Store reads and writes Google connection data.
type Store struct{ DB *store.DB }

// New returns a Store on db.
func New(db *store.DB) *Store { return &Store{DB: db} }

const connColumns = `c.account_id, c.state, c.method, c.admin_email, c.workspace_domain, c.sa_email, c.sa_client_id, c.scopes,
	c.scheduling_calendar, c.connected_at, COALESCE(u.name, ''), c.disconnected_at, c.disconnect_reason, c.error,
	c.users_count, c.rooms_count, c.matched_count, c.synced_at, c.sync_error, c.writes_paused_until`

// GetConnection returns the account's connection (ENOTFOUND when it never connected).
func (s *Store) GetConnection(ctx context.Context, accountID int64) (*Connection, error) {
	c := &Connection{}
	var connected, disconnected, synced, paused sql.NullInt64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT `+connColumns+` FROM google_connections c
		LEFT JOIN users u ON u.id = c.connected_by AND u.account_id = c.account_id WHERE c.account_id = $1`, accountID).
		Scan(&c.AccountID, &c.State, &c.Method, &c.AdminEmail, &c.Domain, &c.SAEmail, &c.SAClient, &c.Scopes, &c.SchedulingCalendar,
			&connected, &c.ConnectedByName, &disconnected, &c.DisconnectReason, &c.Error, &c.UsersCount, &c.RoomsCount, &c.MatchedCount,
			&synced, &c.SyncError, &paused)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Google Workspace is not connected.")
	}
	c.ConnectedAt, c.DisconnectedAt, c.SyncedAt = store.FromNullMS(connected), store.FromNullMS(disconnected), store.FromNullMS(synced)
	c.WritesPausedUntil = store.FromNullMS(paused)
	return c, err
}

// SaveConnection stores a new (or renewed) connection as connected.
func (s *Store) SaveConnection(ctx context.Context, accountID int64, n NewConnection) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		now := store.MS(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO google_connections (account_id, state, method, admin_email, workspace_domain, sa_email,
			sa_client_id, scopes, key_id, secret, token_version, connected_at, connected_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13)
			ON CONFLICT (account_id) DO UPDATE SET state = excluded.state, method = excluded.method, admin_email = excluded.admin_email,
			workspace_domain = excluded.workspace_domain, sa_email = excluded.sa_email, sa_client_id = excluded.sa_client_id,
			scopes = excluded.scopes, key_id = excluded.key_id, secret = excluded.secret,
			token_version = google_connections.token_version + 1, refreshing_by = '', refreshing_until = NULL,
			connected_at = excluded.connected_at, connected_by = excluded.connected_by, disconnected_at = NULL,
			disconnect_reason = '', error = '', updated_at = excluded.updated_at`,
			accountID, StateConnected, n.Method, n.AdminEmail, n.Domain, n.SAEmail, n.SAClient, n.Scopes, n.KeyID, n.Secret, now, n.ConnectedBy, now)
		if err != nil {
			return err
		}
		return tx.CreateAuditEvent(ctx, accountID, &n.ConnectedBy, "google.connected",
			fmt.Sprintf("Google Workspace %s connected (%s) as %s", n.Domain, n.Method, n.AdminEmail))
	})
}

// GetSecret returns the sealed secret of a connection in state connected.
func (s *Store) GetSecret(ctx context.Context, accountID int64) (Secret, string, error) {
	var sec Secret
	var state string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT key_id, secret, token_version, state FROM google_connections WHERE account_id = $1`, accountID).
		Scan(&sec.KeyID, &sec.Sealed, &sec.Version, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return sec, "", domain.Errorf(domain.ENOTFOUND, "Google Workspace is not connected.")
	}
	return sec, state, err
}

// UpdateSecret saves a refreshed secret if nobody saved a newer one since
// fromVersion; it reports whether it did.
func (s *Store) UpdateSecret(ctx context.Context, accountID, fromVersion int64, keyID string, sealed []byte) (bool, error) {
	var n int64
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE google_connections SET key_id = $1, secret = $2, token_version = token_version + 1, updated_at = $3
			WHERE account_id = $4 AND token_version = $5 AND state = $6`, keyID, sealed, store.MS(tx.Now), accountID, fromVersion, StateConnected)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n == 1, err
}

// End ends a live connection (disconnect, or Google refused the grant) and
// clears its secret; it returns the secret it cleared (to revoke) and
// whether anything changed.
func (s *Store) End(ctx context.Context, accountID int64, state, reason, msg string, by *int64) (Secret, bool, error) {
	var sec Secret
	var changed bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var cur string
		err := tx.QueryRowContext(ctx, `SELECT key_id, secret, token_version, state FROM google_connections WHERE account_id = $1`+tx.DB().ForUpdate(), accountID).
			Scan(&sec.KeyID, &sec.Sealed, &sec.Version, &cur)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && cur == StateDisconnected) {
			return nil
		}
		if err != nil {
			return err
		}
		if cur == state {
			return nil
		}
		changed = true
		now := store.MS(tx.Now)
		secret := any(nil)
		if state == StateNeedsReconnecting {
			secret = sec.Sealed // kept: a reconnect replaces it, Disconnect revokes it
		}
		if _, err := tx.ExecContext(ctx, `UPDATE google_connections SET state = $1, disconnect_reason = $2, error = $3, disconnected_at = $4,
			secret = $5, updated_at = $6 WHERE account_id = $7`, state, reason, msg, now, secret, now, accountID); err != nil {
			return err
		}
		action := "google.disconnected"
		if state == StateNeedsReconnecting {
			action = "google.needs_reconnecting"
		}
		return tx.CreateAuditEvent(ctx, accountID, by, action, msg)
	})
	return sec, changed, err
}

// UpdateSchedulingCalendar sets the calendar that organizes every interview.
func (s *Store) UpdateSchedulingCalendar(ctx context.Context, accountID int64, calendarID string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE google_connections SET scheduling_calendar = $1, scheduling_sync_token = '', updated_at = $2 WHERE account_id = $3`,
			calendarID, store.MS(tx.Now), accountID)
		return err
	})
}

// UpdateSyncError records why the last directory read failed.
func (s *Store) UpdateSyncError(ctx context.Context, accountID int64, msg string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE google_connections SET sync_error = $1, updated_at = $2 WHERE account_id = $3`, msg, store.MS(tx.Now), accountID)
		return err
	})
}

// ListLiveAccounts lists accounts whose connection is connected (the one
// lookup across accounts: the periodic directory refresh).
func (s *Store) ListLiveAccounts(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT account_id FROM google_connections WHERE state = $1 ORDER BY account_id`, StateConnected)
	return store.ScanIDs(rows, err)
}

// States are the connects in flight, by the hash of their state value.
func (s *Store) States() store.OAuthStates {
	return store.OAuthStates{DB: s.DB, Table: "google_oauth_states"}
}

// Kinds of directory entry.
const (
	EntryUser = "user"
	EntryRoom = "room"
)

// Entry is a directory user or room.
type Entry struct {
	Kind      string
	GoogleID  string
	Email     string
	Name      string
	Admin     bool
	Suspended bool
	Capacity  int
	Building  string
	Floor     string
	RoomID    int64 // the InterviewPlanner room it became
	UserID    int64 // the interviewer it matched (filled by ListDirectory)
	RemovedAt *time.Time
}

// ReplaceDirectory records the directory as just read: entries seen are
// inserted or updated, those no longer listed are marked removed (not
// deleted). Rooms become InterviewPlanner rooms (by name) so they can be
// booked. It returns how many users matched an interviewer by email.
func (s *Store) ReplaceDirectory(ctx context.Context, accountID int64, entries []Entry) (matched int, err error) {
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		now := store.MS(tx.Now)
		users, rooms := 0, 0
		for _, e := range entries {
			var roomID any
			if e.Kind == EntryRoom {
				rooms++
				id, err := ensureRoom(ctx, tx, accountID, e.Name, now)
				if err != nil {
					return err
				}
				roomID = id
			} else {
				users++
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO google_directory (account_id, kind, google_id, email, name, is_admin, suspended,
				capacity, building, floor, room_id, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
				ON CONFLICT (account_id, kind, google_id) DO UPDATE SET email = excluded.email, name = excluded.name,
				is_admin = excluded.is_admin, suspended = excluded.suspended, capacity = excluded.capacity, building = excluded.building,
				floor = excluded.floor, room_id = excluded.room_id, seen_at = excluded.seen_at, removed_at = NULL`,
				accountID, e.Kind, e.GoogleID, strings.ToLower(e.Email), e.Name, e.Admin, e.Suspended, e.Capacity, e.Building, e.Floor, roomID, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE google_directory SET removed_at = $1 WHERE account_id = $2 AND seen_at < $3 AND removed_at IS NULL`,
			now, accountID, now); err != nil {
			return err
		}
		// Counted here rather than by a join: the directory's rows are new
		// to the planner's statistics, and PostgreSQL chose to loop over
		// every user of the account for each of them (seconds for 2,000).
		rows, err := tx.QueryContext(ctx, `SELECT LOWER(email) FROM users WHERE account_id = $1`, accountID)
		emails, err := store.CollectRows(rows, err, func(rows *sql.Rows) (e string, err error) { err = rows.Scan(&e); return e, err })
		if err != nil {
			return err
		}
		known := make(map[string]bool, len(emails))
		for _, e := range emails {
			known[e] = true
		}
		counted := map[string]bool{}
		for _, e := range entries {
			if email := strings.ToLower(e.Email); e.Kind == EntryUser && !e.Suspended && known[email] && !counted[e.GoogleID] {
				counted[e.GoogleID] = true
				matched++
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE google_connections SET users_count = $1, rooms_count = $2, matched_count = $3, synced_at = $4,
			sync_error = '', updated_at = $5 WHERE account_id = $6`, users, rooms, matched, now, now, accountID)
		return err
	})
	return matched, err
}

func ensureRoom(ctx context.Context, tx *store.Tx, accountID int64, name string, now int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM rooms WHERE account_id = $1 AND name = $2`, accountID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `INSERT INTO rooms (account_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`, accountID, name, now).Scan(&id)
	}
	return id, err
}

// ListDirectory lists the directory, removed entries last, with the
// interviewer each user matched.
func (s *Store) ListDirectory(ctx context.Context, accountID int64) ([]Entry, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT d.kind, d.google_id, d.email, d.name, d.is_admin, d.suspended, d.capacity, d.building,
		d.floor, COALESCE(d.room_id, 0), COALESCE(u.id, 0), d.removed_at FROM google_directory d
		LEFT JOIN users u ON d.kind = 'user' AND u.account_id = d.account_id AND LOWER(u.email) = d.email
		WHERE d.account_id = $1 ORDER BY d.removed_at IS NOT NULL, d.kind, d.email`, accountID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (e Entry, err error) {
		var removed sql.NullInt64
		if err := rows.Scan(&e.Kind, &e.GoogleID, &e.Email, &e.Name, &e.Admin, &e.Suspended, &e.Capacity, &e.Building, &e.Floor,
			&e.RoomID, &e.UserID, &removed); err != nil {
			return e, err
		}
		e.RemovedAt = store.FromNullMS(removed)
		return e, nil
	})
}

// Event is one synced Google event (or an instance of a series).
type Event struct {
	ID, SeriesID string
	Start, End   time.Time
	Kind         string // busy, tentative, free
	Title        string
	Private      bool
	AllDay       bool
}

// Changes is what one events.list answered: on a full sync every event of
// the source is replaced; otherwise Upserts are written, and Deleted (event
// ids) and Series (ids whose instances all arrive again) are removed first.
type Changes struct {
	Full    bool
	Upserts []Event
	Deleted []string
	Series  []string
}

// ApplyEventsTx writes a sync's changes in tx: the transaction that
// stores the source's busy time and sync token with them (the calendar
// layer's), so a crash keeps both or neither.
func ApplyEventsTx(ctx context.Context, tx *store.Tx, accountID, sourceID int64, c Changes) error {
	if c.Full {
		if _, err := tx.ExecContext(ctx, `DELETE FROM google_events WHERE account_id = $1 AND source_id = $2`, accountID, sourceID); err != nil {
			return err
		}
	}
	for _, id := range c.Deleted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM google_events WHERE account_id = $1 AND source_id = $2 AND (event_id = $3 OR series_id = $4)`,
			accountID, sourceID, id, id); err != nil {
			return err
		}
	}
	for _, id := range c.Series {
		if _, err := tx.ExecContext(ctx, `DELETE FROM google_events WHERE account_id = $1 AND source_id = $2 AND series_id = $3`,
			accountID, sourceID, id); err != nil {
			return err
		}
	}
	rows := c.Latest()
	if !c.Full { // a full sync emptied the source above
		for _, e := range rows {
			if _, err := tx.ExecContext(ctx, `DELETE FROM google_events WHERE source_id = $1 AND event_id = $2`, sourceID, e.ID); err != nil {
				return err
			}
		}
	}
	return insertEvents(ctx, tx, accountID, sourceID, rows)
}

// Latest is the upserts with the last word on each event only.
func (c Changes) Latest() []Event {
	last := make(map[string]int, len(c.Upserts))
	for i, e := range c.Upserts {
		last[e.ID] = i
	}
	if len(last) == len(c.Upserts) {
		return c.Upserts
	}
	out := make([]Event, 0, len(last))
	for i, e := range c.Upserts {
		if last[e.ID] == i {
			out = append(out, e)
		}
	}
	return out
}

// ListEventsTx returns a source's synced events overlapping [from, to), as
// tx sees them.
func ListEventsTx(ctx context.Context, tx *store.Tx, accountID, sourceID int64, from, to time.Time) ([]Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT event_id, series_id, start_at, end_at, kind, title, private, all_day FROM google_events
		WHERE account_id = $1 AND source_id = $2 AND end_at > $3 AND start_at < $4 ORDER BY start_at, event_id`, accountID, sourceID, store.MS(from), store.MS(to))
	return store.CollectRows(rows, err, func(rows *sql.Rows) (e Event, err error) {
		var start, end int64
		err = rows.Scan(&e.ID, &e.SeriesID, &start, &end, &e.Kind, &e.Title, &e.Private, &e.AllDay)
		e.Start, e.End = store.FromMS(start), store.FromMS(end)
		return e, err
	})
}

// Channel is a push channel on one source's calendar.
type Channel struct {
	ID, ResourceID string
	AccountID      int64
	SourceID       int64
	TokenHash      string
	ExpiresAt      time.Time
}

// CreateChannel records a channel before Google is asked for it. Its
// commit does not wait for the flush: a channel row lost to a crash only
// makes Google's messages on it refused, and the next sync, finding no
// channel, makes another (polling covers the time between).
func (s *Store) CreateChannel(ctx context.Context, c Channel) error {
	return s.DB.WriteCopyTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO google_channels (channel_id, account_id, source_id, resource_id, token_hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.AccountID, c.SourceID, c.ResourceID, c.TokenHash, store.MS(c.ExpiresAt), store.MS(tx.Now))
		return err
	})
}

// ListChannels lists a source's channels (sourceID 0: every channel of the account).
func (s *Store) ListChannels(ctx context.Context, accountID, sourceID int64) ([]Channel, error) {
	q := `SELECT channel_id, resource_id, account_id, source_id, token_hash, expires_at FROM google_channels WHERE account_id = $1`
	args := []any{accountID}
	if sourceID != 0 {
		q += ` AND source_id = $2`
		args = append(args, sourceID)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q+` ORDER BY expires_at`, args...)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (c Channel, err error) {
		var exp int64
		if err := rows.Scan(&c.ID, &c.ResourceID, &c.AccountID, &c.SourceID, &c.TokenHash, &exp); err != nil {
			return c, err
		}
		c.ExpiresAt = store.FromMS(exp)
		return c, nil
	})
}

// GetChannel finds a channel by its id: the one lookup across accounts, as
// a push notification names only its channel.
func (s *Store) GetChannel(ctx context.Context, channelID string) (*Channel, error) {
	var c Channel
	var exp int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT channel_id, resource_id, account_id, source_id, token_hash, expires_at
		FROM google_channels WHERE channel_id = $1`, channelID).Scan(&c.ID, &c.ResourceID, &c.AccountID, &c.SourceID, &c.TokenHash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Unknown channel.")
	}
	c.ExpiresAt = store.FromMS(exp)
	return &c, err
}

// DeleteChannel forgets a channel.
func (s *Store) DeleteChannel(ctx context.Context, accountID int64, channelID string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM google_channels WHERE account_id = $1 AND channel_id = $2`, accountID, channelID)
		return err
	})
}

// UpdateChannel records what Google answered to the watch: the resource id
// and the expiry it granted (not waiting for the flush, as CreateChannel).
func (s *Store) UpdateChannel(ctx context.Context, accountID int64, channelID, resourceID string, expires time.Time) error {
	return s.DB.WriteCopyTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE google_channels SET resource_id = $1, expires_at = $2 WHERE account_id = $3 AND channel_id = $4`,
			resourceID, store.MS(expires), accountID, channelID)
		return err
	})
}

// ListAddresses returns the Google calendars of the given interviewers (those
// with a Google calendar source) and rooms (Workspace room resources).
func (s *Store) ListAddresses(ctx context.Context, accountID int64, userIDs, roomIDs []int64) (users, rooms map[int64]string, err error) {
	users, rooms = map[int64]string{}, map[int64]string{}
	for _, id := range userIDs {
		var email string
		err := s.DB.Reader().QueryRowContext(ctx, `SELECT u.email FROM users u JOIN calendar_sources s ON s.account_id = u.account_id AND s.user_id = u.id
			WHERE u.account_id = $1 AND u.id = $2 AND s.kind = 'google'`, accountID, id).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		users[id] = email
	}
	for _, id := range roomIDs {
		var email string
		err := s.DB.Reader().QueryRowContext(ctx, `SELECT email FROM google_directory WHERE account_id = $1 AND kind = 'room' AND room_id = $2
			AND removed_at IS NULL`, accountID, id).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		rooms[id] = email
	}
	return users, rooms, nil
}

// ScheduleEvent is a Google Calendar event a schedule made.
type ScheduleEvent struct {
	ScheduleID          int64
	Key                 string
	CalendarID, EventID string
	ItemID              int64 // 0 for the candidate's event
	Fingerprint         string
}

// ListScheduleEvents returns a schedule's events by key.
func (s *Store) ListScheduleEvents(ctx context.Context, accountID, scheduleID int64) (map[string]ScheduleEvent, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT schedule_id, event_key, calendar_id, event_id, COALESCE(item_id, 0), fingerprint
		FROM google_schedule_events WHERE account_id = $1 AND schedule_id = $2`, accountID, scheduleID)
	list, err := store.CollectRows(rows, err, scanScheduleEvent)
	if err != nil {
		return nil, err
	}
	out := map[string]ScheduleEvent{}
	for _, e := range list {
		out[e.Key] = e
	}
	return out, nil
}

func scanScheduleEvent(rows *sql.Rows) (e ScheduleEvent, err error) {
	err = rows.Scan(&e.ScheduleID, &e.Key, &e.CalendarID, &e.EventID, &e.ItemID, &e.Fingerprint)
	return e, err
}

// GetScheduleEvent returns the schedule event with a Google event id
// (ENOTFOUND when the event is not one of ours).
func (s *Store) GetScheduleEvent(ctx context.Context, accountID int64, eventID string) (*ScheduleEvent, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT schedule_id, event_key, calendar_id, event_id, COALESCE(item_id, 0), fingerprint
		FROM google_schedule_events WHERE account_id = $1 AND event_id = $2`, accountID, eventID)
	list, err := store.CollectRows(rows, err, scanScheduleEvent)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "Not an interview event.")
	}
	return &list[0], nil
}

// ListOwnEventIDs reports which of ids are events InterviewPlanner wrote.
func (s *Store) ListOwnEventIDs(ctx context.Context, accountID int64, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := []any{accountID}
		marks := make([]string, n)
		for i, id := range ids[:n] {
			args = append(args, id)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		rows, err := s.DB.Reader().QueryContext(ctx, `SELECT event_id FROM google_schedule_events WHERE account_id = $1 AND event_id IN (`+strings.Join(marks, ", ")+`)`, args...)
		found, err := store.CollectRows(rows, err, func(rows *sql.Rows) (id string, err error) { err = rows.Scan(&id); return id, err })
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			out[id] = true
		}
		ids = ids[n:]
	}
	return out, nil
}

// SaveScheduleEvent stores (or replaces) a schedule's event row.
func (s *Store) SaveScheduleEvent(ctx context.Context, accountID int64, e ScheduleEvent) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		item := sql.NullInt64{Int64: e.ItemID, Valid: e.ItemID != 0}
		_, err := tx.ExecContext(ctx, `INSERT INTO google_schedule_events (account_id, schedule_id, event_key, calendar_id, event_id, item_id, fingerprint, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (account_id, schedule_id, event_key) DO UPDATE SET calendar_id = excluded.calendar_id,
			event_id = excluded.event_id, item_id = excluded.item_id, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at`,
			accountID, e.ScheduleID, e.Key, e.CalendarID, e.EventID, item, e.Fingerprint, store.MS(tx.Now))
		return err
	})
}

// DeleteScheduleEvent forgets an event row.
func (s *Store) DeleteScheduleEvent(ctx context.Context, accountID, scheduleID int64, key string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM google_schedule_events WHERE account_id = $1 AND schedule_id = $2 AND event_key = $3`, accountID, scheduleID, key)
		return err
	})
}

// PauseWrites records that Google refused writes until until (nil: they
// work again).
func (s *Store) PauseWrites(ctx context.Context, accountID int64, until *time.Time) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE google_connections SET writes_paused_until = $1, updated_at = $2 WHERE account_id = $3`,
			store.NullMS(until), store.MS(tx.Now), accountID)
		return err
	})
}

// GetSchedulingSyncToken returns the scheduling calendar's sync token ("" for
// a full read).
func (s *Store) GetSchedulingSyncToken(ctx context.Context, accountID int64) (string, error) {
	var tok string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT scheduling_sync_token FROM google_connections WHERE account_id = $1`, accountID).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return tok, err
}

// UpdateSchedulingSyncToken stores the scheduling calendar's sync token.
func (s *Store) UpdateSchedulingSyncToken(ctx context.Context, accountID int64, token string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE google_connections SET scheduling_sync_token = $1, updated_at = $2 WHERE account_id = $3`, token, store.MS(tx.Now), accountID)
		return err
	})
}

// insertBatch is how many event rows one INSERT writes on PostgreSQL.
// insertEvents writes a source's events: a full sync writes hundreds.
// SQLite runs one prepared single-row statement per row (no round trips;
// a statement with a thousand "$N" parameters costs SQLite quadratic time
// to name them, which was most of a full sync's cost); PostgreSQL gets
// them in one COPY.
func insertEvents(ctx context.Context, tx *store.Tx, accountID, sourceID int64, rows []Event) error {
	if tx.DB().Dialect == store.SQLite {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO google_events (account_id, source_id, event_id, series_id, start_at, end_at, kind, title, private, all_day)
			VALUES (`+store.Placeholders(1, 10)+`)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range rows {
			if _, err := stmt.ExecContext(ctx, accountID, sourceID, e.ID, e.SeriesID, store.MS(e.Start), store.MS(e.End), e.Kind, e.Title, e.Private, e.AllDay); err != nil {
				return err
			}
		}
		return nil
	}
	vals := make([][]any, len(rows))
	for i, e := range rows {
		vals[i] = []any{accountID, sourceID, e.ID, e.SeriesID, store.MS(e.Start), store.MS(e.End), e.Kind, e.Title, e.Private, e.AllDay}
	}
	return store.InsertRows(ctx, tx, "google_events", []string{"account_id", "source_id", "event_id", "series_id", "start_at", "end_at", "kind", "title", "private", "all_day"}, vals)
}
