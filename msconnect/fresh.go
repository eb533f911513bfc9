package msconnect

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"interviewplanner/availability"
	"interviewplanner/msgraph"
	"interviewplanner/store/msstore"
)

// FreshName names Microsoft 365's fresh answers.
const FreshName = "Microsoft 365"

// Fresh is the check at confirm: getSchedule for exactly the schedule's
// interviewers and rooms, asked through the scheduling mailbox, in batches
// of 20 addresses and windows under 62 days (Microsoft's documented
// limits). An entry that answers with an error is unknown, never free.
type Fresh struct{ S *Service }

// Fresh returns the service's confirm-time check.
func (s *Service) Fresh() Fresh { return Fresh{S: s} }

// Name implements availability.Source.
func (Fresh) Name() string { return FreshName }

const (
	scheduleBatch  = 20
	scheduleWindow = 61 * 24 * time.Hour
)

// Busy implements availability.Source.
func (f Fresh) Busy(ctx context.Context, req availability.Request) (availability.Busy, error) {
	out := availability.NewBusy()
	s := f.S
	conn, err := s.Connection(ctx, req.AccountID)
	if err != nil || conn == nil || conn.State != msstore.StateConnected {
		// Not connected: the cached source already says who is unknown.
		return out, err
	}
	users, rooms, err := s.Store.Addresses(ctx, req.AccountID, req.Interviewers, req.Rooms)
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
	settings, err := s.cfg.Calendars.Store.GetSettings(ctx, req.AccountID)
	if err != nil {
		return out, err
	}
	// Our own interviews are busy time as bookings already; getSchedule
	// reports them without ids, so they are known by their times.
	own, err := s.Store.OwnSpans(ctx, req.AccountID, addrs, req.From, req.To)
	if err != nil {
		return out, err
	}
	sort.Strings(addrs)
	// getSchedule is asked through a mailbox: the scheduling mailbox, else
	// the first of the people asked about that the access policy allows.
	vias := addrs
	if conn.SchedulingMailbox != "" {
		vias = []string{conn.SchedulingMailbox}
	}
	api := s.api(req.AccountID, conn.TenantID)
	unknown := func(w who, reason string) {
		r := availability.ResourceInterviewer
		if w.room {
			r = availability.ResourceRoom
		}
		out.Unknown = append(out.Unknown, availability.Unknown{Resource: r, ID: w.id, Source: FreshName, Reason: reason})
	}
	for from := req.From; from.Before(req.To); from = from.Add(scheduleWindow) {
		to := from.Add(scheduleWindow)
		if to.After(req.To) {
			to = req.To
		}
		for i := 0; i < len(addrs); i += scheduleBatch {
			batch := addrs[i:min(i+scheduleBatch, len(addrs))]
			var infos []msgraph.ScheduleInformation
			for _, via := range vias {
				infos, err = api.GetSchedule(ctx, via, msgraph.ScheduleRequest{Schedules: batch, StartTime: msgraph.FormatDateTime(from),
					EndTime: msgraph.FormatDateTime(to), AvailabilityViewInterval: 15})
				if !msgraph.IsPolicyDenied(err) {
					break
				}
			}
			if err != nil {
				_ = s.failed(ctx, req.AccountID, err)
				return out, fmt.Errorf("Microsoft 365's free/busy could not be read: %w", err)
			}
			seen := map[string]bool{}
			for _, info := range infos {
				w, ok := byAddr[strings.ToLower(info.ScheduleID)]
				if !ok {
					continue
				}
				seen[strings.ToLower(info.ScheduleID)] = true
				if info.Error != nil {
					unknown(w, "Microsoft 365 could not give this calendar's free/busy ("+info.Error.ResponseCode+")")
					continue
				}
				for _, it := range info.ScheduleItems {
					st, err1 := msgraph.ParseDateTime(it.Start)
					en, err2 := msgraph.ParseDateTime(it.End)
					if err1 != nil || err2 != nil {
						unknown(w, "Microsoft 365 sent a free/busy time that cannot be read")
						break
					}
					kind, blocks := Blocks(msstore.Event{ShowAs: lowerFirst(it.Status)})
					if !blocks || (kind == "tentative" && !settings.TentativeBusy) || isOwn(own[strings.ToLower(info.ScheduleID)], st, en) {
						continue
					}
					title := it.Subject
					if title == "" {
						title = "Busy"
					}
					iv := availability.Interval{Start: st.UTC(), End: en.UTC(), Source: FreshName, Title: title}
					if w.room {
						out.Rooms[w.id] = append(out.Rooms[w.id], iv)
					} else {
						out.Interviewers[w.id] = append(out.Interviewers[w.id], iv)
					}
				}
			}
			for _, a := range batch {
				if !seen[strings.ToLower(a)] {
					unknown(byAddr[strings.ToLower(a)], "Microsoft 365 did not answer for this calendar")
				}
			}
		}
	}
	return out, nil
}

var _ availability.Source = Fresh{}

// lowerFirst reads freeBusyStatus case-insensitively: Microsoft's own
// concept page shows "Busy" and "Tentative".
func lowerFirst(s string) string {
	if s == "" {
		return msgraph.ShowUnknown
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// isOwn reports whether [start, end) is exactly one of our events' times.
func isOwn(own []msstore.Span, start, end time.Time) bool {
	for _, sp := range own {
		if sp.Start.Equal(start) && sp.End.Equal(end) {
			return true
		}
	}
	return false
}
