package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAbandonedRequestIsNotAnInternalError: a query cut short because the
// client went away is not logged as an internal error; the same error on a
// live request still is.
func TestAbandonedRequestIsNotAnInternalError(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := &Server{Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/candidates", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	s.Error(w, r, fmt.Errorf("list candidates: %w", context.Canceled))
	if strings.Contains(logs.String(), "internal error") {
		t.Fatalf("abandoned request logged as internal error: %s", logs.String())
	}
	if w.Code != statusClientClosed {
		t.Errorf("status %d, want %d", w.Code, statusClientClosed)
	}
	live := httptest.NewRequest("GET", "/api/v1/candidates", nil)
	s.Error(httptest.NewRecorder(), live, fmt.Errorf("list candidates: %w", context.Canceled))
	if !strings.Contains(logs.String(), "internal error") {
		t.Errorf("a cancellation on a live request was not logged")
	}
}
