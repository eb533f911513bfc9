package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

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
	return runEmulator(ctx, emulatorCommand{
		name: "zoom-emulator",
		addr: func(cfg *config.Config) string { return cfg.ZoomEmulatorAddr },
		start: func(cfg *config.Config, baseURL string, log *slog.Logger) (emulator, func(string) string, error) {
			z := app.DemoZoomSettings(app.ConfiguredZoom(cfg, baseURL))
			emu, err := app.NewDemoZoomEmulator(z, cfg.DataDir, log)
			if err != nil {
				return nil, nil, err
			}
			return emu, func(url string) string {
				return fmt.Sprintf("\nZoom emulator running at %s (Marketplace: %s/marketplace/installed)\n", url, url) +
					fmt.Sprintf("App registration: client id %s, redirect %s, deauthorization %s\n",
						z.ClientID, strings.TrimSpace(z.RedirectURL), z.DeauthorizeURL) +
					fmt.Sprintf("Point the app at it: IP_ZOOM_AUTH_URL=%s IP_ZOOM_API_URL=%s/v2\n", url, url)
			}, nil
		},
	}, args, getenv, stdout, stderr)
}
