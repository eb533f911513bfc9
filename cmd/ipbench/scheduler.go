package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"interviewplanner/scheduler/instancegen"
	"interviewplanner/scheduler/schedbench"
)

// benchScheduler prints the scheduling engine's benchmark table: one row
// per instance family, and for small and medium the comparison with the
// COIN-OR CBC solver's proven optimum.
func benchScheduler(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ipbench scheduler", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("instances", 20, "instances per family")
	seed := fs.Uint64("seed", 1, "first seed (instance i uses seed+i)")
	families := fs.String("families", "", "comma-separated families (default: all)")
	cbcN := fs.Int("cbc-instances", 0, "compare the first N small and medium instances with CBC (0 = all)")
	skipCBC := fs.Bool("skip-cbc", false, "do not run the CBC comparison")
	cbcTimeout := fs.Duration("cbc-timeout", 3*time.Minute, "time limit per CBC run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := schedbench.Options{Instances: *n, Seed: *seed, SkipCBC: *skipCBC, CBCInstances: *cbcN, CBCTimeout: *cbcTimeout}
	if *families != "" {
		for _, f := range strings.Split(*families, ",") {
			fam, ok := familyByName(strings.TrimSpace(f))
			if !ok {
				return fmt.Errorf("unknown family %q (known: %v)", f, instancegen.Families)
			}
			opts.Families = append(opts.Families, fam)
		}
	}
	return schedbench.Run(ctx, stdout, opts)
}

func familyByName(name string) (instancegen.Family, bool) {
	for _, f := range instancegen.Families {
		if string(f) == name {
			return f, true
		}
	}
	return "", false
}
