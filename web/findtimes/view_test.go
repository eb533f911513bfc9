package findtimes

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/scheduler"
	"interviewplanner/scheduling"
)

// TestDayTimelineHasHoursWorkingHoursAndBusyBlocks draws one option for a
// candidate in Kolkata (+05:30, so local hours are not UTC hours) with an
// interviewer in New York who has a busy block that day.
func TestDayTimelineHasHoursWorkingHoursAndBusyBlocks(t *testing.T) {
	t.Parallel()
	kolkata, ny := mustLoc(t, "Asia/Kolkata"), mustLoc(t, "America/New_York")
	start := time.Date(2026, 12, 8, 19, 30, 0, 0, kolkata) // 09:00 in New York
	in := &scheduling.FindInput{
		Candidate: &domain.Candidate{Name: "Asha"},
		Stage:     &domain.Stage{AllowedStartMinute: 18 * 60, AllowedEndMinute: 23 * 60, Interviews: []domain.Interview{{ID: 1, Name: "Coding", DurationMinutes: 60}}},
		CandLoc:   kolkata,
		Users:     map[int64]*domain.User{7: {ID: 7, Name: "Noah"}},
		Busy:      map[int64][]scheduler.Interval{7: {{Start: start.Add(2 * time.Hour), End: start.Add(150 * time.Minute)}}},
	}
	hours := [7][]scheduler.ClockRange{}
	for d := range hours {
		hours[d] = []scheduler.ClockRange{{StartMin: 9 * 60, EndMin: 17 * 60}}
	}
	in.Problem.Interviewers = []scheduler.Interviewer{{ID: 7, Location: ny, Hours: hours}}
	in.Problem.Candidate.Windows = []scheduler.Interval{{Start: start.Add(-time.Hour), End: start.Add(3 * time.Hour)}}
	o := scheduler.Option{Items: []scheduler.Item{{InterviewID: 1, Start: start, End: start.Add(time.Hour), Interviewers: []int64{7}}}}
	ov := newOption(in, "America/New_York", 1, o, [][]int64{{}}, "/x")

	// 18:00–23:00 candidate time: six marks, on Kolkata's hours.
	if len(ov.Marks) != 6 || ov.Marks[0].Label != "18" || ov.Marks[5].Label != "23" || ov.Marks[0].X != "0.00" || ov.Marks[5].X != "100.00" {
		t.Fatalf("hour marks %+v, want 18 to 23 from 0%% to 100%%", ov.Marks)
	}
	if ov.Marks[1].X != "20.00" {
		t.Errorf("19:00 at %s%%, want 20.00", ov.Marks[1].X)
	}
	if len(ov.Lanes) != 2 {
		t.Fatalf("%d lanes, want the candidate and Noah", len(ov.Lanes))
	}
	kinds := map[string][]block{}
	for _, b := range ov.Lanes[1].Blocks {
		kinds[b.Kind] = append(kinds[b.Kind], b)
	}
	// Noah starts at 09:00 New York = 19:30 Kolkata: 18:00–19:30 is off.
	if off := kinds["off"]; len(off) != 1 || off[0].X != "0.00" || off[0].Width != "30.00" {
		t.Errorf("outside working hours %+v, want 0%% wide 30%%", off)
	}
	if busy := kinds["busy"]; len(busy) != 1 || busy[0].X != "70.00" || busy[0].Width != "10.00" {
		t.Errorf("busy %+v, want at 70%% wide 10%%", busy)
	}
	if itv := kinds["itv"]; len(itv) != 1 || itv[0].X != "30.00" {
		t.Errorf("interview %+v, want at 30%%", itv)
	}
	if ov.WhenYours != "Tue 8 Dec 09:00–10:00" || ov.WhenCandidate != "Tue 8 Dec 19:30–20:30" || ov.Sequence != "09:00 Coding" {
		t.Errorf("summary %q / %q / %q", ov.WhenYours, ov.WhenCandidate, ov.Sequence)
	}
	for _, b := range append(ov.Lanes[0].Blocks, ov.Lanes[1].Blocks...) {
		if x, err := strconv.ParseFloat(b.X, 64); err != nil || x < 0 || x > 100 {
			t.Errorf("block %+v off the timeline", b)
		}
	}
}

func TestSearchedDaysNameTheCandidatesDates(t *testing.T) {
	t.Parallel()
	sydney := mustLoc(t, "Australia/Sydney")
	in := &scheduling.FindInput{CandLoc: sydney}
	sun := time.Date(2026, 12, 6, 9, 0, 0, 0, sydney)
	in.Problem.Candidate.Windows = []scheduler.Interval{{Start: sun, End: sun.Add(8 * time.Hour)}}
	if got := searchedDays(in); len(got) != 1 || got[0] != "Sunday 6 December" {
		t.Fatalf("searched %v, want only Sunday 6 December", got)
	}
	in.Problem.Candidate.Windows = append(in.Problem.Candidate.Windows, scheduler.Interval{Start: sun.Add(14 * time.Hour), End: sun.Add(40 * time.Hour)})
	if got := searchedDays(in); len(got) != 3 || got[1] != "Monday 7 December" || got[2] != "Tuesday 8 December" {
		t.Fatalf("searched %v, want Sunday to Tuesday", got)
	}
}

func mustLoc(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// The timeline names interviewers' busy blocks: a calendar event by its
// title (a private one as "Busy"), our own interviews as such; a block
// wide enough carries its name, a narrow one only a tooltip.
func TestDayTimelineNamesCalendarEvents(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	start := time.Date(2026, 12, 8, 9, 0, 0, 0, ny)
	in := &scheduling.FindInput{
		Candidate: &domain.Candidate{Name: "Asha"},
		Stage:     &domain.Stage{AllowedStartMinute: 8 * 60, AllowedEndMinute: 18 * 60, Interviews: []domain.Interview{{ID: 1, Name: "Coding", DurationMinutes: 60}}},
		CandLoc:   ny,
		Users:     map[int64]*domain.User{7: {ID: 7, Name: "Noah"}},
		Busy: map[int64][]scheduler.Interval{7: {
			{Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour)},
			{Start: start.Add(4 * time.Hour), End: start.Add(5 * time.Hour)},
			{Start: start.Add(6 * time.Hour), End: start.Add(6*time.Hour + 5*time.Minute)},
		}},
		BusyLabels: map[int64][]string{7: {"Team standup and planning", "Busy", "Quick sync"}},
	}
	in.Problem.Interviewers = []scheduler.Interviewer{{ID: 7, Location: ny}}
	in.Problem.Candidate.Windows = []scheduler.Interval{{Start: start.Add(-time.Hour), End: start.Add(8 * time.Hour)}}
	o := scheduler.Option{Items: []scheduler.Item{{InterviewID: 1, Start: start, End: start.Add(time.Hour), Interviewers: []int64{7}}}}
	ov := newOption(in, "America/New_York", 1, o, [][]int64{{}}, "/x")
	var busy []block
	for _, b := range ov.Lanes[1].Blocks {
		if b.Kind == "busy" {
			busy = append(busy, b)
		}
	}
	if len(busy) != 3 || busy[0].Title != "Team standup and planning" || busy[1].Title != "Busy" || busy[2].Title != "Quick sync" {
		t.Fatalf("busy blocks %+v", busy)
	}
	if busy[0].Label == "" || !strings.HasPrefix("Team standup and planning", strings.TrimSuffix(busy[0].Label, "…")) || busy[1].Label != "Busy" {
		t.Errorf("labels %q, %q", busy[0].Label, busy[1].Label)
	}
	if busy[2].Label != "" {
		t.Errorf("a five-minute block carries the label %q", busy[2].Label)
	}
}
