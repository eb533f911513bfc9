// Package availability answers one question for the scheduling form, its
// API and Find times: when is each of these interviewers, rooms and video
// hosts busy in [From, To)?
//
// Busy time comes from sources. The first is our own: the interviews we
// booked (interviewers and rooms) and the meetings video hosts run
// ([Bookings]). Other sources — interviewers' calendars — plug in as a
// [Source]; a source that cannot be read for someone says so in
// [Busy.Unknown] instead of failing the whole answer, so a coordinator
// still gets an answer and is told what it does not cover.
package availability

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"interviewplanner/store"
)

// Request asks who is busy when.
type Request struct {
	AccountID int64
	From, To  time.Time // [From, To)
	// The people and things asked about; nothing is read for others.
	Interviewers []int64  // user ids
	Rooms        []int64  // room ids
	Hosts        []string // video host ids
	// ExceptSchedule leaves out the busy time of that schedule (0: none):
	// a schedule being changed does not clash with itself.
	ExceptSchedule int64
	// Tx, when set, reads stored busy time inside that write transaction,
	// so a save sees exactly what its row locks protect. Sources must not
	// call the network with it open (read a synced copy instead).
	Tx *store.Tx
}

// Interval is one stretch of busy time.
type Interval struct {
	Start, End time.Time
	// ScheduleID is the schedule of one of our interviews or meetings;
	// 0 for busy time from elsewhere (a calendar event).
	ScheduleID int64
	// Source names where it came from (a Source's Name).
	Source string
	// Title names a calendar event for conflict messages ("Busy" when the
	// event is private); empty for our own bookings.
	Title string
}

// Interview reports whether the interval is one of our own interviews,
// which is what daily and weekly limits count.
func (iv Interval) Interview() bool { return iv.ScheduleID != 0 }

// Resource says what an Unknown is about.
type Resource string

const (
	ResourceInterviewer Resource = "interviewer"
	ResourceRoom        Resource = "room"
	ResourceHost        Resource = "host"
)

// Unknown says a source could not tell whether someone is busy: their
// busy time from that source is missing from the answer.
type Unknown struct {
	Resource Resource
	ID       int64  // user or room id
	HostID   string // video host id
	Source   string
	Reason   string // for the coordinator, e.g. "the calendar has not synced since 9:05"
	// Message, when the source can say it, is the whole sentence for
	// people: "Priya's calendar "Work" could not be read since 10:02 EST:
	// the server answered 401."
	Message string
}

// Busy is the answer: busy intervals by interviewer, room and host,
// sorted by start, and what could not be read.
type Busy struct {
	Interviewers map[int64][]Interval
	Rooms        map[int64][]Interval
	Hosts        map[string][]Interval
	Unknown      []Unknown
}

// NewBusy returns an empty answer, ready to add to.
func NewBusy() Busy {
	return Busy{Interviewers: map[int64][]Interval{}, Rooms: map[int64][]Interval{}, Hosts: map[string][]Interval{}}
}

// Merge adds other's intervals and unknowns to b.
func (b *Busy) Merge(other Busy) {
	for k, ivs := range other.Interviewers {
		b.Interviewers[k] = append(b.Interviewers[k], ivs...)
	}
	for k, ivs := range other.Rooms {
		b.Rooms[k] = append(b.Rooms[k], ivs...)
	}
	for k, ivs := range other.Hosts {
		b.Hosts[k] = append(b.Hosts[k], ivs...)
	}
	b.Unknown = append(b.Unknown, other.Unknown...)
}

// Cut removes [start, end) from ivs, splitting an interval that spans
// it. A provider's free/busy answer carries our own events too; cutting
// the times a schedule holds keeps a reschedule from clashing with the
// very interviews it moves.
func Cut(ivs []Interval, start, end time.Time) []Interval {
	out := ivs[:0:0]
	for _, iv := range ivs {
		if !iv.Start.Before(end) || !iv.End.After(start) {
			out = append(out, iv)
			continue
		}
		if iv.Start.Before(start) {
			before := iv
			before.End = start
			out = append(out, before)
		}
		if iv.End.After(end) {
			after := iv
			after.Start = end
			out = append(out, after)
		}
	}
	return out
}

func (b *Busy) sort() {
	byStart := func(a, c Interval) int { return a.Start.Compare(c.Start) }
	for _, ivs := range b.Interviewers {
		slices.SortStableFunc(ivs, byStart)
	}
	for _, ivs := range b.Rooms {
		slices.SortStableFunc(ivs, byStart)
	}
	for _, ivs := range b.Hosts {
		slices.SortStableFunc(ivs, byStart)
	}
}

// Source is one place busy time comes from. Busy answers for the
// request's ids inside [From, To) only, and reports in Busy.Unknown the
// ones it could not read; an error means it could read nothing.
type Source interface {
	Name() string
	Busy(ctx context.Context, req Request) (Busy, error)
}

// Service merges the sources. Own is our bookings: an error reading it
// fails the request, since without it nothing can be promised. Others
// (calendars) that fail become Unknown for every id asked.
type Service struct {
	Own    Source
	Others []Source
}

// New returns a service over our bookings and any other sources.
func New(own Source, others ...Source) *Service {
	return &Service{Own: own, Others: others}
}

// Busy answers req.
func (s *Service) Busy(ctx context.Context, req Request) (Busy, error) {
	if !req.To.After(req.From) {
		return Busy{}, fmt.Errorf("availability: window [%v, %v) is empty", req.From, req.To)
	}
	// The other sources are read while our bookings are: a question waits
	// for the slowest read, not for their sum. Not inside a transaction,
	// which is one connection and cannot serve two reads at once.
	others := make([]Busy, len(s.Others))
	errs := make([]error, len(s.Others))
	var wg sync.WaitGroup
	for i, src := range s.Others {
		if req.Tx != nil {
			others[i], errs[i] = src.Busy(ctx, req)
			continue
		}
		wg.Go(func() { others[i], errs[i] = src.Busy(ctx, req) })
	}
	own, err := s.Own.Busy(ctx, req)
	wg.Wait()
	if err != nil {
		return Busy{}, err
	}
	out := NewBusy()
	out.Merge(own)
	for i, src := range s.Others {
		if errs[i] != nil {
			out.Unknown = append(out.Unknown, unknownForAll(req, src.Name(), errs[i].Error())...)
			continue
		}
		out.Merge(others[i])
	}
	out.sort()
	return out, nil
}

// unknownForAll marks every interviewer and room asked about as unknown to
// source (calendars belong to people and rooms; video hosts' meetings are
// our own).
func unknownForAll(req Request, source, reason string) []Unknown {
	out := make([]Unknown, 0, len(req.Interviewers)+len(req.Rooms))
	for _, id := range req.Interviewers {
		out = append(out, Unknown{Resource: ResourceInterviewer, ID: id, Source: source, Reason: reason})
	}
	for _, id := range req.Rooms {
		out = append(out, Unknown{Resource: ResourceRoom, ID: id, Source: source, Reason: reason})
	}
	return out
}
