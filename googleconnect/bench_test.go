package googleconnect_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/googleemu"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
)

// BenchmarkInitialSyncDelegated measures the first full sync with
// delegation: IP_BENCH_PEOPLE interviewers (default 50) with 300 events
// each over 60 days, read through events.list into the busy cache, one
// source after another. The size is 2,000 people.
func BenchmarkInitialSyncDelegated(b *testing.B) {
	people := 50
	if v := getenvInt("IP_BENCH_PEOPLE"); v > 0 {
		people = v
	}
	for b.Loop() {
		b.StopTimer()
		f := newBenchFixture(b, people)
		srcs, _ := f.cals.Store.ListSources(b.Context(), f.acme, calendarstore.SourceFilter{})
		b.StartTimer()
		start := time.Now()
		for _, s := range srcs {
			if err := f.cals.Sync(b.Context(), f.acme, s.ID); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(len(srcs)), "ms/person")
	}
}

func getenvInt(k string) int {
	n, _ := strconv.Atoi(os.Getenv(k))
	return n
}

func newBenchFixture(b *testing.B, people int) *fixture {
	f := newFixture(b)
	ctx := b.Context()
	now := time.Now().UTC().Truncate(time.Hour)
	for i := range people {
		email := fmt.Sprintf("p%04d@example.com", i)
		if _, err := f.emu.AddUser(googleemu.NewUser{Email: email, GivenName: "P", FamilyName: fmt.Sprint(i), TimeZone: "America/New_York"}); err != nil {
			b.Fatal(err)
		}
		if _, err := f.db.CreateUser(ctx, f.acme, store.NewUser{Email: email, Name: email, Role: domain.RoleInterviewer, TimeZone: "America/New_York"}); err != nil {
			b.Fatal(err)
		}
		for j := range 300 {
			// 300 events over 60 days: five a day, on the hour from 9:00.
			s := now.Truncate(24*time.Hour).AddDate(0, 0, j/5).Add(time.Duration(9+j%5*2) * time.Hour)
			_ = f.emu.PutEvent(email, &calendar.Event{Id: fmt.Sprintf("e%04d", j), Summary: "Meeting",
				Start: &calendar.EventDateTime{DateTime: s.Format(time.RFC3339)}, End: &calendar.EventDateTime{DateTime: s.Add(30 * time.Minute).Format(time.RFC3339)}})
		}
	}
	_ = f.emu.GrantDWD("example.com", f.saID, googleconnect.Scopes)
	if _, err := f.svc.ConnectServiceAccount(ctx, f.admin, f.keyFile, "admin@example.com"); err != nil {
		b.Fatal(err)
	}
	return f
}
