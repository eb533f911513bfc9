package hiringstore_test

import (
	"testing"

	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// The candidates list's filters read ListJobNames: the same jobs, stages and
// order as ListJobs, a job without stages included, another account's left out.
func TestListJobNamesMatchesListJobs(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	empty, err := f.s.CreateJob(ctx, f.account.ID, domain.Job{Title: "Aardvark keeper"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Onsite", "Offer chat"} {
		if _, err := f.s.CreateStage(ctx, f.account.ID, domain.Stage{JobID: f.job.ID, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	foreign, err := f.s.CreateJob(ctx, f.other.ID, domain.Job{Title: "Elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateStage(ctx, f.other.ID, domain.Stage{JobID: foreign.ID, Name: "Theirs"}); err != nil {
		t.Fatal(err)
	}

	full, err := f.s.ListJobs(ctx, f.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want []hiringstore.JobNames
	for _, j := range full {
		n := hiringstore.JobNames{ID: j.ID, Title: j.Title}
		for _, st := range j.Stages {
			n.Stages = append(n.Stages, hiringstore.StageName{ID: st.ID, Name: st.Name})
		}
		want = append(want, n)
	}
	got, err := f.s.ListJobNames(ctx, f.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 2 {
		t.Fatalf("got %d jobs, want %d (and at least 2): %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Title != want[i].Title || len(got[i].Stages) != len(want[i].Stages) {
			t.Fatalf("job %d: got %+v, want %+v", i, got[i], want[i])
		}
		for k := range want[i].Stages {
			if got[i].Stages[k] != want[i].Stages[k] {
				t.Fatalf("job %d stage %d: got %+v, want %+v", i, k, got[i].Stages[k], want[i].Stages[k])
			}
		}
		if got[i].ID == foreign.ID {
			t.Fatalf("another account's job listed: %+v", got[i])
		}
	}
	if got[0].ID != empty.ID || len(got[0].Stages) != 0 {
		t.Fatalf("the job without stages should come first by title, with no stages: %+v", got[0])
	}
	if n := len(got[1].Stages); n < 3 {
		t.Fatalf("the fixture's job should list its 3 stages in order, got %d: %+v", n, got[1])
	}
}
