package msconnect

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/riverqueue/river"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/msgraph"
	"interviewplanner/queue"
	"interviewplanner/store/msstore"
	"interviewplanner/store/responsestore"
)

// ResponsesProvider names Microsoft 365 in attendee_responses.
const ResponsesProvider = "microsoft"

// ReadResponses reads the scheduling mailbox's calendarView delta — the
// organiser's copies of interview events, where Outlook records each
// attendee's answer — and keeps the answers per interview, so a decline
// shows on the schedule. Events that are not an interview's are skipped.
func (s *Service) ReadResponses(ctx context.Context, accountID int64) error {
	// One read at a time per account in this process: a later read's
	// answers are newer, and must not be overwritten by an earlier one's.
	mu, _ := s.readingAnswers.LoadOrStore(accountID, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	conn, err := s.Store.GetConnection(ctx, accountID)
	if err != nil {
		return err
	}
	if conn.State != msstore.StateConnected || conn.SchedulingMailbox == "" {
		return nil
	}
	d, err := s.Store.GetResponsesDelta(ctx, accountID)
	if err != nil {
		return err
	}
	now := s.cfg.DB.Now()
	from, to := now.Add(-calendars.Back), now.Add(calendars.Horizon)
	full := d.DeltaLink == "" || !strings.EqualFold(d.Mailbox, conn.SchedulingMailbox) || d.From.After(from) || d.To.Before(to)
	if full {
		d.DeltaLink, d.From, d.To = "", from, to.Add(slack)
	}
	api := s.api(accountID, conn.TenantID)
	if d.Mailbox != "" && !strings.EqualFold(d.Mailbox, conn.SchedulingMailbox) {
		// Another mailbox: its answers come through a subscription of its own.
		if err := s.Store.SaveSubscription(ctx, msstore.Subscription{AccountID: accountID}); err != nil {
			return err
		}
	}
	d.Mailbox = conn.SchedulingMailbox
	// Subscribed before the round reads: an answer given meanwhile is
	// either in the round or notified after it, never in neither.
	if err := s.subscribe(ctx, api, accountID, 0, d.Mailbox); err != nil {
		s.log.WarnContext(ctx, "microsoft subscription to the scheduling mailbox not created; polling only", "account_id", accountID, "err", clip(err.Error(), 300))
	}
	items, next, err := api.DeltaRound(ctx, d.Mailbox, d.DeltaLink, d.From, d.To, s.cfg.DeltaPageSize)
	if msgraph.IsSyncStateGone(err) && !full {
		d.DeltaLink = ""
		items, next, err = api.DeltaRound(ctx, d.Mailbox, "", d.From, d.To, s.cfg.DeltaPageSize)
	}
	if err != nil {
		return s.failed(ctx, accountID, err)
	}
	rs := responsestore.New(s.cfg.DB)
	for _, it := range items {
		if it.Removed != nil || it.ID == "" {
			continue
		}
		itemID, err := s.Store.GetInterviewOfEvent(ctx, accountID, it.ID, it.ICalUID, it.TransactionID)
		if err != nil {
			return err
		}
		if itemID == 0 {
			continue
		}
		answers := map[string]responsestore.Response{}
		for _, a := range it.Attendees {
			addr := strings.ToLower(strings.TrimSpace(a.EmailAddress.Address))
			if addr == "" || a.Status == nil {
				continue
			}
			if r, ok := responsestore.Parse(a.Status.Response); ok {
				answers[addr] = r
			}
		}
		if err := rs.Record(ctx, accountID, itemID, ResponsesProvider, answers); err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
			return fmt.Errorf("attendee answers of interview %d: %w", itemID, err)
		}
	}
	d.DeltaLink = next
	return s.Store.UpdateResponsesDelta(ctx, *d)
}

// ResponsesArgs asks to read every connected tenant's scheduling mailbox
// for attendees' answers (the periodic job).
type ResponsesArgs struct{}

// Kind names the job.
func (ResponsesArgs) Kind() string { return "microsoft_responses" }

// ReadAllResponses reads every connected tenant's scheduling mailbox for
// attendees' answers (the periodic job).
func (s *Service) ReadAllResponses(ctx context.Context) error {
	ids, err := s.Store.ListConnected(ctx)
	if err != nil {
		return err
	}
	return queue.EachAccount(ctx, nil, "", ids, s.ReadResponses)
}

// AnswersChangedArgs asks to read the scheduling mailbox's answers after
// a change notification. Unlike a calendar's, these jobs are not unique:
// one arriving while a read runs is queued, not dropped with what it
// announced (reads of one account take turns).
type AnswersChangedArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind names the job.
func (AnswersChangedArgs) Kind() string { return "microsoft_answers_changed" }

// InsertOpts: retried a few times; the periodic read is the fallback.
func (AnswersChangedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

type answersChangedWorker struct {
	river.WorkerDefaults[AnswersChangedArgs]
	s *Service
}

func (w *answersChangedWorker) Work(ctx context.Context, job *river.Job[AnswersChangedArgs]) error {
	return w.s.ReadResponses(ctx, job.Args.AccountID)
}
