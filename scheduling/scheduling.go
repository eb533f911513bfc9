// Package scheduling is the schedule workflow: checking a proposal against
// the conflict rules, saving it (confirming, rescheduling, adding or
// removing interviews, switching video), cancelling, and everything those
// decide — the stage's video default, which Zoom host an interview will
// likely get, the stage's range of days counted from today, the meetings a
// schedule should have — with the meeting work and the invitations queued
// in the same transaction as the change. The store only writes rows; the
// web handlers only parse, call this and render.
package scheduling

import (
	"context"
	"errors"
	"slices"
	"time"

	"interviewplanner/availability"
	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// Service runs the schedule workflow for every account.
type Service struct {
	Store *hiringstore.Store
	// Availability answers who is busy when; nil reads our own bookings
	// only.
	Availability *availability.Service
	// Fresh sources are asked again at confirm, outside the transaction,
	// for exactly the schedule's people and rooms (a calendar provider's
	// own free/busy, not its cache): a meeting added a minute ago is
	// caught, and one that cannot be asked is unknown, never free.
	Fresh []availability.Source
	// Video returns the account-wide video provider (Zoom); nil, or a nil
	// func, when there is none.
	Video func() domain.VideoProvider
	// Enqueue queues the sync of meeting rows, inside the transaction that
	// changed them. Nil queues nothing (the sweep picks them up).
	Enqueue func(ctx context.Context, tx *store.Tx, accountID int64, meetingIDs []int64) error
	// Notify queues invitations for a changed schedule (its current
	// state) and the cancellations the notice lists, inside the
	// transaction. Nil sends none.
	Notify func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, n domain.ScheduleNotice) error
	// NotifyRemoved queues a cancellation to each interviewer taken off an
	// interview that goes on without them, inside the transaction. Nil
	// sends none.
	NotifyRemoved func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, removed []Removal) error
	// Calendars write the schedule's events on company calendars (Google
	// Workspace, Microsoft 365): each queues its work inside the
	// transaction. When one says its calendar emails the invitations
	// itself, Notify and NotifyRemoved are not called, so nobody gets the
	// same invitation twice.
	Calendars []CalendarEvents
}

// CalendarEvents is a company calendar that holds a schedule's events.
type CalendarEvents interface {
	// QueueEvents queues, inside tx, the work that brings the schedule's
	// events in step, and reports whether the calendar sends the
	// invitations (to interviewers, rooms and the candidate).
	QueueEvents(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) (sendsInvitations bool, err error)
}

// Removal is one interviewer taken off one interview.
type Removal struct {
	ItemID int64 `json:"item_id"`
	UserID int64 `json:"user_id"`
}

// New returns the service over a store, reading busy time from our own
// bookings.
func New(hs *hiringstore.Store) *Service {
	return &Service{Store: hs, Availability: availability.New(availability.Bookings{Store: hs})}
}

// Item is one interview as the coordinator placed it.
type Item struct {
	ItemID       int64 // existing item when editing; 0 for new
	InterviewID  int64
	Start, End   time.Time
	Interviewers []int64
	RoomID       int64
	// HostID is the Zoom user picked to host its meeting; "" lets the
	// rule choose (the interviewer's own Zoom user, else the one who
	// connected Zoom).
	HostID string
}

// Proposal is a schedule to check or save.
type Proposal struct {
	ScheduleID  int64 // 0: a new schedule for the candidate's current stage
	CandidateID int64
	// FormToken makes confirming idempotent: a second confirm with the
	// same token returns the first schedule.
	FormToken string
	Video     *bool // nil: the schedule's setting, or the stage's for a new one
	Items     []Item
	// AcceptWarnings saves despite non-blocking conflicts.
	AcceptWarnings bool
	UserID         int64
}

// ConflictError refuses a save and carries the conflicts.
type ConflictError struct {
	Conflicts []domain.Conflict
	Blocking  bool
}

func (e *ConflictError) Error() string {
	if e.Blocking {
		return "conflict: the schedule clashes with other bookings"
	}
	return "conflict: the schedule has warnings to accept"
}

// AsDomain converts the refusal into a domain error for adapters.
func (e *ConflictError) AsDomain() *domain.Error {
	msg := "This schedule has warnings. Review them and confirm again to save anyway."
	if e.Blocking {
		msg = "This schedule clashes with other bookings; nothing was saved."
	}
	for _, c := range e.Conflicts {
		if c.Blocking || !e.Blocking {
			msg += " " + c.Message
			break
		}
	}
	return &domain.Error{Code: domain.ECONFLICT, Message: msg}
}

func (s *Service) availability() *availability.Service {
	if s.Availability != nil {
		return s.Availability
	}
	return availability.New(availability.Bookings{Store: s.Store})
}

func (s *Service) now() time.Time { return s.Store.DB.Now() }

// Check validates a proposal and lists its conflicts without saving
// anything.
func (s *Service) Check(ctx context.Context, accountID int64, p Proposal) ([]domain.Conflict, error) {
	ev, err := s.evaluate(ctx, nil, s.hostsFor(ctx, accountID, p.Video), accountID, &p, nil)
	if err != nil {
		return nil, err
	}
	return ev.conflicts, nil
}

// Save confirms a new schedule or changes an existing one (reschedule,
// add or remove interviews, switch video), atomically: the conflict check
// runs under row locks, and the meeting work and invitations are queued
// in the same transaction. A blocking conflict, or warnings not accepted,
// return *ConflictError and save nothing.
func (s *Service) Save(ctx context.Context, accountID int64, p Proposal) (*domain.Schedule, []domain.Conflict, error) {
	if len(p.FormToken) > 100 {
		return nil, nil, domain.Errorf(domain.EINVALID, "The form token is too long.")
	}
	// Hosts come from the provider, over the network: ask before the
	// transaction holds the writer.
	hosts := s.hostsFor(ctx, accountID, p.Video)
	fresh, err := s.freshBusy(ctx, accountID, p)
	if err != nil {
		return nil, nil, err
	}
	var id int64
	var conflicts []domain.Conflict
	err = s.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if p.ScheduleID == 0 && p.FormToken != "" {
			// Under the writer lock (SQLite) or after the unique index
			// makes a racing twin wait (PostgreSQL), a confirm already
			// saved is found here.
			var err error
			if id, err = s.Store.GetScheduleIDByFormToken(ctx, tx, accountID, p.FormToken); err != nil || id != 0 {
				return err
			}
		}
		ev, err := s.evaluate(ctx, tx, hosts, accountID, &p, fresh)
		if err != nil {
			return err
		}
		conflicts = ev.conflicts
		if p.ScheduleID == 0 && p.FormToken != "" {
			if id, err = s.Store.GetScheduleIDByFormToken(ctx, tx, accountID, p.FormToken); err != nil || id != 0 {
				return err
			}
		}
		if domain.HasBlocking(ev.conflicts) {
			return &ConflictError{Conflicts: ev.conflicts, Blocking: true}
		}
		if len(ev.conflicts) > 0 && !p.AcceptWarnings {
			return &ConflictError{Conflicts: ev.conflicts}
		}
		id, err = s.write(ctx, tx, accountID, &p, ev)
		return err
	})
	if err != nil {
		if store.IsUniqueViolation(err) && p.FormToken != "" {
			// The twin committed first; answer with its schedule.
			if twin, terr := s.Store.GetScheduleIDByFormToken(ctx, nil, accountID, p.FormToken); terr == nil && twin != 0 {
				sc, err := s.Store.GetSchedule(ctx, accountID, twin)
				return sc, nil, err
			}
		}
		var ce *ConflictError
		if errors.As(err, &ce) {
			return nil, ce.Conflicts, ce
		}
		return nil, conflicts, err
	}
	sc, err := s.Store.GetSchedule(ctx, accountID, id)
	return sc, conflicts, err
}

// write stores an evaluated proposal: the schedule row, its items and
// interviewers, the audit event, its meetings and the invitations.
func (s *Service) write(ctx context.Context, tx *store.Tx, accountID int64, p *Proposal, ev *evaluation) (int64, error) {
	var id int64
	var err error
	if ev.existing == nil {
		if id, err = s.Store.CreateSchedule(ctx, tx, accountID, hiringstore.NewSchedule{CandidateID: ev.candidate.ID, StageID: ev.stage.ID,
			Video: ev.video, MeetingMode: ev.stage.MeetingMode, FormToken: p.FormToken, CreatedBy: p.UserID}); err != nil {
			return 0, err
		}
	} else {
		id = ev.existing.ID
		if err := s.Store.UpdateSchedule(ctx, tx, accountID, id, statusAfter(ev.existing, p.Items), ev.video); err != nil {
			return 0, err
		}
	}
	keep := map[int64]bool{}
	choices := map[int64]string{}
	var dropped []Removal
	notice := domain.ScheduleNotice{New: ev.existing == nil}
	for _, it := range p.Items {
		row := domain.ScheduleItem{ID: it.ItemID, InterviewID: it.InterviewID, Name: ev.stage.Interview(it.InterviewID).Name,
			Start: it.Start, End: it.End, RoomID: it.RoomID, Interviewers: it.Interviewers}
		if row.ID == 0 {
			if row.ID, err = s.Store.CreateItem(ctx, tx, accountID, id, row); err != nil {
				return 0, err
			}
		} else {
			if ev.existing == nil {
				return 0, domain.Errorf(domain.ENOTFOUND, "Interview not found in this schedule.")
			}
			if err := s.Store.UpdateItem(ctx, tx, accountID, id, row); err != nil {
				return 0, err
			}
			if old := ev.existing.Item(row.ID); old != nil {
				for _, u := range old.Interviewers {
					if !slices.Contains(row.Interviewers, u) {
						dropped = append(dropped, Removal{ItemID: row.ID, UserID: u})
					}
				}
				for _, u := range row.Interviewers {
					if !slices.Contains(old.Interviewers, u) {
						notice.Added = append(notice.Added, domain.ItemPerson{ItemID: row.ID, UserID: u})
					}
				}
			}
		}
		keep[row.ID] = true
		choices[row.ID] = it.HostID
	}
	if ev.existing != nil {
		for _, old := range ev.existing.Items {
			if !keep[old.ID] {
				if err := s.Store.DeleteItem(ctx, tx, accountID, old.ID); err != nil {
					return 0, err
				}
				notice.CancelItems = append(notice.CancelItems, old.ID)
			}
		}
	}
	action := "schedule.created"
	if ev.existing != nil {
		action = "schedule.updated"
	}
	if err := s.Store.CreateAudit(ctx, tx, accountID, p.UserID, action, "schedule %d for candidate %d", id, ev.candidate.ID); err != nil {
		return 0, err
	}
	calendarSends, err := s.afterChange(ctx, tx, accountID, id, notice, choices)
	if err != nil {
		return 0, err
	}
	if len(dropped) == 0 || s.NotifyRemoved == nil || calendarSends {
		return id, nil
	}
	return id, s.NotifyRemoved(ctx, tx, accountID, id, dropped)
}

// statusAfter is a live schedule's status once items replace its
// interviews: moving, adding or removing one reschedules it.
func statusAfter(sc *domain.Schedule, items []Item) domain.ScheduleStatus {
	moved := len(items) != len(sc.Items)
	for _, it := range items {
		old := sc.Item(it.ItemID)
		moved = moved || old == nil || !old.Start.Equal(it.Start) || !old.End.Equal(it.End)
	}
	if moved && sc.Status == domain.ScheduleScheduled {
		return domain.ScheduleRescheduled
	}
	return sc.Status
}

// Cancel cancels a schedule: its bookings are released, its meetings
// deleted by the worker, and everyone told.
func (s *Service) Cancel(ctx context.Context, accountID, userID, id int64) error {
	return s.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		sc, err := s.Store.GetScheduleTx(ctx, tx, accountID, id, true)
		if err != nil {
			return err
		}
		if sc.Status == domain.ScheduleCancelled {
			return nil
		}
		if !sc.Status.Live() {
			return domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be cancelled.", sc.Status)
		}
		if err := s.Store.UpdateScheduleStatus(ctx, tx, accountID, id, domain.ScheduleCancelled); err != nil {
			return err
		}
		if err := s.Store.DeleteScheduleItems(ctx, tx, accountID, id); err != nil {
			return err
		}
		if err := s.Store.CreateAudit(ctx, tx, accountID, userID, "schedule.cancelled", "schedule %d", id); err != nil {
			return err
		}
		var ids []int64
		for _, it := range sc.Items {
			ids = append(ids, it.ID)
		}
		_, err = s.afterChange(ctx, tx, accountID, id, domain.ScheduleNotice{CancelItems: ids, All: true}, nil)
		return err
	})
}

// RemoveItem takes one interview out of a schedule; its meeting is
// deleted and its interviewers told.
func (s *Service) RemoveItem(ctx context.Context, accountID, userID, scheduleID, itemID int64) error {
	return s.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		sc, err := s.Store.GetScheduleTx(ctx, tx, accountID, scheduleID, true)
		if err != nil {
			return err
		}
		if !sc.Status.Live() {
			return domain.Errorf(domain.ECONFLICT, "This schedule is %s and cannot be changed.", sc.Status)
		}
		if sc.Item(itemID) == nil {
			return domain.Errorf(domain.ENOTFOUND, "Interview not found in this schedule.")
		}
		if err := s.Store.DeleteItem(ctx, tx, accountID, itemID); err != nil {
			return err
		}
		if err := s.Store.UpdateScheduleStatus(ctx, tx, accountID, scheduleID, domain.ScheduleRescheduled); err != nil {
			return err
		}
		if err := s.Store.CreateAudit(ctx, tx, accountID, userID, "schedule.item_removed", "schedule %d item %d", scheduleID, itemID); err != nil {
			return err
		}
		_, err = s.afterChange(ctx, tx, accountID, scheduleID, domain.ScheduleNotice{CancelItems: []int64{itemID}}, nil)
		return err
	})
}

// afterChange brings the schedule's meetings to what it now needs and
// queues the calendar events and invitations, in the transaction of the
// change. choices are the hosts picked by item (nil keeps the stored
// ones). It reports whether a company calendar sends the invitations.
func (s *Service) afterChange(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, n domain.ScheduleNotice, choices map[int64]string) (bool, error) {
	if err := s.syncMeetings(ctx, tx, accountID, scheduleID, choices); err != nil {
		return false, err
	}
	return s.Announce(ctx, tx, accountID, scheduleID, n)
}

// Announce queues, inside tx, a changed schedule's calendar events and —
// unless a company calendar sends the invitations itself — our own
// invitations. It reports whether a calendar sends them.
func (s *Service) Announce(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, n domain.ScheduleNotice) (bool, error) {
	sends := false
	for _, c := range s.Calendars {
		ok, err := c.QueueEvents(ctx, tx, accountID, scheduleID)
		if err != nil {
			return false, err
		}
		sends = sends || ok
	}
	if s.Notify == nil || sends {
		return sends, nil
	}
	return false, s.Notify(ctx, tx, accountID, scheduleID, n)
}

// RetryMeeting queues a failed meeting of a live schedule again at once (a
// host that vanished is chosen again); it is the coordinator's "Try again".
func (s *Service) RetryMeeting(ctx context.Context, accountID, userID, scheduleID, meetingID int64) error {
	return s.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		sc, err := s.Store.GetScheduleTx(ctx, tx, accountID, scheduleID, false)
		if err != nil {
			return err
		}
		if !sc.Status.Live() {
			return domain.Errorf(domain.ECONFLICT, "This schedule is %s; its meetings are not retried.", sc.Status)
		}
		ok, err := s.Store.UpdateMeetingRetry(ctx, tx, accountID, scheduleID, meetingID)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.ECONFLICT, "This meeting has not failed, so there is nothing to try again.")
		}
		if err := s.Store.CreateAudit(ctx, tx, accountID, userID, "meeting.retried", "schedule %d meeting %d", scheduleID, meetingID); err != nil {
			return err
		}
		if s.Enqueue == nil {
			return nil
		}
		return s.Enqueue(ctx, tx, accountID, []int64{meetingID})
	})
}

// freshBusy asks the Fresh sources about the proposal's people and rooms
// over its span. A source that fails makes them unknown.
func (s *Service) freshBusy(ctx context.Context, accountID int64, p Proposal) (*availability.Busy, error) {
	if len(s.Fresh) == 0 || len(p.Items) == 0 {
		return nil, nil
	}
	users, rooms, lo, hi := footprint(p.Items)
	req := availability.Request{AccountID: accountID, From: lo, To: hi, Interviewers: users, Rooms: rooms, ExceptSchedule: p.ScheduleID}
	out := availability.New(noBookings{}, s.Fresh...)
	b, err := out.Busy(ctx, req)
	if err != nil {
		return nil, err
	}
	if p.ScheduleID != 0 {
		// The providers' answers hold this schedule's own events, where
		// it stands now; moving an interview must not clash with itself.
		sc, err := s.Store.GetSchedule(ctx, accountID, p.ScheduleID)
		if err != nil {
			return nil, err
		}
		for _, it := range sc.Items {
			for _, u := range it.Interviewers {
				b.Interviewers[u] = availability.Cut(b.Interviewers[u], it.Start, it.End)
			}
			if it.RoomID != 0 {
				b.Rooms[it.RoomID] = availability.Cut(b.Rooms[it.RoomID], it.Start, it.End)
			}
		}
	}
	return &b, nil
}

// noBookings is the Fresh check's own source: our bookings are read in
// the transaction already.
type noBookings struct{}

func (noBookings) Name() string { return "none" }

func (noBookings) Busy(context.Context, availability.Request) (availability.Busy, error) {
	return availability.NewBusy(), nil
}
