package app_test

import (
	"net"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// A connection a client opened and sent nothing on (Go's transport dials
// spares) does not hold the shutdown: without closing it, Go's server
// waits 5 s for it, longer than this test's 2 s, and Run fails.
func TestShutdownDoesNotWaitForUnusedConnections(t *testing.T) {
	t.Parallel()
	var conn net.Conn
	t.Cleanup(func() { // runs after the application's own cleanup
		if conn != nil {
			conn.Close()
		}
	})
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_SHUTDOWN_WAIT": "2s"}})
	c, err := net.Dial("tcp", strings.TrimPrefix(a.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	conn = c
	if res := a.NewClient(t).Get("/signin"); res.StatusCode != 200 {
		t.Fatalf("/signin = %d", res.StatusCode)
	}
}
