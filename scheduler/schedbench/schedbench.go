// Package schedbench measures the scheduling engine on generated instance
// families and, for the small and medium ones, checks its best score
// against the proven optimum of COIN-OR CBC. The application exposes it as
// `ipbench scheduler`.
package schedbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
	"interviewplanner/scheduler/lpmodel"
)

// Options tune a run; zero values pick the defaults.
type Options struct {
	Families  []instancegen.Family // default: all
	Instances int                  // per family; default 20
	Seed      uint64               // first seed; instance i uses Seed+i
	// CBC is the solver binary ("" = "cbc" on PATH); SkipCBC turns the
	// comparison off.
	CBC     string
	SkipCBC bool
	// CBCTimeout limits each solver run; default 120 s.
	CBCTimeout time.Duration
	// CBCInstances limits the solver comparison to the first instances of
	// each family (0 = all); CBC needs about a second per medium instance.
	CBCInstances int
}

// Row is one family's measurements.
type Row struct {
	Family     instancegen.Family
	Instances  int
	P50, P95   time.Duration
	Max        time.Duration
	Options    float64 // mean options returned
	AllocBytes uint64  // mean bytes allocated per Find
	Feasible   int
	CBCRuns    int
	CBCP50     time.Duration
	OptimumOK  int // instances where the engine's best equals CBC's optimum
	Mismatches []string
	NotOptimal int // runs that hit the time budget
	compareCBC bool
}

// Run measures every family and prints one row each to w.
func Run(ctx context.Context, w io.Writer, opts Options) error {
	rows, err := Measure(ctx, opts)
	if err != nil {
		return err
	}
	Print(w, rows)
	return nil
}

// Measure runs the benchmark and returns the rows without printing.
func Measure(ctx context.Context, opts Options) ([]Row, error) {
	fams := opts.Families
	if len(fams) == 0 {
		fams = instancegen.Families
	}
	n := opts.Instances
	if n <= 0 {
		n = 20
	}
	var rows []Row
	for _, f := range fams {
		row := Row{Family: f, Instances: n, compareCBC: !opts.SkipCBC && (f == instancegen.Small || f == instancegen.Medium)}
		var times, cbcTimes []time.Duration
		var opts2 int
		var alloc uint64
		for i := range n {
			p, err := instancegen.Generate(f, opts.Seed+uint64(i))
			if err != nil {
				return nil, err
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			res, err := scheduler.Find(ctx, p)
			el := time.Since(start)
			runtime.ReadMemStats(&after)
			if err != nil {
				return nil, fmt.Errorf("%s seed %d: %w", f, opts.Seed+uint64(i), err)
			}
			times = append(times, el)
			alloc += after.TotalAlloc - before.TotalAlloc
			opts2 += len(res.Options)
			if len(res.Options) > 0 {
				row.Feasible++
			}
			if !res.Exhaustive {
				row.NotOptimal++
			}
			if !row.compareCBC || (opts.CBCInstances > 0 && i >= opts.CBCInstances) {
				continue
			}
			sol, err := lpmodel.Solve(ctx, p, lpmodel.SolveOptions{CBC: opts.CBC, Timeout: opts.CBCTimeout})
			if err != nil {
				return nil, fmt.Errorf("%s seed %d: cbc: %w", f, opts.Seed+uint64(i), err)
			}
			row.CBCRuns++
			cbcTimes = append(cbcTimes, sol.Elapsed)
			switch {
			case sol.Status == lpmodel.Infeasible && len(res.Options) == 0:
				row.OptimumOK++
			case sol.Status == lpmodel.Optimal && len(res.Options) > 0 && sol.Objective == res.Options[0].Score:
				row.OptimumOK++
			default:
				engine := "none"
				if len(res.Options) > 0 {
					engine = fmt.Sprint(res.Options[0].Score)
				}
				row.Mismatches = append(row.Mismatches, fmt.Sprintf("%s/%d: engine %s, cbc %s %d", f, opts.Seed+uint64(i), engine, sol.Status, sol.Objective))
			}
		}
		row.P50, row.P95, row.Max = quantile(times, 0.5), quantile(times, 0.95), slices.Max(times)
		row.Options = float64(opts2) / float64(n)
		row.AllocBytes = alloc / uint64(n)
		if len(cbcTimes) > 0 {
			row.CBCP50 = quantile(cbcTimes, 0.5)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1)*q + 0.5)
	return s[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// Print writes rows as an aligned table.
func Print(w io.Writer, rows []Row) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tinstances\tp50\tp95\tmax\toptions\talloc/op\tfeasible\tcbc_p50\toptimum_match\t")
	for _, r := range rows {
		cbc, match := "-", "-"
		if r.compareCBC {
			cbc, match = ms(r.CBCP50), fmt.Sprintf("%d/%d", r.OptimumOK, r.CBCRuns)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.1f\t%s\t%d/%d\t%s\t%s\t\n", r.Family, r.Instances, ms(r.P50), ms(r.P95), ms(r.Max),
			r.Options, sizeOf(r.AllocBytes), r.Feasible, r.Instances, cbc, match)
	}
	tw.Flush()
	for _, r := range rows {
		for _, m := range r.Mismatches {
			fmt.Fprintf(w, "MISMATCH %s\n", m)
		}
		if r.NotOptimal > 0 {
			fmt.Fprintf(w, "%s: %d runs hit the time budget (possibly not optimal)\n", r.Family, r.NotOptimal)
		}
	}
	fmt.Fprintln(w, "times in milliseconds; alloc/op is bytes allocated per Find")
}

func sizeOf(b uint64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1fMiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1fKiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%dB", b)
}
