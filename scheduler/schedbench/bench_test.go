package schedbench

import (
	"testing"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
)

// BenchmarkFind runs the engine on a fixed set of instances per family:
// go test ./scheduler/schedbench -bench Find -run '^$'
func BenchmarkFind(b *testing.B) {
	for _, f := range instancegen.Families {
		b.Run(string(f), func(b *testing.B) {
			var ps []scheduler.Problem
			for seed := range uint64(8) {
				ps = append(ps, instancegen.MustGenerate(f, seed))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := scheduler.Find(b.Context(), ps[i%len(ps)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
