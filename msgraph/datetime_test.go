package msgraph_test

import (
	"testing"
	"time"

	"interviewplanner/msgraph"
)

func TestParseDateTime(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	kol, _ := time.LoadLocation("Asia/Kolkata")
	for _, c := range []struct {
		in   msgraph.DateTimeTimeZone
		want time.Time
		bad  bool
	}{
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00.0000000", TimeZone: "UTC"}, want: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00.1234567"}, want: time.Date(2026, 3, 3, 9, 0, 0, 123456700, time.UTC)},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-08T03:30:00", TimeZone: "Eastern Standard Time"}, want: time.Date(2026, 3, 8, 3, 30, 0, 0, ny)},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00.0000000", TimeZone: "India Standard Time"}, want: time.Date(2026, 3, 3, 9, 0, 0, 0, kol)},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00", TimeZone: "America/New_York"}, want: time.Date(2026, 3, 3, 9, 0, 0, 0, ny)},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00Z"}, bad: true},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00.12345678"}, bad: true},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03T09:00:00", TimeZone: "Mars Standard Time"}, bad: true},
		{in: msgraph.DateTimeTimeZone{DateTime: "2026-03-03"}, bad: true},
	} {
		got, err := msgraph.ParseDateTime(c.in)
		if c.bad != (err != nil) || (!c.bad && !got.Equal(c.want)) {
			t.Errorf("%+v: %v %v, want %v", c.in, got, err, c.want)
		}
	}
	out := msgraph.FormatIn(time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC), ny)
	if out.DateTime != "2026-03-03T09:00:00.0000000" || out.TimeZone != "Eastern Standard Time" {
		t.Fatalf("FormatIn = %+v", out)
	}
}
