package schedbench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"interviewplanner/scheduler/instancegen"
)

func TestRunPrintsOneRowPerFamily(t *testing.T) {
	var out bytes.Buffer
	err := Run(t.Context(), &out, Options{
		Families:  []instancegen.Family{instancegen.Small, instancegen.ManyTies, instancegen.Infeasible},
		Instances: 2, SkipCBC: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	t.Log("\n" + text)
	for _, want := range []string{"family", "p50", "p95", "alloc/op", "optimum_match", "small", "many-ties", "infeasible"} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestRunComparesWithCBC(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("cbc is required in CI: apt-get install coinor-cbc")
		}
		t.Skip("SKIPPING THE SOLVER COMPARISON: cbc not on PATH (apt-get install coinor-cbc)")
	}
	rows, err := Measure(t.Context(), Options{Families: []instancegen.Family{instancegen.Small}, Instances: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.OptimumOK != r.CBCRuns || r.CBCRuns != 2 {
		t.Fatalf("optimum_match %d/%d: %v", r.OptimumOK, r.CBCRuns, r.Mismatches)
	}
}

// TestFullTable prints the whole benchmark table; it runs only when asked:
// SCHEDBENCH=1 [SCHEDBENCH_N=20] [SCHEDBENCH_CBC_N=5] go test ./scheduler/schedbench -run FullTable -v -timeout 1h
func TestFullTable(t *testing.T) {
	if os.Getenv("SCHEDBENCH") == "" {
		t.Skip("set SCHEDBENCH=1 to print the full benchmark table")
	}
	n := 20
	if v := os.Getenv("SCHEDBENCH_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	cbcN := 0
	if v := os.Getenv("SCHEDBENCH_CBC_N"); v != "" {
		fmt.Sscan(v, &cbcN)
	}
	var out bytes.Buffer
	if err := Run(t.Context(), &out, Options{Instances: n, CBCInstances: cbcN}); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
}
