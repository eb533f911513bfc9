package meetings

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/ical"
	"interviewplanner/mail"
	"interviewplanner/queue"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// InviteArgs asks to email invitations for a changed schedule: iCalendar
// REQUESTs for its interviews and CANCELs for the ones taken out. Its job
// renders one email per recipient and queues each as an EmailArgs job, in
// the transaction that completes it: a failed delivery is retried for its
// recipient alone, and nobody gets the same invitation twice.
type InviteArgs struct {
	AccountID  int64   `json:"account_id"`
	ScheduleID int64   `json:"schedule_id"`
	Cancel     []int64 `json:"cancel,omitempty"`
	All        bool    `json:"all,omitempty"` // the whole schedule was cancelled
	// Removed are interviewers taken off interviews that go on without
	// them: each gets a CANCEL of that interview, and nobody else does.
	Removed []Removed `json:"removed,omitempty"`
}

// Removed is one interviewer taken off one interview.
type Removed struct {
	ItemID int64 `json:"item_id"`
	UserID int64 `json:"user_id"`
}

// Kind names the job.
func (InviteArgs) Kind() string { return "schedule_invitations" }

// InsertOpts: a few attempts; mail servers recover or they do not.
func (InviteArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// EmailArgs is one recipient's invitation email, rendered when the
// schedule's invitations were prepared.
type EmailArgs struct {
	AccountID  int64        `json:"account_id"`
	ScheduleID int64        `json:"schedule_id"`
	Message    mail.Message `json:"message"`
}

// Kind names the job.
func (EmailArgs) Kind() string { return "invitation_email" }

// InsertOpts: a few attempts; mail servers recover or they do not.
func (EmailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// Inviter sends the invitations.
type Inviter struct {
	Store   *hiringstore.Store
	Mail    mail.Sender
	BaseURL func() string // read when sending: the port may be chosen late
	Log     *slog.Logger
	Queue   interface {
		InsertTx(ctx context.Context, tx *store.Tx, args ...river.JobArgs) error
	}
	// WaitForLinks is how long invitations wait for Zoom links before
	// going out without them (default 10 minutes).
	WaitForLinks time.Duration
}

// Register adds the workers.
func (iv *Inviter) Register(w *river.Workers) {
	river.AddWorker(w, &inviteWorker{iv: iv})
	river.AddWorker(w, &emailWorker{iv: iv})
}

// Notify is hiringstore.Store.Notify.
func (iv *Inviter) Notify(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, cancel []int64, all bool) error {
	return iv.Queue.InsertTx(ctx, tx, InviteArgs{AccountID: accountID, ScheduleID: scheduleID, Cancel: cancel, All: all})
}

// NotifyRemoved queues, inside tx, a cancellation of each interview to the
// interviewer taken off it.
func (iv *Inviter) NotifyRemoved(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, removed []Removed) error {
	return iv.Queue.InsertTx(ctx, tx, InviteArgs{AccountID: accountID, ScheduleID: scheduleID, Removed: removed})
}

type inviteWorker struct {
	river.WorkerDefaults[InviteArgs]
	iv *Inviter
}

func (w *inviteWorker) Work(ctx context.Context, job *river.Job[InviteArgs]) error {
	wait := w.iv.WaitForLinks
	if wait <= 0 {
		wait = 10 * time.Minute
	}
	msgs, ready, err := w.iv.Prepare(ctx, job.Args, time.Since(job.CreatedAt) > wait)
	if err != nil {
		return err
	}
	if !ready {
		return river.JobSnooze(2 * time.Second)
	}
	args := make([]river.JobArgs, len(msgs))
	for i, m := range msgs {
		args[i] = EmailArgs{AccountID: job.Args.AccountID, ScheduleID: job.Args.ScheduleID, Message: m}
	}
	return w.iv.Store.DB.WriteTx(ctx, func(tx *store.Tx) error {
		if err := w.iv.Queue.InsertTx(ctx, tx, args...); err != nil {
			return err
		}
		return queue.CompleteTx(ctx, tx, job)
	})
}

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	iv *Inviter
}

func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	return w.iv.Mail.Send(ctx, job.Args.Message)
}

// Prepare renders one email per recipient of a schedule change; unless
// force, it reports not ready while Zoom meetings are still being created,
// so invitations carry join URLs.
func (iv *Inviter) Prepare(ctx context.Context, a InviteArgs, force bool) (msgs []mail.Message, ready bool, err error) {
	sc, err := iv.Store.GetSchedule(ctx, a.AccountID, a.ScheduleID)
	if domain.IsCode(err, domain.ENOTFOUND) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if sc.Video && !a.All && !force && len(a.Removed) == 0 {
		for _, it := range sc.Items {
			switch it.Meeting.State {
			case domain.MeetingPending, domain.MeetingCreating, domain.MeetingFailed, domain.MeetingNone:
				return nil, false, nil
			}
		}
	}
	cancelled, err := iv.Store.ListItemsForNotice(ctx, a.AccountID, a.ScheduleID, a.Cancel)
	if err != nil {
		return nil, false, err
	}
	cand, err := iv.Store.GetCandidate(ctx, a.AccountID, sc.CandidateID)
	if err != nil {
		return nil, false, err
	}
	acct, err := iv.Store.DB.GetAccount(ctx, a.AccountID)
	if err != nil {
		return nil, false, err
	}
	list, err := iv.Store.DB.ListUsers(ctx, a.AccountID)
	if err != nil {
		return nil, false, err
	}
	users := map[int64]*domain.User{}
	for _, u := range list {
		users[u.ID] = u
	}
	rooms := map[int64]string{}
	if rs, err := iv.Store.ListRooms(ctx, a.AccountID); err == nil {
		for _, r := range rs {
			rooms[r.ID] = r.Name
		}
	}
	live := sc.Items
	if a.All || len(a.Removed) > 0 {
		// A cancellation to those taken off; the others' invitations are
		// queued by the change itself.
		live = nil
	}
	var removedFrom []domain.ScheduleItem
	if len(a.Removed) > 0 {
		ids := make([]int64, 0, len(a.Removed))
		for _, r := range a.Removed {
			ids = append(ids, r.ItemID)
		}
		if removedFrom, err = iv.Store.ListItemsForNotice(ctx, a.AccountID, a.ScheduleID, ids); err != nil {
			return nil, false, err
		}
	}
	seq := int(time.Now().Unix() - 1_700_000_000) // grows with every change
	itinerary := iv.BaseURL() + "/itinerary/" + sc.ItineraryToken
	event := func(it domain.ScheduleItem, cancelled bool, forCandidate bool) ical.Event {
		e := ical.Event{UID: fmt.Sprintf("item-%d-%d@interviewplanner", a.AccountID, it.ID), Sequence: seq, Start: it.Start, End: it.End,
			Summary: it.Name + " · " + acct.Name, Location: rooms[it.RoomID], URL: it.Meeting.JoinURL, Cancelled: cancelled}
		var desc []string
		if it.Meeting.JoinURL != "" {
			desc = append(desc, "Join Zoom meeting: "+it.Meeting.JoinURL)
			if e.Location == "" {
				e.Location = it.Meeting.JoinURL
			}
		} else if sc.Video && !cancelled {
			desc = append(desc, "The Zoom link will be on the itinerary page.")
		}
		if forCandidate {
			desc = append(desc, "Your itinerary: "+itinerary)
		} else {
			e.Summary = it.Name + " with " + cand.Name
		}
		e.Description = strings.Join(desc, "\n")
		for _, uid := range it.Interviewers {
			if u := users[uid]; u != nil {
				e.Attendees = append(e.Attendees, ical.Attendee{Name: u.Name, Email: u.Email})
			}
		}
		e.Attendees = append(e.Attendees, ical.Attendee{Name: cand.Name, Email: cand.Email})
		return e
	}
	type outgoing struct {
		to                string
		requests, cancels []ical.Event
		name, zone        string
	}
	out := map[string]*outgoing{}
	get := func(email, name, zone string) *outgoing {
		if o, ok := out[email]; ok {
			return o
		}
		o := &outgoing{to: email, name: name, zone: zone}
		out[email] = o
		return o
	}
	c := get(cand.Email, cand.Name, cand.TimeZone)
	for _, it := range live {
		c.requests = append(c.requests, event(it, false, true))
		for _, uid := range it.Interviewers {
			if u := users[uid]; u != nil {
				o := get(u.Email, u.Name, u.TimeZone)
				o.requests = append(o.requests, event(it, false, false))
			}
		}
	}
	for _, it := range cancelled {
		c.cancels = append(c.cancels, event(it, true, true))
		for _, uid := range it.Interviewers {
			if u := users[uid]; u != nil {
				o := get(u.Email, u.Name, u.TimeZone)
				o.cancels = append(o.cancels, event(it, true, false))
			}
		}
	}
	for _, r := range a.Removed {
		u := users[r.UserID]
		i := slices.IndexFunc(removedFrom, func(it domain.ScheduleItem) bool { return it.ID == r.ItemID })
		if u == nil || i < 0 {
			continue
		}
		e := event(removedFrom[i], true, false)
		e.Attendees = []ical.Attendee{{Name: u.Name, Email: u.Email}}
		o := get(u.Email, u.Name, u.TimeZone)
		o.cancels = append(o.cancels, e)
	}
	// The candidate first, then interviewers by address: a stable order.
	emails := slices.Sorted(maps.Keys(out))
	emails = slices.DeleteFunc(emails, func(e string) bool { return e == cand.Email })
	for _, to := range append([]string{cand.Email}, emails...) {
		o := out[to]
		if len(o.requests) == 0 && len(o.cancels) == 0 {
			continue
		}
		m, err := invitation(o.to, o.zone, acct.Name, o.requests, o.cancels, o.to == cand.Email, itinerary)
		if err != nil {
			return nil, false, err
		}
		msgs = append(msgs, m)
	}
	return msgs, true, nil
}

// invitation renders one recipient's email with its iCalendar parts.
func invitation(to, zone, company string, requests, cancels []ical.Event, candidate bool, itinerary string) (mail.Message, error) {
	// Times in the recipient's zone, named, so nobody converts from UTC.
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		loc = time.UTC
	}
	when := func(t time.Time) string {
		return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST") + " (" + loc.String() + ")"
	}
	var text strings.Builder
	subject := "Interview schedule updated · " + company
	if len(requests) > 0 {
		text.WriteString("Your interviews:\n\n")
		for _, e := range requests {
			fmt.Fprintf(&text, "- %s: %s\n", e.Summary, when(e.Start))
			if e.URL != "" {
				fmt.Fprintf(&text, "  Join: %s\n", e.URL)
			}
		}
	}
	if len(cancels) > 0 {
		text.WriteString("\nCancelled:\n\n")
		for _, e := range cancels {
			fmt.Fprintf(&text, "- %s: %s\n", e.Summary, when(e.Start))
		}
		if len(requests) == 0 {
			subject = "Interviews cancelled · " + company
		}
	}
	if candidate {
		fmt.Fprintf(&text, "\nYour itinerary, with join links: %s\n", itinerary)
	}
	msg := mail.Message{To: []string{to}, Subject: subject, Text: text.String()}
	now := time.Now()
	for _, part := range []struct {
		method string
		events []ical.Event
	}{{ical.MethodRequest, requests}, {ical.MethodCancel, cancels}} {
		if len(part.events) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := ical.Write(&buf, ical.Calendar{Method: part.method, Events: part.events}, now); err != nil {
			return mail.Message{}, err
		}
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: strings.ToLower(part.method) + ".ics",
			ContentType: "text/calendar; method=" + part.method + "; charset=UTF-8", Data: buf.Bytes()})
	}
	return msg, nil
}
