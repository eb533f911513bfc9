package app

import "context"

// openZoom wires the Zoom integration: the client, the connection store,
// the Integrations pages, and in demo mode the built-in Zoom emulator.
func (m *Main) openZoom(ctx context.Context) error {
	return nil
}
