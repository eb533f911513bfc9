// Package zoomemutest starts the Zoom emulator on a loopback port for tests.
package zoomemutest

import (
	"testing"

	"interviewplanner/emuhttp/emutest"
	"interviewplanner/zoomemu"
)

// Server is a running emulator; URL is its root (auth and API host alike).
type Server struct {
	URL string
	*zoomemu.Emulator
}

// Start runs an emulator with cfg on a loopback server and stops it
// when the test ends.
func Start(tb testing.TB, cfg zoomemu.Config) *Server {
	tb.Helper()
	emu, url := emutest.Start(tb, func() (*zoomemu.Emulator, error) { return zoomemu.New(cfg) })
	return &Server{URL: url, Emulator: emu}
}
