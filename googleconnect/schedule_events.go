package googleconnect

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/scheduling/interviewevents"
	"interviewplanner/store"
	"interviewplanner/store/googlestore"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/responsestore"
)

// EventsArgs asks to bring a schedule's Google Calendar events in step with it.
type EventsArgs struct{ interviewevents.Args }

// Kind names the job.
func (EventsArgs) Kind() string { return "google_schedule_events" }

// PausedError: writes to the scheduling calendar wait until Until
// (Google answered quotaExceeded).
type PausedError = interviewevents.PausedError

// SendsInvitations reports whether Google writes the account's interview
// events (connected, with a scheduling calendar chosen): Google then emails
// the invitations (sendUpdates=all) and InterviewPlanner's own are not
// sent.
func (s *Service) SendsInvitations(ctx context.Context, accountID int64) (bool, error) {
	c, err := s.Connection(ctx, accountID)
	if err != nil || c == nil {
		return false, err
	}
	return c.State == googlestore.StateConnected && c.SchedulingCalendar != "", nil
}

// QueueEvents queues, in the transaction that changed the schedule, the
// job that writes its Google Calendar events, and reports whether Google
// sends the invitations (scheduling.CalendarEvents).
func (s *Service) QueueEvents(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) (bool, error) {
	sends, err := s.SendsInvitations(ctx, accountID)
	if err != nil || !sends || s.cals.Queue == nil {
		return false, err
	}
	return true, s.cals.Queue.InsertTx(ctx, tx, EventsArgs{interviewevents.ArgsFor(accountID, scheduleID, tx.Now)})
}

// eventKey is the key an event id is derived from: unique across accounts
// and schedules.
func eventKey(accountID, scheduleID int64, key string) string {
	return fmt.Sprintf("account/%d/schedule/%d/%s", accountID, scheduleID, key)
}

// SyncEvents makes the scheduling calendar's events match the schedule:
// one per interview (interviewers and room invited, the video link in
// location and description) and one for the candidate; inserted once with
// our own id (the row is stored first, and a retry after a lost answer or
// a killed process meets Google's 409 and patches), patched on change (a
// swapped interviewer is no longer an attendee and Google tells them),
// deleted when the interview or the schedule goes. Google sends the
// invitations (sendUpdates=all).
func (s *Service) SyncEvents(ctx context.Context, accountID, scheduleID int64) error {
	// One sync of a schedule at a time here; each reads the latest state.
	mu := s.scheduleMutex(accountID, scheduleID)
	mu.Lock()
	defer mu.Unlock()
	conn, err := s.Connection(ctx, accountID)
	if err != nil || conn == nil || conn.State != googlestore.StateConnected || conn.SchedulingCalendar == "" {
		return err
	}
	if p := conn.WritesPausedUntil; p != nil && s.db.Now().Before(*p) {
		return &PausedError{Until: *p}
	}
	hs := hiringstore.New(s.db)
	sc, err := hs.GetSchedule(ctx, accountID, scheduleID)
	if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
		return err
	}
	plan, err := interviewevents.Make(ctx, hs, sc, s.baseURL)
	if err != nil {
		return err
	}
	want, err := s.desired(ctx, accountID, plan)
	if err != nil {
		return err
	}
	have, err := s.store.ListScheduleEvents(ctx, accountID, scheduleID)
	if err != nil {
		return err
	}
	cal := &scheduleCalendar{s: s, conn: conn, accountID: accountID, scheduleID: scheduleID}
	if err := interviewevents.Keep(ctx, cal, conn.SchedulingCalendar, want, have); err != nil {
		return err
	}
	if conn.WritesPausedUntil != nil {
		// Writes work again: the notice goes.
		return s.store.PauseWrites(ctx, accountID, nil)
	}
	return nil
}

// scheduleCalendar writes a schedule's events to the connection's
// scheduling calendar: each event's id is derived from its key, so a
// retry after a lost answer meets Google's 409 and patches.
type scheduleCalendar struct {
	s                     *Service
	conn                  *googlestore.Connection
	accountID, scheduleID int64
}

func (c *scheduleCalendar) Key(d desiredEvent) string         { return d.Key }
func (c *scheduleCalendar) Fingerprint(d desiredEvent) string { return interviewevents.Fingerprint(d) }

func (c *scheduleCalendar) Stored(row googlestore.ScheduleEvent) (string, string) {
	return row.CalendarID, row.Fingerprint
}

func (c *scheduleCalendar) New(d desiredEvent) googlestore.ScheduleEvent {
	return googlestore.ScheduleEvent{ScheduleID: c.scheduleID, Key: d.Key, CalendarID: c.conn.SchedulingCalendar,
		EventID: EventID(eventKey(c.accountID, c.scheduleID, d.Key)), ItemID: d.ItemID}
}

func (c *scheduleCalendar) Put(ctx context.Context, d desiredEvent, row googlestore.ScheduleEvent) (googlestore.ScheduleEvent, error) {
	ev := d.InterviewEvent
	ev.Key = eventKey(c.accountID, c.scheduleID, d.Key)
	if _, err := c.s.PutEvent(ctx, c.accountID, ev, true); err != nil {
		return row, c.s.writeFailed(ctx, c.accountID, err)
	}
	row.ItemID, row.Fingerprint = d.ItemID, interviewevents.Fingerprint(d)
	return row, nil
}

func (c *scheduleCalendar) Delete(ctx context.Context, row googlestore.ScheduleEvent) error {
	if err := c.s.deleteEventOn(ctx, c.conn, row.CalendarID, row.EventID); err != nil {
		return c.s.writeFailed(ctx, c.accountID, err)
	}
	return nil
}

func (c *scheduleCalendar) Save(ctx context.Context, row googlestore.ScheduleEvent) error {
	return c.s.store.SaveScheduleEvent(ctx, c.accountID, row)
}

func (c *scheduleCalendar) Forget(ctx context.Context, key string) error {
	return c.s.store.DeleteScheduleEvent(ctx, c.accountID, c.scheduleID, key)
}

func (s *Service) scheduleMutex(accountID, scheduleID int64) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := fmt.Sprintf("%d/%d", accountID, scheduleID)
	if s.syncM[k] == nil {
		s.syncM[k] = &sync.Mutex{}
	}
	return s.syncM[k]
}

// desiredEvent is one event of the plan as Google Calendar gets it.
type desiredEvent struct {
	Key    string
	ItemID int64
	InterviewEvent
}

// desired is the plan with Workspace addresses: an interviewer's Google
// calendar (their email), a room's resource calendar; the candidate only
// on their own event.
func (s *Service) desired(ctx context.Context, accountID int64, plan *interviewevents.Plan) ([]desiredEvent, error) {
	var roomIDs []int64
	for _, e := range plan.Events {
		if e.RoomID != 0 {
			roomIDs = append(roomIDs, e.RoomID)
		}
	}
	_, roomAddrs, err := s.store.ListAddresses(ctx, accountID, nil, roomIDs)
	if err != nil {
		return nil, err
	}
	var out []desiredEvent
	for _, e := range plan.Events {
		d := desiredEvent{Key: e.Key, ItemID: e.ItemID, InterviewEvent: InterviewEvent{Summary: e.Summary, Location: e.Location,
			Description: plan.Text(e), Start: e.Start, End: e.End}}
		if e.Key == interviewevents.CandidateKey {
			d.Attendees = []string{strings.ToLower(plan.Candidate.Email)}
		} else {
			for _, id := range e.Interviewers {
				if a := plan.Emails[id]; a != "" {
					d.Attendees = append(d.Attendees, strings.ToLower(a))
				}
			}
			if a := roomAddrs[e.RoomID]; a != "" {
				d.Attendees = append(d.Attendees, strings.ToLower(a))
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// deleteEventOn deletes an event on a given calendar (Google tells the
// attendees); one already gone is fine.
func (s *Service) deleteEventOn(ctx context.Context, c *googlestore.Connection, calID, eventID string) error {
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return err
	}
	err = cal.Events.Delete(calID, eventID).SendUpdates("all").Context(ctx).Do()
	if isCode(err, http.StatusNotFound) || isCode(err, http.StatusGone) {
		return nil
	}
	return writeError(err)
}

// writeFailed turns quotaExceeded into a pause of every write of the
// connection (admins are told on their home and integration pages).
func (s *Service) writeFailed(ctx context.Context, accountID int64, err error) error {
	if !isReason(err, http.StatusForbidden, "quotaExceeded") {
		return err
	}
	until := s.db.Now().Add(s.quotaPause).UTC().Truncate(time.Millisecond)
	if perr := s.store.PauseWrites(context.WithoutCancel(ctx), accountID, &until); perr != nil {
		return perr
	}
	s.log.WarnContext(ctx, "google: writes paused (quotaExceeded)", "account_id", accountID, "until", until)
	return &PausedError{Until: until}
}

// SyncResponses reads what changed on the scheduling calendar since the
// last time (its own sync token; 410 → read again in full) and records
// attendees' answers to the interview events in the provider-neutral
// attendee_responses: "Priya declined" then shows on the schedule and the
// coordinator's home page.
func (s *Service) SyncResponses(ctx context.Context, accountID int64) error {
	conn, err := s.Connection(ctx, accountID)
	if err != nil || conn == nil || conn.State != googlestore.StateConnected || conn.SchedulingCalendar == "" {
		return err
	}
	cal, err := s.calendarAs(ctx, conn, "")
	if err != nil {
		return err
	}
	token, err := s.store.GetSchedulingSyncToken(ctx, accountID)
	if err != nil {
		return err
	}
	list := func(token string) ([]*calendar.Event, string, error) {
		call := cal.Events.List(conn.SchedulingCalendar).ShowDeleted(true).MaxResults(2500).Context(ctx)
		if token != "" {
			call = call.SyncToken(token)
		}
		var items []*calendar.Event
		var next string
		err := call.Pages(ctx, func(p *calendar.Events) error {
			items = append(items, p.Items...)
			if p.NextSyncToken != "" {
				next = p.NextSyncToken
			}
			return nil
		})
		return items, next, err
	}
	items, next, err := list(token)
	if token != "" && isCode(err, http.StatusGone) {
		items, next, err = list("")
	}
	if err != nil {
		return readError(err)
	}
	rs := responsestore.New(s.db)
	for _, it := range items {
		if it.Status == "cancelled" || it.ExtendedProperties == nil || it.ExtendedProperties.Private["interviewplanner"] == "" {
			continue
		}
		row, err := s.store.GetScheduleEvent(ctx, accountID, it.Id)
		if domain.IsCode(err, domain.ENOTFOUND) || (err == nil && row.ItemID == 0) {
			continue
		}
		if err != nil {
			return err
		}
		answers := map[string]responsestore.Response{}
		for _, a := range it.Attendees {
			if r, ok := responsestore.Parse(a.ResponseStatus); ok && !a.Organizer {
				answers[a.Email] = r
			}
		}
		if err := rs.Record(ctx, accountID, row.ItemID, "google", answers); err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
			return err
		}
	}
	return s.store.UpdateSchedulingSyncToken(ctx, accountID, next)
}

// ResponsesArgs asks to read attendees' answers on every connected
// account's scheduling calendar.
type ResponsesArgs struct{}

// Kind names the job.
func (ResponsesArgs) Kind() string { return "google_attendee_responses" }

// SyncAllResponses reads attendees' answers on every connected account's
// scheduling calendar (the periodic job).
func (s *Service) SyncAllResponses(ctx context.Context) error {
	ids, err := s.store.ListLiveAccounts(ctx)
	if err != nil {
		return err
	}
	return queue.EachAccount(ctx, s.log, "google: attendee responses not read", ids, s.SyncResponses)
}
