package msconnect_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/msemu"
	"interviewplanner/msgraph"
)

// Two instances on one database asking through the scheduling mailbox at
// once, eight requests each: Outlook's four in flight per mailbox holds
// across them (none refused with 429) while they do run side by side.
func TestMailboxConcurrencyAcrossInstances(t *testing.T) {
	t.Parallel()
	f := mustFixtureEmu(t, msemu.Config{Latency: 100 * time.Millisecond}, "")
	f.connected(t, "other@globex.example")
	_, other := f.instance(t)
	ctx := t.Context()
	req := availability.Request{AccountID: f.admin.AccountID, From: at(3, 0), To: at(4, 0), Interviewers: []int64{f.priya.ID}}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		svc := f.svc
		if i%2 == 1 {
			svc = other
		}
		wg.Go(func() {
			if _, err := svc.Fresh().Busy(ctx, req); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if peak := f.emu.PeakInFlight("other@globex.example"); peak > msgraph.MailboxConcurrency || peak < 2 {
		t.Fatalf("peak in flight %d, want 2 to %d", peak, msgraph.MailboxConcurrency)
	}
	for _, r := range f.emu.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Fatalf("refused: %+v", r)
		}
	}
	// The same load from two clients that share nothing is refused: the
	// emulator does count.
	tenant := f.emu.TenantID()
	var refused sync.WaitGroup
	for range 16 {
		c := msgraph.New(msgraph.Config{ClientID: clientID, ClientSecret: secret, LoginURL: f.srv.URL, GraphURL: f.srv.URL + "/v1.0", MaxAttempts: 1})
		refused.Go(func() {
			_, _ = c.Tenant(tenant).GetSchedule(ctx, "priya@globex.example", msgraph.ScheduleRequest{Schedules: []string{"priya@globex.example"},
				StartTime: msgraph.FormatDateTime(at(3, 0)), EndTime: msgraph.FormatDateTime(at(4, 0)), AvailabilityViewInterval: 15})
		})
	}
	refused.Wait()
	n := 0
	for _, r := range f.emu.Requests() {
		if r.Status == http.StatusTooManyRequests {
			n++
		}
	}
	if n == 0 {
		t.Fatal("sixteen unshared clients were never refused")
	}
}
