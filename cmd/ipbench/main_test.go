package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestBenchSchedulerPrintsTheTable(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"scheduler", "--instances", "1", "--skip-cbc", "--families", "small,infeasible"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"family", "p50", "p95", "max", "options", "alloc/op", "cbc_p50", "optimum_match", "small", "infeasible"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(t.Context(), []string{"scheduler", "--families", "huge"}, &out, &out); err == nil {
		t.Fatal("unknown family accepted")
	}
}
