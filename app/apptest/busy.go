package apptest

import (
	"testing"
	"time"

	"interviewplanner/store/scaleseed"
)

// SeedBusy adds to the demo company Acme interviewers with schedules over
// the past 300 days and the next 60 (schedules of them, one interview
// each), their password the demo's; the first of them is busy for weeks.
func (a *App) SeedBusy(tb testing.TB, schedules int) (accountID int64, seeded *scaleseed.Seeded) {
	tb.Helper()
	ctx := tb.Context()
	acct, err := a.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		tb.Fatalf("apptest: %v", err)
	}
	_, hash, err := a.DB.GetUserForSignIn(ctx, "admin@example.com")
	if err != nil {
		tb.Fatalf("apptest: %v", err)
	}
	size := scaleseed.Size{Candidates: schedules, Interviewers: 10, Schedules: schedules, Interviews: schedules, Meetings: schedules, Upcoming: 30}
	if seeded, err = scaleseed.Seed(ctx, a.DB, acct.ID, size, hash, time.Now()); err != nil {
		tb.Fatalf("apptest: seed: %v", err)
	}
	return acct.ID, seeded
}
