package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
)

// zoomEmulator runs the Zoom emulator on its own, registered with the app's
// IP_ZOOM_* settings (demo credentials when they are empty), so the app can
// be pointed at it with IP_ZOOM_AUTH_URL and IP_ZOOM_API_URL:
//
//	interviewplanner zoom-emulator --addr 127.0.0.1:9090
//	IP_ZOOM_AUTH_URL=http://127.0.0.1:9090 IP_ZOOM_API_URL=http://127.0.0.1:9090/v2 interviewplanner
func zoomEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zoom-emulator", flag.ContinueOnError)
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
	addr, explicit := cfg.ZoomEmulatorAddr, map[string]bool{}
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
	z := app.DemoZoomSettings(app.ConfiguredZoom(cfg, baseURL))
	log := app.NewLogger(cfg, stderr)
	emu, err := app.NewDemoZoomEmulator(z, cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer emu.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "\nZoom emulator running at %s (Marketplace: %s/marketplace/installed)\n", url, url)
	fmt.Fprintf(stdout, "App registration: client id %s, redirect %s, deauthorization %s\n",
		z.ClientID, strings.TrimSpace(z.RedirectURL), z.DeauthorizeURL)
	fmt.Fprintf(stdout, "Point the app at it: IP_ZOOM_AUTH_URL=%s IP_ZOOM_API_URL=%s/v2\n", url, url)
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
