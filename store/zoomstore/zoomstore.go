// Package zoomstore keeps an account's Zoom connection in the database: the
// connection row with its sealed tokens, the refresh lease, the synced Zoom
// users and Zoom Rooms, and the OAuth state of a connect in flight.
//
// It stores tokens as the opaque sealed bytes it is given; sealing (AES-GCM
// with a key id) is the caller's job, so this package never sees plaintext.
package zoomstore

import (
	"context"
	"database/sql"
	"errors"
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

// Why a connection ended.
const (
	ReasonUninstalled  = "uninstalled"  // the app was uninstalled in Zoom (webhook)
	ReasonDisconnected = "disconnected" // an admin pressed Disconnect here
	ReasonTokenDead    = "token_dead"   // Zoom refused the refresh token
)

// Connection is an account's Zoom connection without its tokens.
type Connection struct {
	AccountID        int64
	State            string
	ZoomAccountID    string
	ZoomUserID       string
	ZoomUserEmail    string
	ZoomUserRole     string
	Scopes           string
	APIURL           string
	ConnectedAt      *time.Time
	ConnectedBy      *int64
	ConnectedByName  string
	DisconnectedAt   *time.Time
	DisconnectReason string
	UsersCount       int
	RoomsCount       int
	SyncedAt         *time.Time
	SyncError        string
	UpdatedAt        time.Time
}

// Tokens are the sealed tokens of a connection.
type Tokens struct {
	KeyID   string
	Access  []byte // sealed
	Refresh []byte // sealed
	Expiry  time.Time
	Version int64 // bumped on every save
}

// Store reads and writes Zoom connection data.
type Store struct {
	DB *store.DB
}

// New returns a Store on db.
func New(db *store.DB) *Store { return &Store{DB: db} }

const connColumns = `c.account_id, c.state, c.zoom_account_id, c.zoom_user_id, c.zoom_user_email, c.zoom_user_role,
	c.scopes, c.api_url, c.connected_at, c.connected_by, COALESCE(u.name, ''), c.disconnected_at, c.disconnect_reason,
	c.users_count, c.rooms_count, c.synced_at, c.sync_error, c.updated_at`

const connFrom = ` FROM zoom_connections c LEFT JOIN users u ON u.id = c.connected_by AND u.account_id = c.account_id `

type scanner interface{ Scan(dest ...any) error }

func scanConnection(row scanner) (*Connection, error) {
	c := &Connection{}
	var connectedAt, disconnectedAt, syncedAt, connectedBy sql.NullInt64
	var updated int64
	if err := row.Scan(&c.AccountID, &c.State, &c.ZoomAccountID, &c.ZoomUserID, &c.ZoomUserEmail, &c.ZoomUserRole,
		&c.Scopes, &c.APIURL, &connectedAt, &connectedBy, &c.ConnectedByName, &disconnectedAt, &c.DisconnectReason,
		&c.UsersCount, &c.RoomsCount, &syncedAt, &c.SyncError, &updated); err != nil {
		return nil, err
	}
	c.ConnectedAt, c.DisconnectedAt, c.SyncedAt = store.FromNullMS(connectedAt), store.FromNullMS(disconnectedAt), store.FromNullMS(syncedAt)
	if connectedBy.Valid {
		c.ConnectedBy = &connectedBy.Int64
	}
	c.UpdatedAt = store.FromMS(updated)
	return c, nil
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "Zoom is not connected.")
	}
	return err
}

// GetConnection returns the account's connection, or ENOTFOUND when it
// never connected.
func (s *Store) GetConnection(ctx context.Context, accountID int64) (*Connection, error) {
	c, err := scanConnection(s.DB.Reader().QueryRowContext(ctx, `SELECT `+connColumns+connFrom+`WHERE c.account_id = $1`, accountID))
	return c, notFound(err)
}

// ListConnectionsByZoomAccount lists the InterviewPlanner accounts holding a
// live connection to a Zoom account. It is the one lookup not keyed by our
// account id: Zoom's deauthorization webhook knows only its own.
func (s *Store) ListConnectionsByZoomAccount(ctx context.Context, zoomAccountID string) ([]*Connection, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT `+connColumns+connFrom+`WHERE c.zoom_account_id = $1 AND c.zoom_account_id <> ''
		AND c.state IN ($2, $3) ORDER BY c.account_id`, zoomAccountID, StateConnected, StateNeedsReconnecting)
	return store.CollectRows(rows, err, func(r *sql.Rows) (*Connection, error) { return scanConnection(r) })
}

// ListLiveAccounts lists the accounts whose connection is connected; the
// periodic sync walks them.
func (s *Store) ListLiveAccounts(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT account_id FROM zoom_connections WHERE state = $1 ORDER BY account_id`, StateConnected)
	return store.ScanIDs(rows, err)
}

// NewConnection is what a successful connect stores.
type NewConnection struct {
	ZoomAccountID string
	ZoomUserID    string
	ZoomUserEmail string
	ZoomUserRole  string
	Scopes        string
	APIURL        string
	ConnectedBy   int64
	Tokens        Tokens
}

// CreateConnection stores a new connection for the account, replacing an earlier one
// (a reconnect). It returns the state the account was in before ("" when it
// never connected).
func (tx *Tx) CreateConnection(ctx context.Context, accountID int64, n NewConnection) (previous string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT state FROM zoom_connections WHERE account_id = $1`+tx.DB().ForUpdate(), accountID).Scan(&previous)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	now := store.MS(tx.Now)
	_, err = tx.ExecContext(ctx, `INSERT INTO zoom_connections (account_id, state, zoom_account_id, zoom_user_id, zoom_user_email,
		zoom_user_role, scopes, api_url, connected_at, connected_by, key_id, access_token, refresh_token, token_expires_at,
		token_version, refreshing_by, refreshing_until, disconnected_at, disconnect_reason, users_count, rooms_count, synced_at,
		sync_error, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, '', NULL, NULL, '', 0, 0, NULL, '', $9)
		ON CONFLICT (account_id) DO UPDATE SET state = excluded.state, zoom_account_id = excluded.zoom_account_id,
		zoom_user_id = excluded.zoom_user_id, zoom_user_email = excluded.zoom_user_email, zoom_user_role = excluded.zoom_user_role,
		scopes = excluded.scopes, api_url = excluded.api_url, connected_at = excluded.connected_at, connected_by = excluded.connected_by,
		key_id = excluded.key_id, access_token = excluded.access_token, refresh_token = excluded.refresh_token,
		token_expires_at = excluded.token_expires_at, token_version = zoom_connections.token_version + 1,
		refreshing_by = '', refreshing_until = NULL, disconnected_at = NULL, disconnect_reason = '',
		sync_error = '', updated_at = excluded.updated_at`,
		accountID, StateConnected, n.ZoomAccountID, n.ZoomUserID, n.ZoomUserEmail, n.ZoomUserRole, n.Scopes, n.APIURL,
		now, n.ConnectedBy, n.Tokens.KeyID, n.Tokens.Access, n.Tokens.Refresh, store.MS(n.Tokens.Expiry))
	return previous, err
}

// GetZoomAccountOwner returns the other InterviewPlanner account whose connection
// holds zoomAccountID (connected or needing reconnection), if any: a Zoom
// account belongs to one company at a time.
func (s *Store) GetZoomAccountOwner(ctx context.Context, zoomAccountID string, except int64) (*Connection, error) {
	c, err := scanConnection(s.DB.Reader().QueryRowContext(ctx, `SELECT `+connColumns+connFrom+`WHERE c.zoom_account_id = $1
		AND c.zoom_account_id <> '' AND c.account_id <> $2 AND c.state IN ($3, $4)`, zoomAccountID, except, StateConnected, StateNeedsReconnecting))
	return c, notFound(err)
}

// ReplaceTokens stores new tokens for a live connection of zoomAccountID,
// when Zoom issued them through another authorization of the same Zoom
// account (Zoom then revokes the older ones). It reports whether the
// connection took them.
func (tx *Tx) ReplaceTokens(ctx context.Context, accountID int64, zoomAccountID string, t Tokens) (bool, error) {
	return tx.saveTokens(ctx, t, "zoom_account_id", accountID, zoomAccountID)
}

// Tx wraps a store transaction with the Zoom queries.
type Tx struct{ *store.Tx }

// WriteTx runs fn in a write transaction.
func (s *Store) WriteTx(ctx context.Context, fn func(tx *Tx) error) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error { return fn(&Tx{tx}) })
}

// End forgets the tokens and marks the connection disconnected (or, for a
// dead token, needing reconnection), if it was live. It reports whether it
// changed anything, so webhooks and double clicks stay idempotent. An
// uninstall at a time before the connection was made changes nothing.
func (tx *Tx) End(ctx context.Context, accountID int64, reason string, at time.Time) (bool, error) {
	// A dead token ends only a live connection; a disconnect or uninstall
	// also ends one that was waiting to be reconnected.
	state, from := StateDisconnected, StateNeedsReconnecting
	if reason == ReasonTokenDead {
		state, from = StateNeedsReconnecting, StateConnected
	}
	query := `UPDATE zoom_connections SET state = $1, key_id = '', access_token = NULL, refresh_token = NULL,
		token_expires_at = NULL, refreshing_by = '', refreshing_until = NULL, disconnected_at = $2, disconnect_reason = $3,
		token_version = token_version + 1, updated_at = $4
		WHERE account_id = $5 AND state IN ($6, $7)`
	args := []any{state, store.MS(at), reason, store.MS(tx.Now), accountID, StateConnected, from}
	if reason == ReasonUninstalled {
		// An uninstall ends only a connection made before it: a replayed or
		// late deauthorization must not end the one made since. Zoom's time
		// has whole seconds, hence the second of slack.
		query += ` AND (connected_at IS NULL OR connected_at < $8)`
		args = append(args, store.MS(at.Add(time.Second)))
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// GetTokens returns the account's sealed tokens and connection state.
// ENOTFOUND when there is no connection row.
func (s *Store) GetTokens(ctx context.Context, accountID int64) (Tokens, string, error) {
	return loadTokens(ctx, s.DB.Reader(), accountID, "")
}

// GetTokensForUpdate reads the tokens inside tx, locking the row on
// PostgreSQL.
func (tx *Tx) GetTokensForUpdate(ctx context.Context, accountID int64) (Tokens, string, error) {
	return loadTokens(ctx, tx, accountID, tx.DB().ForUpdate())
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func loadTokens(ctx context.Context, q queryer, accountID int64, lock string) (Tokens, string, error) {
	var t Tokens
	var state string
	var exp sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT state, key_id, access_token, refresh_token, token_expires_at, token_version
		FROM zoom_connections WHERE account_id = $1`+lock, accountID).Scan(&state, &t.KeyID, &t.Access, &t.Refresh, &exp, &t.Version)
	if err != nil {
		return Tokens{}, "", notFound(err)
	}
	if exp.Valid {
		t.Expiry = store.FromMS(exp.Int64)
	}
	return t, state, nil
}

// UpdateTokens stores refreshed tokens if the connection is still live and
// still at version fromVersion; it reports whether it saved. The lease, if
// any, is released.
func (tx *Tx) UpdateTokens(ctx context.Context, accountID int64, fromVersion int64, t Tokens) (bool, error) {
	return tx.saveTokens(ctx, t, "token_version", accountID, fromVersion)
}

// saveTokens stores t on the live connection of accountID whose column
// (a constant name) is value, bumps the token version and releases the
// lease; it reports whether a row took them.
func (tx *Tx) saveTokens(ctx context.Context, t Tokens, column string, accountID int64, value any) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE zoom_connections SET key_id = $1, access_token = $2, refresh_token = $3,
		token_expires_at = $4, token_version = token_version + 1, refreshing_by = '', refreshing_until = NULL, updated_at = $5
		WHERE account_id = $6 AND `+column+` = $7 AND state = $8`,
		t.KeyID, t.Access, t.Refresh, store.MS(t.Expiry), store.MS(tx.Now), accountID, value, StateConnected)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// User is a synced Zoom user.
type User struct {
	ZoomUserID string
	Email      string
	Name       string
	RoleName   string
}

// Room is a synced Zoom Room.
type Room struct {
	ZoomRoomID string
	Name       string
	Status     string
}

// ReplaceDirectory replaces the account's synced Zoom users and rooms with
// what Zoom listed and updates the counts.
func (tx *Tx) ReplaceDirectory(ctx context.Context, accountID int64, users []User, rooms []Room) error {
	now := store.MS(tx.Now)
	if _, err := tx.ExecContext(ctx, `DELETE FROM zoom_users WHERE account_id = $1`, accountID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM zoom_rooms WHERE account_id = $1`, accountID); err != nil {
		return err
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO zoom_users (account_id, zoom_user_id, email, name, role_name, synced_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, zoom_user_id) DO NOTHING`,
			accountID, u.ZoomUserID, u.Email, u.Name, u.RoleName, now); err != nil {
			return err
		}
	}
	for _, r := range rooms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO zoom_rooms (account_id, zoom_room_id, name, status, synced_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, zoom_room_id) DO NOTHING`,
			accountID, r.ZoomRoomID, r.Name, r.Status, now); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE zoom_connections SET users_count = $1, rooms_count = $2, synced_at = $3, sync_error = '', updated_at = $3
		WHERE account_id = $4`, len(users), len(rooms), now, accountID)
	return err
}

// UpdateSyncError records why the last sync failed.
func (tx *Tx) UpdateSyncError(ctx context.Context, accountID int64, msg string) error {
	_, err := tx.ExecContext(ctx, `UPDATE zoom_connections SET sync_error = $1, updated_at = $2 WHERE account_id = $3`,
		msg, store.MS(tx.Now), accountID)
	return err
}

// ListUsers lists the account's synced Zoom users by email.
func (s *Store) ListUsers(ctx context.Context, accountID int64) ([]User, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT zoom_user_id, email, name, role_name FROM zoom_users
		WHERE account_id = $1 ORDER BY email, zoom_user_id`, accountID)
	return store.CollectRows(rows, err, scanUser)
}

func scanUser(rows *sql.Rows) (u User, err error) {
	err = rows.Scan(&u.ZoomUserID, &u.Email, &u.Name, &u.RoleName)
	return u, err
}

// GetUserByEmail returns the account's synced Zoom user with that email
// (lower case); found is false when there is none.
func (s *Store) GetUserByEmail(ctx context.Context, accountID int64, email string) (u User, found bool, err error) {
	err = s.DB.Reader().QueryRowContext(ctx, `SELECT zoom_user_id, email, name, role_name FROM zoom_users
		WHERE account_id = $1 AND email = $2 ORDER BY zoom_user_id LIMIT 1`, accountID, email).Scan(&u.ZoomUserID, &u.Email, &u.Name, &u.RoleName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, false, nil
	}
	return u, err == nil, err
}

// ListFirstUsers lists up to limit of the account's synced Zoom users by
// email, and how many there are in all.
func (s *Store) ListFirstUsers(ctx context.Context, accountID int64, limit int) ([]User, int, error) {
	var total int
	if err := s.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM zoom_users WHERE account_id = $1`, accountID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT zoom_user_id, email, name, role_name FROM zoom_users
		WHERE account_id = $1 ORDER BY email, zoom_user_id LIMIT $2`, accountID, limit)
	out, err := store.CollectRows(rows, err, scanUser)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// ListRooms lists the account's synced Zoom Rooms by name.
func (s *Store) ListRooms(ctx context.Context, accountID int64) ([]Room, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT zoom_room_id, name, status FROM zoom_rooms
		WHERE account_id = $1 ORDER BY name, zoom_room_id`, accountID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (r Room, err error) {
		err = rows.Scan(&r.ZoomRoomID, &r.Name, &r.Status)
		return r, err
	})
}

// States are the connects in flight, by the hash of their state value.
func (s *Store) States() store.OAuthStates {
	return store.OAuthStates{DB: s.DB, Table: "zoom_oauth_states"}
}

// CreateWebhookDelivery records that the webhook whose raw body hashes to
// bodyHash is being processed, and reports false when it was already: a
// replay of a correctly signed request. Deliveries older than window (how
// long a signature stays valid) are forgotten: the signature check refuses
// them anyway.
func (s *Store) CreateWebhookDelivery(ctx context.Context, bodyHash string, window time.Duration) (bool, error) {
	var first bool
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM zoom_webhook_deliveries WHERE received_at < $1`, store.MS(tx.Now.Add(-window))); err != nil {
			return err
		}
		var err error
		first, err = store.OneRowChanged(tx.ExecContext(ctx, `INSERT INTO zoom_webhook_deliveries (body_hash, received_at) VALUES ($1, $2) ON CONFLICT (body_hash) DO NOTHING`,
			bodyHash, store.MS(tx.Now)))
		return err
	})
	return first, err
}

// DeleteWebhookDelivery forgets a delivery whose processing failed, so
// Zoom's retry of it is processed.
func (s *Store) DeleteWebhookDelivery(ctx context.Context, bodyHash string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM zoom_webhook_deliveries WHERE body_hash = $1`, bodyHash)
		return err
	})
}
