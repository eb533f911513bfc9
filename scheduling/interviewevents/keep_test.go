package interviewevents

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

type fakeRow struct{ Key, Place, FP string }

type fakeEvent struct{ Key, Text string }

// fakeCalendar records every call in order.
type fakeCalendar struct {
	place string
	calls []string
	fail  string // a key whose Put fails
}

func (c *fakeCalendar) Key(d fakeEvent) string         { return d.Key }
func (c *fakeCalendar) Fingerprint(d fakeEvent) string { return d.Text }
func (c *fakeCalendar) Stored(r fakeRow) (string, string) {
	return r.Place, r.FP
}
func (c *fakeCalendar) New(d fakeEvent) fakeRow { return fakeRow{Key: d.Key, Place: c.place} }
func (c *fakeCalendar) Put(_ context.Context, d fakeEvent, r fakeRow) (fakeRow, error) {
	c.calls = append(c.calls, "put "+d.Key+"@"+r.Place)
	if d.Key == c.fail {
		return r, errors.New("refused")
	}
	r.FP = d.Text
	return r, nil
}
func (c *fakeCalendar) Delete(_ context.Context, r fakeRow) error {
	c.calls = append(c.calls, "delete "+r.Key+"@"+r.Place)
	return nil
}
func (c *fakeCalendar) Save(_ context.Context, r fakeRow) error {
	c.calls = append(c.calls, "save "+r.Key+"@"+r.Place+" "+r.FP)
	return nil
}
func (c *fakeCalendar) Forget(_ context.Context, key string) error {
	c.calls = append(c.calls, "forget "+key)
	return nil
}

func TestKeep(t *testing.T) {
	have := map[string]fakeRow{
		"same":  {Key: "same", Place: "cal", FP: "a"},
		"moved": {Key: "moved", Place: "old", FP: "b"},
		"edit":  {Key: "edit", Place: "cal", FP: "old"},
		"z":     {Key: "z", Place: "cal", FP: "z"},
		"gone":  {Key: "gone", Place: "cal", FP: "g"},
	}
	want := []fakeEvent{{"same", "a"}, {"moved", "b"}, {"edit", "new"}, {"fresh", "f"}}
	c := &fakeCalendar{place: "cal"}
	if err := Keep(context.Background(), c, "cal", want, have); err != nil {
		t.Fatal(err)
	}
	// The moved event is deleted where it was and made anew (its row
	// stored first, without a fingerprint); a new one likewise; the
	// changed one patched; the unwanted ones deleted in key order.
	wantCalls := []string{
		"delete moved@old", "save moved@cal ", "put moved@cal", "save moved@cal b",
		"put edit@cal", "save edit@cal new",
		"save fresh@cal ", "put fresh@cal", "save fresh@cal f",
		"delete gone@cal", "forget gone", "delete z@cal", "forget z",
	}
	if !reflect.DeepEqual(c.calls, wantCalls) {
		t.Fatalf("calls:\n%q\nwant:\n%q", c.calls, wantCalls)
	}
}

func TestKeepStopsAtRefusal(t *testing.T) {
	c := &fakeCalendar{place: "cal", fail: "a"}
	err := Keep(context.Background(), c, "cal", []fakeEvent{{"a", "1"}, {"b", "2"}}, map[string]fakeRow{"gone": {Key: "gone", Place: "cal"}})
	if err == nil {
		t.Fatal("a refused write must fail the sync")
	}
	// The row stays as stored before the call, without a fingerprint, so
	// the retry writes it again; nothing after it is touched.
	if want := []string{"save a@cal ", "put a@cal"}; !reflect.DeepEqual(c.calls, want) {
		t.Fatalf("calls %q, want %q", c.calls, want)
	}
}
