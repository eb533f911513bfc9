package calendars_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/store"
)

// 500 interviewers whose feeds are all being read at once (the worst case
// of "every 15 minutes": a restart, or every sync due together) while
// schedulers load pages: the busy lookup behind Find times and the
// conflict check reads the cache only, so it never waits for a calendar
// server. The feed server lets the first 300 reads through (their syncs
// write busy rows meanwhile) and then holds every read until the lookups
// are done: a lookup that waited for a sync would never finish.
// The lookups' median and 95th percentile, idle and under the storm, are
// logged for the reader; nothing here depends on how fast the machine is.
func TestLookupsDoNotWaitForFeedSyncs(t *testing.T) {
	if testing.Short() {
		t.Skip("500 feed syncs: not in -short")
	}
	f := mustFixture(t, calendars.Config{AllowPrivate: true})
	ctx := t.Context()
	const passed = 300 // feed reads answered before the server holds the rest
	var fetches atomic.Int64
	gate := make(chan struct{})
	body := ics("UID:standup|SUMMARY:Team standup|DTSTART:20260302T143000Z|DTEND:20260302T144500Z|RRULE:FREQ=DAILY",
		"UID:one|SUMMARY:1:1|DTSTART:20260303T160000Z|DTEND:20260303T163000Z|RRULE:FREQ=WEEKLY")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fetches.Add(1) > passed {
			<-gate // a calendar server that does not answer yet
		}
		w.Header().Set("Content-Type", "text/calendar")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()

	// The 50 interviewers a Find times page asks about, already read.
	var asked []int64
	for i := range 50 {
		u, err := f.db.CreateUser(ctx, f.acme, store.NewUser{Email: fmt.Sprintf("asked%d@acme.example", i), Name: fmt.Sprintf("Asked %d", i), Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddUpload(ctx, f.acme, calendars.Owner{UserID: u.ID}, "Work", []byte(body)); err != nil {
			t.Fatal(err)
		}
		asked = append(asked, u.ID)
	}
	var storm []int64
	for i := range 500 {
		u, err := f.db.CreateUser(ctx, f.acme, store.NewUser{Email: fmt.Sprintf("feed%d@acme.example", i), Name: fmt.Sprintf("Feed %d", i), Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		storm = append(storm, u.ID)
	}
	from, to := f.now, f.now.AddDate(0, 0, 14)
	lookups := func(n int) []time.Duration {
		ds := make([]time.Duration, 0, n)
		for range n {
			start := time.Now()
			av, err := f.svc.Busy(ctx, f.acme, asked, from, to)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
			if len(av.Events) != 50 || len(av.Unknown) != 0 {
				t.Fatalf("lookup: %d people with events, %d unknown", len(av.Events), len(av.Unknown))
			}
		}
		slices.Sort(ds)
		return ds
	}
	pct := func(ds []time.Duration, p int) time.Duration { return ds[len(ds)*p/100] }
	idle := lookups(100)

	// The storm: every feed added and read at once, eight at a time (as
	// the job queue's workers would).
	var wg sync.WaitGroup
	next := make(chan int64)
	for range 8 {
		wg.Go(func() {
			for id := range next {
				if _, err := f.svc.AddFeed(ctx, f.acme, calendars.Owner{UserID: id}, "Work", srv.URL+"/cal.ics"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	go func() {
		for _, id := range storm {
			next <- id
		}
		close(next)
	}()
	// Lookups run while the storm's syncs write, and go on once the
	// feed server holds every further read.
	done := make(chan []time.Duration)
	go func() {
		var ds []time.Duration
		for fetches.Load() <= passed {
			ds = append(ds, lookups(10)...)
		}
		done <- append(ds, lookups(50)...)
	}()
	var busy []time.Duration
	select {
	case busy = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("busy lookups did not finish while calendar servers held their answers: they wait for syncs")
	}
	held := fetches.Load() - passed
	close(gate)
	wg.Wait()
	if held <= 0 {
		t.Fatal("no feed read was held during the lookups: the test showed nothing")
	}
	slices.Sort(busy)
	t.Logf("busy lookup, 50 interviewers × 14 days: idle median %v p95 %v; during the storm (%d reads held): median %v p95 %v",
		pct(idle, 50), pct(idle, 95), held, pct(busy, 50), pct(busy, 95))
	if n := fetches.Load(); n < 500 {
		t.Fatalf("%d feed reads for 500 feeds", n)
	}
}
