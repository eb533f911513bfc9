package googleconnect

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
	type who struct {
		room bool
		id   int64
	}
	byAddr := map[string]who{}
	var addrs []string
	for id, a := range users {
		byAddr[strings.ToLower(a)] = who{id: id}
		addrs = append(addrs, a)
	}
	for id, a := range rooms {
		byAddr[strings.ToLower(a)] = who{room: true, id: id}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return out, nil
	}
	sort.Strings(addrs)
	unknown := func(w who, reason string) {
		r := availability.ResourceInterviewer
		if w.room {
			r = availability.ResourceRoom
		}
		out.Unknown = append(out.Unknown, availability.Unknown{Resource: r, ID: w.id, Source: FreshName, Reason: reason})
	}
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return out, err
	}
	for from := req.From; from.Before(req.To); from = from.Add(FreeBusyMaxRange) {
		to := from.Add(FreeBusyMaxRange)
		if to.After(req.To) {
			to = req.To
		}
		for i := 0; i < len(addrs); i += FreeBusyBatch {
			batch := addrs[i:min(i+FreeBusyBatch, len(addrs))]
			items := make([]*calendar.FreeBusyRequestItem, len(batch))
			for j, a := range batch {
				items[j] = &calendar.FreeBusyRequestItem{Id: a}
			}
			resp, err := cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: from.UTC().Format(time.RFC3339), TimeMax: to.UTC().Format(time.RFC3339),
				Items: items}).Context(ctx).Do()
			if err != nil {
				for _, a := range batch {
					unknown(byAddr[strings.ToLower(a)], fmt.Sprintf("Google's free/busy could not be read just now: %v", readError(err)))
				}
				continue
			}
			for id, fc := range resp.Calendars {
				w, ok := byAddr[strings.ToLower(id)]
				if !ok {
					continue
				}
				if len(fc.Errors) > 0 {
					unknown(w, "Google could not give this calendar's free/busy ("+fc.Errors[0].Reason+")")
					continue
				}
				for _, b := range fc.Busy {
					st, err1 := time.Parse(time.RFC3339, b.Start)
					en, err2 := time.Parse(time.RFC3339, b.End)
					if err1 != nil || err2 != nil {
						unknown(w, "Google sent a free/busy time that cannot be read")
						break
					}
					iv := availability.Interval{Start: st.UTC(), End: en.UTC(), Source: FreshName, Title: "Busy in Google Calendar"}
					if w.room {
						out.Rooms[w.id] = append(out.Rooms[w.id], iv)
					} else {
						out.Interviewers[w.id] = append(out.Interviewers[w.id], iv)
					}
				}
			}
		}
	}
	return out, nil
}
