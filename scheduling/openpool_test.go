package scheduling_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduling"
	"interviewplanner/store"
)

// TestOpenPoolIsBounded: an interview whose pool is left open to anyone
// searches the first domain.MaxOpenPool active people by name, and the
// named pools' members besides, not the whole company.
func TestOpenPoolIsBounded(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := context.Background()
	extra := domain.MaxOpenPool + 30
	for i := range extra {
		// Named to sort before the fixture's people ("Interviewer N"), so
		// their pool members fall outside the first page by name.
		if _, err := f.s.DB.CreateUser(ctx, f.account.ID, store.NewUser{Email: fmt.Sprintf("open%03d@example.com", i), Name: fmt.Sprintf("Able %03d", i),
			Role: domain.RoleInterviewer, TimeZone: "UTC"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := f.s.CreateStage(ctx, f.account.ID, domain.Stage{JobID: f.job.ID, Name: "Chat", LatestDayOffset: 30, Interviews: []domain.Interview{
		{Name: "Anyone", DurationMinutes: 30, InterviewersNeeded: 1},
		{Name: "Named", DurationMinutes: 30, InterviewersNeeded: 1, Pool: []int64{f.users[3].ID}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CreateCandidate(ctx, f.account.ID, domain.Candidate{Name: "Ada", Email: "ada@candidate.example", TimeZone: "UTC", JobID: f.job.ID, StageID: st.ID})
	if err != nil {
		t.Fatal(err)
	}
	in, err := (&scheduling.Builder{Store: f.s, Now: time.Now}).Build(ctx, f.account.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	open := in.Problem.Interviews[0].Pool
	if len(open) != domain.MaxOpenPool+1 { // the first 200 by name, and the named pool's member
		t.Errorf("open pool of %d people, want %d of %d", len(open), domain.MaxOpenPool+1, extra+4)
	}
	has := map[int64]bool{}
	for _, id := range open {
		has[id] = true
		if u := in.Users[id]; u == nil || !u.Active {
			t.Errorf("open pool has %d, not an active user of the search", id)
		}
	}
	if !has[f.users[3].ID] {
		t.Errorf("the named pool's member is not among the open pool's people")
	}
	if len(in.Users) > domain.MaxOpenPool+4 {
		t.Errorf("the search read %d users", len(in.Users))
	}
}
