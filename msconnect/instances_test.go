package msconnect_test

import (
	"net/http"
	"strings"
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

// Two instances just started on one database, sixteen callers, no token
// stored: the tenant's token is fetched once, and everyone uses it.
func TestTokenFetchedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	f := mustFixture(t, 0)
	f.connected(t, "other@globex.example")
	_, one := f.instance(t)
	_, other := f.instance(t)
	ctx := t.Context()
	acc := f.admin.AccountID
	tokens := func() int {
		n := 0
		for _, r := range f.emu.Requests() {
			if strings.HasSuffix(r.Path, "/oauth2/v2.0/token") {
				n++
			}
		}
		return n
	}
	tok, _ := f.svc.Store.GetToken(ctx, acc)
	if err := f.svc.Store.DeleteToken(ctx, acc, tok.Version); err != nil {
		t.Fatal(err)
	}
	before := tokens()
	req := availability.Request{AccountID: acc, From: at(3, 0), To: at(4, 0), Interviewers: []int64{f.priya.ID}}
	var wg sync.WaitGroup
	for i := range 16 {
		svc := one
		if i%2 == 1 {
			svc = other
		}
		wg.Go(func() {
			if _, err := svc.Fresh().Busy(ctx, req); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := tokens() - before; n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	if tok, _ := f.svc.Store.GetToken(ctx, acc); tok.Sealed == nil {
		t.Fatal("the new token was not stored")
	}
}
