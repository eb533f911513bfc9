package lease_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/lease"
	"interviewplanner/store/storetest"
)

var row = lease.Row{Table: "microsoft_connections", Key: "account_id", Holder: "lease_holder", Until: "lease_until"}

func mustRow(t *testing.T) (*store.DB, int64) {
	t.Helper()
	db := storetest.MustOpen(t)
	acc, err := db.CreateAccount(t.Context(), "Globex")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().ExecContext(t.Context(), `INSERT INTO microsoft_connections (account_id, tenant_id, state, connected_at, updated_at) VALUES ($1, 't', 'connected', 0, 0)`, acc.ID); err != nil {
		t.Fatal(err)
	}
	return db, acc.ID
}

// One holder at a time; a released or run-out lease is free again.
func TestTakeAndRelease(t *testing.T) {
	db, id := mustRow(t)
	ctx := t.Context()
	take := func(holder string, until time.Time) bool {
		t.Helper()
		ok, err := lease.Take(ctx, db, row, id, holder, until)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	future := time.Now().Add(time.Minute)
	if !take("a", future) {
		t.Fatal("first lease refused")
	}
	if take("b", future) {
		t.Fatal("second holder got a held lease")
	}
	if err := lease.Release(ctx, db, row, id, "b"); err != nil || take("c", future) {
		t.Fatal("a non-holder released the lease")
	}
	if err := lease.Release(ctx, db, row, id, "a"); err != nil {
		t.Fatal(err)
	}
	if !take("b", time.Now().Add(-time.Second)) {
		t.Fatal("released lease refused")
	}
	if !take("c", future) {
		t.Fatal("run-out lease refused")
	}
	if ok, _ := lease.Take(ctx, db, row, id+1, "d", future); ok {
		t.Fatal("a lease on a row that does not exist")
	}
}

// Eight holders (instances) with four goroutines each want the work done:
// it is done once, and everyone waits for it.
func TestOnce(t *testing.T) {
	db, id := mustRow(t)
	ctx := t.Context()
	var did, works atomic.Int32
	var wg sync.WaitGroup
	for i := range 32 {
		holder := string(rune('a' + i%8))
		wg.Go(func() {
			err := lease.Once(ctx, db, row, id, holder, time.Minute,
				func(context.Context) (bool, error) { return did.Load() > 0, nil },
				func(context.Context) error {
					works.Add(1)
					time.Sleep(20 * time.Millisecond) // a token endpoint's answer
					did.Store(1)
					return nil
				})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := works.Load(); n != 1 {
		t.Fatalf("the work ran %d times", n)
	}
}
