package web

import (
	"testing"
	"time"
)

// Times name their zone: a known abbreviation, else the offset and the
// zone's name instead of Go's bare "-03".
func TestDateInNamesTheZone(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 3, 5, 15, 0, 0, 0, time.UTC)
	for zone, want := range map[string]string{
		"America/New_York":  "Tue 5 Mar 2030, 10:00 EST",
		"Asia/Kolkata":      "Tue 5 Mar 2030, 20:30 IST",
		"America/Sao_Paulo": "Tue 5 Mar 2030, 12:00 UTC−03 America/Sao_Paulo",
		"Asia/Kathmandu":    "Tue 5 Mar 2030, 20:45 UTC+05:45 Asia/Kathmandu",
		"UTC":               "Tue 5 Mar 2030, 15:00 UTC",
	} {
		if got := dateIn(at, zone); got != want {
			t.Errorf("%s: %q, want %q", zone, got, want)
		}
	}
}
