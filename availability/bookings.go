package availability

import (
	"context"

	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// SourceBookings names our own interviews and video meetings.
const SourceBookings = "bookings"

// Bookings is the busy time we booked ourselves: interviewers' and rooms'
// live interviews, and the meetings each video host runs.
type Bookings struct {
	Store *hiringstore.Store
}

// Name implements Source.
func (Bookings) Name() string { return SourceBookings }

// Busy implements Source.
func (b Bookings) Busy(ctx context.Context, req Request) (Busy, error) {
	out := NewBusy()
	users, err := b.Store.ListInterviewerBookings(ctx, req.Tx, req.AccountID, req.Interviewers, req.From, req.To, req.ExceptSchedule)
	if err != nil {
		return Busy{}, err
	}
	for _, bk := range users {
		out.Interviewers[bk.Key] = append(out.Interviewers[bk.Key], interval(bk))
	}
	rooms, err := b.Store.ListRoomBookings(ctx, req.Tx, req.AccountID, req.Rooms, req.From, req.To, req.ExceptSchedule)
	if err != nil {
		return Busy{}, err
	}
	for _, bk := range rooms {
		out.Rooms[bk.Key] = append(out.Rooms[bk.Key], interval(bk))
	}
	hosts, err := b.Store.ListHostMeetings(ctx, req.Tx, req.AccountID, req.Hosts, req.From, req.To, req.ExceptSchedule)
	if err != nil {
		return Busy{}, err
	}
	for _, bk := range hosts {
		out.Hosts[bk.HostID] = append(out.Hosts[bk.HostID], interval(bk))
	}
	return out, nil
}

func interval(b domain.Booking) Interval {
	return Interval{Start: b.Start, End: b.End, ScheduleID: b.ScheduleID, Source: SourceBookings}
}
