package calendars_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/store/calendarstore"
)

type fakeProvider struct{ err error }

func (fakeProvider) Kind() string { return calendarstore.KindMicrosoft }

func (p fakeProvider) Read(_ context.Context, src *calendarstore.Source, from, to time.Time) (*calendarstore.Result, error) {
	if p.err != nil {
		return nil, p.err
	}
	return &calendarstore.Result{From: from, To: to, EventCount: 1,
		Busy: []calendarstore.Busy{{Start: day(9, 0), End: day(10, 0), Kind: "busy", Title: "Board review"}}}, nil
}

// A provider's sources are read through it, cached like any other, and a
// failing connection makes exactly its people unknown.
func TestProviderSourcesSyncThroughProvider(t *testing.T) {
	f := mustFixture(t, calendars.Config{})
	ctx := t.Context()
	f.svc.AddProvider(fakeProvider{})
	added, _, err := f.svc.SetProviderSources(ctx, f.acme, calendarstore.KindMicrosoft, []calendars.ProviderSource{{UserID: f.priya.ID, Name: "Outlook calendar"}})
	if err != nil || len(added) != 1 {
		t.Fatalf("added %v, %v", added, err)
	}
	if err := f.svc.Sync(ctx, f.acme, added[0]); err != nil {
		t.Fatal(err)
	}
	av, err := f.svc.Busy(ctx, f.acme, []int64{f.priya.ID}, day(0, 0), day(23, 0))
	if err != nil || titles(av.Events[f.priya.ID]) != "Mar 3 09:00 Board review" || len(av.Unknown) != 0 {
		t.Fatalf("busy = %+v, %v", av, err)
	}
	if err := f.svc.FailProviderSources(ctx, f.acme, calendarstore.KindMicrosoft, "Microsoft 365 needs reconnecting"); err != nil {
		t.Fatal(err)
	}
	av, _ = f.svc.Busy(ctx, f.acme, []int64{f.priya.ID, f.arjun.ID}, day(0, 0), day(23, 0))
	if len(av.Unknown[f.priya.ID]) != 1 || len(av.Unknown[f.arjun.ID]) != 0 {
		t.Fatalf("unknown = %+v", av.Unknown)
	}
	f.svc.AddProvider(fakeProvider{err: errors.New("Graph answered 403")})
	_ = f.svc.Sync(ctx, f.acme, added[0])
	src, _ := f.svc.Store.GetSource(ctx, f.acme, added[0])
	if src.State != calendarstore.StateFailing || src.Error != "Graph answered 403" {
		t.Fatalf("source = %s %q", src.State, src.Error)
	}
}
