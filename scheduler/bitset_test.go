package scheduler

import (
	"math/rand/v2"
	"testing"
)

// runs and next must agree with allSet cell by cell, for every length and
// across word boundaries.
func TestBitsetRunsMatchAllSet(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		cells := 1 + r.IntN(300)
		b := newBitset(cells)
		for range r.IntN(12) {
			lo := r.IntN(cells)
			b.setRange(lo, lo+1+r.IntN(90))
		}
		if trial%3 == 0 {
			b.clearRange(r.IntN(cells), r.IntN(cells)+r.IntN(20))
		}
		for _, n := range []int{1, 2, 3, 4, 7, 8, 63, 64, 65, 130} {
			runs := b.runs(n)
			want := -1
			for k := cells - 1; k >= -1; k-- {
				if k >= 0 && b.allSet(k, k+n) != runs.has(k) {
					t.Fatalf("trial %d n=%d cell %d: runs=%v allSet=%v", trial, n, k, runs.has(k), b.allSet(k, k+n))
				}
				if k >= 0 && runs.has(k) {
					want = k
				}
				if k >= 0 {
					if got := runs.next(k); got != want && !(want == -1 && got >= cells) {
						t.Fatalf("trial %d n=%d next(%d) = %d, want %d", trial, n, k, got, want)
					}
				}
			}
		}
	}
}
