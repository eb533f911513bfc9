package emuhttp

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Base is what every emulator runs on besides its routes and its state:
// a clock, a log, the client that delivers its callbacks (push
// notifications, webhooks), and the deliveries in flight, which Stop ends.
// An emulator embeds it and calls Init in its constructor.
type Base struct {
	Now    func() time.Time
	Log    *slog.Logger
	Client *http.Client
	Ctx    context.Context // cancelled by Stop: deliveries give up
	WG     sync.WaitGroup  // deliveries in flight
	cancel context.CancelFunc
}

// Init takes what the configuration gave and fills in the rest: the wall
// clock, a log that discards, a client that gives up after the provider's
// own callback timeout.
func (b *Base) Init(now func() time.Time, log *slog.Logger, client *http.Client, timeout time.Duration) {
	b.Now, b.Log, b.Client = now, log, client
	if b.Now == nil {
		b.Now = time.Now
	}
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	if b.Client == nil {
		b.Client = &http.Client{Timeout: timeout}
	}
	b.Ctx, b.cancel = context.WithCancel(context.Background())
}

// Stop cancels the deliveries in flight and waits for them to end (an
// emulator's Close calls it, then saves its state file).
func (b *Base) Stop() {
	b.cancel()
	b.WG.Wait()
}
