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
		if got := DateIn(at, zone); got != want {
			t.Errorf("%s: %q, want %q", zone, got, want)
		}
	}
}

// A span names its zone once, and the end's date when it is another day.
func TestRangeInNamesTheZoneOnce(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 3, 5, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		zone string
		end  time.Time
		want string
	}{
		{"America/Sao_Paulo", start.Add(6 * time.Hour), "Tue 5 Mar 2030, 12:00–18:00 UTC−03 America/Sao_Paulo"},
		{"America/New_York", start.Add(2 * time.Hour), "Tue 5 Mar 2030, 10:00–12:00 EST"},
		{"Asia/Kolkata", start.Add(5 * time.Hour), "Tue 5 Mar 2030, 20:30 IST – Wed 6 Mar 2030, 01:30 IST"},
		{"UTC", start.Add(9 * time.Hour), "Tue 5 Mar 2030, 15:00–24:00 UTC"},
	} {
		if got := rangeIn(start, c.end, c.zone); got != c.want {
			t.Errorf("%s: %q, want %q", c.zone, got, c.want)
		}
	}
}
