package msconnect

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"interviewplanner/availability"
	"interviewplanner/msgraph"
	"interviewplanner/store/msstore"
)

// FreshName names Microsoft 365's fresh answers.
const FreshName = "Microsoft 365"

// Fresh returns the check at confirm: getSchedule for exactly the
// schedule's interviewers and rooms, asked through the scheduling mailbox,
// in batches of 20 addresses and windows under 62 days (Microsoft's
// documented limits). An entry that answers with an error is unknown,
// never free.
func (s *Service) Fresh() availability.Source {
	return availability.FreshByAddress[*msstore.Connection]{Source: FreshName, Connected: s.connectedForFresh,
		Addresses: s.Store.ListAddresses, Ask: s.getSchedule}
}

const (
	scheduleBatch  = 20
	scheduleWindow = 61 * 24 * time.Hour
)

// connectedForFresh returns the account's connection when Microsoft 365 is
// connected.
func (s *Service) connectedForFresh(ctx context.Context, accountID int64) (*msstore.Connection, bool, error) {
	conn, err := s.Connection(ctx, accountID)
	return conn, err == nil && conn != nil && conn.State == msstore.StateConnected, err
}

// getSchedule asks getSchedule about b's addresses.
func (s *Service) getSchedule(ctx context.Context, conn *msstore.Connection, req availability.Request, b *availability.ByAddress) error {
	settings, err := s.cfg.Calendars.Store.GetSettings(ctx, req.AccountID)
	if err != nil {
		return err
	}
	// Our own interviews are busy time as bookings already; getSchedule
	// reports them without ids, so they are known by their times.
	own, err := s.Store.ListOwnSpans(ctx, req.AccountID, b.Addrs, req.From, req.To)
	if err != nil {
		return err
	}
	// getSchedule is asked through a mailbox: the scheduling mailbox, else
	// the first of the people asked about that the access policy allows.
	vias := b.Addrs
	if conn.SchedulingMailbox != "" {
		vias = []string{conn.SchedulingMailbox}
	}
	api := s.api(req.AccountID, conn.TenantID)
	for from, to := range availability.Windows(req.From, req.To, scheduleWindow) {
		for batch := range slices.Chunk(b.Addrs, scheduleBatch) {
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
				return fmt.Errorf("Microsoft 365's free/busy could not be read: %w", err)
			}
			seen := map[string]bool{}
			for _, info := range infos {
				if !b.Asked(info.ScheduleID) {
					continue
				}
				seen[strings.ToLower(info.ScheduleID)] = true
				if info.Error != nil {
					b.Unknown(info.ScheduleID, "Microsoft 365 could not give this calendar's free/busy ("+info.Error.ResponseCode+")")
					continue
				}
				for _, it := range info.ScheduleItems {
					st, err1 := msgraph.ParseDateTime(it.Start)
					en, err2 := msgraph.ParseDateTime(it.End)
					if err1 != nil || err2 != nil {
						b.Unknown(info.ScheduleID, "Microsoft 365 sent a free/busy time that cannot be read")
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
					b.Add(info.ScheduleID, availability.Interval{Start: st.UTC(), End: en.UTC(), Source: FreshName, Title: title})
				}
			}
			for _, a := range batch {
				if !seen[strings.ToLower(a)] {
					b.Unknown(a, "Microsoft 365 did not answer for this calendar")
				}
			}
		}
	}
	return nil
}

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
