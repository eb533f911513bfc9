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

// Fresh returns the check at confirm: free/busy, asked of Google at that
// moment, for exactly the schedule's interviewers and rooms over its span.
// A calendar Google cannot answer for is unknown, never free.
func (s *Service) Fresh() availability.Source {
	return availability.FreshByAddress[*googlestore.Connection]{Source: FreshName, Connected: s.connectedForFresh,
		Addresses: s.store.ListAddresses, Ask: s.freeBusy}
}

// connectedForFresh returns the account's connection when Google is connected.
func (s *Service) connectedForFresh(ctx context.Context, accountID int64) (*googlestore.Connection, bool, error) {
	c, err := s.Connection(ctx, accountID)
	return c, err == nil && c != nil && c.State == googlestore.StateConnected, err
}

// freeBusy asks Google's freeBusy about b's addresses, in batches and
// windows Google answers for.
func (s *Service) freeBusy(ctx context.Context, c *googlestore.Connection, req availability.Request, b *availability.ByAddress) error {
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return err
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
	return nil
}
