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
	"time"

	"interviewplanner/app"
	"interviewplanner/config"
)

// googleEmulator runs the Google Workspace emulator on its own, registered
// with the app's IP_GOOGLE_* settings (the demo's client when they are
// empty), with Acme's Workspace seeded on first start and its state in the
// data folder. Point the app at it with IP_GOOGLE_URL:
//
//	interviewplanner google-emulator --addr 127.0.0.1:9092
//	IP_GOOGLE_URL=http://127.0.0.1:9092 interviewplanner
func googleEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("google-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, rest, err := config.Parse(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	addr, explicit := cfg.GoogleEmulatorAddr, map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if explicit["addr"] {
		addr = cfg.Addr
	}
	baseURL := cfg.BaseURL
	if !explicit["base-url"] && getenv("IP_BASE_URL") == "" {
		baseURL = "http://" + cmp.Or(getenv("IP_ADDR"), "127.0.0.1:8080")
	}
	g := app.ConfiguredGoogle(cfg, baseURL)
	g.ClientID = cmp.Or(g.ClientID, app.DemoGoogleClientID)
	g.ClientSecret = cmp.Or(g.ClientSecret, app.DemoGoogleClientSecret)
	emu, err := app.NewDemoGoogleEmulator(g, cfg.DataDir, app.NewLogger(cfg, stderr))
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
	fmt.Fprintf(stdout, "\nGoogle Workspace emulator running at %s (console: %s/console)\n", url, url)
	fmt.Fprintf(stdout, "OAuth client %s, redirect %s\n", g.ClientID, g.RedirectURL)
	fmt.Fprintf(stdout, "Point the app at it: IP_GOOGLE_URL=%s\n", url)
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
