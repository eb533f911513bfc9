package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The server binary links neither the benchmark-only packages (they live
// in cmd/ipbench) nor test helpers.
func TestServerLinksNoBenchmarkOrTestPackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{"interviewplanner/scheduler/lpmodel", "interviewplanner/scheduler/instancegen",
		"interviewplanner/scheduler/schedbench", "testing", "testing/fstest", "github.com/chromedp/chromedp"}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	if !deps["interviewplanner/app"] {
		t.Fatalf("go list -deps printed no application packages:\n%s", out)
	}
	for _, p := range forbidden {
		if deps[p] {
			t.Errorf("the server binary links %s", p)
		}
	}
}
