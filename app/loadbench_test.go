package app_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// loadBench is what the calendar providers' load benchmarks share: Globex's
// interviewers, and a candidate whose Find times page a scheduler keeps
// loading while their calendars are read.
type loadBench struct {
	a       *apptest.App
	account int64
	pool    []int64 // the stage's interviewers: the first three
	cand    int64
	hugo    *apptest.Client
	page    string
	idle    []time.Duration // the page before the sync, sorted
}

// startLoadBench adds an interviewer per email to Globex, a stage drawing on
// the first three, and a candidate in it; then loads the candidate's Find
// times page 50 times, for what the machine gives it idle.
func startLoadBench(b *testing.B, a *apptest.App, emails []string) *loadBench {
	ctx := b.Context()
	globex, err := a.Main.DB.GetAccountByName(ctx, "Globex")
	if err != nil {
		b.Fatal(err)
	}
	l := &loadBench{a: a, account: globex.ID}
	for i, email := range emails {
		u, err := a.Main.DB.CreateUser(ctx, globex.ID, store.NewUser{Email: email, Name: fmt.Sprintf("Interviewer %04d", i),
			Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			b.Fatal(err)
		}
		if i < 3 {
			l.pool = append(l.pool, u.ID)
		}
	}
	hs := hiringstore.New(a.Main.DB)
	job, err := hs.CreateJob(ctx, globex.ID, domain.Job{Title: "Load test"})
	if err != nil {
		b.Fatal(err)
	}
	stage, err := hs.CreateStage(ctx, globex.ID, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoOff, LatestDayOffset: 14,
		Interviews: []domain.Interview{{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: l.pool}}})
	if err != nil {
		b.Fatal(err)
	}
	cand, err := hs.CreateCandidate(ctx, globex.ID, domain.Candidate{Name: "Jane Doe", Email: "jane@candidate.example", TimeZone: "UTC", JobID: job.ID, StageID: stage.ID})
	if err != nil {
		b.Fatal(err)
	}
	l.cand, l.hugo, l.page = cand.ID, a.SignIn(b, "hiring@globex.example"), fmt.Sprintf("/candidates/%d/find-times", cand.ID)
	for range 50 {
		t0 := time.Now()
		if r := l.hugo.Get(l.page); r.StatusCode != http.StatusOK {
			b.Fatalf("find times: %d %s", r.StatusCode, r.Body)
		}
		l.idle = append(l.idle, time.Since(t0))
	}
	slices.Sort(l.idle)
	return l
}

// loadPages loads the Find times page every interval, as a busy scheduler
// would, until stop is called; stop returns the times it took, sorted.
func (l *loadBench) loadPages(b *testing.B, every time.Duration) (stop func() []time.Duration) {
	var pages []time.Duration
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(every):
			}
			t0 := time.Now()
			if r := l.hugo.Get(l.page); r.StatusCode != http.StatusOK {
				b.Errorf("find times during the sync: %d", r.StatusCode)
				return
			}
			pages = append(pages, time.Since(t0))
		}
	})
	return func() []time.Duration {
		close(done)
		wg.Wait()
		slices.Sort(pages)
		return pages
	}
}

// waitSynced waits until the account has at least n sources of kind, none
// pending; a failing one ends the benchmark.
func (l *loadBench) waitSynced(b *testing.B, kind string, n int) {
	b.Helper()
	db := l.a.Main.DB.Reader()
	for {
		var pending, failing, total int
		err := db.QueryRowContext(b.Context(), `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'failing' THEN 1 ELSE 0 END), 0) FROM calendar_sources WHERE account_id = $1 AND kind = $2`, l.account, kind).
			Scan(&total, &pending, &failing)
		if err != nil {
			b.Fatal(err)
		}
		if failing > 0 {
			var msg string
			_ = db.QueryRowContext(b.Context(), `SELECT error FROM calendar_sources WHERE account_id = $1 AND state = 'failing'`, l.account).Scan(&msg)
			b.Fatalf("%d %s calendars failing: %s", failing, kind, msg)
		}
		if total >= n && pending == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// benchEnv is env with the calendar workers IP_CALENDAR_SYNC_WORKERS asks
// for, when set: the page's latency against the sync's time.
func benchEnv(env map[string]string) map[string]string {
	if n := os.Getenv("IP_CALENDAR_SYNC_WORKERS"); n != "" {
		env["IP_CALENDAR_SYNC_WORKERS"] = n
	}
	return env
}

// percentile is the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}
