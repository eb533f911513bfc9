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

// googleEmulator runs the Google Workspace emulator on its own, registered
// with the app's IP_GOOGLE_* settings (the demo's client when they are
// empty), with Acme's Workspace seeded on first start and its state in the
// data folder. Point the app at it with IP_GOOGLE_URL:
//
//	interviewplanner google-emulator --addr 127.0.0.1:9092
//	IP_GOOGLE_URL=http://127.0.0.1:9092 interviewplanner
func googleEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runEmulator(ctx, emulatorCommand{
		name: "google-emulator",
		addr: func(cfg *config.Config) string { return cfg.GoogleEmulatorAddr },
		start: func(cfg *config.Config, baseURL string, log *slog.Logger) (emulator, []string, error) {
			g := app.ConfiguredGoogle(cfg, baseURL)
			g.ClientID = cmp.Or(g.ClientID, app.DemoGoogleClientID)
			g.ClientSecret = cmp.Or(g.ClientSecret, app.DemoGoogleClientSecret)
			emu, err := app.NewDemoGoogleEmulator(g, cfg.DataDir, log)
			return emu, []string{
				"Google Workspace emulator running at {url} (console: {url}/console)",
				"OAuth client " + g.ClientID + ", redirect " + g.RedirectURL,
				"Point the app at it: IP_GOOGLE_URL={url}",
			}, err
		},
	}, args, getenv, stdout, stderr)
}

// microsoftEmulator runs the Microsoft 365 emulator on its own, registered
// with the app's IP_MS_* settings (the demo's when they are empty), its
// state in DATA/microsoft-emulator.json:
//
//	interviewplanner microsoft-emulator --addr 127.0.0.1:9091
//	IP_MS_LOGIN_URL=http://127.0.0.1:9091 IP_MS_GRAPH_URL=http://127.0.0.1:9091/v1.0 interviewplanner
func microsoftEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runEmulator(ctx, emulatorCommand{
		name: "microsoft-emulator",
		addr: func(cfg *config.Config) string { return cfg.MSEmulatorAddr },
		start: func(cfg *config.Config, baseURL string, log *slog.Logger) (emulator, []string, error) {
			demo := *cfg
			demo.Demo, demo.MSExplicit = true, false
			s := app.ConfiguredMS(&demo, baseURL)
			s.ClientID, s.ClientSecret = cmp.Or(cfg.MSClientID, s.ClientID), cmp.Or(cfg.MSClientSecret, s.ClientSecret)
			emu, err := app.NewDemoMSEmulator(s, cfg.DataDir, log)
			if err != nil {
				return nil, nil, err
			}
			return emu, []string{
				"Microsoft 365 emulator running at {url} (tenant " + emu.TenantID() + ")",
				"App registration: client id " + s.ClientID + ", redirect " + s.RedirectURL,
				"Point the app at it: IP_MS_LOGIN_URL={url} IP_MS_GRAPH_URL={url}/v1.0",
			}, nil
		},
	}, args, getenv, stdout, stderr)
}

// zoomEmulator runs the Zoom emulator on its own, registered with the app's
// IP_ZOOM_* settings (demo credentials when they are empty), so the app can
// be pointed at it with IP_ZOOM_AUTH_URL and IP_ZOOM_API_URL:
//
//	interviewplanner zoom-emulator --addr 127.0.0.1:9090
//	IP_ZOOM_AUTH_URL=http://127.0.0.1:9090 IP_ZOOM_API_URL=http://127.0.0.1:9090/v2 interviewplanner
func zoomEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runEmulator(ctx, emulatorCommand{
		name: "zoom-emulator",
		addr: func(cfg *config.Config) string { return cfg.ZoomEmulatorAddr },
		start: func(cfg *config.Config, baseURL string, log *slog.Logger) (emulator, []string, error) {
			z := app.DemoZoomSettings(app.ConfiguredZoom(cfg, baseURL))
			emu, err := app.NewDemoZoomEmulator(z, cfg.DataDir, log)
			return emu, []string{
				"Zoom emulator running at {url} (Marketplace: {url}/marketplace/installed)",
				"App registration: client id " + z.ClientID + ", redirect " + strings.TrimSpace(z.RedirectURL) + ", deauthorization " + z.DeauthorizeURL,
				"Point the app at it: IP_ZOOM_AUTH_URL={url} IP_ZOOM_API_URL={url}/v2",
			}, err
		},
	}, args, getenv, stdout, stderr)
}
