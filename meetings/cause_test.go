package meetings_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"interviewplanner/domain"
)

// providerError is an answer of the provider with its own code and
// message, as the Zoom client's errors carry them.
type providerError struct {
	code int
	msg  string
}

func (e providerError) Error() string {
	return fmt.Sprintf("zoom: HTTP 400 code %d: %s", e.code, e.msg)
}
func (e providerError) ProviderCode() (int, string) { return e.code, e.msg }

// lockedBuffer collects log lines from concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFailedMeetingSaysWhy: a meeting the provider refuses is logged with
// its account, schedule, interview, host and the provider's own code and
// message, and the schedule shows the reason.
func TestFailedMeetingSaysWhy(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	var logs lockedBuffer
	e.syncer.Log = slog.New(slog.NewTextHandler(&logs, nil))
	e.video.fault = func(op string, after bool) error {
		if op == "create" && !after {
			return providerError{3161, "Your user account is not allowed meeting hosting and scheduling capabilities."}
		}
		return nil
	}
	sc := e.mustSchedule(t, 1)
	ids := e.queued
	for _, id := range ids {
		if err := e.syncer.Sync(context.Background(), e.account.ID, id); err == nil {
			t.Fatalf("sync %d: no error from a refused create", id)
		}
	}
	got, err := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := got.Items[0].Meeting
	if m.State != domain.MeetingFailed || !strings.Contains(m.LastError, "3161") || !strings.Contains(m.LastError, "not allowed meeting hosting") {
		t.Errorf("the schedule shows %q %q: want failed with Zoom's code and message", m.State, m.LastError)
	}
	line := logs.String()
	for _, want := range []string{
		fmt.Sprintf("account_id=%d", e.account.ID), fmt.Sprintf("schedule_id=%d", sc.ID), fmt.Sprintf("item_id=%d", got.Items[0].ID),
		"host=", "provider_code=3161", `provider_message="Your user account is not allowed meeting hosting and scheduling capabilities."`,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("the log does not say %s:\n%s", want, line)
		}
	}
}
