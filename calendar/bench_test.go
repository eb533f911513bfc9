package calendar

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// io50MB is a calendar that keeps going past the size limit.
func io50MB() io.Reader {
	head := strings.NewReader("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
	line := []byte("X-FILLER:" + strings.Repeat("x", 1000) + "\r\n")
	return io.MultiReader(head, &repeatReader{line: line, left: MaxFeedBytes/len(line) + 10})
}

type repeatReader struct {
	line []byte
	left int
	pos  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.line[r.pos:])
	r.pos += n
	if r.pos == len(r.line) {
		r.pos, r.left = 0, r.left-1
	}
	return n, nil
}

// bigFeed is a feed of events single-day meetings spread over a year plus
// series weekly or daily series, some with exceptions and overrides.
func bigFeed(events, series int) []byte {
	var b bytes.Buffer
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bench//EN\r\n")
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	zonesUsed := []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata", "Eastern Standard Time"}
	for i := 0; i < events-series; i++ {
		s := base.Add(time.Duration(i%400)*24*time.Hour + time.Duration(8+i%9)*time.Hour)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:single-%d\r\nSUMMARY:Meeting %d\r\nDTSTART:%s\r\nDTEND:%s\r\nEND:VEVENT\r\n",
			i, i, s.Format("20060102T150405Z"), s.Add(30*time.Minute).Format("20060102T150405Z"))
	}
	for i := 0; i < series; i++ {
		z := zonesUsed[i%len(zonesUsed)]
		s := base.Add(time.Duration(i%200) * 24 * time.Hour).Add(time.Duration(9+i%8) * time.Hour)
		rule := "FREQ=WEEKLY;BYDAY=MO,WE,FR"
		if i%3 == 0 {
			rule = "FREQ=DAILY;INTERVAL=1"
		}
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:series-%d\r\nSUMMARY:Series %d\r\nDTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\nRRULE:%s\r\n",
			i, i, z, s.Format("20060102T150405"), z, s.Add(45*time.Minute).Format("20060102T150405"), rule)
		fmt.Fprintf(&b, "EXDATE;TZID=%s:%s,%s\r\nEND:VEVENT\r\n", z, s.AddDate(0, 0, 7).Format("20060102T150405"), s.AddDate(0, 0, 14).Format("20060102T150405"))
		if i%5 == 0 {
			o := s.AddDate(0, 0, 21)
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:series-%d\r\nSUMMARY:Moved\r\nRECURRENCE-ID;TZID=%s:%s\r\nDTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\nEND:VEVENT\r\n",
				i, z, o.Format("20060102T150405"), z, o.Add(2*time.Hour).Format("20060102T150405"), z, o.Add(3*time.Hour).Format("20060102T150405"))
		}
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.Bytes()
}

// BenchmarkReadBigFeed: a 10,000-event feed with 500 recurring series,
// parsed and expanded over 60 days. Target: under 100 ms.
func BenchmarkReadBigFeed(b *testing.B) {
	data := bigFeed(10_000, 500)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{Zone: time.UTC, From: from, To: from.AddDate(0, 0, 60)}
	b.SetBytes(int64(len(data)))
	var blocks int
	cpu0 := cpuTime()
	for b.Loop() {
		bs, err := Read(bytes.NewReader(data), opt)
		if err != nil {
			b.Fatal(err)
		}
		blocks = len(bs)
	}
	b.ReportMetric(float64(blocks), "blocks")
	// CPU time spent, which a busy shared machine does not inflate the way
	// it inflates wall time.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// The benchmark's feed really expands its series (the figure means something).
func TestBigFeedExpands(t *testing.T) {
	data := bigFeed(10_000, 500)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	bs, err := Read(bytes.NewReader(data), Options{Zone: time.UTC, From: from, To: from.AddDate(0, 0, 60)})
	if err != nil {
		t.Fatal(err)
	}
	series := 0
	for _, b := range bs {
		if strings.HasPrefix(b.UID, "series-") {
			series++
		}
	}
	// 167 daily series × 60 days + 333 weekly (3 a week) × ~26, less exceptions.
	if series < 15_000 {
		t.Fatalf("only %d series occurrences in 60 days", series)
	}
}
