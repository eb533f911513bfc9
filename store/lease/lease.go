// Package lease lets one instance at a time do a piece of work for a row
// — refresh a connection's token — however many instances share the
// database. The lease is two columns of the row (who holds it, until
// when), taken in one short statement and released after the work, so no
// transaction is held across a network call (SQLite's single writer); a
// crashed holder's lease runs out.
package lease

import (
	"context"
	"fmt"
	"sync"
	"time"

	"interviewplanner/store"
)

// Row names the leased row's table and columns.
type Row struct {
	Table, Key    string // the table and its key column (an account id)
	Holder, Until string // the lease columns: text, and epoch ms (0 or NULL when free)
}

// Take gives the lease on key to holder until until, unless someone else
// holds one that has not run out; it reports whether holder has it.
func Take(ctx context.Context, db *store.DB, r Row, key int64, holder string, until time.Time) (bool, error) {
	var ok bool
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		// One UPDATE decides: on PostgreSQL a racing taker waits for the
		// row, then re-reads the condition and finds it held.
		var err error
		ok, err = store.OneRowChanged(tx.ExecContext(ctx, `UPDATE `+r.Table+` SET `+r.Holder+` = $1, `+r.Until+` = $2
			WHERE `+r.Key+` = $3 AND (`+r.Holder+` = '' OR `+r.Holder+` = $1 OR COALESCE(`+r.Until+`, 0) <= $4)`,
			holder, store.MS(until), key, store.MS(tx.Now)))
		return err
	})
	return ok, err
}

// Release gives holder's lease up (nothing if another holds it now).
func Release(ctx context.Context, db *store.DB, r Row, key int64, holder string) error {
	return db.WriteTx(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE `+r.Table+` SET `+r.Holder+` = '', `+r.Until+` = 0 WHERE `+r.Key+` = $1 AND `+r.Holder+` = $2`, key, holder)
		return err
	})
}

// Poll is how often a waiting instance looks again.
const Poll = 50 * time.Millisecond

// local keeps a holder's goroutines in line for a row (they share its
// name, which the lease cannot tell apart), so only one asks the database.
var local sync.Map // holder, table, key → *sync.Mutex

func mutex(holder string, r Row, key int64) *sync.Mutex {
	m, _ := local.LoadOrStore(fmt.Sprintf("%s/%s/%d", holder, r.Table, key), &sync.Mutex{})
	return m.(*sync.Mutex)
}

// Once runs work under the lease unless done says the work is not needed
// (another instance or goroutine did it): done is asked before each try
// and again once the lease is held. Without the lease it waits for the
// holder to finish.
func Once(ctx context.Context, db *store.DB, r Row, key int64, holder string, ttl time.Duration, done func(context.Context) (bool, error), work func(context.Context) error) error {
	if ok, err := done(ctx); err != nil || ok {
		return err
	}
	m := mutex(holder, r, key)
	m.Lock()
	defer m.Unlock()
	for {
		if ok, err := done(ctx); err != nil || ok {
			return err
		}
		took, err := Take(ctx, db, r, key, holder, db.Now().Add(ttl))
		if err != nil {
			return err
		}
		if took {
			defer func() { _ = Release(ctx, db, r, key, holder) }()
			if ok, err := done(ctx); err != nil || ok {
				return err
			}
			return work(ctx)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(Poll):
		}
	}
}
