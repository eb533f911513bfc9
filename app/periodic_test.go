package app_test

import (
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// Periodic work runs as River periodic jobs: the queue's leader inserts
// them, so several instances sweep once, not once each.
func TestPeriodicWorkRunsOnTheQueue(t *testing.T) {
	a := apptest.Start(t, apptest.Options{NoDemo: true})
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := a.DB.Reader().QueryRowContext(t.Context(),
			`SELECT COUNT(*) FROM river_job WHERE kind = 'session_sweep' AND state = 'completed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if n > 1 || time.Now().After(deadline) {
			t.Fatalf("completed session sweeps = %d, want exactly 1 at start", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
