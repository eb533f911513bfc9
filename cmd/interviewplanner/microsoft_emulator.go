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

// microsoftEmulator runs the Microsoft 365 emulator on its own, registered
// with the app's IP_MS_* settings (the demo's when they are empty), its
// state in DATA/microsoft-emulator.json:
//
//	interviewplanner microsoft-emulator --addr 127.0.0.1:9091
//	IP_MS_LOGIN_URL=http://127.0.0.1:9091 IP_MS_GRAPH_URL=http://127.0.0.1:9091/v1.0 interviewplanner
func microsoftEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("microsoft-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, rest, err := config.Parse(fs, args, getenv)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q", rest)
	}
	addr, explicit := cfg.MSEmulatorAddr, map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if explicit["addr"] {
		addr = cfg.Addr
	}
	baseURL := cfg.BaseURL
	if !explicit["base-url"] && getenv("IP_BASE_URL") == "" {
		baseURL = "http://" + cmp.Or(getenv("IP_ADDR"), "127.0.0.1:8080")
	}
	demo := *cfg
	demo.Demo, demo.MSExplicit = true, false
	s := app.ConfiguredMS(&demo, baseURL)
	s.ClientID, s.ClientSecret = cmp.Or(cfg.MSClientID, s.ClientID), cmp.Or(cfg.MSClientSecret, s.ClientSecret)
	emu, err := app.NewDemoMSEmulator(s, cfg.DataDir, app.NewLogger(cfg, stderr))
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
	fmt.Fprintf(stdout, "\nMicrosoft 365 emulator running at %s (tenant %s)\n", url, emu.TenantID())
	fmt.Fprintf(stdout, "App registration: client id %s, redirect %s\n", s.ClientID, s.RedirectURL)
	fmt.Fprintf(stdout, "Point the app at it: IP_MS_LOGIN_URL=%s IP_MS_GRAPH_URL=%s/v1.0\n", url, url)
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
