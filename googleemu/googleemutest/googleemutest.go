// Package googleemutest starts the Google Workspace emulator on a loopback
// port for tests.
package googleemutest

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"

	"interviewplanner/emuhttp/emutest"
	"interviewplanner/googleemu"
)

// Server is a running emulator; URL is its root (every Google host at once).
type Server struct {
	URL string
	*googleemu.Emulator
}

// keyPool holds the RSA keys test emulators give service account keys:
// the n-th key an emulator makes is pool key n. Keys stay distinct within
// one emulator (a token signed with another key's private half still
// fails), and a test binary generates each only once.
var keyPool struct {
	sync.Mutex
	keys []*rsa.PrivateKey
}

func pooledKeys() func() (*rsa.PrivateKey, error) {
	n := 0 // guarded by keyPool
	return func() (*rsa.PrivateKey, error) {
		keyPool.Lock()
		defer keyPool.Unlock()
		if n == len(keyPool.keys) {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				return nil, err
			}
			keyPool.keys = append(keyPool.keys, k)
		}
		n++
		return keyPool.keys[n-1], nil
	}
}

// Start runs an emulator with cfg on a loopback server and stops it when
// the test ends. Push notifications may go to http:// addresses; service
// account keys come from a pool of RSA keys unless cfg.NewKey says otherwise.
func Start(tb testing.TB, cfg googleemu.Config) *Server {
	tb.Helper()
	cfg.AllowHTTPPush = true
	if cfg.NewKey == nil {
		cfg.NewKey = pooledKeys()
	}
	emu, url := emutest.Start(tb, func() (*googleemu.Emulator, error) { return googleemu.New(cfg) })
	return &Server{URL: url, Emulator: emu}
}
