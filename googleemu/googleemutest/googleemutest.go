// Package googleemutest starts the Google Workspace emulator on a loopback
// port for tests.
package googleemutest

import (
	"net/http/httptest"
	"testing"

	"interviewplanner/googleemu"
)

// Server is a running emulator; URL is its root (every Google host at once).
type Server struct {
	URL string
	*googleemu.Emulator
}

// Start runs an emulator with cfg on a loopback server and stops it when
// the test ends. Push notifications may go to http:// addresses.
func Start(tb testing.TB, cfg googleemu.Config) *Server {
	tb.Helper()
	cfg.AllowHTTPPush = true
	emu, err := googleemu.New(cfg)
	if err != nil {
		tb.Fatalf("googleemu: %v", err)
	}
	srv := httptest.NewServer(emu)
	tb.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return &Server{URL: srv.URL, Emulator: emu}
}
