package interviewevents

import (
	"context"
	"sort"
)

// Calendar is one provider's side of keeping a schedule's events in step:
// D is an event as the provider writes it, R the row stored for an event
// the schedule made. Its calls to the provider return errors already in
// the provider's terms (a pause, a connection that needs reconnecting).
type Calendar[D, R any] interface {
	// Key is the event's key in the plan (ItemKey, CandidateKey).
	Key(d D) string
	// Fingerprint is a hash of what d says.
	Fingerprint(d D) string
	// Stored says where a row's event is (a calendar, a mailbox) and the
	// fingerprint of what was last written there: "" while nothing is.
	Stored(row R) (place, fingerprint string)
	// New is the row of an event not written yet at the current place.
	New(d D) R
	// Put creates d's event or patches the one row names, and returns the
	// row as it now stands.
	Put(ctx context.Context, d D, row R) (R, error)
	// Delete deletes row's event (one already gone is fine; one whose
	// create lost its answer is found first).
	Delete(ctx context.Context, row R) error
	// Save stores a row; Forget removes the row of a key.
	Save(ctx context.Context, row R) error
	Forget(ctx context.Context, key string) error
}

// Keep makes the events at place match want, given the rows of what the
// schedule wrote before (have, by key): an event moves when the place
// changed (the old one is deleted), a new one's row is stored before the
// provider is called (a retry after a lost answer, or a cancel after a
// killed process, knows what the first attempt may have made), a changed
// one is patched, and the events of keys no longer wanted are deleted, in
// key order.
func Keep[D, R any](ctx context.Context, c Calendar[D, R], place string, want []D, have map[string]R) error {
	keep := map[string]bool{}
	for _, d := range want {
		key := c.Key(d)
		keep[key] = true
		fp := c.Fingerprint(d)
		row, ok := have[key]
		if ok {
			at, written := c.Stored(row)
			if at != place {
				// The place changed: the old one's event goes.
				if err := c.Delete(ctx, row); err != nil {
					return err
				}
				ok = false
			} else if written == fp {
				continue
			}
		}
		if !ok {
			row = c.New(d)
			if err := c.Save(ctx, row); err != nil {
				return err
			}
		}
		row, err := c.Put(ctx, d, row)
		if err != nil {
			return err
		}
		if err := c.Save(ctx, row); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(have))
	for k := range have {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if keep[k] {
			continue
		}
		if err := c.Delete(ctx, have[k]); err != nil {
			return err
		}
		if err := c.Forget(ctx, k); err != nil {
			return err
		}
	}
	return nil
}
