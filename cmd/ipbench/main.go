// Command ipbench runs the scheduling engine's benchmarks. It lives apart
// from the server so the benchmark-only packages (instance generator, the
// CBC model, the table) are never linked into the server binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "ipbench:", err)
		os.Exit(1)
	}
}

const usage = `Usage: ipbench scheduler [flags]

  scheduler   the engine's table: one row per instance family, and the
              comparison with the CBC solver's proven optimum

Server benchmarks (they run the real application) are
"interviewplanner bench schedules" and "interviewplanner bench pages".
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "scheduler":
		return benchScheduler(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown benchmark %q; see ipbench help", args[0])
}
