// Package msstore keeps an account's Microsoft 365 connection: the tenant,
// its sealed app-only token (fetched under a store/lease on the row), the
// consent states of connects in progress, the directory as last read, and
// per calendar source the delta link and the events read so far. Every query is scoped by account id. Tokens arrive
// sealed; sealing is the caller's job.
package msstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Connection states, as stored: pending until the tenant's consent takes
// effect, then the states every provider's connection has.
const (
	StatePending           = "pending"
	StateConnected         = store.ConnectionConnected
	StateNeedsReconnecting = store.ConnectionNeedsReconnecting
)

// Connection is an account's tenant.
type Connection struct {
	AccountID         int64
	TenantID          string
	State, Error      string
	ConsentedBy       string
	SchedulingMailbox string
	DirectorySyncedAt *time.Time
	ConnectedAt       time.Time
	UpdatedAt         time.Time
}

// Store reads and writes Microsoft 365 data.
type Store struct{ DB *store.DB }

// New returns a Store.
func New(db *store.DB) *Store { return &Store{DB: db} }

// GetConnection returns the account's connection (ENOTFOUND when none).
func (s *Store) GetConnection(ctx context.Context, accountID int64) (*Connection, error) {
	c := &Connection{}
	var synced sql.NullInt64
	var conn, upd int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT account_id, tenant_id, state, error, consented_by, scheduling_mailbox, directory_synced_at, connected_at, updated_at
		FROM microsoft_connections WHERE account_id = $1`, accountID).Scan(&c.AccountID, &c.TenantID, &c.State, &c.Error, &c.ConsentedBy, &c.SchedulingMailbox, &synced, &conn, &upd)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Microsoft 365 is not connected.")
	}
	if err != nil {
		return nil, err
	}
	c.DirectorySyncedAt, c.ConnectedAt, c.UpdatedAt = store.FromNullMS(synced), store.FromMS(conn), store.FromMS(upd)
	return c, nil
}

// ListConnected lists the accounts whose tenant is connected (the periodic
// directory refresh serves them all).
func (s *Store) ListConnected(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT account_id FROM microsoft_connections WHERE state = $1 ORDER BY account_id`, StateConnected)
	return store.ScanIDs(rows, err)
}

// SaveConnection stores the tenant after consent, with its state; a new
// tenant drops the old one's token.
func (s *Store) SaveConnection(ctx context.Context, accountID int64, tenantID, state, msg, by string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		now := store.MS(tx.Now)
		_, err := tx.ExecContext(ctx, `INSERT INTO microsoft_connections (account_id, tenant_id, state, error, consented_by, connected_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (account_id) DO UPDATE SET tenant_id = excluded.tenant_id, state = excluded.state, error = excluded.error,
			consented_by = excluded.consented_by, connected_at = excluded.connected_at, updated_at = excluded.updated_at,
			token = NULL, token_expiry = 0, token_version = microsoft_connections.token_version + 1`,
			accountID, tenantID, state, msg, by, now, now)
		return err
	})
}

// UpdateState sets the connection's state and message; it reports whether
// it changed.
func (s *Store) UpdateState(ctx context.Context, accountID int64, state, msg string) (bool, error) {
	var changed bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) (err error) {
		changed, err = store.OneRowChanged(tx.ExecContext(ctx, `UPDATE microsoft_connections SET state = $1, error = $2, updated_at = $3
			WHERE account_id = $4 AND (state <> $5 OR error <> $6)`, state, msg, store.MS(tx.Now), accountID, state, msg))
		return err
	})
	return changed, err
}

// UpdateSchedulingMailbox chooses the mailbox that organises events.
func (s *Store) UpdateSchedulingMailbox(ctx context.Context, accountID int64, mailbox string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET scheduling_mailbox = $1, updated_at = $2 WHERE account_id = $3`, mailbox, store.MS(tx.Now), accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Microsoft 365 is not connected.")
		}
		return nil
	})
}

// DeleteConnection forgets the tenant, its directory and its calendars' state.
func (s *Store) DeleteConnection(ctx context.Context, accountID int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{`DELETE FROM microsoft_users WHERE account_id = $1`, `DELETE FROM microsoft_rooms WHERE account_id = $1`,
			`DELETE FROM microsoft_connections WHERE account_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return err
			}
		}
		return nil
	})
}

// ConsentState is a connect in progress.
type ConsentState struct {
	AccountID, UserID int64
	SessionHash       string
	ExpiresAt         time.Time
}

// CreateConsentState records a state (by hash).
func (s *Store) CreateConsentState(ctx context.Context, hash string, st ConsentState) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM microsoft_consent_states WHERE expires_at < $1`, store.MS(tx.Now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO microsoft_consent_states (state_hash, account_id, user_id, session_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, st.AccountID, st.UserID, st.SessionHash, store.MS(st.ExpiresAt))
		return err
	})
}

// TakeConsentState returns and deletes a state: each is used once.
func (s *Store) TakeConsentState(ctx context.Context, hash string) (*ConsentState, error) {
	var st ConsentState
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var exp int64
		err := tx.QueryRowContext(ctx, `SELECT account_id, user_id, session_hash, expires_at FROM microsoft_consent_states WHERE state_hash = $1`, hash).
			Scan(&st.AccountID, &st.UserID, &st.SessionHash, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.EINVALID, "This Microsoft 365 consent was not started here or was already used. Start again.")
		}
		if err != nil {
			return err
		}
		st.ExpiresAt = store.FromMS(exp)
		_, err = tx.ExecContext(ctx, `DELETE FROM microsoft_consent_states WHERE state_hash = $1`, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// Token is the sealed token as stored.
type Token struct {
	Sealed  []byte
	KeyID   string
	Expiry  time.Time
	Version int64
	State   string
}

// GetToken returns the stored token (Sealed nil when none).
func (s *Store) GetToken(ctx context.Context, accountID int64) (*Token, error) {
	t := &Token{}
	var exp int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT token, key_id, token_expiry, token_version, state FROM microsoft_connections WHERE account_id = $1`, accountID).
		Scan(&t.Sealed, &t.KeyID, &exp, &t.Version, &t.State)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Microsoft 365 is not connected.")
	}
	t.Expiry = store.FromMS(exp)
	return t, err
}

// UpdateToken stores a new token if the connection is still the one whose
// token was fetched (version unchanged); it reports whether it did.
func (s *Store) UpdateToken(ctx context.Context, accountID int64, fromVersion int64, sealed []byte, keyID string, expiry time.Time) (bool, error) {
	var ok bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) (err error) {
		ok, err = store.OneRowChanged(tx.ExecContext(ctx, `UPDATE microsoft_connections SET token = $1, key_id = $2, token_expiry = $3, token_version = token_version + 1
			WHERE account_id = $4 AND token_version = $5`, sealed, keyID, store.MS(expiry), accountID, fromVersion))
		return err
	})
	return ok, err
}

// DeleteToken forgets a token Graph refused (if it is still the stored one).
func (s *Store) DeleteToken(ctx context.Context, accountID, version int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET token = NULL, token_expiry = 0, token_version = token_version + 1
			WHERE account_id = $1 AND token_version = $2`, accountID, version)
		return err
	})
}

// DirUser is a directory user.
type DirUser struct {
	GraphID, Mail, UPN, DisplayName string
	UserID                          int64 // the matched interviewer, 0 if none
}

// DirRoom is a room.
type DirRoom struct {
	GraphID, Email, DisplayName, Building string
	Capacity                              int
}

// ReplaceDirectory stores the directory as read, matching users to the
// account's people by mail or userPrincipalName (case-insensitive).
func (s *Store) ReplaceDirectory(ctx context.Context, accountID int64, users []DirUser, rooms []DirRoom) ([]DirUser, error) {
	var out []DirUser
	// The tenant's directory as read: read again should it be lost.
	err := s.DB.WriteCopyTx(ctx, func(tx *store.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT id, email FROM users WHERE account_id = $1`, accountID)
		if err != nil {
			return err
		}
		byEmail := map[string]int64{}
		for rows.Next() {
			var id int64
			var email string
			if err := rows.Scan(&id, &email); err != nil {
				rows.Close()
				return err
			}
			byEmail[strings.ToLower(email)] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM microsoft_users WHERE account_id = $1`, `DELETE FROM microsoft_rooms WHERE account_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return err
			}
		}
		matched := map[int64]bool{}
		for _, u := range users {
			id := byEmail[strings.ToLower(u.Mail)]
			if id == 0 {
				id = byEmail[strings.ToLower(u.UPN)]
			}
			if matched[id] {
				id = 0
			}
			u.UserID = id
			var uid any
			if id != 0 {
				uid, matched[id] = id, true
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO microsoft_users (account_id, graph_id, user_id, mail, upn, display_name) VALUES ($1, $2, $3, $4, $5, $6)`,
				accountID, u.GraphID, uid, u.Mail, u.UPN, u.DisplayName); err != nil {
				return err
			}
			out = append(out, u)
		}
		for _, r := range rooms {
			if _, err := tx.ExecContext(ctx, `INSERT INTO microsoft_rooms (account_id, graph_id, email, display_name, building, capacity) VALUES ($1, $2, $3, $4, $5, $6)`,
				accountID, r.GraphID, r.Email, r.DisplayName, r.Building, r.Capacity); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE microsoft_connections SET directory_synced_at = $1 WHERE account_id = $2`, store.MS(tx.Now), accountID)
		return err
	})
	return out, err
}

// Directory is the tenant as last read.
type Directory struct {
	Users []DirUser
	Rooms []DirRoom
}

// GetDirectory returns the stored directory.
func (s *Store) GetDirectory(ctx context.Context, accountID int64) (*Directory, error) {
	d := &Directory{}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT graph_id, COALESCE(user_id, 0), mail, upn, display_name FROM microsoft_users WHERE account_id = $1 ORDER BY display_name, graph_id`, accountID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var u DirUser
		if err := rows.Scan(&u.GraphID, &u.UserID, &u.Mail, &u.UPN, &u.DisplayName); err != nil {
			rows.Close()
			return nil, err
		}
		d.Users = append(d.Users, u)
	}
	rows.Close()
	rows, err = s.DB.Reader().QueryContext(ctx, `SELECT graph_id, email, display_name, building, capacity FROM microsoft_rooms WHERE account_id = $1 ORDER BY display_name, graph_id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r DirRoom
		if err := rows.Scan(&r.GraphID, &r.Email, &r.DisplayName, &r.Building, &r.Capacity); err != nil {
			return nil, err
		}
		d.Rooms = append(d.Rooms, r)
	}
	return d, rows.Err()
}

// Calendar is a microsoft source's sync state.
type Calendar struct {
	SourceID, AccountID int64
	Mailbox, DeltaLink  string
	From, To            time.Time
}

// GetCalendar returns a source's sync state ("" delta link when new).
func (s *Store) GetCalendar(ctx context.Context, accountID, sourceID int64) (*Calendar, error) {
	c := &Calendar{SourceID: sourceID, AccountID: accountID}
	var from, to int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT mailbox, delta_link, window_from, window_to FROM microsoft_calendars WHERE account_id = $1 AND source_id = $2`, accountID, sourceID).
		Scan(&c.Mailbox, &c.DeltaLink, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	c.From, c.To = store.FromMS(from), store.FromMS(to)
	return c, err
}

// Event is one event read from a mailbox.
type Event struct {
	ID                           string
	Start, End                   time.Time
	ShowAs, Subject              string
	Private, Cancelled, Declined bool
	AllDay                       bool
	// ICalUID is shared by the organiser's event and every attendee's
	// copy; TransactionID is on the organiser's only.
	ICalUID, TransactionID string
	// Own (read only) says InterviewPlanner made the event: its iCalUId
	// or transactionId is one a schedule's event was created with.
	Own bool
}

var eventColumns = []string{"account_id", "source_id", "event_id", "start_at", "end_at", "show_as", "subject", "private", "cancelled", "declined", "all_day", "ical_uid", "transaction_id"}

// ApplyDeltaTx stores a delta round in tx: on a full round the source's
// events are replaced, otherwise upserted and removed by id; the next
// delta link is saved with them. It returns every event now stored. tx is
// the one that stores the source's busy time too (the calendar layer's),
// so a crash keeps the events, their delta link and the busy time
// together or none of them.
func ApplyDeltaTx(ctx context.Context, tx *store.Tx, c Calendar, full bool, upsert []Event, removed []string) ([]Event, error) {
	var out []Event
	if full {
		if _, err := tx.ExecContext(ctx, `DELETE FROM microsoft_events WHERE account_id = $1 AND source_id = $2`, c.AccountID, c.SourceID); err != nil {
			return nil, err
		}
	}
	// The last word on an event wins. A first round writes hundreds
	// of events: they go in multi-row statements, not one each.
	last := make(map[string]int, len(upsert))
	for i, e := range upsert {
		last[e.ID] = i
	}
	gone := append([]string(nil), removed...)
	ins := make([][]any, 0, len(last))
	for i, e := range upsert {
		if last[e.ID] != i {
			continue
		}
		if !full {
			gone = append(gone, e.ID)
		}
		ins = append(ins, []any{c.AccountID, c.SourceID, e.ID, store.MS(e.Start), store.MS(e.End), e.ShowAs, e.Subject,
			e.Private, e.Cancelled, e.Declined, e.AllDay, e.ICalUID, e.TransactionID})
	}
	for len(gone) > 0 {
		n := min(len(gone), 100)
		args := []any{c.AccountID, c.SourceID}
		for _, id := range gone[:n] {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM microsoft_events WHERE account_id = $1 AND source_id = $2 AND event_id IN (`+store.Placeholders(3, n)+`)`, args...); err != nil {
			return nil, err
		}
		gone = gone[n:]
	}
	if err := store.InsertRows(ctx, tx, "microsoft_events", eventColumns, ins); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO microsoft_calendars (source_id, account_id, mailbox, delta_link, window_from, window_to) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (source_id) DO UPDATE SET mailbox = excluded.mailbox, delta_link = excluded.delta_link, window_from = excluded.window_from, window_to = excluded.window_to`,
		c.SourceID, c.AccountID, c.Mailbox, c.DeltaLink, store.MS(c.From), store.MS(c.To)); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.event_id, e.start_at, e.end_at, e.show_as, e.subject, e.private, e.cancelled, e.declined, e.all_day, e.ical_uid, e.transaction_id,
		EXISTS (SELECT 1 FROM microsoft_schedule_events o WHERE o.account_id = e.account_id AND o.ical_uid = e.ical_uid AND e.ical_uid <> '')
		OR EXISTS (SELECT 1 FROM microsoft_schedule_events o WHERE o.account_id = e.account_id AND o.transaction_id = e.transaction_id AND e.transaction_id <> '')
		FROM microsoft_events e WHERE e.account_id = $1 AND e.source_id = $2 ORDER BY e.start_at, e.event_id`, c.AccountID, c.SourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var a, z int64
		if err := rows.Scan(&e.ID, &a, &z, &e.ShowAs, &e.Subject, &e.Private, &e.Cancelled, &e.Declined, &e.AllDay, &e.ICalUID, &e.TransactionID, &e.Own); err != nil {
			return nil, err
		}
		e.Start, e.End = store.FromMS(a), store.FromMS(z)
		out = append(out, e)
	}
	return out, rows.Err()
}

// GetMailbox returns the directory id of the tenant user matched to an
// interviewer ("" when none).
func (s *Store) GetMailbox(ctx context.Context, accountID, userID int64) (string, error) {
	var id string
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT graph_id FROM microsoft_users WHERE account_id = $1 AND user_id = $2`, accountID, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// ListAddresses returns the SMTP address in the tenant of each interviewer
// (by user id) and room (by room id, matched by name) that has one.
func (s *Store) ListAddresses(ctx context.Context, accountID int64, userIDs, roomIDs []int64) (users, rooms map[int64]string, err error) {
	users, err = s.addressesOf(ctx, `SELECT user_id, CASE WHEN mail <> '' THEN mail ELSE upn END FROM microsoft_users WHERE account_id = $1 AND user_id IS NOT NULL`, accountID, userIDs)
	if err != nil {
		return nil, nil, err
	}
	rooms = map[int64]string{}
	if len(roomIDs) > 0 {
		rooms, err = s.addressesOf(ctx, `SELECT r.id, m.email FROM rooms r JOIN microsoft_rooms m ON m.account_id = r.account_id AND LOWER(m.display_name) = LOWER(r.name)
			WHERE r.account_id = $1`, accountID, roomIDs)
	}
	return users, rooms, err
}

// addressesOf reads query's (id, address) rows and keeps those of ids.
func (s *Store) addressesOf(ctx context.Context, query string, accountID int64, ids []int64) (map[int64]string, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, query, accountID)
	all, err := store.CollectMap(rows, err, func(rows *sql.Rows) (id int64, addr string, err error) {
		err = rows.Scan(&id, &addr)
		return id, addr, err
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, id := range ids {
		if addr, ok := all[id]; ok {
			out[id] = addr
		}
	}
	return out, nil
}

// Subscription is a calendar's change-notification subscription; SourceID
// 0 is the scheduling mailbox's, whose changes are attendees' answers.
type Subscription struct {
	AccountID, SourceID int64
	ID, ClientStateHash string
	Expires             time.Time
	// Mailbox is whose calendar it is, stored when the calendar has not
	// been read yet.
	Mailbox string
}

// GetSubscription returns a calendar's subscription, or with sourceID 0
// the scheduling mailbox's (ID "" when none).
func (s *Store) GetSubscription(ctx context.Context, accountID, sourceID int64) (*Subscription, error) {
	sub := &Subscription{AccountID: accountID, SourceID: sourceID}
	var exp int64
	q := `SELECT subscription_id, client_state_hash, subscription_expires FROM microsoft_calendars WHERE account_id = $1 AND source_id = $2`
	args := []any{accountID, sourceID}
	if sourceID == 0 {
		q = `SELECT responses_subscription_id, responses_client_state_hash, responses_subscription_expires FROM microsoft_connections WHERE account_id = $1`
		args = args[:1]
	}
	err := s.DB.Reader().QueryRowContext(ctx, q, args...).Scan(&sub.ID, &sub.ClientStateHash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, nil
	}
	sub.Expires = store.FromMS(exp)
	return sub, err
}

// GetSubscriptionByID finds a subscription by Graph's id. It is the one
// lookup across accounts: a notification names only its subscription (an
// unguessable id), and the caller then checks its clientState.
func (s *Store) GetSubscriptionByID(ctx context.Context, id string) (*Subscription, error) {
	if id == "" {
		return nil, domain.Errorf(domain.ENOTFOUND, "Unknown subscription.")
	}
	sub := &Subscription{ID: id}
	var exp int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT account_id, source_id, client_state_hash, subscription_expires FROM microsoft_calendars WHERE subscription_id = $1
		UNION ALL SELECT account_id, 0, responses_client_state_hash, responses_subscription_expires FROM microsoft_connections WHERE responses_subscription_id = $1`, id).
		Scan(&sub.AccountID, &sub.SourceID, &sub.ClientStateHash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "Unknown subscription.")
	}
	sub.Expires = store.FromMS(exp)
	return sub, err
}

// SaveSubscription records a calendar's subscription, or with SourceID 0
// the scheduling mailbox's (ID "" forgets it).
func (s *Store) SaveSubscription(ctx context.Context, sub Subscription) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if sub.SourceID == 0 {
			_, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET responses_subscription_id = $1, responses_client_state_hash = $2, responses_subscription_expires = $3
				WHERE account_id = $4`, sub.ID, sub.ClientStateHash, store.MS(sub.Expires), sub.AccountID)
			return err
		}
		// A calendar is subscribed to before its first read: its row may
		// not be there yet (a read then finds no delta link, and reads whole).
		_, err := tx.ExecContext(ctx, `INSERT INTO microsoft_calendars (source_id, account_id, mailbox, subscription_id, client_state_hash, subscription_expires)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_id) DO UPDATE SET subscription_id = excluded.subscription_id,
			client_state_hash = excluded.client_state_hash, subscription_expires = excluded.subscription_expires
			WHERE microsoft_calendars.account_id = excluded.account_id`,
			sub.SourceID, sub.AccountID, sub.Mailbox, sub.ID, sub.ClientStateHash, store.MS(sub.Expires))
		return err
	})
}

// ResetDelta forgets a calendar's delta link, or with sourceID 0 the
// scheduling mailbox's: the next read is whole.
func (s *Store) ResetDelta(ctx context.Context, accountID, sourceID int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if sourceID == 0 {
			_, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET responses_delta_link = '' WHERE account_id = $1`, accountID)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE microsoft_calendars SET delta_link = '' WHERE account_id = $1 AND source_id = $2`, accountID, sourceID)
		return err
	})
}

// CountNotifiedTx counts a notification for a calendar (sourceID 0: the
// scheduling mailbox), in the transaction that queues its read.
func CountNotifiedTx(ctx context.Context, tx *store.Tx, accountID, sourceID int64) error {
	if sourceID == 0 {
		_, err := tx.ExecContext(ctx, `UPDATE microsoft_connections SET responses_notified = responses_notified + 1 WHERE account_id = $1`, accountID)
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE microsoft_calendars SET notified = notified + 1 WHERE account_id = $1 AND source_id = $2`, accountID, sourceID)
	return err
}

// Notified returns how many notifications a calendar (sourceID 0: the
// scheduling mailbox) has had.
func (s *Store) Notified(ctx context.Context, accountID, sourceID int64) (int64, error) {
	q := `SELECT notified FROM microsoft_calendars WHERE account_id = $1 AND source_id = $2`
	args := []any{accountID, sourceID}
	if sourceID == 0 {
		q, args = `SELECT responses_notified FROM microsoft_connections WHERE account_id = $1`, args[:1]
	}
	var n int64
	err := s.DB.Reader().QueryRowContext(ctx, q, args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// ScheduleEvent is an Outlook event a schedule made.
type ScheduleEvent struct {
	Key, Mailbox, TransactionID, EventID, Fingerprint string
	// ICalUID identifies every attendee's copy; Start, End and Attendees
	// (lower-case addresses, the organiser's included) are as last
	// written, to recognise the event in getSchedule's answers.
	ICalUID    string
	Start, End time.Time
	Attendees  []string
}

// ListScheduleEvents returns a schedule's events by key.
func (s *Store) ListScheduleEvents(ctx context.Context, accountID, scheduleID int64) (map[string]ScheduleEvent, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT event_key, mailbox, transaction_id, event_id, fingerprint, ical_uid, start_at, end_at, attendees FROM microsoft_schedule_events
		WHERE account_id = $1 AND schedule_id = $2`, accountID, scheduleID)
	return store.CollectMap(rows, err, func(rows *sql.Rows) (string, ScheduleEvent, error) {
		var e ScheduleEvent
		var a, z int64
		var att string
		if err := rows.Scan(&e.Key, &e.Mailbox, &e.TransactionID, &e.EventID, &e.Fingerprint, &e.ICalUID, &a, &z, &att); err != nil {
			return "", e, err
		}
		e.Start, e.End, e.Attendees = store.FromMS(a), store.FromMS(z), strings.Fields(att)
		return e.Key, e, nil
	})
}

// SaveScheduleEvent stores (or replaces) a schedule's event row.
func (s *Store) SaveScheduleEvent(ctx context.Context, accountID, scheduleID int64, e ScheduleEvent) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO microsoft_schedule_events (account_id, schedule_id, event_key, mailbox, transaction_id, event_id, fingerprint, updated_at,
			ical_uid, start_at, end_at, attendees)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (account_id, schedule_id, event_key) DO UPDATE SET mailbox = excluded.mailbox,
			transaction_id = excluded.transaction_id, event_id = excluded.event_id, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at,
			ical_uid = excluded.ical_uid, start_at = excluded.start_at, end_at = excluded.end_at, attendees = excluded.attendees`,
			accountID, scheduleID, e.Key, e.Mailbox, e.TransactionID, e.EventID, e.Fingerprint, store.MS(tx.Now),
			e.ICalUID, store.MS(e.Start), store.MS(e.End), strings.ToLower(strings.Join(e.Attendees, "\n")))
		return err
	})
}

// DeleteScheduleEvent forgets an event row.
func (s *Store) DeleteScheduleEvent(ctx context.Context, accountID, scheduleID int64, key string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM microsoft_schedule_events WHERE account_id = $1 AND schedule_id = $2 AND event_key = $3`, accountID, scheduleID, key)
		return err
	})
}

// Span is a stretch of time.
type Span struct{ Start, End time.Time }

// ListOwnSpans returns, by lower-case address, the times of the events
// InterviewPlanner made that the address attends or organises and that
// overlap [from, to): getSchedule reports them busy without an id, so
// they are matched by time.
func (s *Store) ListOwnSpans(ctx context.Context, accountID int64, addrs []string, from, to time.Time) (map[string][]Span, error) {
	want := map[string]bool{}
	for _, a := range addrs {
		want[strings.ToLower(a)] = true
	}
	out := map[string][]Span{}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT mailbox, start_at, end_at, attendees FROM microsoft_schedule_events
		WHERE account_id = $1 AND start_at < $2 AND end_at > $3`, accountID, store.MS(to), store.MS(from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var mailbox, att string
		var a, z int64
		if err := rows.Scan(&mailbox, &a, &z, &att); err != nil {
			return nil, err
		}
		sp := Span{store.FromMS(a), store.FromMS(z)}
		for _, addr := range append(strings.Fields(att), strings.ToLower(mailbox)) {
			if want[addr] {
				out[addr] = append(out[addr], sp)
			}
		}
	}
	return out, rows.Err()
}
