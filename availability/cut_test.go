package availability

import (
	"testing"
	"time"
)

func TestCut(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2030, 3, 4, h, 0, 0, 0, time.UTC) }
	ivs := []Interval{{Start: at(8), End: at(9)}, {Start: at(9), End: at(13), Title: "merged"}, {Start: at(14), End: at(15)}}
	got := Cut(ivs, at(10), at(11))
	want := []Interval{{Start: at(8), End: at(9)}, {Start: at(9), End: at(10), Title: "merged"}, {Start: at(11), End: at(13), Title: "merged"}, {Start: at(14), End: at(15)}}
	if len(got) != len(want) {
		t.Fatalf("Cut = %+v", got)
	}
	for i := range want {
		if !got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) || got[i].Title != want[i].Title {
			t.Errorf("piece %d = %v–%v %q, want %v–%v %q", i, got[i].Start, got[i].End, got[i].Title, want[i].Start, want[i].End, want[i].Title)
		}
	}
	if len(ivs) != 3 || !ivs[1].End.Equal(at(13)) {
		t.Errorf("Cut changed its input: %+v", ivs)
	}
	if got := Cut(ivs, at(8), at(15)); len(got) != 0 {
		t.Errorf("cutting everything left %+v", got)
	}
}
