package meetings

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	netmail "net/mail"
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

// InviteArgs asks to email invitations for a changed schedule: an
// iCalendar REQUEST carrying the current state of every live interview to
// its interviewers and the candidate, and CANCELs for the interviews taken
// out and to the interviewers taken off an interview (removed or swapped).
// Its job renders one email per recipient and queues each as an EmailArgs
// job, in the transaction that completes it: a failed delivery is retried
// for its recipient alone, and nobody gets the same invitation twice.
type InviteArgs struct {
	AccountID  int64   `json:"account_id"`
	ScheduleID int64   `json:"schedule_id"`
	New        bool    `json:"new,omitempty"`
	Cancel     []int64 `json:"cancel,omitempty"`
	All        bool    `json:"all,omitempty"` // the whole schedule was cancelled
	// Removed are interviewers taken off interviews that go on without
	// them: each gets a CANCEL of that interview, and nobody else does.
	Removed []Removed           `json:"removed,omitempty"`
	Added   []domain.ItemPerson `json:"added,omitempty"`
}

// Removed is one interviewer taken off one interview.
type Removed = domain.ItemPerson

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
	// From is the sender address of emails (IP_MAIL_FROM): the
	// invitations' ORGANIZER when the coordinator is not known.
	From string
	// WaitForLinks is how long invitations wait for Zoom links before
	// going out without them (default 10 minutes).
	WaitForLinks time.Duration
}

// Register adds the workers.
func (iv *Inviter) Register(w *river.Workers) {
	river.AddWorker(w, &inviteWorker{iv: iv})
	river.AddWorker(w, &emailWorker{iv: iv})
}

// Notify is scheduling.Service.Notify: it queues the invitations for a
// change in the transaction of the change.
// Every notice raises the iCalendar SEQUENCE of the schedule's
// interviews, so calendar apps apply it over what they hold (RFC 5546).
func (iv *Inviter) Notify(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, n domain.ScheduleNotice) error {
	if err := iv.Store.BumpInvitationSequence(ctx, tx, accountID, scheduleID); err != nil {
		return err
	}
	return iv.Queue.InsertTx(ctx, tx, NewInviteArgs(accountID, scheduleID, n))
}

// NewInviteArgs is the invitations job for a change of a schedule.
func NewInviteArgs(accountID, scheduleID int64, n domain.ScheduleNotice) InviteArgs {
	return InviteArgs{AccountID: accountID, ScheduleID: scheduleID, New: n.New, Cancel: n.CancelItems, All: n.All, Added: n.Added}
}

// NotifyRemoved queues, inside tx, a cancellation of each interview to the
// interviewer taken off it (the change's own Notify sends the others the
// new state, with the SEQUENCE it raised).
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
	if sc.Video && !a.All && !force {
		for _, it := range sc.Items {
			switch it.Meeting.State {
			case domain.MeetingPending, domain.MeetingCreating, domain.MeetingFailed, domain.MeetingNone:
				return nil, false, nil
			}
			// Zoom does not have the change yet (a new time, or a new
			// meeting under a new host whose link everyone must get).
			if it.Meeting.Updating {
				return nil, false, nil
			}
		}
	}
	cancelled, err := iv.Store.ListItemsForNotice(ctx, a.AccountID, a.ScheduleID, a.Cancel)
	if err != nil {
		return nil, false, err
	}
	seqs, err := iv.Store.ListInvitationSequences(ctx, a.AccountID, a.ScheduleID)
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
	// Only the schedule's interviewers, those taken off and the organizer,
	// not the whole company.
	ids := []int64{sc.CreatedBy}
	for _, it := range append(slices.Clone(sc.Items), cancelled...) {
		ids = append(ids, it.Interviewers...)
	}
	for _, r := range a.Removed {
		ids = append(ids, r.UserID)
	}
	slices.Sort(ids)
	users, err := iv.Store.DB.ListUsersByID(ctx, a.AccountID, slices.Compact(ids))
	if err != nil {
		return nil, false, err
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
	// The coordinator who confirmed the schedule organizes its events, so
	// answers (Accept, Decline) reach them; otherwise the sender address.
	organizer := ical.Attendee{Name: acct.Name + " Recruiting", Email: iv.fromAddress()}
	if u := users[sc.CreatedBy]; u != nil {
		organizer = ical.Attendee{Name: u.Name, Email: u.Email}
	}
	base := iv.BaseURL()
	itinerary := base + "/itinerary/" + sc.ItineraryToken
	r := renderer{company: acct.Name, candidate: cand, organizer: organizer, rooms: rooms, users: users, seqs: seqs,
		accountID: a.AccountID, itinerary: itinerary, schedulePage: fmt.Sprintf("%s/schedules/%d", base, sc.ID), video: sc.Video}

	out := map[string]*outgoing{}
	get := func(email, name, zone string, candidate bool) *outgoing {
		if o, ok := out[email]; ok {
			return o
		}
		o := &outgoing{to: email, name: name, zone: zone, candidate: candidate}
		out[email] = o
		return o
	}
	added := map[domain.ItemPerson]bool{}
	for _, p := range a.Added {
		added[p] = true
	}
	c := get(cand.Email, cand.Name, cand.TimeZone, true)
	c.updated = !a.New
	for _, it := range live {
		c.requests = append(c.requests, r.candidateEvent(it, false))
		for _, uid := range it.Interviewers {
			if u := users[uid]; u != nil {
				o := get(u.Email, u.Name, u.TimeZone, false)
				o.requests = append(o.requests, r.interviewerEvent(it, false, nil))
				o.updated = o.updated || !(a.New || added[domain.ItemPerson{ItemID: it.ID, UserID: uid}])
			}
		}
	}
	for _, it := range cancelled {
		c.cancels = append(c.cancels, r.candidateEvent(it, true))
		for _, uid := range it.Interviewers {
			if u := users[uid]; u != nil {
				o := get(u.Email, u.Name, u.TimeZone, false)
				o.cancels = append(o.cancels, r.interviewerEvent(it, true, nil))
			}
		}
	}
	// Interviewers taken off an interview that goes on: a CANCEL of that
	// interview to them alone (RFC 5546 3.2.5), the others get the REQUEST.
	for _, p := range a.Removed {
		u := users[p.UserID]
		i := slices.IndexFunc(removedFrom, func(it domain.ScheduleItem) bool { return it.ID == p.ItemID })
		if u == nil || i < 0 {
			continue
		}
		// Put back on it since (a later change): no cancellation.
		if it := sc.Item(p.ItemID); it != nil && slices.Contains(it.Interviewers, p.UserID) {
			continue
		}
		o := get(u.Email, u.Name, u.TimeZone, false)
		o.cancels = append(o.cancels, r.interviewerEvent(removedFrom[i], true, u))
	}
	// The candidate first, then interviewers by address: a stable order.
	emails := slices.Sorted(maps.Keys(out))
	emails = slices.DeleteFunc(emails, func(e string) bool { return e == cand.Email })
	for _, to := range append([]string{cand.Email}, emails...) {
		o := out[to]
		if len(o.requests) == 0 && len(o.cancels) == 0 {
			continue
		}
		m, err := r.email(o)
		if err != nil {
			return nil, false, err
		}
		m.AccountID = a.AccountID
		msgs = append(msgs, m)
	}
	return msgs, true, nil
}

func (iv *Inviter) fromAddress() string {
	if a, err := netmail.ParseAddress(iv.From); err == nil {
		return a.Address
	}
	return "no-reply@interviewplanner.invalid"
}

// outgoing is one recipient's share of a change.
type outgoing struct {
	to, name, zone    string
	candidate         bool
	updated           bool // one of its interviews was sent to them before
	requests, cancels []ical.Event
}

// renderer turns a schedule's interviews into each recipient's events and
// email.
type renderer struct {
	company                 string
	candidate               *domain.Candidate
	organizer               ical.Attendee
	rooms                   map[int64]string
	users                   map[int64]*domain.User
	seqs                    map[int64]int
	accountID               int64
	itinerary, schedulePage string
	video                   bool
}

// event is what every copy of an interview's event shares: its times,
// sequence, organizer and where it happens. The join URL goes in LOCATION,
// the DESCRIPTION and CONFERENCE (RFC 7986), so every calendar app shows
// it somewhere.
func (r *renderer) event(it domain.ScheduleItem, uid string, cancelled bool) (ical.Event, []string) {
	e := ical.Event{UID: uid, Sequence: r.seqs[it.ID], Start: it.Start, End: it.End, Organizer: r.organizer, Cancelled: cancelled}
	var desc []string
	join := it.Meeting.JoinURL
	room := r.rooms[it.RoomID]
	switch {
	case join != "" && room != "":
		e.Location = room + " · " + join
	case join != "":
		e.Location = join
	default:
		e.Location = room
	}
	if join != "" {
		e.URL, e.Conference = join, join
		desc = append(desc, "Join the video meeting: "+join)
	} else if r.video && !cancelled {
		desc = append(desc, "The video meeting link will follow in an update.")
	}
	if room != "" {
		desc = append(desc, "Room: "+room)
	}
	return e, desc
}

// interviewerEvent is an interviewer's copy: the candidate named, the
// interviewers invited, a link to the schedule. Only (a removed
// interviewer's cancellation) lists just that person.
func (r *renderer) interviewerEvent(it domain.ScheduleItem, cancelled bool, only *domain.User) ical.Event {
	e, desc := r.event(it, fmt.Sprintf("item-%d-%d@interviewplanner", r.accountID, it.ID), cancelled)
	e.Summary = it.Name + " with " + r.candidate.Name
	desc = append(desc, "Candidate: "+r.candidate.Name, "Schedule: "+r.schedulePage)
	e.Description = strings.Join(desc, "\n")
	if only != nil {
		e.Attendees = []ical.Attendee{{Name: only.Name, Email: only.Email}}
		return e
	}
	for _, uid := range it.Interviewers {
		if u := r.users[uid]; u != nil {
			e.Attendees = append(e.Attendees, ical.Attendee{Name: u.Name, Email: u.Email})
		}
	}
	return e
}

// candidateEvent is the candidate's copy, a separate event with its own
// UID: only candidate-facing text (the company, the interview's name, the
// join link and the itinerary), no interviewer addresses or internal links.
func (r *renderer) candidateEvent(it domain.ScheduleItem, cancelled bool) ical.Event {
	e, desc := r.event(it, fmt.Sprintf("item-%d-%d-candidate@interviewplanner", r.accountID, it.ID), cancelled)
	e.Summary = it.Name + " · " + r.company
	desc = append(desc, "Your itinerary: "+r.itinerary)
	e.Description = strings.Join(desc, "\n")
	e.Attendees = []ical.Attendee{{Name: r.candidate.Name, Email: r.candidate.Email}}
	return e
}

// email renders one recipient's email with its iCalendar parts: times in
// the recipient's own zone, named, so nobody converts from UTC.
func (r *renderer) email(o *outgoing) (mail.Message, error) {
	loc, err := domain.LoadLocation(o.zone)
	if err != nil || o.zone == "" {
		loc = time.UTC
	}
	when := func(e ical.Event) string {
		s, en := e.Start.In(loc), e.End.In(loc)
		return s.Format("Mon 2 Jan 2006, 15:04") + "–" + en.Format("15:04 MST") + " (" + zoneName(loc) + ")"
	}
	subject := "Interview updated"
	switch {
	case len(o.requests) == 0:
		subject = "Interview cancelled"
	case !o.updated && len(o.cancels) == 0:
		subject = "Interview scheduled"
	}
	if o.candidate {
		subject += " · " + r.company
	} else {
		subject += ": " + r.candidate.Name
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Hello %s,\n\n", o.name)
	if len(o.requests) > 0 {
		if o.candidate {
			fmt.Fprintf(&text, "Your interviews with %s:\n\n", r.company)
		} else {
			text.WriteString("Your interviews:\n\n")
		}
		for _, e := range o.requests {
			fmt.Fprintf(&text, "- %s\n  %s\n", e.Summary, when(e))
			if e.Conference != "" {
				fmt.Fprintf(&text, "  Join: %s\n", e.Conference)
			}
		}
	}
	if len(o.cancels) > 0 {
		text.WriteString("\nCancelled:\n\n")
		for _, e := range o.cancels {
			fmt.Fprintf(&text, "- %s\n  %s\n", e.Summary, when(e))
		}
	}
	if o.candidate {
		fmt.Fprintf(&text, "\nYour itinerary, with join links: %s\n", r.itinerary)
	} else {
		fmt.Fprintf(&text, "\nThe schedule: %s\n", r.schedulePage)
	}
	msg := mail.Message{To: []string{o.to}, Subject: subject, Text: text.String()}
	now := time.Now()
	for _, part := range []struct {
		method string
		events []ical.Event
	}{{ical.MethodRequest, o.requests}, {ical.MethodCancel, o.cancels}} {
		if len(part.events) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := ical.Write(&buf, ical.Calendar{Method: part.method, Events: part.events}, now); err != nil {
			return mail.Message{}, err
		}
		name := "invite.ics"
		if part.method == ical.MethodCancel {
			name = "cancel.ics"
		}
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: name,
			ContentType: "text/calendar; method=" + part.method + "; charset=UTF-8", Data: buf.Bytes()})
	}
	return msg, nil
}

// zoneName is the zone's IANA name, "UTC" for UTC.
func zoneName(loc *time.Location) string {
	if loc == time.UTC {
		return "UTC"
	}
	return loc.String()
}
