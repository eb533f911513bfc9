package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"interviewplanner/app"
	"interviewplanner/app/apptest"
	"interviewplanner/config"
)

// slowFeature mounts a handler that holds the request until released, to
// watch shutdown wait for it.
type slowFeature struct {
	started chan struct{}
	release chan struct{}
}

func (f *slowFeature) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /test/slow", func(w http.ResponseWriter, r *http.Request) {
		close(f.started)
		<-f.release
		io.WriteString(w, "finished")
	})
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	f := &slowFeature{started: make(chan struct{}), release: make(chan struct{})}
	cfg := mustConfig(t)
	m := app.New(cfg, app.NewLogger(cfg, io.Discard))
	m.AddTestRoutes(f.routes)
	if err := m.Listen(); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	body := make(chan string, 1)
	go func() {
		res, err := http.Get(m.URL() + "/test/slow")
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body <- string(b)
	}()
	<-f.started
	cancel() // as SIGTERM does
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while a request was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(f.release)
	if got := <-body; got != "finished" {
		t.Fatalf("in-flight request got %q", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	// New connections are refused after shutdown.
	if _, err := http.Get(m.URL() + "/healthz"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestJSONLogs(t *testing.T) {
	var buf bytes.Buffer
	cfg := &config.Config{LogFormat: "json", LogLevel: "info"}
	app.NewLogger(cfg, &buf).Info("hello", "request_id", "abc")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["msg"] != "hello" || line["request_id"] != "abc" {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
}

func TestRequestLogsCarryRequestIDAndNoQuery(t *testing.T) {
	var buf syncBuffer
	a := apptest.Start(t, apptest.Options{})
	a.Web.Log = app.NewLogger(&config.Config{LogFormat: "json", LogLevel: "info"}, &buf)
	c := a.NewClient(t)
	res := c.Do(http.MethodGet, "/signin?code=SECRETCODE", nil, http.Header{"X-Request-Id": {"req-12345678"}})
	if res.Header.Get("X-Request-Id") != "req-12345678" {
		t.Fatalf("request id not echoed: %q", res.Header.Get("X-Request-Id"))
	}
	out := buf.String()
	if !strings.Contains(out, `"request_id":"req-12345678"`) || !strings.Contains(out, `"route":"GET /signin"`) {
		t.Fatalf("log lacks request id or route: %s", out)
	}
	if strings.Contains(out, "SECRETCODE") {
		t.Fatal("query string (may hold OAuth codes) was logged")
	}
}

func mustConfig(t *testing.T) *config.Config {
	t.Helper()
	env := map[string]string{"IP_ADDR": "127.0.0.1:0", "IP_DATA_DIR": t.TempDir(), "IP_DEMO": "false", "IP_SHUTDOWN_WAIT": "10s"}
	cfg, _, err := config.Parse(newFlagSet(), nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
