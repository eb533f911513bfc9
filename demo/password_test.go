package demo_test

import (
	"flag"
	"strconv"
	"strings"
	"testing"

	"interviewplanner/config"
	"interviewplanner/demo"
	"interviewplanner/password"
)

// TestShippedPasswordHash: the hash shipped for the demo password verifies
// it, refuses another, is at the full cost, and the password is the one
// the configuration defaults to.
func TestShippedPasswordHash(t *testing.T) {
	t.Parallel()
	if err := password.Verify(demo.DefaultPassword, demo.DefaultPasswordHash); err != nil {
		t.Errorf("the shipped hash does not verify %q: %v", demo.DefaultPassword, err)
	}
	if err := password.Verify("interviewplanner2", demo.DefaultPasswordHash); err == nil {
		t.Errorf("the shipped hash verifies another password")
	}
	p := password.Default
	if want := "$m=" + strconv.Itoa(int(p.Memory)) + ",t=" + strconv.Itoa(int(p.Time)) + ",p=" + strconv.Itoa(int(p.Threads)) + "$"; !strings.Contains(demo.DefaultPasswordHash, want) {
		t.Errorf("shipped hash %s is not at the default cost %s", demo.DefaultPasswordHash, want)
	}
	cfg, _, err := config.Parse(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DemoPassword != demo.DefaultPassword {
		t.Errorf("the configuration's demo password is %q, the shipped hash is of %q", cfg.DemoPassword, demo.DefaultPassword)
	}
}
