package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// demoEmulator is a provider emulator the demo serves beside the app.
type demoEmulator interface {
	http.Handler
	Close()
}

// serveEmulator listens on addr — on a free port of the same host when
// another demo or test holds it — builds the emulator, serves it until the
// app closes and returns its root URL. name is the provider as logs say
// it ("Google", "Microsoft 365", "Zoom").
func (m *Main) serveEmulator(name, addr string, build func() (demoEmulator, error)) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		m.Log.Warn(name+" emulator address in use; using a free port", "addr", addr)
		host, _, _ := net.SplitHostPort(addr)
		ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	lower := strings.ToLower(name)
	if err != nil {
		return "", fmt.Errorf("%s emulator: listen on %s: %w", lower, addr, err)
	}
	emu, err := build()
	if err != nil {
		ln.Close()
		return "", err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error(lower+" emulator stopped", "err", err)
		}
	}()
	m.closers = append(m.closers, func() error {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		emu.Close()
		return err
	})
	return "http://" + ln.Addr().String(), nil
}
