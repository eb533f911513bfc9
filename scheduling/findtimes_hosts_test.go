package scheduling_test

import (
	"context"
	"testing"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/scheduling"
)

// TestFindTimesPlansHostsAsTheWorkerAssigns: the meeting worker gives a
// meeting to the interviewers' own Zoom users, else to the user who
// connected Zoom — never to any other Zoom user. With the connecting user
// busy all along, Find times proposes only schedules whose interviewers
// host their own meetings, and names that host; with no such interviewer
// it proposes nothing and says why, instead of a schedule whose meetings
// would fail with "every possible Zoom host is busy".
func TestFindTimesPlansHostsAsTheWorkerAssigns(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := context.Background()
	now := time.Now()
	// The connecting user hosts meetings all through the search; another
	// Zoom user, who interviews nobody, is free.
	busy := availability.NewBusy()
	busy.Hosts["H-default"] = []availability.Interval{{Start: now.AddDate(0, 0, -30), End: now.AddDate(0, 0, 120), Source: "zoom"}}
	avail := availability.New(availability.Bookings{Store: f.s}, calendar{busy: busy})
	hosts := []domain.VideoHost{{ID: "H-default", Email: "owner@example.com", Default: true}, {ID: "H-other", Email: "someone@example.com"}}
	run := func(hosts []domain.VideoHost) *scheduling.Search {
		t.Helper()
		b := &scheduling.Builder{Store: f.s, Availability: avail, Now: time.Now,
			Hosts: func(context.Context, int64) []domain.VideoHost { return hosts }}
		sr, err := b.Run(ctx, f.account.ID, f.candidate.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sr
	}

	sr := run(hosts)
	if len(sr.Result.Options) != 0 {
		t.Fatalf("%d options although every meeting would go to the busy connecting user: %+v", len(sr.Result.Options), sr.Result.Options[0])
	}
	if e := sr.Result.Explanation; e == nil || len(e.Blockers) == 0 || e.Blockers[0].Reason != scheduler.ReasonNoZoomHost {
		t.Fatalf("no options, explanation %+v: want the Zoom host named as the reason", e)
	}

	// Interviewers 0 and 2 have Zoom users of their own: only they can be
	// proposed, each hosting their own meeting.
	own := append(hosts, domain.VideoHost{ID: "H-0", Email: f.users[0].Email}, domain.VideoHost{ID: "H-2", Email: f.users[2].Email})
	sr = run(own)
	if len(sr.Result.Options) == 0 {
		t.Fatalf("no options with interviewers who host their own meetings: %+v", sr.Result.Explanation)
	}
	for _, o := range sr.Result.Options {
		for _, it := range o.Items {
			if len(it.Interviewers) != 1 || it.ZoomHostID == 0 {
				t.Fatalf("item %+v: want one interviewer and a host", it)
			}
			host := sr.In.Hosts[it.ZoomHostID-1]
			if host.Email != f.users[0].Email && host.Email != f.users[2].Email || sr.In.Users[it.Interviewers[0]].Email != host.Email {
				t.Errorf("interviewer %d planned with host %s (%s): the worker would give it the busy connecting user", it.Interviewers[0], host.ID, host.Email)
			}
		}
	}
}
