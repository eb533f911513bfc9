package domain

import (
	"testing"
	"time"
)

func TestLoadLocationCached(t *testing.T) {
	a, err := LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := LoadLocation("Europe/Berlin")
	if a != b {
		t.Error("the second load did not come from the cache")
	}
	if got := time.Date(2026, 7, 1, 12, 0, 0, 0, a).Format("-07:00"); got != "+02:00" {
		t.Errorf("Berlin in summer is %s", got)
	}
	if _, err := LoadLocation("Mars/Olympus_Mons"); err == nil {
		t.Error("an unknown zone loaded")
	}
}
