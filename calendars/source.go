package calendars

import (
	"context"
	"time"

	"interviewplanner/availability"
)

// SourceName names calendar busy time in availability answers.
const SourceName = "calendar"

// Source plugs calendar busy time into the availability service: events
// that block (not soft ones) as busy intervals titled with the event, and
// every interviewer whose calendar cannot be read as unknown. It reads the
// cache only, never a calendar server.
type Source struct {
	Service *Service
}

// Name implements availability.Source.
func (Source) Name() string { return SourceName }

// Busy implements availability.Source.
func (s Source) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	out := availability.NewBusy()
	av, err := s.Service.Busy(ctx, req.AccountID, req.Interviewers, req.From, req.To)
	if err != nil {
		return availability.Busy{}, err
	}
	for id, es := range av.Events {
		for _, e := range es {
			if e.Blocks() {
				out.Interviewers[id] = append(out.Interviewers[id], availability.Interval{Start: e.Start, End: e.End, Source: SourceName, Title: e.Title})
			}
		}
	}
	now := s.Service.now()
	for id, us := range av.Unknown {
		for _, u := range us {
			loc, err := time.LoadLocation(u.OwnerZone)
			if err != nil {
				loc = time.UTC
			}
			out.Unknown = append(out.Unknown, availability.Unknown{Resource: availability.ResourceInterviewer, ID: id,
				Source: SourceName, Reason: u.Reason, Message: u.Message(loc, now)})
		}
	}
	return out, nil
}
