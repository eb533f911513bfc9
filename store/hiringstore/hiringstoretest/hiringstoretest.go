// Package hiringstoretest builds, on a fresh test database, the company
// that hiring tests start from: four interviewers in New York, a job whose
// Zoom stage has two interviews with two people in each pool, a candidate,
// and a second company with one interviewer to prove nothing crosses
// accounts.
package hiringstoretest

import (
	"context"
	"fmt"
	"testing"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/storetest"
)

// Company is what MustCompany created.
type Company struct {
	Store     *hiringstore.Store
	Account   *domain.Account // Acme
	Other     *domain.Account // Globex
	Users     []*domain.User  // Acme's four interviewers
	Outsider  *domain.User    // Globex's interviewer
	Job       *domain.Job
	Stage     *domain.Stage // "Onsite", Zoom: Coding (users 0, 1), System design (users 2, 3)
	Candidate *domain.Candidate
}

// MustCompany creates the company on a database of its own.
func MustCompany(tb testing.TB) *Company {
	tb.Helper()
	ctx := context.Background()
	db := storetest.MustOpen(tb)
	c := &Company{Store: hiringstore.New(db)}
	var err error
	if c.Account, err = db.CreateAccount(ctx, "Acme"); err != nil {
		tb.Fatal(err)
	}
	if c.Other, err = db.CreateAccount(ctx, "Globex"); err != nil {
		tb.Fatal(err)
	}
	for i := range 4 {
		u, err := db.CreateUser(ctx, c.Account.ID, store.NewUser{Email: fmt.Sprintf("i%d@example.com", i), Name: fmt.Sprintf("Interviewer %d", i), Role: domain.RoleInterviewer, TimeZone: "America/New_York"})
		if err != nil {
			tb.Fatal(err)
		}
		c.Users = append(c.Users, u)
	}
	if c.Outsider, err = db.CreateUser(ctx, c.Other.ID, store.NewUser{Email: "kai@globex.example", Name: "Kai", Role: domain.RoleInterviewer, TimeZone: "Asia/Tokyo"}); err != nil {
		tb.Fatal(err)
	}
	if c.Job, err = c.Store.CreateJob(ctx, c.Account.ID, domain.Job{Title: "Backend Engineer"}); err != nil {
		tb.Fatal(err)
	}
	if c.Stage, err = c.Store.CreateStage(ctx, c.Account.ID, domain.Stage{JobID: c.Job.ID, Name: "Onsite", Video: domain.VideoZoom, LatestDayOffset: 60, Interviews: []domain.Interview{
		{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{c.Users[0].ID, c.Users[1].ID}},
		{Name: "System design", DurationMinutes: 45, InterviewersNeeded: 1, Pool: []int64{c.Users[2].ID, c.Users[3].ID}},
	}}); err != nil {
		tb.Fatal(err)
	}
	if c.Candidate, err = c.Store.CreateCandidate(ctx, c.Account.ID, domain.Candidate{Name: "Grace Hopper", Email: "grace@candidate.example", TimeZone: "Europe/Berlin", JobID: c.Job.ID}); err != nil {
		tb.Fatal(err)
	}
	return c
}
