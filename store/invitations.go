package store

import (
	"context"
	"database/sql"
	"time"

	"interviewplanner/domain"
)

const invitationColumns = `id, account_id, email, role, invited_by, created_at, expires_at, used_at`

func scanInvitation(row rowScanner) (*domain.Invitation, error) {
	inv := &domain.Invitation{}
	var role string
	var created, expires int64
	var used sql.NullInt64
	if err := row.Scan(&inv.ID, &inv.AccountID, &inv.Email, &role, &inv.InvitedBy, &created, &expires, &used); err != nil {
		return nil, err
	}
	inv.Role, inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = domain.Role(role), fromMS(created), fromMS(expires), fromNullMS(used)
	return inv, nil
}

// CreateInvitation records an invitation whose link carries the token that
// hashes to tokenHash. Inviting a user of the same account fails; a user of
// another account is invited like anyone else, so the answer does not
// reveal who uses InterviewPlanner elsewhere (accepting then explains).
func (db *DB) CreateInvitation(ctx context.Context, accountID, invitedBy int64, email string, role domain.Role, tokenHash string) (*domain.Invitation, error) {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return nil, domain.Invalid(map[string]string{"email": domain.ErrorMessage(err)})
	}
	if !role.Valid() {
		return nil, domain.Invalid(map[string]string{"role": "Choose a role: admin, scheduler or interviewer."})
	}
	var inv *domain.Invitation
	err = db.WriteTx(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE account_id = $1 AND email = $2`, accountID, email).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return domain.Invalid(map[string]string{"email": "This person is already a user here."})
		}
		inv, err = scanInvitation(tx.QueryRowContext(ctx, `INSERT INTO invitations (account_id, email, role, token_hash, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+invitationColumns,
			accountID, email, string(role), tokenHash, invitedBy, ms(tx.Now), ms(tx.Now.Add(domain.InvitationTTL))))
		return tx.db.wrap(err)
	})
	return inv, err
}

// ListInvitations lists the account's invitations that are still open.
func (db *DB) ListInvitations(ctx context.Context, accountID int64) ([]*domain.Invitation, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE account_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC`, accountID, ms(db.Now()))
	return CollectRows(rows, err, func(rows *sql.Rows) (*domain.Invitation, error) { return scanInvitation(rows) })
}

// GetInvitationByToken returns the open invitation behind a link.
func (db *DB) GetInvitationByToken(ctx context.Context, tokenHash string) (*domain.Invitation, error) {
	inv, err := scanInvitation(db.r.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = $1`, tokenHash))
	if err != nil {
		return nil, db.wrap(err)
	}
	return inv, checkOpen(inv, db.Now())
}

func checkOpen(inv *domain.Invitation, now time.Time) error {
	if inv.UsedAt != nil {
		return domain.Errorf(domain.EINVALID, "This invitation has already been used. Sign in instead, or ask your admin for a new one.")
	}
	if !now.Before(inv.ExpiresAt) {
		return domain.Errorf(domain.EINVALID, "This invitation has expired. Ask your admin to send a new one.")
	}
	return nil
}

// AcceptInvitation creates the invited user and uses up the invitation, in
// one transaction so a link can never make two users.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash, name, timeZone, passwordHash string) (*domain.User, error) {
	var u *domain.User
	err := db.WriteTx(ctx, func(tx *Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = $1`+tx.db.ForUpdate(), tokenHash))
		if err != nil {
			return tx.db.wrap(err)
		}
		if err := checkOpen(inv, tx.Now); err != nil {
			return err
		}
		// Only the owner of the address learns that it is taken.
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, inv.Email).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return domain.Errorf(domain.EINVALID, "%s already has an InterviewPlanner account, and one address can belong to one company only. Sign in with it, or ask your admin to invite another address.", inv.Email)
		}
		u, err = tx.CreateUser(ctx, inv.AccountID, NewUser{Email: inv.Email, Name: name, Role: inv.Role, TimeZone: timeZone, PasswordHash: passwordHash})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invitations SET used_at = $1 WHERE id = $2 AND account_id = $3`, ms(tx.Now), inv.ID, inv.AccountID)
		return err
	})
	return u, err
}

// DeleteInvitation withdraws an open invitation.
func (db *DB) DeleteInvitation(ctx context.Context, accountID, id int64) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE account_id = $1 AND id = $2 AND used_at IS NULL`, accountID, id)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
}
