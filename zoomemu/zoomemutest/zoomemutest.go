// Package zoomemutest starts the Zoom emulator on a loopback port for tests.
package zoomemutest

import (
	"net/http/httptest"
	"testing"

	"interviewplanner/zoomemu"
)

// Server is a running emulator; URL is its root (auth and API host alike).
type Server struct {
	URL string
	*zoomemu.Emulator
}

// Start runs an emulator with cfg on a loopback httptest server and stops it
// when the test ends.
func Start(tb testing.TB, cfg zoomemu.Config) *Server {
	tb.Helper()
	emu, err := zoomemu.New(cfg)
	if err != nil {
		tb.Fatalf("zoomemu: %v", err)
	}
	srv := httptest.NewServer(emu)
	tb.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return &Server{URL: srv.URL, Emulator: emu}
}
