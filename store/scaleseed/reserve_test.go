package scaleseed

import (
	"context"
	"errors"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

// insertBusy adds one busy row the way a calendar sync does: the database
// chooses its id.
func insertBusy(ctx context.Context, db *store.DB, account, source, user int64) (int64, error) {
	var id int64
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO calendar_busy (account_id, source_id, user_id, start_at, end_at, kind)
			VALUES ($1, $2, $3, 0, 1, 'busy') RETURNING id`, account, source, user).Scan(&id)
	})
	return id, err
}

// mustSmallCompany seeds a small company with calendars and returns it,
// with its first calendar source and that source's interviewer.
func mustSmallCompany(ctx context.Context, t *testing.T, db *store.DB) (account, source, user int64) {
	t.Helper()
	acct, err := db.CreateAccount(ctx, "Small")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, db, acct.ID, Size{Candidates: 20, Interviewers: 10, Schedules: 10, Interviews: 20, Meetings: 5, CalendarEvents: 3}, "x", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Reader().QueryRowContext(ctx, `SELECT id, user_id FROM calendar_sources WHERE account_id = $1 ORDER BY id LIMIT 1`, acct.ID).Scan(&source, &user); err != nil {
		t.Fatal(err)
	}
	return acct.ID, source, user
}

func TestReservedIDsAreNotHandedOut(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	account, source, user := mustSmallCompany(ctx, t, db)
	before, err := insertBusy(ctx, db, account, source, user)
	if err != nil {
		t.Fatal(err)
	}

	w := &writer{db: db, account: account}
	first, err := w.reserveIDs(ctx, map[string]int64{"calendar_busy": 500, "users": 7})
	if err != nil {
		t.Fatal(err)
	}
	if first["calendar_busy"] <= before {
		t.Errorf("calendar_busy block starts at %d, at or below the last row's id %d", first["calendar_busy"], before)
	}
	after, err := insertBusy(ctx, db, account, source, user)
	if err != nil {
		t.Fatal(err)
	}
	if end := first["calendar_busy"] + 500 - 1; after <= end {
		t.Errorf("a row inserted after reserving calendar_busy %d..%d got id %d", first["calendar_busy"], end, after)
	}
	var userAfter int64
	if err := db.WriteTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO users (account_id, email, name, role, password_hash, active, time_zone, created_at)
			VALUES ($1, 'late@example.com', 'Late', 'interviewer', 'x', TRUE, 'UTC', 0) RETURNING id`, account).Scan(&userAfter)
	}); err != nil {
		t.Fatal(err)
	}
	if end := first["users"] + 7 - 1; userAfter <= end {
		t.Errorf("a user inserted after reserving users %d..%d got id %d", first["users"], end, userAfter)
	}
}

// A seed into a running product: a calendar sync keeps inserting busy rows
// of another account while the seed writes its own.
func TestSeedBesideConcurrentInserts(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	small, source, user := mustSmallCompany(ctx, t, db)
	large, err := db.CreateAccount(ctx, "Large")
	if err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	inserted := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				if n == 0 {
					inserted <- errors.New("no row inserted during the seed")
					return
				}
				inserted <- nil
				return
			default:
			}
			if _, err := insertBusy(context.Background(), db, small, source, user); err != nil {
				inserted <- err
				return
			}
			n++
		}
	}()
	size := Size{Candidates: 2_000, Interviewers: 50, Schedules: 500, Interviews: 1_200, Meetings: 200, Upcoming: 5, CalendarEvents: 200}
	_, seedErr := Seed(ctx, db, large.ID, size, "x", time.Now())
	close(stop)
	if err := <-inserted; err != nil {
		t.Errorf("concurrent insert: %v", err)
	}
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	for table, want := range size.idCounts() {
		if table == "jobs" || table == "stages" || table == "stage_interviews" {
			continue
		}
		var got int64
		q := `SELECT COUNT(*) FROM ` + table + ` WHERE account_id = $1`
		if table == "users" {
			q += ` AND role = 'interviewer'`
		}
		if err := db.Reader().QueryRowContext(ctx, q, large.ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: %d rows seeded, %d ids reserved", table, got, want)
		}
	}
}
