package availability

import (
	"context"
	"iter"
	"sort"
	"strings"
	"time"
)

// ByAddress gathers the answer of a provider asked by calendar address
// (Google's freeBusy, Microsoft's getSchedule) for the interviewers and
// rooms of a request: it knows whose each address is, whatever its case.
type ByAddress struct {
	Busy Busy
	// Addrs are the addresses to ask about, sorted.
	Addrs []string

	source string
	whose  map[string]whose
}

type whose struct {
	room bool
	id   int64
}

// NewByAddress starts an answer from source for the interviewers' and
// rooms' addresses (by id); a room wins an address both share.
func NewByAddress(source string, interviewers, rooms map[int64]string) *ByAddress {
	b := &ByAddress{Busy: NewBusy(), source: source, whose: map[string]whose{}}
	for id, a := range interviewers {
		b.whose[strings.ToLower(a)] = whose{id: id}
		b.Addrs = append(b.Addrs, a)
	}
	for id, a := range rooms {
		b.whose[strings.ToLower(a)] = whose{room: true, id: id}
		b.Addrs = append(b.Addrs, a)
	}
	sort.Strings(b.Addrs)
	return b
}

// Asked reports whether addr is one of the addresses asked about.
func (b *ByAddress) Asked(addr string) bool {
	_, ok := b.whose[strings.ToLower(addr)]
	return ok
}

// Unknown records that addr's busy time could not be read, and why.
func (b *ByAddress) Unknown(addr, reason string) {
	w := b.whose[strings.ToLower(addr)]
	r := ResourceInterviewer
	if w.room {
		r = ResourceRoom
	}
	b.Busy.Unknown = append(b.Busy.Unknown, Unknown{Resource: r, ID: w.id, Source: b.source, Reason: reason})
}

// Add records a busy interval of addr.
func (b *ByAddress) Add(addr string, iv Interval) {
	w := b.whose[strings.ToLower(addr)]
	if w.room {
		b.Busy.Rooms[w.id] = append(b.Busy.Rooms[w.id], iv)
	} else {
		b.Busy.Interviewers[w.id] = append(b.Busy.Interviewers[w.id], iv)
	}
}

// FreshByAddress is a provider's check at confirm, a Source: the provider
// is asked at that moment, by calendar address, about exactly the
// schedule's interviewers and rooms over its span (Google's freeBusy,
// Microsoft's getSchedule), so that a meeting booked since the last sync
// is caught before anything is written. C is the provider's connection.
type FreshByAddress[C any] struct {
	// Source names the answers.
	Source string
	// Connected returns the account's connection, and false when it is not
	// connected: nothing is asked, the cached sources say who is unknown.
	Connected func(ctx context.Context, accountID int64) (C, bool, error)
	// Addresses returns the calendar addresses of the interviewers and
	// rooms asked about, by id.
	Addresses func(ctx context.Context, accountID int64, interviewers, rooms []int64) (map[int64]string, map[int64]string, error)
	// Ask asks the provider about b.Addrs (never empty) and records its
	// answer in b; an address it cannot answer for is unknown, never free.
	Ask func(ctx context.Context, c C, req Request, b *ByAddress) error
}

// Name implements Source.
func (f FreshByAddress[C]) Name() string { return f.Source }

// Busy implements Source.
func (f FreshByAddress[C]) Busy(ctx context.Context, req Request) (Busy, error) {
	c, ok, err := f.Connected(ctx, req.AccountID)
	if err != nil || !ok {
		return NewBusy(), err
	}
	users, rooms, err := f.Addresses(ctx, req.AccountID, req.Interviewers, req.Rooms)
	if err != nil {
		return NewBusy(), err
	}
	b := NewByAddress(f.Source, users, rooms)
	if len(b.Addrs) == 0 {
		return b.Busy, nil
	}
	err = f.Ask(ctx, c, req, b)
	return b.Busy, err
}

// Windows splits [from, to) into consecutive windows of at most max, the
// longest span a provider answers for at once.
func Windows(from, to time.Time, max time.Duration) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) {
		for start := from; start.Before(to); start = start.Add(max) {
			end := start.Add(max)
			if end.After(to) {
				end = to
			}
			if !yield(start, end) {
				return
			}
		}
	}
}
