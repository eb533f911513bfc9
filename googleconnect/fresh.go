package googleconnect

import (
	"context"
	"fmt"
	"slices"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/availability"
	"interviewplanner/store/googlestore"
)

// FreshName names Google's answers at confirm.
const FreshName = "Google Calendar"

// Fresh is the check at confirm: free/busy, asked of Google at that moment,
// for exactly the schedule's interviewers and rooms over its span (a
// meeting booked since the last sync is caught before anything is
// written). A calendar Google cannot answer for is unknown, never free.
type Fresh struct{ S *Service }

// Fresh returns the service's confirm-time check.
func (s *Service) Fresh() Fresh { return Fresh{S: s} }

// Name implements availability.Source.
func (Fresh) Name() string { return FreshName }

// Busy implements availability.Source.
func (f Fresh) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	out := availability.NewBusy()
	s := f.S
	c, err := s.Connection(ctx, req.AccountID)
	if err != nil || c == nil || c.State != googlestore.StateConnected {
		return out, err // not connected: the cached sources say who is unknown
	}
	users, rooms, err := s.store.Addresses(ctx, req.AccountID, req.Interviewers, req.Rooms)
	if err != nil {
		return out, err
	}
	b := availability.NewByAddress(FreshName, users, rooms)
	if len(b.Addrs) == 0 {
		return b.Busy, nil
	}
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return b.Busy, err
	}
	for from, to := range availability.Windows(req.From, req.To, FreeBusyMaxRange) {
		for batch := range slices.Chunk(b.Addrs, FreeBusyBatch) {
			items := make([]*calendar.FreeBusyRequestItem, len(batch))
			for j, a := range batch {
				items[j] = &calendar.FreeBusyRequestItem{Id: a}
			}
			resp, err := cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: from.UTC().Format(time.RFC3339), TimeMax: to.UTC().Format(time.RFC3339),
				Items: items}).Context(ctx).Do()
			if err != nil {
				for _, a := range batch {
					b.Unknown(a, fmt.Sprintf("Google's free/busy could not be read just now: %v", readError(err)))
				}
				continue
			}
			for id, fc := range resp.Calendars {
				if !b.Asked(id) {
					continue
				}
				if len(fc.Errors) > 0 {
					b.Unknown(id, "Google could not give this calendar's free/busy ("+fc.Errors[0].Reason+")")
					continue
				}
				for _, busy := range fc.Busy {
					st, err1 := time.Parse(time.RFC3339, busy.Start)
					en, err2 := time.Parse(time.RFC3339, busy.End)
					if err1 != nil || err2 != nil {
						b.Unknown(id, "Google sent a free/busy time that cannot be read")
						break
					}
					b.Add(id, availability.Interval{Start: st.UTC(), End: en.UTC(), Source: FreshName, Title: "Busy in Google Calendar"})
				}
			}
		}
	}
	return b.Busy, nil
}
