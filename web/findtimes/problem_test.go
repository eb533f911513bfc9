package findtimes

import (
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
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
		{"no range: the next ten business days", domain.Stage{},
			time.Date(2026, 11, 25, 0, 0, 0, 0, ny), time.Date(2026, 12, 9, 0, 0, 0, 0, ny)},
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
	tests := []struct {
		name   string
		iv     scheduler.Interview
		room   bool
		reason scheduler.Reason
	}{
		{"pool too small", scheduler.Interview{ID: 1, Name: "Panel", Interviewers: 2, Pool: []int64{7}}, false, scheduler.ReasonNoInterviewerFree},
		{"room needed, none exist", scheduler.Interview{ID: 1, Name: "Onsite", Interviewers: 1, Pool: []int64{7}}, true, scheduler.ReasonNoRoom},
		{"fine", scheduler.Interview{ID: 1, Name: "Chat", Interviewers: 1, Pool: []int64{7}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Input{Stage: &domain.Stage{Interviews: []domain.Interview{{ID: 1, Name: tt.iv.Name, RoomRequired: tt.room}}}}
			in.Problem.Interviews = []scheduler.Interview{tt.iv}
			e := precheck(in)
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
