package main

import (
	"context"
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
