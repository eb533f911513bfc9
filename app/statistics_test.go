package app_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/app"
	"interviewplanner/app/apptest"
	"interviewplanner/store"
	"interviewplanner/store/scaleseed"
)

// TestStatisticsJobAnalyzesGrownTables: the queue runs the statistics job,
// and on SQLite (which keeps no statistics unless asked) it leaves the
// planner the size of a table that grew since the last run.
func TestStatisticsJobAnalyzesGrownTables(t *testing.T) {
	a := apptest.Start(t, apptest.Options{NoDemo: true})
	ctx := t.Context()
	acct, err := a.DB.CreateAccount(ctx, "Grown")
	if err != nil {
		t.Fatal(err)
	}
	size := scaleseed.Size{Candidates: 3000, Interviewers: 10, Schedules: 100, Interviews: 200, Meetings: 20}
	if _, err := scaleseed.Seed(ctx, a.DB, acct.ID, size, "x", time.Now()); err != nil {
		t.Fatal(err)
	}
	candidateRows := func() int {
		if a.DB.Dialect != store.SQLite {
			return 0
		}
		var stat string
		err := a.DB.Writer().QueryRowContext(ctx, `SELECT COALESCE(MAX(stat), '') FROM sqlite_stat1 WHERE tbl = 'candidates'`).Scan(&stat)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(strings.Fields(stat + " 0")[0])
		return n
	}
	if n := candidateRows(); n >= size.Candidates {
		t.Fatalf("statistics already count %d candidates before the job", n)
	}
	if err := a.Calendars.Queue.Insert(ctx, a.DB, app.StatisticsArgs{}); err != nil {
		t.Fatal(err)
	}
	apptest.WaitFor(t, "the statistics job to complete", func() bool {
		var n int
		if err := a.DB.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'database_statistics' AND state = 'completed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	})
	if a.DB.Dialect == store.SQLite {
		if n := candidateRows(); n < size.Candidates {
			t.Errorf("after the job the statistics count %d candidates, want at least %d", n, size.Candidates)
		}
	}
}
