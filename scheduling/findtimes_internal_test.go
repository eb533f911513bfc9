package scheduling

import (
	"fmt"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/storetest"
)

func mustLoc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func TestSearchWindow(t *testing.T) {
	t.Parallel()
	ny := mustLoc(t, "America/New_York")
	// Tuesday 24 November 2026, 14:07 in New York.
	now := time.Date(2026, 11, 24, 14, 7, 0, 0, ny)
	tests := []struct {
		name     string
		stage    domain.Stage
		from, to time.Time
	}{
		{"stage range starting tomorrow", domain.Stage{EarliestDayOffset: 1, LatestDayOffset: 3},
			time.Date(2026, 11, 25, 0, 0, 0, 0, ny), time.Date(2026, 11, 28, 0, 0, 0, 0, ny)},
		{"range from today starts at the next grid step", domain.Stage{LatestDayOffset: 1},
			time.Date(2026, 11, 24, 14, 15, 0, 0, ny), time.Date(2026, 11, 26, 0, 0, 0, 0, ny)},
		{"days 0 to 0: the rest of today, as confirming allows", domain.Stage{},
			time.Date(2026, 11, 24, 14, 15, 0, 0, ny), time.Date(2026, 11, 25, 0, 0, 0, 0, ny)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := searchWindow(&tt.stage, now.UTC(), ny)
			if !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("window %v – %v, want %v – %v", from.In(ny), to.In(ny), tt.from, tt.to)
			}
		})
	}
}

func TestClipToAllowedKeepsStageHoursAcrossDST(t *testing.T) {
	t.Parallel()
	ny := mustLoc(t, "America/New_York")
	st := &domain.Stage{AllowedStartMinute: 9 * 60, AllowedEndMinute: 17 * 60}
	// Saturday 31 October to Tuesday 3 November 2026: the clocks go back on
	// Sunday 1 November, so 09:00 is 13:00 UTC before and 14:00 UTC after.
	from, to := time.Date(2026, 10, 31, 0, 0, 0, 0, ny), time.Date(2026, 11, 3, 0, 0, 0, 0, ny)
	got := clipToAllowed(businessDays(from, to, ny), st, from, to, ny)
	want := []scheduler.Interval{{Start: time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 2, 22, 0, 0, 0, time.UTC)}}
	if len(got) != len(want) || !got[0].Start.Equal(want[0].Start) || !got[0].End.Equal(want[0].End) {
		t.Fatalf("windows %v, want %v", got, want)
	}
	// A window across two days is cut to the hours of each.
	w := []scheduler.Interval{{Start: time.Date(2026, 10, 30, 12, 0, 0, 0, ny), End: time.Date(2026, 11, 2, 10, 0, 0, 0, ny)}}
	got = clipToAllowed(w, st, time.Date(2026, 10, 30, 0, 0, 0, 0, ny), to, ny)
	if len(got) != 4 {
		t.Fatalf("windows %v, want 4 (Friday afternoon, Saturday, Sunday, Monday morning)", got)
	}
	if !got[0].Start.Equal(time.Date(2026, 10, 30, 12, 0, 0, 0, ny)) || !got[3].End.Equal(time.Date(2026, 11, 2, 10, 0, 0, 0, ny)) {
		t.Errorf("first or last window wrong: %v", got)
	}
}

func TestPrecheckExplainsWhatNoSearchFixes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		iv     scheduler.Interview
		room   bool
		reason scheduler.Reason
		over   bool
	}{
		{"the stage's days are over", scheduler.Interview{ID: 1, Name: "Chat", Interviewers: 1, Pool: []int64{7}}, false, scheduler.ReasonCandidateUnavailable, true},
		{"pool too small", scheduler.Interview{ID: 1, Name: "Panel", Interviewers: 2, Pool: []int64{7}}, false, scheduler.ReasonNoInterviewerFree, false},
		{"room needed, none exist", scheduler.Interview{ID: 1, Name: "Onsite", Interviewers: 1, Pool: []int64{7}}, true, scheduler.ReasonNoRoom, false},
		{"fine", scheduler.Interview{ID: 1, Name: "Chat", Interviewers: 1, Pool: []int64{7}}, false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &FindInput{Stage: &domain.Stage{Interviews: []domain.Interview{{ID: 1, Name: tt.iv.Name, RoomRequired: tt.room}}}, CandLoc: time.UTC}
			in.Problem.Interviews = []scheduler.Interview{tt.iv}
			day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
			in.Problem.Window = scheduler.Interval{Start: day, End: day.Add(24 * time.Hour)}
			if tt.over {
				// Today only, and today is over.
				in.Problem.Window.Start = in.Problem.Window.End
			}
			e := Precheck(in)
			if tt.reason == "" {
				if e != nil {
					t.Fatalf("unexpected explanation %+v", e)
				}
				return
			}
			if e == nil || len(e.Blockers) != 1 || e.Blockers[0].Reason != tt.reason {
				t.Fatalf("explanation %+v, want one %s blocker", e, tt.reason)
			}
		})
	}
}

func TestLoopRulesStayValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stage  domain.Stage
		maxGap time.Duration
		lunch  *scheduler.Lunch
	}{
		{"none", domain.Stage{BufferMinutes: 10}, 0, nil},
		{"gap rounds up like the buffer", domain.Stage{BufferMinutes: 10, MaxGapMinutes: 50}, time.Hour, nil},
		{"lunch in the default window", domain.Stage{LunchMinutes: 30},
			0, &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 11*60 + 30, EndMin: 13*60 + 30}, Length: 30 * time.Minute}},
		{"a window off the grid goes as stated", domain.Stage{LunchMinutes: 40, LunchStartMinute: 11*60 + 40, LunchEndMinute: 13*60 + 40, MaxGapMinutes: 40},
			45 * time.Minute, &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 11*60 + 40, EndMin: 13*60 + 40}, Length: 40 * time.Minute}},
		{"a lunch filling its window exactly", domain.Stage{LunchMinutes: 40, LunchStartMinute: 12 * 60, LunchEndMinute: 12*60 + 40},
			0, &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 12 * 60, EndMin: 12*60 + 40}, Length: 40 * time.Minute}},
		{"late window", domain.Stage{LunchMinutes: 50, LunchStartMinute: 23*60 + 5, LunchEndMinute: 23*60 + 55},
			0, &scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 23*60 + 5, EndMin: 23*60 + 55}, Length: 50 * time.Minute}},
		{"a stored gap below the buffer is raised to it", domain.Stage{BufferMinutes: 30, MaxGapMinutes: 20}, 30 * time.Minute, nil},
	}
	ny := mustLoc(t, "America/New_York")
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, ny)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buffer := roundUp(time.Duration(tt.stage.BufferMinutes)*time.Minute, Grid)
			gap, lunch := loopRules(&tt.stage, buffer)
			if gap != tt.maxGap {
				t.Errorf("max gap = %v, want %v", gap, tt.maxGap)
			}
			if (lunch == nil) != (tt.lunch == nil) || lunch != nil && *lunch != *tt.lunch {
				t.Errorf("lunch = %+v, want %+v", lunch, tt.lunch)
			}
			p := scheduler.Problem{
				Interviews:   []scheduler.Interview{{ID: 1, Duration: time.Hour, Interviewers: 1, Pool: []int64{7}}},
				Interviewers: []scheduler.Interviewer{{ID: 7, Location: ny}},
				Rules:        scheduler.Rules{Buffer: buffer, MaxGap: gap, Lunch: lunch},
				Candidate:    scheduler.Candidate{Location: ny},
				Window:       scheduler.Interval{Start: from, End: from.AddDate(0, 0, 1)},
				Granularity:  Grid,
			}
			if err := scheduler.Validate(p); err != nil {
				t.Errorf("the engine rejects the rules: %v", err)
			}
		})
	}
}

// TestBuildCarriesLoopRulesAndPreferences saves a stage with a longest gap
// and a lunch break, an interviewer's preferred hours and a candidate's
// preferred time of day, and checks Build hands all of them to the engine.
func TestBuildCarriesLoopRulesAndPreferences(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := storetest.MustOpen(t)
	hs := hiringstore.New(db)
	acct, err := db.CreateAccount(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, zone := range []string{"Europe/London", "Asia/Kolkata"} {
		u, err := db.CreateUser(ctx, acct.ID, store.NewUser{Email: fmt.Sprintf("i%d@example.com", i), Name: fmt.Sprintf("Interviewer %d", i), Role: domain.RoleInterviewer, TimeZone: zone})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if err := hs.UpdateProfile(ctx, domain.InterviewerProfile{AccountID: acct.ID, UserID: ids[0], TimeZone: "Europe/London", Hours: domain.DefaultWorkingHours(),
		PreferredStartMinute: 9 * 60, PreferredEndMinute: 12 * 60}); err != nil {
		t.Fatal(err)
	}
	job, err := hs.CreateJob(ctx, acct.ID, domain.Job{Title: "Backend Engineer"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := hs.CreateStage(ctx, acct.ID, domain.Stage{JobID: job.ID, Name: "Onsite", BufferMinutes: 10, MaxGapMinutes: 50, LunchMinutes: 40,
		LunchStartMinute: 12 * 60, LunchEndMinute: 12*60 + 40, EarliestDayOffset: 1, LatestDayOffset: 10,
		Interviews: []domain.Interview{{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: ids}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := hs.CreateCandidate(ctx, acct.ID, domain.Candidate{Name: "Grace Hopper", Email: "grace@candidate.example", TimeZone: "America/New_York",
		JobID: job.ID, StageID: st.ID, PreferredStartMinute: 14 * 60, PreferredEndMinute: 17 * 60})
	if err != nil {
		t.Fatal(err)
	}
	ny := mustLoc(t, "America/New_York")
	// Wednesday 28 October 2026; the clocks go back on Sunday 1 November.
	now := time.Date(2026, 10, 28, 12, 0, 0, 0, ny)
	in, err := (&Builder{Store: hs, Now: func() time.Time { return now }}).Build(ctx, acct.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := in.Problem
	if err := scheduler.Validate(p); err != nil {
		t.Fatalf("the engine rejects the problem: %v", err)
	}
	if p.Rules.MaxGap != time.Hour || p.Rules.Buffer != 15*time.Minute {
		t.Errorf("max gap %v, buffer %v; want 1h and 15m (rounded up to the grid)", p.Rules.MaxGap, p.Rules.Buffer)
	}
	wantLunch := scheduler.Lunch{Window: scheduler.ClockRange{StartMin: 12 * 60, EndMin: 12*60 + 40}, Length: 40 * time.Minute} // as the stage states it
	if p.Rules.Lunch == nil || *p.Rules.Lunch != wantLunch {
		t.Errorf("lunch %+v, want %+v", p.Rules.Lunch, wantLunch)
	}
	for _, iv := range p.Interviewers {
		want := scheduler.ClockRange{}
		if iv.ID == ids[0] {
			want = scheduler.ClockRange{StartMin: 9 * 60, EndMin: 12 * 60}
		}
		if iv.Preferred != want {
			t.Errorf("interviewer %d preferred %+v, want %+v", iv.ID, iv.Preferred, want)
		}
	}
	// 29 October to 7 November: 14:00–17:00 in New York on each of the ten
	// dates, 18:00 UTC before the clocks go back and 19:00 UTC after.
	pref := p.Candidate.Preferred
	if len(pref) != 10 {
		t.Fatalf("candidate preferred %d intervals, want 10: %v", len(pref), pref)
	}
	for i, iv := range pref {
		d := time.Date(2026, 10, 29+i, 14, 0, 0, 0, ny)
		if !iv.Start.Equal(d) || !iv.End.Equal(d.Add(3*time.Hour)) {
			t.Errorf("preferred interval %d = %v – %v, want %v – %v", i, iv.Start, iv.End, d, d.Add(3*time.Hour))
		}
	}
	if got := pref[0].Start.UTC().Hour(); got != 18 {
		t.Errorf("29 October preferred start at %d:00 UTC, want 18:00", got)
	}
	if got := pref[9].Start.UTC().Hour(); got != 19 {
		t.Errorf("7 November preferred start at %d:00 UTC, want 19:00", got)
	}
}
