package main

import (
	"cmp"
	"context"
	"io"
	"log/slog"

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
