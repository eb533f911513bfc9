package calendars_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/storetest"
)

// BenchmarkBusyLookup: 50 interviewers' calendar busy time over 14 days,
// from the cache, with 90 days of 8 events a day cached for each (36,000
// rows). Target: under 2 ms.
func BenchmarkBusyLookup(b *testing.B) {
	ctx := b.Context()
	db := storetest.MustOpen(b)
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	acc, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		b.Fatal(err)
	}
	svc := calendars.New(calendars.Config{DB: db})
	var ids []int64
	for i := range 50 {
		u, err := db.CreateUser(ctx, acc.ID, store.NewUser{Email: fmt.Sprintf("i%d@acme.example", i), Name: fmt.Sprintf("I %d", i), Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, u.ID)
		src, err := svc.Store.CreateSource(ctx, calendarstore.NewSource{AccountID: acc.ID, UserID: u.ID, Kind: calendarstore.KindUpload, Name: "x"})
		if err != nil {
			b.Fatal(err)
		}
		var busy []calendarstore.Busy
		for d := range 90 {
			for h := range 8 {
				s := now.AddDate(0, 0, d).Truncate(24 * time.Hour).Add(time.Duration(8+h) * time.Hour)
				busy = append(busy, calendarstore.Busy{Start: s, End: s.Add(30 * time.Minute), Kind: "busy", Title: "Meeting"})
			}
		}
		if err := svc.Store.UpdateSyncSuccess(ctx, acc.ID, src, calendarstore.Result{From: now.Add(-24 * time.Hour), To: now.AddDate(0, 0, 90), Busy: busy}); err != nil {
			b.Fatal(err)
		}
	}
	from, to := now, now.AddDate(0, 0, 14)
	var events int
	if _, err := svc.Busy(ctx, acc.ID, ids, from, to); err != nil { // fills the in-memory copy
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	for b.Loop() {
		av, err := svc.Busy(ctx, acc.ID, ids, from, to)
		if err != nil {
			b.Fatal(err)
		}
		events = 0
		for _, es := range av.Events {
			events += len(es)
		}
	}
	if events != 50*14*8 {
		b.Fatalf("events = %d", events)
	}
	b.ReportMetric(float64(events), "events")
	// CPU time, which a busy shared machine does not inflate as it does wall time.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
