package store

// The states of a company's connection to a provider (Zoom, Google
// Workspace, Microsoft 365), as every provider's table stores them.
const (
	ConnectionConnected         = "connected"
	ConnectionNeedsReconnecting = "needs_reconnecting"
	ConnectionDisconnected      = "disconnected"
)
