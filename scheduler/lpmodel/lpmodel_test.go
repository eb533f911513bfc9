package lpmodel_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
	"interviewplanner/scheduler/lpmodel"
)

func TestWriteProducesCPLEXLP(t *testing.T) {
	var buf bytes.Buffer
	st, err := lpmodel.Write(&buf, instancegen.MustGenerate(instancegen.Small, 0))
	if err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"Minimize", "Subject To", "Binaries", "End"} {
		if !strings.Contains(text, want) {
			t.Errorf("model lacks section %q", want)
		}
	}
	if st.Vars == 0 || st.Rows == 0 {
		t.Errorf("empty model: %+v", st)
	}
}

func TestWriteRejectsInvalidProblems(t *testing.T) {
	if _, err := lpmodel.Write(&bytes.Buffer{}, scheduler.Problem{}); err == nil {
		t.Fatal("empty problem accepted")
	}
}

// MustCBC skips (or, under CI=true, fails) when the solver is missing.
func MustCBC(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("cbc"); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("cbc is required in CI (apt-get install coinor-cbc)")
		}
		tb.Skip("!!! SKIPPING THE CBC COMPARISON: cbc is not on PATH; install Debian package coinor-cbc !!!")
	}
}

func TestEngineMatchesCBCOptimum(t *testing.T) {
	MustCBC(t)
	cases := []struct {
		family instancegen.Family
		seeds  int
	}{{instancegen.Small, 6}, {instancegen.Medium, 4}, {instancegen.ExactlyOne, 1}, {instancegen.Infeasible, 1}}
	for _, c := range cases {
		for seed := range uint64(c.seeds) {
			p := instancegen.MustGenerate(c.family, seed)
			res, err := scheduler.Find(t.Context(), p)
			if err != nil {
				t.Fatal(err)
			}
			sol, err := lpmodel.Solve(t.Context(), p, lpmodel.SolveOptions{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case len(res.Options) == 0:
				if sol.Status != lpmodel.Infeasible {
					t.Errorf("%s/%d: engine found nothing, cbc says %s %d", c.family, seed, sol.Status, sol.Objective)
				}
			case sol.Status != lpmodel.Optimal || sol.Objective != res.Options[0].Score:
				t.Errorf("%s/%d: engine best %d, cbc %s %d", c.family, seed, res.Options[0].Score, sol.Status, sol.Objective)
			}
		}
	}
}
