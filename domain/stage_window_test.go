package domain

import (
	"testing"
	"time"
)

func TestWithinHoursCutsEachDateLikeFindTimes(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, ny) }
	tests := []struct {
		name             string
		startMin, endMin int
		s, e             time.Time
		want             bool
	}{
		{"inside", 9 * 60, 17 * 60, at(2, 9, 0), at(2, 10, 0), true},
		{"ends exactly at the end", 9 * 60, 17 * 60, at(2, 16, 0), at(2, 17, 0), true},
		{"runs past the end", 9 * 60, 17 * 60, at(2, 16, 30), at(2, 17, 30), false},
		{"starts before", 9 * 60, 17 * 60, at(2, 8, 45), at(2, 9, 45), false},
		{"past midnight when both dates allow it", 0, 24 * 60, at(2, 23, 30), at(3, 0, 30), true},
		{"past midnight into a date that starts later", 18 * 60, 24 * 60, at(2, 23, 30), at(3, 0, 30), false},
		// 1 November: 01:00–02:00 happens twice; a 2-hour interview from
		// 00:30 ends at 01:30 EST, inside 00:00–03:00 on the wall clock.
		{"fall-back night", 0, 3 * 60, at(1, 0, 30), at(1, 0, 30).Add(2 * time.Hour), true},
		{"fall-back night, wall-clock end passed", 0, 2 * 60, at(1, 0, 30), at(1, 0, 30).Add(3 * time.Hour), false},
	}
	for _, tt := range tests {
		if got := WithinHours(tt.startMin, tt.endMin, tt.s, tt.e, ny); got != tt.want {
			t.Errorf("%s: WithinHours = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAllowedDaysCountFromTheCandidatesToday(t *testing.T) {
	sydney, _ := time.LoadLocation("Australia/Sydney")
	// 20:00 UTC on 1 December is already 2 December in Sydney.
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	st := Stage{EarliestDayOffset: 1, LatestDayOffset: 3}
	from, to := st.AllowedDays(now, sydney)
	if want := time.Date(2026, 12, 3, 0, 0, 0, 0, sydney); !from.Equal(want) {
		t.Errorf("from %v, want %v", from, want)
	}
	if want := time.Date(2026, 12, 6, 0, 0, 0, 0, sydney); !to.Equal(want) {
		t.Errorf("to %v, want %v", to, want)
	}
	if s := NewStage(1, "Chat", VideoOff); s.AllowedStartMinute != 9*60 || s.AllowedEndMinute != 17*60 || s.LatestDayOffset != 14 {
		t.Errorf("new stage %+v, want 09:00–17:00 and latest day 14", s)
	}
}
