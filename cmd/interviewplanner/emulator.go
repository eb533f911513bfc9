package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
)

// emulator is a provider emulator served on its own.
type emulator interface {
	http.Handler
	Close()
}

// emulatorCommand is what differs between the zoom-, google- and
// microsoft-emulator commands.
type emulatorCommand struct {
	name string
	// addr is the emulator's default address from the configuration.
	addr func(*config.Config) string
	// start builds the emulator, registered for the app at baseURL, and
	// returns the banner: the lines that tell how to point the app at it,
	// with {url} standing for the address it listens at.
	start func(cfg *config.Config, baseURL string, log *slog.Logger) (emu emulator, banner []string, err error)
}

// runEmulator parses the app's flags and environment, serves the
// emulator until ctx ends, and shuts it down.
func runEmulator(ctx context.Context, ec emulatorCommand, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(ec.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, rest, err := config.Parse(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	// --addr is the emulator's address here; the app's own address and
	// URLs come from the environment as the app reads them.
	addr, explicit := ec.addr(cfg), map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if explicit["addr"] {
		addr = cfg.Addr
	}
	// The app's public URL: as the app would derive it from its own
	// address, which --addr does not give here.
	baseURL := cfg.BaseURL
	if !explicit["base-url"] && getenv("IP_BASE_URL") == "" {
		baseURL = "http://" + cmp.Or(getenv("IP_ADDR"), "127.0.0.1:8080")
	}
	emu, banner, err := ec.start(cfg, baseURL, app.NewLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer emu.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "\n%s\n", strings.ReplaceAll(strings.Join(banner, "\n"), "{url}", "http://"+ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
