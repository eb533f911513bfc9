package store

import (
	"context"
	"database/sql"
	"time"
)

// AuditEvent records who did what to an account's settings and integrations.
type AuditEvent struct {
	ID        int64
	AccountID int64
	UserID    *int64 // nil when Zoom or the system acted
	UserName  string
	Action    string
	Detail    string
	CreatedAt time.Time
}

// CreateAuditEvent records an event inside a write transaction.
func (tx *Tx) CreateAuditEvent(ctx context.Context, accountID int64, userID *int64, action, detail string) error {
	var uid sql.NullInt64
	if userID != nil {
		uid = sql.NullInt64{Int64: *userID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (account_id, user_id, action, detail, created_at) VALUES ($1, $2, $3, $4, $5)`,
		accountID, uid, action, detail, ms(tx.Now))
	return err
}

// CreateAuditEvent records an event in its own transaction.
func (db *DB) CreateAuditEvent(ctx context.Context, accountID int64, userID *int64, action, detail string) error {
	return db.WriteTx(ctx, func(tx *Tx) error { return tx.CreateAuditEvent(ctx, accountID, userID, action, detail) })
}

// ListAuditEvents lists the account's newest events first.
func (db *DB) ListAuditEvents(ctx context.Context, accountID int64, limit int) ([]AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := db.r.QueryContext(ctx, `SELECT e.id, e.account_id, e.user_id, COALESCE(u.name, ''), e.action, e.detail, e.created_at
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id AND u.account_id = e.account_id
		WHERE e.account_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT $2`, accountID, limit)
	return CollectRows(rows, err, func(rows *sql.Rows) (e AuditEvent, err error) {
		var uid sql.NullInt64
		var created int64
		if err := rows.Scan(&e.ID, &e.AccountID, &uid, &e.UserName, &e.Action, &e.Detail, &created); err != nil {
			return e, err
		}
		if uid.Valid {
			e.UserID = &uid.Int64
		}
		e.CreatedAt = fromMS(created)
		return e, nil
	})
}
