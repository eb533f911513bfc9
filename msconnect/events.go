package msconnect

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/msgraph"
	"interviewplanner/scheduling/interviewevents"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/msstore"
)

// EventsArgs asks to bring a schedule's Outlook events in step with it.
type EventsArgs struct{ interviewevents.Args }

// Kind names the job.
func (EventsArgs) Kind() string { return "microsoft_schedule_events" }

// QueueEvents queues the schedule's Outlook events in the transaction that
// changed it, when the account's tenant is connected with a scheduling
// mailbox.
func (s *Service) QueueEvents(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) error {
	c, err := s.Connection(ctx, accountID)
	if err != nil || c == nil || c.State != msstore.StateConnected || c.SchedulingMailbox == "" {
		return err
	}
	q := s.cfg.Calendars.Queue
	if q == nil {
		return nil
	}
	return q.InsertTx(ctx, tx, EventsArgs{interviewevents.ArgsFor(accountID, scheduleID, tx.Now)})
}

// desiredEvent is what one Outlook event should say.
type desiredEvent struct {
	key        string
	ev         msgraph.Event
	start, end time.Time
}

// attendees are the addresses whose calendars show the event.
func (d desiredEvent) attendees(organiser string) []string {
	out := []string{strings.ToLower(organiser)}
	for _, a := range d.ev.Attendees {
		out = append(out, strings.ToLower(a.EmailAddress.Address))
	}
	return out
}

func fingerprint(ev msgraph.Event) string { return interviewevents.Fingerprint(ev) }

// SyncEvents makes the scheduling mailbox's events match the schedule: one
// per interview (interviewers and room invited, the video link in location
// and body) and one for the candidate; created once (transactionId stored
// first), patched on change (a swapped interviewer is no longer invited
// and gets Outlook's cancellation), deleted when the interview or the
// schedule goes.
func (s *Service) SyncEvents(ctx context.Context, accountID, scheduleID int64) error {
	conn, err := s.Store.GetConnection(ctx, accountID)
	if err != nil {
		return err
	}
	if conn.State != msstore.StateConnected || conn.SchedulingMailbox == "" {
		return nil
	}
	hs := hiringstore.New(s.cfg.DB)
	sc, err := hs.GetSchedule(ctx, accountID, scheduleID)
	if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
		return err
	}
	var want []desiredEvent
	if sc != nil && sc.Status.Live() {
		if want, err = s.desired(ctx, hs, sc); err != nil {
			return err
		}
	}
	have, err := s.Store.ListScheduleEvents(ctx, accountID, scheduleID)
	if err != nil {
		return err
	}
	api := s.api(accountID, conn.TenantID)
	mailbox := conn.SchedulingMailbox
	// One request at a time: one of the mailbox's four places for them all.
	ctx, release, err := api.Hold(ctx, mailbox)
	if err != nil {
		return err
	}
	defer release()
	return interviewevents.Keep(ctx, &mailboxCalendar{s: s, api: api, mailbox: mailbox, accountID: accountID, scheduleID: scheduleID}, mailbox, want, have)
}

// mailboxCalendar writes a schedule's events to the scheduling mailbox:
// each create carries a transactionId stored first, so Graph refuses a
// second create and a create whose answer was lost can be found.
type mailboxCalendar struct {
	s                     *Service
	api                   *msgraph.API
	mailbox               string
	accountID, scheduleID int64
}

func (c *mailboxCalendar) Key(d desiredEvent) string         { return d.key }
func (c *mailboxCalendar) Fingerprint(d desiredEvent) string { return fingerprint(d.ev) }

func (c *mailboxCalendar) Stored(row msstore.ScheduleEvent) (string, string) {
	if row.EventID == "" {
		return row.Mailbox, ""
	}
	return row.Mailbox, row.Fingerprint
}

func (c *mailboxCalendar) New(d desiredEvent) msstore.ScheduleEvent {
	return msstore.ScheduleEvent{Key: d.key, Mailbox: c.mailbox, TransactionID: newTransactionID(c.accountID, c.scheduleID, d.key)}
}

func (c *mailboxCalendar) Put(ctx context.Context, d desiredEvent, row msstore.ScheduleEvent) (msstore.ScheduleEvent, error) {
	if row.EventID == "" {
		ev := d.ev
		ev.TransactionID = row.TransactionID
		created, err := c.api.CreateEvent(ctx, c.mailbox, ev)
		if err != nil {
			return row, c.s.failed(ctx, c.accountID, err)
		}
		row.EventID, row.ICalUID = created.ID, created.ICalUID
	} else {
		patch := map[string]any{"subject": d.ev.Subject, "body": d.ev.Body, "start": d.ev.Start, "end": d.ev.End,
			"location": d.ev.Location, "attendees": d.ev.Attendees}
		if _, err := c.api.UpdateEvent(ctx, c.mailbox, row.EventID, patch); err != nil {
			if msgraph.IsNotFound(err) {
				// Someone deleted it in Outlook: make it again, under a new
				// transactionId (the old one made the deleted event).
				row.EventID, row.TransactionID = "", newTransactionID(c.accountID, c.scheduleID, d.key)
				if err := c.Save(ctx, row); err != nil {
					return row, err
				}
				return row, fmt.Errorf("the Outlook event for %s was deleted; it is made again", d.key)
			}
			return row, c.s.failed(ctx, c.accountID, err)
		}
	}
	row.Fingerprint = fingerprint(d.ev)
	row.Start, row.End, row.Attendees = d.start, d.end, d.attendees(c.mailbox)
	return row, nil
}

func (c *mailboxCalendar) Delete(ctx context.Context, row msstore.ScheduleEvent) error {
	if row.EventID == "" && row.TransactionID != "" {
		// A create whose answer was lost: find it to delete it.
		if found, err := c.api.FindByTransactionID(ctx, row.Mailbox, row.TransactionID); err == nil && found != nil {
			row.EventID = found.ID
		}
	}
	if row.EventID == "" {
		return nil
	}
	if err := c.api.DeleteEvent(ctx, row.Mailbox, row.EventID); err != nil {
		return c.s.failed(ctx, c.accountID, err)
	}
	return nil
}

func (c *mailboxCalendar) Save(ctx context.Context, row msstore.ScheduleEvent) error {
	return c.s.Store.SaveScheduleEvent(ctx, c.accountID, c.scheduleID, row)
}

func (c *mailboxCalendar) Forget(ctx context.Context, key string) error {
	return c.s.Store.DeleteScheduleEvent(ctx, c.accountID, c.scheduleID, key)
}

// desired is the schedule's events as Outlook events: the plan every
// provider shares, with tenant mailboxes for people and rooms.
func (s *Service) desired(ctx context.Context, hs *hiringstore.Store, sc *domain.Schedule) ([]desiredEvent, error) {
	plan, err := interviewevents.Make(ctx, hs, sc, "")
	if err != nil {
		return nil, err
	}
	var userIDs, roomIDs []int64
	for _, e := range plan.Events {
		userIDs = append(userIDs, e.Interviewers...)
		if e.RoomID != 0 {
			roomIDs = append(roomIDs, e.RoomID)
		}
	}
	tenantAddrs, roomAddrs, err := s.Store.ListAddresses(ctx, sc.AccountID, userIDs, roomIDs)
	if err != nil {
		return nil, err
	}
	var out []desiredEvent
	for _, e := range plan.Events {
		var att []msgraph.Attendee
		for _, id := range e.Interviewers {
			addr := tenantAddrs[id] // their mailbox in the tenant, else their email
			if addr == "" {
				addr = plan.Emails[id]
			}
			if addr != "" {
				att = append(att, msgraph.Attendee{Type: "required", EmailAddress: msgraph.EmailAddress{Name: plan.Names[id], Address: addr}})
			}
		}
		if a := roomAddrs[e.RoomID]; a != "" {
			att = append(att, msgraph.Attendee{Type: "resource", EmailAddress: msgraph.EmailAddress{Name: plan.RoomNames[e.RoomID], Address: a}})
		}
		if e.Key == interviewevents.CandidateKey {
			att = []msgraph.Attendee{{Type: "required", EmailAddress: msgraph.EmailAddress{Name: plan.Candidate.Name, Address: plan.Candidate.Email}}}
		}
		out = append(out, desiredEvent{key: e.Key, start: e.Start, end: e.End, ev: msgraph.Event{Subject: ptr(e.Summary),
			Body: &msgraph.ItemBody{ContentType: "html", Content: plan.HTML(e)}, Start: ptr(msgraph.FormatDateTime(e.Start)), End: ptr(msgraph.FormatDateTime(e.End)),
			Location: &msgraph.Location{DisplayName: e.Location}, Attendees: att}})
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }

// newTransactionID names one create of an event: Graph refuses a second
// create with it, so a retry cannot duplicate the event.
func newTransactionID(accountID, scheduleID int64, key string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return fmt.Sprintf("ip-%d-%d-%s-%x", accountID, scheduleID, key, b)
}
