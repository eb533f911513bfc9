package msconnect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/msgraph"
	"interviewplanner/queue"
	"interviewplanner/store"
	"interviewplanner/store/msstore"
)

// Notification endpoints (public; Graph calls them).
const (
	NotifyPath    = "/integrations/microsoft/notify"
	LifecyclePath = "/integrations/microsoft/lifecycle"
)

// subscriptionLife is what is asked for: under the 4,230 minutes older
// Microsoft pages give for Outlook events (newer ones say 10,080), renewed
// at half-life.
const subscriptionLife = 4200 * time.Minute

// notifiable says whether Graph can reach the app: HTTPS, or loopback
// (the demo's emulator and tests).
func notifiable(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return u.Scheme == "https" || (u.Scheme == "http" && (h == "127.0.0.1" || h == "localhost"))
}

func hashClientState(cs string) string {
	h := sha256.Sum256([]byte(cs))
	return hex.EncodeToString(h[:])
}

// subscribe makes sure a calendar (sourceID 0: the scheduling mailbox)
// has a live subscription: created when missing, renewed at half-life,
// recreated when Graph lost it. Without a reachable URL polling alone
// keeps calendars and answers fresh.
func (s *Service) subscribe(ctx context.Context, api *msgraph.API, accountID, sourceID int64, mailbox string) error {
	if s.cfg.BaseURL == "" || !notifiable(s.cfg.BaseURL) {
		return nil
	}
	sub, err := s.Store.GetSubscription(ctx, accountID, sourceID)
	if err != nil {
		return err
	}
	now := s.cfg.DB.Now()
	if sub.ID != "" && sub.Expires.Sub(now) > subscriptionLife/2 {
		return nil
	}
	if sub.ID != "" {
		until := now.Add(subscriptionLife)
		if _, err := api.RenewSubscription(ctx, sub.ID, until); err == nil {
			sub.Expires = until
			return s.Store.SaveSubscription(ctx, *sub)
		} else if !msgraph.IsNotFound(err) {
			return err
		}
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	cs := base64.RawURLEncoding.EncodeToString(b)
	created, err := api.CreateSubscription(ctx, msgraph.Subscription{ChangeType: "created,updated,deleted", Resource: "/users/" + mailbox + "/events",
		NotificationURL: s.cfg.BaseURL + NotifyPath, LifecycleNotificationURL: s.cfg.BaseURL + LifecyclePath, ClientState: cs,
		ExpirationDateTime: now.Add(subscriptionLife).UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	exp, err := time.Parse(time.RFC3339Nano, created.ExpirationDateTime)
	if err != nil {
		exp = now.Add(subscriptionLife)
	}
	return s.Store.SaveSubscription(ctx, msstore.Subscription{AccountID: accountID, SourceID: sourceID, ID: created.ID,
		ClientStateHash: hashClientState(cs), Expires: exp, Mailbox: mailbox})
}

// Notified is what a notification POST led to.
type Notified struct{ Accepted, Ignored int }

// maxNotifications bounds one POST's items.
const maxNotifications = 1000

// HandleNotifications reads a notification POST: each item must name a
// known subscription and carry its clientState, else it is ignored (and
// logged). Accepted changes queue a sync of their calendar; lifecycle
// events queue their handling. Nothing is read from Graph here, so the
// answer goes back within Graph's 3 seconds.
func (s *Service) HandleNotifications(ctx context.Context, body []byte) (Notified, error) {
	var n Notified
	var in msgraph.NotificationCollection
	if err := json.Unmarshal(body, &in); err != nil {
		return n, domain.Wrap(err, domain.EINVALID, "The notification is not JSON: %v.", err)
	}
	if len(in.Value) > maxNotifications {
		return n, domain.Errorf(domain.EINVALID, "Too many notifications in one request.")
	}
	q := s.cfg.Calendars.Queue
	var jobs []river.JobArgs
	tenants := map[int64]string{} // account → its connected tenant
	for _, item := range in.Value {
		sub, err := s.Store.GetSubscriptionByID(ctx, item.SubscriptionID)
		if err != nil || subtle.ConstantTimeCompare([]byte(sub.ClientStateHash), []byte(hashClientState(item.ClientState))) != 1 {
			if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
				return n, err
			}
			n.Ignored++
			s.log.WarnContext(ctx, "microsoft notification ignored: unknown subscription or wrong clientState", "subscription", clip(item.SubscriptionID, 64))
			continue
		}
		tenant, ok := tenants[sub.AccountID]
		if !ok {
			conn, err := s.Store.GetConnection(ctx, sub.AccountID)
			if err != nil && !domain.IsCode(err, domain.ENOTFOUND) {
				return n, err
			}
			if conn != nil {
				tenant = conn.TenantID
			}
			tenants[sub.AccountID] = tenant
		}
		// Graph names the tenant the change happened in: a notification
		// for another tenant is not this connection's, whatever it carries.
		if tenant == "" || !strings.EqualFold(item.TenantID, tenant) {
			n.Ignored++
			s.log.WarnContext(ctx, "microsoft notification ignored: not the connected tenant", "subscription", clip(item.SubscriptionID, 64), "tenant", clip(item.TenantID, 64))
			continue
		}
		n.Accepted++
		if sub.SourceID == 0 && item.LifecycleEvent == "" {
			jobs = append(jobs, AnswersChangedArgs{AccountID: sub.AccountID})
			continue
		}
		jobs = append(jobs, LifecycleArgs{AccountID: sub.AccountID, SourceID: sub.SourceID, Event: item.LifecycleEvent})
	}
	if len(jobs) == 0 {
		return n, nil
	}
	if q == nil {
		for _, j := range jobs {
			var err error
			switch a := j.(type) {
			case LifecycleArgs:
				err = s.handleChange(ctx, a)
			case AnswersChangedArgs:
				err = s.ReadResponses(ctx, a.AccountID)
			}
			if err != nil {
				return n, err
			}
		}
		return n, nil
	}
	return n, s.cfg.DB.WriteTx(ctx, func(tx *store.Tx) error {
		for _, j := range jobs {
			if a, ok := j.(LifecycleArgs); ok {
				if err := msstore.CountNotifiedTx(ctx, tx, a.AccountID, a.SourceID); err != nil {
					return err
				}
			}
		}
		return q.InsertTx(ctx, tx, jobs...)
	})
}

// LifecycleArgs asks to act on a notification: a change (Event "") syncs
// the calendar (SourceID 0: reads the scheduling mailbox's answers); reauthorizationRequired renews the subscription;
// subscriptionRemoved recreates it and reads the calendar whole; missed
// reads it whole.
type LifecycleArgs struct {
	AccountID int64  `json:"account_id"`
	SourceID  int64  `json:"source_id"`
	Event     string `json:"event,omitempty"`
}

// Kind names the job.
func (LifecycleArgs) Kind() string { return "microsoft_notification" }

// InsertOpts: a burst of changes to one calendar is one job while queued.
func (LifecycleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: queue.UniqueWhileQueued}
}

type lifecycleWorker struct {
	river.WorkerDefaults[LifecycleArgs]
	s *Service
}

func (w *lifecycleWorker) Work(ctx context.Context, job *river.Job[LifecycleArgs]) error {
	a := job.Args
	before, err := w.s.Store.Notified(ctx, a.AccountID, a.SourceID)
	if err != nil {
		return err
	}
	if err := w.s.handleChange(ctx, a); err != nil {
		return err
	}
	// A notification that came while this ran was not queued (this job
	// was its duplicate), and what it announced may have been missed.
	if after, err := w.s.Store.Notified(ctx, a.AccountID, a.SourceID); err == nil && after != before {
		return river.JobSnooze(0)
	}
	return nil
}

func (s *Service) handleChange(ctx context.Context, a LifecycleArgs) error {
	switch a.Event {
	case "reauthorizationRequired":
		conn, err := s.Store.GetConnection(ctx, a.AccountID)
		if err != nil {
			return err
		}
		sub, err := s.Store.GetSubscription(ctx, a.AccountID, a.SourceID)
		if err != nil || sub.ID == "" {
			return err
		}
		api := s.api(a.AccountID, conn.TenantID)
		if err := api.ReauthorizeSubscription(ctx, sub.ID); err != nil && !msgraph.IsNotFound(err) {
			return s.failed(ctx, a.AccountID, err)
		}
		sub.Expires = time.Time{} // renewed at the next sync
		return s.Store.SaveSubscription(ctx, *sub)
	case "subscriptionRemoved":
		if err := s.Store.SaveSubscription(ctx, msstore.Subscription{AccountID: a.AccountID, SourceID: a.SourceID}); err != nil {
			return err
		}
		if err := s.Store.ResetDelta(ctx, a.AccountID, a.SourceID); err != nil {
			return err
		}
	case "missed":
		if err := s.Store.ResetDelta(ctx, a.AccountID, a.SourceID); err != nil {
			return err
		}
	case "":
	default:
		return nil
	}
	if a.SourceID == 0 {
		// The scheduling mailbox: what changed is an attendee's answer.
		return s.ReadResponses(ctx, a.AccountID)
	}
	err := s.cfg.Calendars.Sync(ctx, a.AccountID, a.SourceID)
	if domain.IsCode(err, domain.ENOTFOUND) {
		return nil // the calendar was removed meanwhile
	}
	return err
}
