package zoom

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"1.5", 1500 * time.Millisecond},
		{"0", 0},
		{"-3", 0},
		{"Tue, 24 Nov 2026 18:00:20 GMT", 20 * time.Second},
		{"2026-11-25T00:00:00Z", 6 * time.Hour},
		{"2026-11-25T00:00:00.000Z", 6 * time.Hour},
		{"2026-11-24T19:00:00+01:00", 0},
		{"2026-11-24 18:01:00", time.Minute},
		{"2026-11-24T17:00:00Z", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 1; attempt <= 70; attempt++ {
		d := backoff(attempt)
		ceiling := min(500*time.Millisecond<<(attempt-1), 30*time.Second)
		if attempt > 6 {
			ceiling = 30 * time.Second
		}
		if d < ceiling/2 || d > ceiling {
			t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, ceiling/2, ceiling)
		}
	}
}
