// Package calendarstore keeps calendar sources (feeds, uploaded files,
// CalDAV accounts), the busy time last read from them, and the account's
// calendar policy. Every query is scoped by account id, except the sweep
// that finds sources due for a sync across all accounts.
//
// Secrets (a feed's address, a CalDAV password) arrive sealed; sealing is
// the caller's job, so this package never sees them in the clear.
package calendarstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Kinds of source.
const (
	KindFeed   = "feed"
	KindUpload = "upload"
	KindCalDAV = "caldav"
	// One per interviewer, kept by a company-wide connection.
	KindGoogle    = "google"
	KindMicrosoft = "microsoft"
)

// States of a source.
const (
	StatePending = "pending" // never read
	StateOK      = "ok"
	StateFailing = "failing"
)

// CalDAVCalendar is one calendar of a CalDAV account.
type CalDAVCalendar struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	Selected bool   `json:"selected"` // counts as busy
	// SyncToken is the server's RFC 6578 token after the last read: the
	// next read asks only for what changed since. Empty when the server
	// has none (every read is then a calendar-query).
	SyncToken string `json:"sync_token,omitempty"`
}

// Source is a calendar source without its secret.
type Source struct {
	ID, AccountID  int64
	UserID, RoomID int64 // exactly one is set
	OwnerName      string
	OwnerZone      string // the interviewer's time zone ("" for rooms)
	Kind, Name     string
	DisplayURL     string
	Username       string
	Calendars      []CalDAVCalendar
	RefreshMinutes int
	ETag           string
	LastModified   string
	State, Error   string
	FailingSince   *time.Time
	LastAttemptAt  *time.Time
	LastSuccessAt  *time.Time
	EventCount     int
	SyncedFrom     *time.Time
	SyncedTo       *time.Time
	NextSyncAt     time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	BusyVersion    int64 // bumped whenever the busy rows are replaced
}

// Secret is what a sync needs that the pages never show.
type Secret struct {
	Sealed []byte // feed URL or CalDAV password, sealed
	Upload []byte // an uploaded file
}

// NewSource is what adding a source stores.
type NewSource struct {
	AccountID, UserID, RoomID int64
	Kind, Name, DisplayURL    string
	Username                  string
	KeyID                     string
	Sealed                    []byte
	Upload                    []byte
	Calendars                 []CalDAVCalendar
	RefreshMinutes            int
}

// Busy is one cached busy interval.
type Busy struct {
	SourceID   int64
	UserID     int64
	RoomID     int64
	Start, End time.Time
	Kind       string
	Title      string
	Private    bool
	AllDay     bool
	// Href is the CalDAV object the block came from ("" for other kinds).
	Href string
}

// Store reads and writes calendar data.
type Store struct{ DB *store.DB }

// New returns a Store on db.
func New(db *store.DB) *Store { return &Store{DB: db} }

const sourceColumns = `s.id, s.account_id, COALESCE(s.user_id, 0), COALESCE(s.room_id, 0), COALESCE(u.name, r.name, ''), COALESCE(u.time_zone, ''),
	s.kind, s.name, s.display_url, s.username, s.calendars, s.refresh_minutes, s.etag, s.last_modified, s.state, s.error,
	s.failing_since, s.last_attempt_at, s.last_success_at, s.event_count, s.synced_from, s.synced_to, s.next_sync_at, s.created_at, s.updated_at, s.busy_version`

const sourceFrom = ` FROM calendar_sources s
	LEFT JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
	LEFT JOIN rooms r ON r.id = s.room_id AND r.account_id = s.account_id `

type scanner interface{ Scan(dest ...any) error }

func scanSourceRow(rows *sql.Rows) (*Source, error) { return scanSource(rows) }

func scanSource(row scanner) (*Source, error) {
	s := &Source{}
	var cals string
	var failing, attempt, success, from, to sql.NullInt64
	var next, created, updated int64
	if err := row.Scan(&s.ID, &s.AccountID, &s.UserID, &s.RoomID, &s.OwnerName, &s.OwnerZone, &s.Kind, &s.Name, &s.DisplayURL, &s.Username,
		&cals, &s.RefreshMinutes, &s.ETag, &s.LastModified, &s.State, &s.Error, &failing, &attempt, &success, &s.EventCount,
		&from, &to, &next, &created, &updated, &s.BusyVersion); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(cals), &s.Calendars); err != nil {
		return nil, fmt.Errorf("calendar source %d: calendars: %w", s.ID, err)
	}
	s.FailingSince, s.LastAttemptAt, s.LastSuccessAt = store.FromNullMS(failing), store.FromNullMS(attempt), store.FromNullMS(success)
	s.SyncedFrom, s.SyncedTo = store.FromNullMS(from), store.FromNullMS(to)
	s.NextSyncAt, s.CreatedAt, s.UpdatedAt = store.FromMS(next), store.FromMS(created), store.FromMS(updated)
	return s, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateSource stores a new source, due for its first sync at once.
func (s *Store) CreateSource(ctx context.Context, n NewSource) (int64, error) {
	if (n.UserID == 0) == (n.RoomID == 0) {
		return 0, domain.Errorf(domain.EINVALID, "A calendar belongs to one interviewer or one room.")
	}
	if n.RefreshMinutes <= 0 {
		n.RefreshMinutes = 15
	}
	cals, _ := json.Marshal(nonNil(n.Calendars))
	var id int64
	err := s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := ownerExists(ctx, tx, n.AccountID, n.UserID, n.RoomID); err != nil {
			return err
		}
		now := store.MS(tx.Now)
		return tx.QueryRowContext(ctx, `INSERT INTO calendar_sources (account_id, user_id, room_id, kind, name, display_url, username,
			key_id, secret, upload, calendars, refresh_minutes, next_sync_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			n.AccountID, nullID(n.UserID), nullID(n.RoomID), n.Kind, n.Name, n.DisplayURL, n.Username,
			n.KeyID, n.Sealed, n.Upload, string(cals), n.RefreshMinutes, now, now, now).Scan(&id)
	})
	return id, err
}

func ownerExists(ctx context.Context, tx *store.Tx, accountID, userID, roomID int64) error {
	var n int
	q, id, what := `SELECT COUNT(*) FROM users WHERE account_id = $1 AND id = $2`, userID, "Interviewer"
	if roomID != 0 {
		q, id, what = `SELECT COUNT(*) FROM rooms WHERE account_id = $1 AND id = $2`, roomID, "Room"
	}
	if err := tx.QueryRowContext(ctx, q, accountID, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s not found.", what)
	}
	return nil
}

func nonNil(c []CalDAVCalendar) []CalDAVCalendar {
	if c == nil {
		return []CalDAVCalendar{}
	}
	return c
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "Calendar not found.")
	}
	return err
}

// GetSource returns one of the account's sources.
func (s *Store) GetSource(ctx context.Context, accountID, id int64) (*Source, error) {
	src, err := scanSource(s.DB.Reader().QueryRowContext(ctx, `SELECT `+sourceColumns+sourceFrom+`WHERE s.account_id = $1 AND s.id = $2`, accountID, id))
	return src, notFound(err)
}

// GetSecret returns what a sync needs of a source.
func (s *Store) GetSecret(ctx context.Context, accountID, id int64) (*Secret, error) {
	sec := &Secret{}
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT secret, upload FROM calendar_sources WHERE account_id = $1 AND id = $2`, accountID, id).
		Scan(&sec.Sealed, &sec.Upload)
	return sec, notFound(err)
}

// SourceFilter narrows ListSources; zero values match everything.
type SourceFilter struct {
	UserIDs []int64
	RoomID  int64
}

// ListSources lists the account's sources, by owner then name.
func (s *Store) ListSources(ctx context.Context, accountID int64, f SourceFilter) ([]*Source, error) {
	q := `SELECT ` + sourceColumns + sourceFrom + `WHERE s.account_id = $1`
	args := []any{accountID}
	if len(f.UserIDs) > 0 {
		q += ` AND s.user_id IN (` + placeholders(2, len(f.UserIDs)) + `)`
		for _, id := range f.UserIDs {
			args = append(args, id)
		}
	}
	if f.RoomID != 0 {
		q += fmt.Sprintf(` AND s.room_id = $%d`, len(args)+1)
		args = append(args, f.RoomID)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, q+` ORDER BY COALESCE(u.name, r.name, ''), s.name, s.id`, args...)
	return store.CollectRows(rows, err, scanSourceRow)
}

// SourcePage is one page of the account's sources.
type SourcePage struct {
	Sources []*Source
	// Next is the cursor of the following page, "" at the end.
	Next string
}

// MaxSourcePage bounds a page of sources.
const MaxSourcePage = 200

// ListSourcesPage pages through the account's sources by owner, then
// name, with a keyset cursor: a company of thousands of interviewers has
// thousands of calendars, and a page shows a few dozen.
func (s *Store) ListSourcesPage(ctx context.Context, accountID int64, after string, limit int) (*SourcePage, error) {
	if limit <= 0 || limit > MaxSourcePage {
		limit = 50
	}
	q := `SELECT ` + sourceColumns + sourceFrom + `WHERE s.account_id = $1`
	args := []any{accountID}
	if after != "" {
		var key struct {
			Owner, Name string
			ID          int64
		}
		b, err := base64.RawURLEncoding.DecodeString(after)
		if err != nil || json.Unmarshal(b, &key) != nil || key.ID <= 0 {
			return nil, domain.Invalid(map[string]string{"after": "This page link is not valid; start from the first page."})
		}
		q += ` AND (COALESCE(u.name, r.name, ''), s.name, s.id) > ($2, $3, $4)`
		args = append(args, key.Owner, key.Name, key.ID)
	}
	args = append(args, limit+1)
	rows, err := s.DB.Reader().QueryContext(ctx, q+fmt.Sprintf(` ORDER BY COALESCE(u.name, r.name, ''), s.name, s.id LIMIT $%d`, len(args)), args...)
	srcs, err := store.CollectRows(rows, err, scanSourceRow)
	if err != nil {
		return nil, err
	}
	page := &SourcePage{Sources: srcs}
	if len(page.Sources) > limit {
		page.Sources = page.Sources[:limit]
		last := page.Sources[limit-1]
		b, _ := json.Marshal(struct {
			Owner, Name string
			ID          int64
		}{last.OwnerName, last.Name, last.ID})
		page.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	return page, nil
}

// ListSourceStates returns the interviewers' sources with only what a busy
// lookup needs (owner, name, state, error, times read and covered, busy
// version): a short query without JSON, for the request path of Find
// times and the conflict check.
func (s *Store) ListSourceStates(ctx context.Context, accountID int64, userIDs []int64) ([]*Source, error) {
	return s.ListOwnerSourceStates(ctx, accountID, userIDs, nil)
}

// ListRoomSourceStates is ListSourceStates for rooms' sources (a room has
// no time zone of its own).
func (s *Store) ListRoomSourceStates(ctx context.Context, accountID int64, roomIDs []int64) ([]*Source, error) {
	return s.ListOwnerSourceStates(ctx, accountID, nil, roomIDs)
}

// ListOwnerSourceStates is ListSourceStates for interviewers and rooms at
// once: one query on the request path.
func (s *Store) ListOwnerSourceStates(ctx context.Context, accountID int64, userIDs, roomIDs []int64) ([]*Source, error) {
	if len(userIDs)+len(roomIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(userIDs)+len(roomIDs)+1)
	args = append(args, accountID)
	var owners []string
	if len(userIDs) > 0 {
		owners = append(owners, `s.user_id IN (`+placeholders(len(args)+1, len(userIDs))+`)`)
		for _, id := range userIDs {
			args = append(args, id)
		}
	}
	if len(roomIDs) > 0 {
		owners = append(owners, `s.room_id IN (`+placeholders(len(args)+1, len(roomIDs))+`)`)
		for _, id := range roomIDs {
			args = append(args, id)
		}
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT s.id, COALESCE(s.user_id, 0), COALESCE(s.room_id, 0), COALESCE(u.name, r.name, ''), COALESCE(u.time_zone, ''),
		s.name, s.refresh_minutes, s.state, s.error, s.failing_since, s.last_success_at, s.synced_from, s.synced_to, s.busy_version
		FROM calendar_sources s
		LEFT JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
		LEFT JOIN rooms r ON r.id = s.room_id AND r.account_id = s.account_id
		WHERE s.account_id = $1 AND (`+strings.Join(owners, " OR ")+`) ORDER BY s.id`, args...)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (*Source, error) {
		src := &Source{AccountID: accountID}
		var failing, success, from, to sql.NullInt64
		if err := rows.Scan(&src.ID, &src.UserID, &src.RoomID, &src.OwnerName, &src.OwnerZone, &src.Name, &src.RefreshMinutes, &src.State, &src.Error,
			&failing, &success, &from, &to, &src.BusyVersion); err != nil {
			return nil, err
		}
		src.FailingSince, src.LastSuccessAt = store.FromNullMS(failing), store.FromNullMS(success)
		src.SyncedFrom, src.SyncedTo = store.FromNullMS(from), store.FromNullMS(to)
		return src, nil
	})
}

// GetVersion returns the account's calendar version: it changes (in this
// instance and every other) whenever anything a busy lookup reads changes
// — sources, their busy time, the policy, keywords, owners' names and
// zones — so what was read at one version can be reused while it holds.
// Triggers keep it; 0 before the account's first change.
func (s *Store) GetVersion(ctx context.Context, accountID int64) (int64, error) {
	var v int64
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT version FROM calendar_versions WHERE account_id = $1`, accountID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// DeleteSource removes a source and its busy time.
func (s *Store) DeleteSource(ctx context.Context, accountID, id int64) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_busy WHERE account_id = $1 AND source_id = $2`, accountID, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_sources WHERE account_id = $1 AND id = $2`, accountID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Calendar not found.")
		}
		return nil
	})
}

// UpdateSelectedCalendars saves which of a CalDAV account's calendars count, and
// asks for a sync.
func (s *Store) UpdateSelectedCalendars(ctx context.Context, accountID, id int64, cals []CalDAVCalendar) error {
	b, _ := json.Marshal(nonNil(cals))
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET calendars = $1, next_sync_at = $2, updated_at = $3
			WHERE account_id = $4 AND id = $5 AND kind = $6`, string(b), store.MS(tx.Now), store.MS(tx.Now), accountID, id, KindCalDAV)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "CalDAV account not found.")
		}
		return nil
	})
}

// SourceRef names a source across accounts.
type SourceRef struct{ AccountID, SourceID int64 }

// ListDue lists sources whose next sync is due at now, oldest first. It
// is the one lookup across accounts: the periodic sweep serves them all.
func (s *Store) ListDue(ctx context.Context, now time.Time, limit int) ([]SourceRef, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT account_id, id FROM calendar_sources WHERE next_sync_at <= $1
		ORDER BY next_sync_at, id LIMIT $2`, store.MS(now), limit)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (r SourceRef, err error) {
		err = rows.Scan(&r.AccountID, &r.SourceID)
		return r, err
	})
}

// UpdateNextSync moves a source's next sync to at (the sweep queued it; the
// job decides when it is due again).
func (s *Store) UpdateNextSync(ctx context.Context, accountID, id int64, at time.Time) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET next_sync_at = $1 WHERE account_id = $2 AND id = $3`, store.MS(at), accountID, id)
		return err
	})
}

// Result is a successful read of a source.
type Result struct {
	NotModified        bool // the feed answered 304: keep the cached busy time
	Busy               []Busy
	From, To           time.Time // the window Busy covers
	ETag, LastModified string
	EventCount         int
	// Delta, when set, is an incremental read: only the blocks of the
	// objects in Replace (changed or removed) are deleted, Busy holds the
	// changed ones' new blocks, and the covered window stays as it was.
	Delta   bool
	Replace []string
	// Calendars, when set, carry the CalDAV calendars' new sync tokens.
	Calendars []CalDAVCalendar
	// Keep, when set, runs first in the transaction that stores the
	// result: a provider writes its own copy of the calendar there (the
	// events by id that its incremental reads change) and may set Busy and
	// EventCount from it, so the copy, its sync token and the busy time
	// commit together, in one commit instead of one each.
	Keep func(ctx context.Context, tx *store.Tx, r *Result) error
}

// UpdateSyncSuccess replaces the source's busy time with r's in one
// transaction (nothing half-stored) and marks it healthy.
func (s *Store) UpdateSyncSuccess(ctx context.Context, accountID, id int64, r Result) error {
	// A copy of the calendar, read again should it be lost.
	return s.DB.WriteCopyTx(ctx, func(tx *store.Tx) error {
		var userID, roomID sql.NullInt64
		var minutes int
		if err := tx.QueryRowContext(ctx, `SELECT user_id, room_id, refresh_minutes FROM calendar_sources WHERE account_id = $1 AND id = $2`+tx.DB().ForUpdate(),
			accountID, id).Scan(&userID, &roomID, &minutes); err != nil {
			return notFound(err)
		}
		if r.Keep != nil {
			if err := r.Keep(ctx, tx, &r); err != nil {
				return err
			}
		}
		now := tx.Now
		next := store.MS(now.Add(time.Duration(minutes) * time.Minute))
		if r.Calendars != nil {
			if err := updateSyncTokens(ctx, tx, accountID, id, r.Calendars); err != nil {
				return err
			}
		}
		if r.Delta {
			return applyDelta(ctx, tx, accountID, id, userID, roomID, next, r)
		}
		if r.NotModified {
			_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = '', failing_since = NULL, last_attempt_at = $2,
				last_success_at = $3, next_sync_at = $4, updated_at = $5 WHERE account_id = $6 AND id = $7`,
				StateOK, store.MS(now), store.MS(now), next, store.MS(now), accountID, id)
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_busy WHERE account_id = $1 AND source_id = $2`, accountID, id); err != nil {
			return err
		}
		if err := insertBusy(ctx, tx, accountID, id, userID, roomID, r.Busy); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = '', failing_since = NULL, last_attempt_at = $2,
			last_success_at = $3, next_sync_at = $4, updated_at = $5, etag = $6, last_modified = $7, event_count = $8,
			synced_from = $9, synced_to = $10, busy_version = busy_version + 1 WHERE account_id = $11 AND id = $12`,
			StateOK, store.MS(now), store.MS(now), next, store.MS(now), r.ETag, r.LastModified, r.EventCount,
			store.MS(r.From), store.MS(r.To), accountID, id)
		return err
	})
}

// updateSyncTokens stores the calendars' new sync tokens. The calendars are
// read again under the row lock and only tokens are copied, by path, and
// only when the choice of calendars is still the one read: a choice saved
// during the read cleared the tokens, and the next read must be whole.
func updateSyncTokens(ctx context.Context, tx *store.Tx, accountID, id int64, read []CalDAVCalendar) error {
	var raw string
	if err := tx.QueryRowContext(ctx, `SELECT calendars FROM calendar_sources WHERE account_id = $1 AND id = $2`, accountID, id).Scan(&raw); err != nil {
		return notFound(err)
	}
	var cur []CalDAVCalendar
	if err := json.Unmarshal([]byte(raw), &cur); err != nil {
		return fmt.Errorf("calendar source %d: calendars: %w", id, err)
	}
	tokens := map[string]string{}
	for _, c := range read {
		if c.Selected {
			tokens[c.Path] = c.SyncToken
		}
	}
	chosen := 0
	for i := range cur {
		if !cur[i].Selected {
			continue
		}
		chosen++
		if _, ok := tokens[cur[i].Path]; !ok {
			return nil // chosen during the read: the next read is whole
		}
	}
	if chosen != len(tokens) {
		return nil // one read was dropped during the read: likewise
	}
	for i := range cur {
		if cur[i].Selected {
			cur[i].SyncToken = tokens[cur[i].Path]
		}
	}
	b, _ := json.Marshal(nonNil(cur))
	_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET calendars = $1 WHERE account_id = $2 AND id = $3`, string(b), accountID, id)
	return err
}

// applyDelta replaces the blocks of the changed and removed objects only;
// the window read last time stays the one covered.
func applyDelta(ctx context.Context, tx *store.Tx, accountID, id int64, userID, roomID sql.NullInt64, next int64, r Result) error {
	now := store.MS(tx.Now)
	if len(r.Replace) == 0 {
		_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = '', failing_since = NULL, last_attempt_at = $2,
			last_success_at = $3, next_sync_at = $4, updated_at = $5 WHERE account_id = $6 AND id = $7`,
			StateOK, now, now, next, now, accountID, id)
		return err
	}
	for hrefs := r.Replace; len(hrefs) > 0; {
		n := min(100, len(hrefs))
		args := []any{accountID, id}
		for _, h := range hrefs[:n] {
			args = append(args, h)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_busy WHERE account_id = $1 AND source_id = $2 AND href IN (`+placeholders(3, n)+`)`, args...); err != nil {
			return err
		}
		hrefs = hrefs[n:]
	}
	if err := insertBusy(ctx, tx, accountID, id, userID, roomID, r.Busy); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = '', failing_since = NULL, last_attempt_at = $2,
		last_success_at = $3, next_sync_at = $4, updated_at = $5,
		event_count = (SELECT COUNT(DISTINCT href) FROM calendar_busy WHERE account_id = $6 AND source_id = $7),
		busy_version = busy_version + 1 WHERE account_id = $8 AND id = $9`,
		StateOK, now, now, next, now, accountID, id, accountID, id)
	return err
}

var busyColumns = []string{"account_id", "source_id", "user_id", "room_id", "start_at", "end_at", "kind", "title", "private", "all_day", "href"}

// insertBusy writes a source's rows (a feed has thousands) in bulk.
func insertBusy(ctx context.Context, tx *store.Tx, accountID, sourceID int64, userID, roomID sql.NullInt64, bs []Busy) error {
	rows := make([][]any, len(bs))
	for i, b := range bs {
		rows[i] = []any{accountID, sourceID, userID, roomID, store.MS(b.Start), store.MS(b.End), b.Kind, b.Title, b.Private, b.AllDay, b.Href}
	}
	return store.InsertRows(ctx, tx, "calendar_busy", busyColumns, rows)
}

// UpdateSyncFailure records a failed read. The cached busy time stays (it is
// shown on the page) but the source counts as failing, so its owner's
// availability is unknown until a read succeeds.
func (s *Store) UpdateSyncFailure(ctx context.Context, accountID, id int64, msg string, retryAt time.Time) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		now := store.MS(tx.Now)
		res, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = $2,
			failing_since = COALESCE(failing_since, $3), last_attempt_at = $4, next_sync_at = $5, updated_at = $6
			WHERE account_id = $7 AND id = $8`, StateFailing, msg, now, now, store.MS(retryAt), now, accountID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Calendar not found.")
		}
		return nil
	})
}

// ListBusy returns the cached busy time of users overlapping [from, to).
func (s *Store) ListBusy(ctx context.Context, accountID int64, userIDs []int64, from, to time.Time) ([]Busy, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	args := []any{accountID, store.MS(to), store.MS(from)}
	for _, id := range userIDs {
		args = append(args, id)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT source_id, user_id, start_at, end_at, kind, title, private, all_day
		FROM calendar_busy WHERE account_id = $1 AND start_at < $2 AND end_at > $3 AND user_id IN (`+placeholders(4, len(userIDs))+`)
		ORDER BY user_id, start_at, end_at`, args...)
	return scanBusy(rows, err)
}

// scanBusy reads the rows of a calendar_busy query selecting source_id,
// user_id, start_at, end_at, kind, title, private, all_day.
func scanBusy(rows *sql.Rows, err error) ([]Busy, error) {
	return store.CollectRows(rows, err, func(rows *sql.Rows) (b Busy, err error) {
		var a, z int64
		err = rows.Scan(&b.SourceID, &b.UserID, &a, &z, &b.Kind, &b.Title, &b.Private, &b.AllDay)
		b.Start, b.End = store.FromMS(a), store.FromMS(z)
		return b, err
	})
}

// ListSourceBusy returns all of one source's cached busy time, by start.
func (s *Store) ListSourceBusy(ctx context.Context, accountID, sourceID int64) ([]Busy, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT source_id, COALESCE(user_id, 0), start_at, end_at, kind, title, private, all_day
		FROM calendar_busy WHERE account_id = $1 AND source_id = $2 ORDER BY start_at, end_at`, accountID, sourceID)
	return scanBusy(rows, err)
}

// ListSourceHrefs returns the CalDAV objects a source's cached busy time
// came from.
func (s *Store) ListSourceHrefs(ctx context.Context, accountID, sourceID int64) ([]string, error) {
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT DISTINCT href FROM calendar_busy WHERE account_id = $1 AND source_id = $2 AND href <> ''`, accountID, sourceID)
	return store.CollectRows(rows, err, func(rows *sql.Rows) (h string, err error) {
		err = rows.Scan(&h)
		return h, err
	})
}

// CountFailing counts the account's failing sources (the admin pages' banner);
// the state is written out so both databases read the partial index of
// failing sources, not every source of the account.
func (s *Store) CountFailing(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_sources WHERE account_id = $1 AND state = '`+StateFailing+`'`, accountID).Scan(&n)
	return n, err
}

// Settings are the account's calendar policy.
type Settings struct {
	TentativeBusy bool
	Keywords      []string
}

// GetSettings returns the account's policy (tentative busy, no keywords
// until saved).
func (s *Store) GetSettings(ctx context.Context, accountID int64) (Settings, error) {
	var kw string
	st := Settings{TentativeBusy: true}
	err := s.DB.Reader().QueryRowContext(ctx, `SELECT tentative_busy, keywords FROM calendar_settings WHERE account_id = $1`, accountID).Scan(&st.TentativeBusy, &kw)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	st.Keywords = SplitKeywords(kw)
	return st, err
}

// UpdateSettings stores the account's policy.
func (s *Store) UpdateSettings(ctx context.Context, accountID int64, st Settings) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_settings (account_id, tentative_busy, keywords, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id) DO UPDATE SET tentative_busy = excluded.tentative_busy, keywords = excluded.keywords, updated_at = excluded.updated_at`,
			accountID, st.TentativeBusy, strings.Join(st.Keywords, "\n"), store.MS(tx.Now))
		return err
	})
}

// ListUserKeywords returns each of users' own conflict keywords.
func (s *Store) ListUserKeywords(ctx context.Context, accountID int64, userIDs []int64) (map[int64][]string, error) {
	if len(userIDs) == 0 {
		return map[int64][]string{}, nil
	}
	args := []any{accountID}
	for _, id := range userIDs {
		args = append(args, id)
	}
	rows, err := s.DB.Reader().QueryContext(ctx, `SELECT user_id, keywords FROM calendar_user_keywords WHERE account_id = $1 AND user_id IN (`+placeholders(2, len(userIDs))+`)`, args...)
	return store.CollectMap(rows, err, func(rows *sql.Rows) (id int64, kw []string, err error) {
		var text string
		err = rows.Scan(&id, &text)
		return id, SplitKeywords(text), err
	})
}

// UpdateUserKeywords stores an interviewer's own conflict keywords.
func (s *Store) UpdateUserKeywords(ctx context.Context, accountID, userID int64, keywords []string) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := ownerExists(ctx, tx, accountID, userID, 0); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_user_keywords (account_id, user_id, keywords, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE SET keywords = excluded.keywords, updated_at = excluded.updated_at`,
			accountID, userID, strings.Join(keywords, "\n"), store.MS(tx.Now))
		return err
	})
}

// SplitKeywords reads keywords written one a line or separated by commas.
func SplitKeywords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		k = strings.TrimSpace(k)
		if k != "" && !seen[strings.ToLower(k)] {
			seen[strings.ToLower(k)] = true
			out = append(out, k)
		}
	}
	return out
}

func placeholders(n, count int) string { return store.Placeholders(n, count) }

// KindSource is one person's or room's source under a company-wide
// connection.
type KindSource struct {
	UserID, RoomID int64 // exactly one is set
	Name           string
}

// owner keys a source by whose calendar it is.
func (k KindSource) owner() string {
	if k.RoomID != 0 {
		return fmt.Sprintf("r%d", k.RoomID)
	}
	return fmt.Sprintf("u%d", k.UserID)
}

// SetKindSources makes the account's sources of kind exactly want (people
// and rooms), in one transaction: missing ones are added (due at once),
// those no longer wanted are removed with their busy time.
func (s *Store) SetKindSources(ctx context.Context, accountID int64, kind string, want []KindSource) (added, removed []int64, err error) {
	err = s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		added, removed = nil, nil
		rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(user_id, 0), COALESCE(room_id, 0) FROM calendar_sources WHERE account_id = $1 AND kind = $2`, accountID, kind)
		if err != nil {
			return err
		}
		have := map[string]int64{}
		for rows.Next() {
			var id int64
			var k KindSource
			if err := rows.Scan(&id, &k.UserID, &k.RoomID); err != nil {
				rows.Close()
				return err
			}
			have[k.owner()] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := store.MS(tx.Now)
		keep := map[string]bool{}
		for _, w := range want {
			keep[w.owner()] = true
			if _, ok := have[w.owner()]; ok {
				continue
			}
			if err := ownerExists(ctx, tx, accountID, w.UserID, w.RoomID); err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO calendar_sources (account_id, user_id, room_id, kind, name, next_sync_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, accountID, nullID(w.UserID), nullID(w.RoomID), kind, w.Name, now, now, now).Scan(&id); err != nil {
				return err
			}
			have[w.owner()] = id
			added = append(added, id)
		}
		for owner, id := range have {
			if keep[owner] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_busy WHERE account_id = $1 AND source_id = $2`, accountID, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_sources WHERE account_id = $1 AND id = $2`, accountID, id); err != nil {
				return err
			}
			removed = append(removed, id)
		}
		return nil
	})
	return added, removed, err
}

// FailKind marks every source of kind in the account failing with msg.
func (s *Store) FailKind(ctx context.Context, accountID int64, kind, msg string, retryAt time.Time) error {
	return s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		now := store.MS(tx.Now)
		_, err := tx.ExecContext(ctx, `UPDATE calendar_sources SET state = $1, error = $2,
			failing_since = COALESCE(failing_since, $3), last_attempt_at = $4, next_sync_at = $5, updated_at = $6
			WHERE account_id = $7 AND kind = $8`, StateFailing, msg, now, now, store.MS(retryAt), now, accountID, kind)
		return err
	})
}
