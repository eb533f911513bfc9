// Package emutest serves a provider emulator on a loopback port for tests;
// googleemutest and zoomemutest build on it.
package emutest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Emulator is what every provider emulator is: a handler that saves its
// state and stops its deliveries on Close.
type Emulator interface {
	http.Handler
	Close()
}

// Start builds an emulator with newEmulator and serves it on a loopback
// httptest server; both are closed when the test ends. It returns the
// emulator and the server's URL.
func Start[E Emulator](tb testing.TB, newEmulator func() (E, error)) (E, string) {
	tb.Helper()
	emu, err := newEmulator()
	if err != nil {
		tb.Fatalf("start emulator: %v", err)
	}
	srv := httptest.NewServer(emu)
	tb.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return emu, srv.URL
}
