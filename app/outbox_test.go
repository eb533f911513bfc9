package app_test

import (
	"strings"
	"testing"

	"interviewplanner/app"
)

// Without IP_SMTP_URL the server says at start that email is not being
// delivered, and where it goes instead.
func TestStartSaysEmailIsNotDelivered(t *testing.T) {
	var buf syncBuffer
	cfg := mustConfig(t)
	m := app.New(cfg, app.NewLogger(cfg, &buf))
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if out := buf.String(); !strings.Contains(out, "email is not being delivered") || !strings.Contains(out, "/outbox") {
		t.Fatalf("start log does not say email is kept, not delivered:\n%s", out)
	}
}
