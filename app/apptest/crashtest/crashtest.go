// Package crashtest kills a real process in the middle of a write, for
// tests that must show nothing is lost or duplicated: the test binary runs
// again as a child process, a proxy lets one request through to a
// provider and holds its answer, and the child is killed (SIGKILL) once
// the provider has acted on it.
package crashtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"interviewplanner/store"
)

// Main runs child, on the database StoreEnv passed, instead of the tests
// when the test binary was started as the child process that env marks;
// call it from TestMain.
func Main(m *testing.M, env string, child func(ctx context.Context, db *store.DB) error) {
	if os.Getenv(env) != "1" {
		os.Exit(m.Run())
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CRASHTEST_DB_URL"), os.Getenv("CRASHTEST_DB_DIR"), nil)
	if err == nil {
		err = child(ctx, db)
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

// HoldFirst serves target through a proxy and returns the proxy's URL. The
// first request that match accepts reaches target, but its answer is held
// until the caller hangs up (as if the process died before hearing it);
// the channel closes once target has answered it.
func HoldFirst(tb testing.TB, target string, match func(*http.Request) bool) (string, <-chan struct{}) {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	served := make(chan struct{})
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if match(r) {
			once.Do(func() { first = true })
		}
		if !first {
			proxy.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(httptest.NewRecorder(), r)
		close(served)
		<-r.Context().Done()
	}))
	tb.Cleanup(front.Close)
	return front.URL, served
}

// KillAfter starts the test binary again as the child process env marks,
// with extra environment, and kills it (SIGKILL) as soon as served closes.
// The test fails if the child ends first or served never closes.
func KillAfter(tb testing.TB, env string, extra []string, served <-chan struct{}) {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env+"=1"), extra...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-served:
	case err := <-exited:
		tb.Fatalf("the child process ended before the provider acted: %v", err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		tb.Fatal("the child process never reached the provider")
	}
	if err := cmd.Process.Kill(); err != nil {
		tb.Fatal(err)
	}
	<-exited
}

// StoreEnv passes the parent's database to the child process.
func StoreEnv(url, dir string) []string {
	return []string{"CRASHTEST_DB_URL=" + url, "CRASHTEST_DB_DIR=" + dir}
}

// ID reads an id the parent passed in the environment (0 when absent).
func ID(name string) int64 {
	id, _ := strconv.ParseInt(os.Getenv(name), 10, 64)
	return id
}
