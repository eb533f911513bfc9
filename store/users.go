package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"interviewplanner/domain"
)

const userColumns = `id, account_id, email, name, role, active, time_zone, created_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(row rowScanner) (*domain.User, error) {
	u := &domain.User{}
	var role string
	var created int64
	if err := row.Scan(&u.ID, &u.AccountID, &u.Email, &u.Name, &role, &u.Active, &u.TimeZone, &created); err != nil {
		return nil, err
	}
	u.Role = domain.Role(role)
	u.CreatedAt = fromMS(created)
	return u, nil
}

func scanUserRow(rows *sql.Rows) (*domain.User, error) { return scanUser(rows) }

// NewUser is what creating a user needs.
type NewUser struct {
	Email        string
	Name         string
	Role         domain.Role
	TimeZone     string
	PasswordHash string // empty: cannot sign in until a password is set
}

func (n *NewUser) validate() error {
	fields := map[string]string{}
	var err error
	if n.Email, err = domain.NormalizeEmail(n.Email); err != nil {
		fields["email"] = domain.ErrorMessage(err)
	}
	if n.Name, err = domain.CleanName("Name", n.Name); err != nil {
		fields["name"] = domain.ErrorMessage(err)
	}
	if !n.Role.Valid() {
		fields["role"] = "Choose a role: admin, scheduler or interviewer."
	}
	if n.TimeZone == "" {
		n.TimeZone = "UTC"
	}
	if _, err := domain.CheckTimeZone(n.TimeZone); err != nil {
		fields["time_zone"] = domain.ErrorMessage(err)
	}
	if len(fields) > 0 {
		return domain.Invalid(fields)
	}
	return nil
}

// CreateUser adds a user to an account.
func (db *DB) CreateUser(ctx context.Context, accountID int64, n NewUser) (*domain.User, error) {
	var u *domain.User
	err := db.WriteTx(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.CreateUser(ctx, accountID, n)
		return err
	})
	return u, err
}

// CreateUser adds a user inside a transaction.
func (tx *Tx) CreateUser(ctx context.Context, accountID int64, n NewUser) (*domain.User, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `INSERT INTO users (account_id, email, name, role, password_hash, active, time_zone, created_at)
		VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7) RETURNING `+userColumns,
		accountID, n.Email, n.Name, string(n.Role), n.PasswordHash, n.TimeZone, ms(tx.Now)))
	if IsUniqueViolation(err) {
		return nil, domain.Invalid(map[string]string{"email": "A user with this email already exists."})
	}
	return u, tx.db.wrap(err)
}

// GetUser returns one user of the account.
func (db *DB) GetUser(ctx context.Context, accountID, id int64) (*domain.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1 AND id = $2`, accountID, id))
	return u, db.wrap(err)
}

// GetUserByEmail returns one user of the account by address.
func (db *DB) GetUserByEmail(ctx context.Context, accountID int64, email string) (*domain.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1 AND email = $2`, accountID, email))
	return u, db.wrap(err)
}

// GetUserForSignIn looks a user up by address across accounts — the one
// query that cannot know the account, because signing in is how we learn it.
// It returns the password hash beside the user.
func (db *DB) GetUserForSignIn(ctx context.Context, email string) (*domain.User, string, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, email)
	u := &domain.User{}
	var role, hash string
	var created int64
	err := row.Scan(&u.ID, &u.AccountID, &u.Email, &u.Name, &role, &u.Active, &u.TimeZone, &created, &hash)
	if err != nil {
		return nil, "", db.wrap(err)
	}
	u.Role = domain.Role(role)
	u.CreatedAt = fromMS(created)
	return u, hash, nil
}

// ListUsers lists the account's users by name.
func (db *DB) ListUsers(ctx context.Context, accountID int64) ([]*domain.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1 ORDER BY active DESC, name, id`, accountID)
	return CollectRows(rows, err, scanUserRow)
}

// UpdateUserRole changes a user's role. The account always keeps at least one
// active admin.
func (db *DB) UpdateUserRole(ctx context.Context, accountID, userID int64, role domain.Role) (*domain.User, error) {
	if !role.Valid() {
		return nil, domain.Invalid(map[string]string{"role": "Choose a role: admin, scheduler or interviewer."})
	}
	var u *domain.User
	err := db.WriteTx(ctx, func(tx *Tx) error {
		cur, err := tx.lockUser(ctx, accountID, userID)
		if err != nil {
			return err
		}
		if cur.Role == domain.RoleAdmin && role != domain.RoleAdmin && cur.Active {
			if err := tx.keepOneAdmin(ctx, accountID, userID); err != nil {
				return err
			}
		}
		u, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET role = $1 WHERE account_id = $2 AND id = $3 RETURNING `+userColumns,
			string(role), accountID, userID))
		return tx.db.wrap(err)
	})
	return u, err
}

// UpdateUserActive deactivates or reactivates a user. Deactivating ends their
// sessions; the last active admin cannot be deactivated.
func (db *DB) UpdateUserActive(ctx context.Context, accountID, userID int64, active bool) (*domain.User, error) {
	var u *domain.User
	err := db.WriteTx(ctx, func(tx *Tx) error {
		cur, err := tx.lockUser(ctx, accountID, userID)
		if err != nil {
			return err
		}
		if !active && cur.Role == domain.RoleAdmin && cur.Active {
			if err := tx.keepOneAdmin(ctx, accountID, userID); err != nil {
				return err
			}
		}
		if !active {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND user_id = $2`, accountID, userID); err != nil {
				return err
			}
		}
		u, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET active = $1 WHERE account_id = $2 AND id = $3 RETURNING `+userColumns,
			active, accountID, userID))
		return tx.db.wrap(err)
	})
	return u, err
}

// UpdateUserPassword stores a new password hash and, in the same
// transaction, ends every session of the user except keepSession (the hash
// of the session that made the change; empty ends them all): whoever
// learned the old password is signed out with it. It returns how many
// sessions ended.
func (db *DB) UpdateUserPassword(ctx context.Context, accountID, userID int64, hash, keepSession string) (int64, error) {
	var ended int64
	err := db.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE account_id = $2 AND id = $3`, hash, accountID, userID)
		if err != nil {
			return err
		}
		if err := mustAffect(res); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND user_id = $2 AND token_hash <> $3`, accountID, userID, keepSession)
		if err != nil {
			return err
		}
		ended, err = res.RowsAffected()
		return err
	})
	return ended, err
}

// UpdateUserProfile changes a user's name and time zone.
func (db *DB) UpdateUserProfile(ctx context.Context, accountID, userID int64, name, timeZone string) (*domain.User, error) {
	fields := map[string]string{}
	name, err := domain.CleanName("Name", name)
	if err != nil {
		fields["name"] = domain.ErrorMessage(err)
	}
	if _, err := domain.CheckTimeZone(timeZone); err != nil {
		fields["time_zone"] = domain.ErrorMessage(err)
	}
	if len(fields) > 0 {
		return nil, domain.Invalid(fields)
	}
	var u *domain.User
	err = db.WriteTx(ctx, func(tx *Tx) error {
		u, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET name = $1, time_zone = $2 WHERE account_id = $3 AND id = $4 RETURNING `+userColumns,
			name, timeZone, accountID, userID))
		return tx.db.wrap(err)
	})
	return u, err
}

func (tx *Tx) lockUser(ctx context.Context, accountID, userID int64) (*domain.User, error) {
	// Lock the account row first: role and activity changes of one account
	// then run one after another, in the same order, and cannot deadlock.
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE id = $1`+tx.db.ForUpdate(), accountID).Scan(&id); err != nil {
		return nil, tx.db.wrap(err)
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1 AND id = $2`+tx.db.ForUpdate(), accountID, userID))
	return u, tx.db.wrap(err)
}

func (tx *Tx) keepOneAdmin(ctx context.Context, accountID, exceptUserID int64) error {
	// Lock the account's admins so two concurrent demotions cannot both pass.
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE account_id = $1 AND role = 'admin' AND active = TRUE AND id <> $2`+tx.db.ForUpdate(), accountID, exceptUserID)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ECONFLICT, "The account needs at least one active admin. Make someone else an admin first.")
	}
	return nil
}

func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Not found.")
	}
	return nil
}

// UserFilter selects a page of an account's users, by name.
type UserFilter struct {
	// Search matches part of a name or email.
	Search string
	// ActiveOnly leaves out deactivated users.
	ActiveOnly bool
	// After is the cursor: Next of the previous page.
	After string
	Limit int
}

// UserPage is one page of users.
type UserPage struct {
	Users []*domain.User
	// Next is the cursor of the following page, "" at the end.
	Next string
}

// MaxUserPage bounds a page of users.
const MaxUserPage = 200

// DefaultUserPage is a page of users when none is asked for: 25, the same
// as a page of candidates or of My interviews, so a company of thousands
// reads and renders what a small one does.
const DefaultUserPage = 25

// ListUsersPage pages through users by name with a keyset cursor, so a
// company of thousands of interviewers sends one short page at a time.
func (db *DB) ListUsersPage(ctx context.Context, accountID int64, f UserFilter) (*UserPage, error) {
	if f.Limit <= 0 || f.Limit > MaxUserPage {
		f.Limit = DefaultUserPage
	}
	if len(f.Search) > 100 {
		return nil, domain.Invalid(map[string]string{"q": "Search text is too long."})
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE account_id = $1`
	args := []any{accountID}
	if f.After != "" {
		name, id, ok := decodeUserCursor(f.After)
		if !ok {
			return nil, domain.Invalid(map[string]string{"after": "This page link is not valid; start from the first page."})
		}
		q += ` AND (name, id) > ($2, $3)`
		args = append(args, name, id)
	}
	if f.ActiveOnly {
		q += ` AND active = TRUE`
	}
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		s = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
		args = append(args, s, s)
		q += fmt.Sprintf(` AND (lower(name) LIKE $%d ESCAPE '\' OR email LIKE $%d ESCAPE '\')`, len(args)-1, len(args))
	}
	args = append(args, f.Limit+1)
	q += fmt.Sprintf(` ORDER BY name, id LIMIT $%d`, len(args))
	rows, err := db.r.QueryContext(ctx, q, args...)
	users, err := CollectRows(rows, err, scanUserRow)
	if err != nil {
		return nil, err
	}
	page := &UserPage{Users: users}
	if len(page.Users) > f.Limit {
		page.Users = page.Users[:f.Limit]
		last := page.Users[f.Limit-1]
		page.Next = encodeUserCursor(last.Name, last.ID)
	}
	return page, nil
}

// maxAdminNames bounds the admins a page names as the people to ask.
const maxAdminNames = 20

// ListAdminNames names the account's active admins, by name: whom a user
// who may not change a setting asks. It reads the admins alone (a partial
// index), not every user of the account.
func (db *DB) ListAdminNames(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM users WHERE account_id = $1 AND role = 'admin' AND active = TRUE ORDER BY name LIMIT $2`,
		accountID, maxAdminNames)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// ListUsersByID returns the account's users among ids, by id.
func (db *DB) ListUsersByID(ctx context.Context, accountID int64, ids []int64) (map[int64]*domain.User, error) {
	return usersBy(ctx, db, accountID, "id", ids, func(u *domain.User) int64 { return u.ID })
}

// ListUsersByEmail returns the account's users among emails (normalized,
// lower case), by email.
func (db *DB) ListUsersByEmail(ctx context.Context, accountID int64, emails []string) (map[string]*domain.User, error) {
	return usersBy(ctx, db, accountID, "email", emails, func(u *domain.User) string { return u.Email })
}

// usersBy reads the account's users whose column is among keys, mapped
// by that key.
func usersBy[K comparable](ctx context.Context, db *DB, accountID int64, column string, keys []K, key func(*domain.User) K) (map[K]*domain.User, error) {
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = k
	}
	users, err := db.listUsersIn(ctx, accountID, column, vals)
	out := make(map[K]*domain.User, len(users))
	for _, u := range users {
		out[key(u)] = u
	}
	return out, err
}

// listUsersIn reads the account's users whose column (a constant name)
// is among vals.
func (db *DB) listUsersIn(ctx context.Context, accountID int64, column string, vals []any) ([]*domain.User, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	args := append([]any{accountID}, vals...)
	marks := make([]string, len(vals))
	for i := range vals {
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE account_id = $1 AND `+column+` IN (`+strings.Join(marks, ",")+`)`, args...)
	return CollectRows(rows, err, scanUserRow)
}

// The cursor is the last row's sort key, opaque to clients.
func encodeUserCursor(name string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10) + ":" + name))
}

func decodeUserCursor(c string) (string, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, false
	}
	idText, name, ok := strings.Cut(string(b), ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	return name, id, ok && err == nil && id > 0
}
