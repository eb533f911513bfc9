package store

import (
	"context"
	"slices"
)

// MigrateOnly applies only the given migrations, as an older release that
// had just those did.
func (db *DB) MigrateOnly(ctx context.Context, versions []int64) error {
	return db.migrate(ctx, func(v int64) bool { return slices.Contains(versions, v) })
}
