package msconnect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/msgraph"
	"interviewplanner/queue"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/msstore"
)

// EventsArgs asks to bring a schedule's Outlook events in step with it.
type EventsArgs struct {
	AccountID  int64 `json:"account_id"`
	ScheduleID int64 `json:"schedule_id"`
}

// Kind names the job.
func (EventsArgs) Kind() string { return "microsoft_schedule_events" }

// InsertOpts: one job per schedule while queued; Graph's refusals and
// timeouts are retried by River with backoff.
func (EventsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: queue.UniqueWhileQueued}
}

type eventsWorker struct {
	river.WorkerDefaults[EventsArgs]
	s *Service
}

func (w *eventsWorker) Work(ctx context.Context, job *river.Job[EventsArgs]) error {
	err := w.s.SyncEvents(ctx, job.Args.AccountID, job.Args.ScheduleID)
	if errors.Is(err, errMeetingPending) && job.Attempt < 60 {
		// The events carry the video link: wait for the meeting worker.
		return river.JobSnooze(5 * time.Second)
	}
	return err
}

// errMeetingPending: a video meeting of the schedule has no link yet.
var errMeetingPending = errors.New("a video meeting is still being created")

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
	return q.InsertTx(ctx, tx, EventsArgs{AccountID: accountID, ScheduleID: scheduleID})
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

func fingerprint(ev msgraph.Event) string {
	b, _ := json.Marshal(ev)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

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
		for _, it := range sc.Items {
			if st := it.Meeting.State; st == domain.MeetingPending || st == domain.MeetingCreating {
				return errMeetingPending
			}
		}
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
	keep := map[string]bool{}
	for _, d := range want {
		keep[d.key] = true
		fp := fingerprint(d.ev)
		row, ok := have[d.key]
		if ok && row.Mailbox != mailbox && row.EventID != "" {
			// The scheduling mailbox changed: the old organiser's event goes.
			if err := api.DeleteEvent(ctx, row.Mailbox, row.EventID); err != nil {
				return s.failed(ctx, accountID, err)
			}
			ok = false
		}
		if !ok || row.EventID == "" {
			if !ok {
				b := make([]byte, 12)
				_, _ = rand.Read(b)
				row = msstore.ScheduleEvent{Key: d.key, Mailbox: mailbox, TransactionID: fmt.Sprintf("ip-%d-%d-%s-%x", accountID, scheduleID, d.key, b)}
				// Stored before Graph is called: a retry reuses it.
				if err := s.Store.SaveScheduleEvent(ctx, accountID, scheduleID, row); err != nil {
					return err
				}
			}
			ev := d.ev
			ev.TransactionID = row.TransactionID
			created, err := api.CreateEvent(ctx, mailbox, ev)
			if err != nil {
				return s.failed(ctx, accountID, err)
			}
			row.EventID, row.Fingerprint, row.ICalUID = created.ID, fp, created.ICalUID
			row.Start, row.End, row.Attendees = d.start, d.end, d.attendees(mailbox)
			if err := s.Store.SaveScheduleEvent(ctx, accountID, scheduleID, row); err != nil {
				return err
			}
			continue
		}
		if row.Fingerprint == fp {
			continue
		}
		patch := map[string]any{"subject": d.ev.Subject, "body": d.ev.Body, "start": d.ev.Start, "end": d.ev.End,
			"location": d.ev.Location, "attendees": d.ev.Attendees}
		if _, err := api.UpdateEvent(ctx, mailbox, row.EventID, patch); err != nil {
			if msgraph.IsNotFound(err) {
				// Someone deleted it in Outlook: make it again.
				row.EventID = ""
				_ = s.Store.SaveScheduleEvent(ctx, accountID, scheduleID, row)
				return fmt.Errorf("the Outlook event for %s was deleted; it is made again", d.key)
			}
			return s.failed(ctx, accountID, err)
		}
		row.Fingerprint = fp
		row.Start, row.End, row.Attendees = d.start, d.end, d.attendees(mailbox)
		if err := s.Store.SaveScheduleEvent(ctx, accountID, scheduleID, row); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(have))
	for k := range have {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if keep[k] {
			continue
		}
		row := have[k]
		if row.EventID == "" && row.TransactionID != "" {
			// A create whose answer was lost: find it to delete it.
			if found, err := api.FindByTransactionID(ctx, row.Mailbox, row.TransactionID); err == nil && found != nil {
				row.EventID = found.ID
			}
		}
		if row.EventID != "" {
			if err := api.DeleteEvent(ctx, row.Mailbox, row.EventID); err != nil {
				return s.failed(ctx, accountID, err)
			}
		}
		if err := s.Store.DeleteScheduleEvent(ctx, accountID, scheduleID, k); err != nil {
			return err
		}
	}
	return nil
}

// desired lists the schedule's events.
func (s *Service) desired(ctx context.Context, hs *hiringstore.Store, sc *domain.Schedule) ([]desiredEvent, error) {
	cand, err := hs.GetCandidate(ctx, sc.AccountID, sc.CandidateID)
	if err != nil {
		return nil, err
	}
	var userIDs, roomIDs []int64
	for _, it := range sc.Items {
		userIDs = append(userIDs, it.Interviewers...)
		if it.RoomID != 0 {
			roomIDs = append(roomIDs, it.RoomID)
		}
	}
	names, emails, err := hs.ListUserContacts(ctx, sc.AccountID, userIDs)
	if err != nil {
		return nil, err
	}
	tenantAddrs, roomAddrs, err := s.Store.Addresses(ctx, sc.AccountID, userIDs, roomIDs)
	if err != nil {
		return nil, err
	}
	rooms, err := hs.ListRooms(ctx, sc.AccountID)
	if err != nil {
		return nil, err
	}
	roomName := map[int64]string{}
	for _, r := range rooms {
		roomName[r.ID] = r.Name
	}
	var out []desiredEvent
	var lines []string
	items := append([]domain.ScheduleItem(nil), sc.Items...)
	sort.Slice(items, func(i, j int) bool { return items[i].Start.Before(items[j].Start) })
	for _, it := range items {
		subject := fmt.Sprintf("Interview: %s — %s", cand.Name, it.Name)
		var att []msgraph.Attendee
		for _, id := range it.Interviewers {
			addr := tenantAddrs[id] // their mailbox in the tenant, else their email
			if addr == "" {
				addr = emails[id]
			}
			if addr != "" {
				att = append(att, msgraph.Attendee{Type: "required", EmailAddress: msgraph.EmailAddress{Name: names[id], Address: addr}})
			}
		}
		loc := roomName[it.RoomID]
		if a := roomAddrs[it.RoomID]; a != "" {
			att = append(att, msgraph.Attendee{Type: "resource", EmailAddress: msgraph.EmailAddress{Name: roomName[it.RoomID], Address: a}})
		}
		body := "<p>" + html.EscapeString(it.Name) + " with " + html.EscapeString(cand.Name) + ".</p>"
		if u := it.Meeting.JoinURL; u != "" {
			if loc == "" {
				loc = u
			} else {
				loc += " · " + u
			}
			body += `<p>Join: <a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a></p>`
		}
		out = append(out, desiredEvent{key: fmt.Sprintf("item:%d", it.ID), start: it.Start, end: it.End, ev: msgraph.Event{Subject: &subject,
			Body: &msgraph.ItemBody{ContentType: "html", Content: body}, Start: ptr(msgraph.FormatDateTime(it.Start)), End: ptr(msgraph.FormatDateTime(it.End)),
			Location: &msgraph.Location{DisplayName: loc}, Attendees: att}})
		line := html.EscapeString(it.Start.UTC().Format("Mon 2 Jan 15:04 UTC") + " " + it.Name)
		if u := it.Meeting.JoinURL; u != "" {
			line += ` — <a href="` + html.EscapeString(u) + `">join</a>`
		}
		lines = append(lines, "<li>"+line+"</li>")
	}
	if len(items) > 0 && cand.Email != "" {
		subject := "Your interviews"
		out = append(out, desiredEvent{key: "candidate", start: items[0].Start, end: items[len(items)-1].End, ev: msgraph.Event{Subject: &subject,
			Body:  &msgraph.ItemBody{ContentType: "html", Content: "<p>Your interviews:</p><ul>" + strings.Join(lines, "") + "</ul>"},
			Start: ptr(msgraph.FormatDateTime(items[0].Start)), End: ptr(msgraph.FormatDateTime(items[len(items)-1].End)),
			Location:  &msgraph.Location{DisplayName: "See the invitation"},
			Attendees: []msgraph.Attendee{{Type: "required", EmailAddress: msgraph.EmailAddress{Name: cand.Name, Address: cand.Email}}}}})
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
