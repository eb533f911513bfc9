package calendars

import (
	"context"
	"slices"
	"time"

	"interviewplanner/availability"
)

// SourceName names calendar busy time in availability answers.
const SourceName = "calendar"

// Source plugs calendar busy time into the availability service: events
// that block (not soft ones) as busy intervals titled with the event, and
// every interviewer or room whose calendar cannot be read as unknown. It
// reads the cache only, never a calendar server.
type Source struct {
	Service *Service
}

// Name implements availability.Source.
func (Source) Name() string { return SourceName }

// Busy implements availability.Source.
func (s Source) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	out := availability.NewBusy()
	people, rooms, err := s.Service.BusyOf(ctx, req.AccountID, req.Interviewers, req.Rooms, req.From, req.To)
	if err != nil {
		return availability.Busy{}, err
	}
	now := s.Service.now()
	s.add(&out, out.Interviewers, availability.ResourceInterviewer, people, now)
	s.add(&out, out.Rooms, availability.ResourceRoom, rooms, now)
	return out, nil
}

// add puts av's blocking events into busy (by owner id) and its unknowns
// into out, as resources of kind r.
func (Source) add(out *availability.Busy, busy map[int64][]availability.Interval, r availability.Resource, av *Availability, now time.Time) {
	for id, es := range av.Events {
		ivs := slices.Grow(busy[id], len(es))
		for _, e := range es {
			if e.Blocks() {
				ivs = append(ivs, availability.Interval{Start: e.Start, End: e.End, Source: SourceName, Title: e.Title})
			}
		}
		if len(ivs) > 0 {
			busy[id] = ivs
		}
	}
	for id, us := range av.Unknown {
		for _, u := range us {
			loc, err := time.LoadLocation(u.OwnerZone)
			if err != nil {
				loc = time.UTC
			}
			out.Unknown = append(out.Unknown, availability.Unknown{Resource: r, ID: id, Source: SourceName, Reason: u.Reason, Message: u.Message(loc, now)})
		}
	}
}
