package availability_test

import (
	"testing"
	"time"

	"interviewplanner/availability"
)

func TestByAddressKnowsWhoseAnAddressIsWhateverItsCase(t *testing.T) {
	b := availability.NewByAddress("Provider", map[int64]string{7: "Ann@Example.com"}, map[int64]string{9: "paris@example.com"})
	if len(b.Addrs) != 2 || b.Addrs[0] != "Ann@Example.com" || b.Addrs[1] != "paris@example.com" {
		t.Fatalf("addresses %v", b.Addrs)
	}
	if !b.Asked("ann@example.COM") || b.Asked("bob@example.com") {
		t.Error("Asked does not fold case, or knows a stranger")
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b.Add("ann@example.com", availability.Interval{Start: at, End: at.Add(time.Hour)})
	b.Add("PARIS@example.com", availability.Interval{Start: at, End: at.Add(time.Hour)})
	b.Unknown("paris@example.com", "no answer")
	if len(b.Busy.Interviewers[7]) != 1 || len(b.Busy.Rooms[9]) != 1 {
		t.Errorf("busy %+v", b.Busy)
	}
	want := availability.Unknown{Resource: availability.ResourceRoom, ID: 9, Source: "Provider", Reason: "no answer"}
	if len(b.Busy.Unknown) != 1 || b.Busy.Unknown[0] != want {
		t.Errorf("unknown %+v, want %+v", b.Busy.Unknown, want)
	}
}

func TestWindowsCoverTheSpanWithoutOverlap(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(150 * time.Hour)
	var got [][2]time.Time
	for s, e := range availability.Windows(from, to, 61*time.Hour) {
		got = append(got, [2]time.Time{s, e})
	}
	want := [][2]time.Time{{from, from.Add(61 * time.Hour)}, {from.Add(61 * time.Hour), from.Add(122 * time.Hour)}, {from.Add(122 * time.Hour), to}}
	if len(got) != len(want) {
		t.Fatalf("windows %v", got)
	}
	for i := range want {
		if !got[i][0].Equal(want[i][0]) || !got[i][1].Equal(want[i][1]) {
			t.Errorf("window %d = %v, want %v", i, got[i], want[i])
		}
	}
	for range availability.Windows(to, from, time.Hour) {
		t.Error("an empty span has a window")
	}
}
