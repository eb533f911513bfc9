package main

import (
	"cmp"
	"context"
	"io"
	"log/slog"

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
