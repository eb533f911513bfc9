// Package meetings keeps each schedule's video meetings in the provider
// (Zoom) matching the schedule: created, moved, deleted, re-created when
// deleted behind our back — and never two for one interview. It runs as
// River jobs; a periodic sweep re-queues meetings left waiting (for
// example until Zoom is reconnected).
package meetings

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// SyncArgs asks to bring one meeting to its desired state.
type SyncArgs struct {
	AccountID int64 `json:"account_id"`
	MeetingID int64 `json:"meeting_id"`
}

// Kind names the job.
func (SyncArgs) Kind() string { return "meeting_sync" }

// InsertOpts: one job per meeting at a time, retried for a long while.
func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 30, UniqueOpts: queue.UniqueWhileQueued}
}

// SweepArgs asks to re-queue every meeting with work left.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "meeting_sweep" }

// Syncer does the work against a provider.
type Syncer struct {
	Store *hiringstore.Store
	// Video returns the provider; nil (or a nil result) means none is
	// configured and meetings wait.
	Video func() domain.VideoProvider
	Log   *slog.Logger
	// Queue re-queues work from the sweep.
	Queue *queue.Queue
	// Notify queues the schedule's invitations inside tx: a meeting that
	// moved to a new host has a new join link everyone must get. Nil sends
	// none.
	Notify func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) error

	// spent remembers, until Zoom's reset, the hosts that used up their
	// daily allowance of meeting creates and updates, so their meetings go
	// to the next host without asking Zoom first.
	mu    sync.Mutex
	spent map[spentKey]time.Time
}

type spentKey struct {
	account int64
	host    string
}

// dailyAllowance is Zoom's per-host cap on meeting creates and updates
// per UTC day.
const dailyAllowance = 100

// hostDailyLimit reports Zoom's answer that a host has used its daily
// allowance, and when it resets.
func hostDailyLimit(err error) (time.Time, bool) {
	var dl interface{ HostDailyLimit() (time.Duration, bool) }
	if errors.As(err, &dl) {
		if d, ok := dl.HostDailyLimit(); ok {
			return time.Now().Add(d), true
		}
	}
	return time.Time{}, false
}

func (s *Syncer) markSpent(accountID int64, host string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spent == nil {
		s.spent = map[spentKey]time.Time{}
	}
	s.spent[spentKey{accountID, host}] = until
}

// spentUntil is when host's allowance comes back; zero when it has some.
func (s *Syncer) spentUntil(accountID int64, host string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	until := s.spent[spentKey{accountID, host}]
	if !until.After(time.Now()) {
		delete(s.spent, spentKey{accountID, host})
		return time.Time{}
	}
	return until
}

// waitError asks the queue to run the job again at until (a snooze, not a
// failed attempt): Zoom's daily allowance resets then.
type waitError struct {
	until time.Time
	msg   string
}

func (e *waitError) Error() string { return e.msg }

// Register adds the worker and returns the periodic sweep to configure.
func (s *Syncer) Register(w *river.Workers, sweepEvery time.Duration) *river.PeriodicJob {
	river.AddWorker(w, &syncWorker{s: s})
	river.AddWorker(w, &sweepWorker{s: s})
	return queue.Periodic[SweepArgs](sweepEvery, &river.PeriodicJobOpts{RunOnStart: true})
}

// Enqueue is hiringstore.Store.Enqueue: it queues the sync of changed
// meetings in the schedule's own transaction.
func (s *Syncer) Enqueue(ctx context.Context, tx *store.Tx, accountID int64, ids []int64) error {
	args := make([]river.JobArgs, len(ids))
	for i, id := range ids {
		args[i] = SyncArgs{AccountID: accountID, MeetingID: id}
	}
	return s.Queue.InsertTx(ctx, tx, args...)
}

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	s *Syncer
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	err := w.s.Sync(ctx, job.Args.AccountID, job.Args.MeetingID)
	var wait *waitError
	if errors.As(err, &wait) {
		return river.JobSnooze(max(time.Until(wait.until), time.Second))
	}
	return err
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Syncer
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	return w.s.Sweep(ctx)
}

// Sweep re-queues meetings with work left, skipping accounts whose video
// connection is still down.
func (s *Syncer) Sweep(ctx context.Context) error {
	refs, err := s.Store.ListUnsyncedMeetings(ctx, 1000)
	if err != nil || len(refs) == 0 {
		return err
	}
	video := s.video()
	connected := map[int64]bool{}
	var args []river.JobArgs
	for _, r := range refs {
		ok, seen := connected[r.AccountID]
		if !seen {
			ok = video != nil
			if ok {
				st, err := video.Status(ctx, r.AccountID)
				ok = err == nil && st.Connected()
			}
			connected[r.AccountID] = ok
		}
		if ok {
			args = append(args, SyncArgs{AccountID: r.AccountID, MeetingID: r.ID})
		}
	}
	if len(args) == 0 {
		return nil
	}
	return s.Queue.Insert(ctx, s.Store.DB, args...)
}

func (s *Syncer) video() domain.VideoProvider {
	if s.Video == nil {
		return nil
	}
	return s.Video()
}

// Sync brings one meeting to its desired state. It returns an error only
// when a retry may help; waiting for the provider to be connected is a
// state, not an error (the sweep resumes it).
func (s *Syncer) Sync(ctx context.Context, accountID, meetingID int64) error {
	for pass := 0; pass < 6; pass++ {
		t, err := s.Store.GetMeetingTask(ctx, accountID, meetingID)
		if domain.IsCode(err, domain.ENOTFOUND) {
			return nil
		}
		if err != nil {
			return err
		}
		if t.InSync() {
			return nil
		}
		video := s.video()
		if video == nil {
			return s.problem(ctx, t, domain.ErrVideoNotConnected)
		}
		if err := s.step(ctx, video, t); err != nil {
			return s.problem(ctx, t, err)
		}
	}
	return nil
}

// step makes one move towards the desired state.
func (s *Syncer) step(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask) error {
	if !t.Present {
		return s.remove(ctx, video, t)
	}
	if t.ProviderMeetingID == "" {
		return s.create(ctx, video, t)
	}
	if t.RetiringMeetingID != "" {
		// The new host's meeting exists: the old one goes.
		return s.retire(ctx, video, t)
	}
	if t.Version != t.SyncedVersion {
		// The people may have changed: the host follows them.
		moved, err := s.rehost(ctx, video, t)
		if err != nil || moved {
			return err
		}
	}
	if t.NeedsUpdate() {
		err := video.UpdateMeeting(ctx, t.AccountID, t.ProviderMeetingID, s.request(t))
		if until, ok := hostDailyLimit(err); ok {
			// Zoom keeps a meeting's host: the change waits for the reset.
			s.markSpent(t.AccountID, t.HostID, until)
			return s.waitForAllowance(ctx, t, until, "updated")
		}
		if domain.IsMeetingNotFound(err) {
			// Deleted in Zoom behind our back: create a new one.
			s.Log.Info("meeting deleted in the provider; creating it again", "account_id", t.AccountID, "meeting", t.ID)
			return s.Store.UpdateMeetingGone(ctx, t)
		}
		if err != nil {
			return err
		}
	}
	return s.Store.UpdateMeetingSynced(ctx, t)
}

func (s *Syncer) request(t *hiringstore.MeetingTask) domain.MeetingRequest {
	return domain.MeetingRequest{
		HostID:   t.HostID,
		Topic:    t.Topic,
		Start:    t.Start.UTC(),
		Duration: t.End.Sub(t.Start),
		TimeZone: t.TimeZone,
		Agenda:   "Interview scheduled with InterviewPlanner. Reference: " + t.Marker,
		Marker:   t.Marker,
	}
}

// create records the attempt (host, "creating") before calling the
// provider; unless it is the very first attempt, it then looks for a
// meeting an earlier attempt created — its answer lost to a timeout or a
// crash — and creates one only if none.
func (s *Syncer) create(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask) error {
	var hosts []string
	if t.HostID == "" {
		all, err := video.Hosts(ctx, t.AccountID)
		if err != nil {
			return err
		}
		hosts = hostOrder(t, all)
		if len(hosts) == 0 {
			return errNoHost
		}
		// Hosts without allowance left today are passed over; when none
		// has any, the meeting waits for Zoom's reset.
		var reset time.Time
		hosts = slices.DeleteFunc(hosts, func(h string) bool {
			until := s.spentUntil(t.AccountID, h)
			if !until.IsZero() && (reset.IsZero() || until.Before(reset)) {
				reset = until
			}
			return !until.IsZero()
		})
		if len(hosts) == 0 {
			return s.waitForAllowance(ctx, t, reset, "created")
		}
	}
	host, first, err := s.Store.BeginCreate(ctx, t, hosts)
	if err != nil {
		return err
	}
	// The first attempt ever cannot have left a meeting behind, so it
	// saves Zoom a lookup; every later one looks before it creates.
	found, err := domain.Meeting{}, domain.ErrMeetingNotFound
	if !first {
		found, err = video.FindMeeting(ctx, t.AccountID, host, t.Marker)
	}
	switch {
	case err == nil:
		s.Log.Info("found the meeting an earlier attempt created", "account_id", t.AccountID, "meeting", t.ID)
		// It was created with the values of that attempt; record those so
		// a later pass updates it if the schedule moved since.
		done := *t
		done.Start, done.End = found.Start.UTC(), found.Start.Add(found.Duration).UTC()
		if found.Start.IsZero() {
			done.Start, done.End = t.Start, t.End
		}
		return s.created(ctx, &done, found)
	case !domain.IsMeetingNotFound(err):
		return err
	}
	req := s.request(t)
	req.HostID = host
	m, err := video.CreateMeeting(ctx, t.AccountID, req)
	if domain.IsVideoHostGone(err) {
		return s.hostGone(ctx, video, t, host)
	}
	if until, ok := hostDailyLimit(err); ok {
		return s.allowanceSpent(ctx, t, host, until)
	}
	if err != nil {
		return err
	}
	return s.created(ctx, t, m)
}

// created stores a new meeting. One that replaces another host's meeting
// has a new join link: the invitations go out again, queued in the same
// transaction, and wait for the link (the old meeting is deleted next).
func (s *Syncer) created(ctx context.Context, t *hiringstore.MeetingTask, m domain.Meeting) error {
	var then func(tx *store.Tx) error
	if t.RetiringMeetingID != "" && s.Notify != nil {
		then = func(tx *store.Tx) error { return s.Notify(ctx, tx, t.AccountID, t.ScheduleID) }
	}
	return s.Store.UpdateMeetingCreated(ctx, t, m, then)
}

// hostOrder is who should host, best first (domain.HostOrder, which Find
// times plans with too).
func hostOrder(t *hiringstore.MeetingTask, all []domain.VideoHost) []string {
	return domain.HostOrder(t.InterviewerEmails, t.HostChoice, all)
}

// rehost moves an existing meeting to the host its people call for, when
// that is not the current host: the coordinator's pick, or — when the
// current host is not one of the interviewers any more — an interviewer's
// own Zoom user (else the user who connected Zoom). Zoom refuses to change
// a meeting's host through an app (PATCH schedule_for answers 3000 "You
// cannot schedule a meeting for …"), so the meeting is created again under
// the new host and the old one deleted once it exists. It reports whether
// a replacement was started.
func (s *Syncer) rehost(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask) (bool, error) {
	all, err := video.Hosts(ctx, t.AccountID)
	if err != nil {
		return false, err
	}
	order := hostOrder(t, all)
	if len(order) == 0 || order[0] == t.HostID {
		return false, nil
	}
	if t.HostChoice != "" && t.HostChoice == order[0] {
		// The coordinator's pick, or nobody else.
		order = order[:1]
	} else {
		// By the rule, a host who still takes part keeps the meeting; so
		// does the default host while no interviewer has a Zoom user.
		own := ownHosts(t.InterviewerEmails, all)
		if slices.Contains(own, t.HostID) || (len(own) == 0 && slices.Contains(order, t.HostID)) {
			return false, nil
		}
	}
	moved, err := s.Store.BeginReplace(ctx, t, order)
	if err == nil && moved {
		s.Log.Info("meeting moves to a new host; creating it under that host", "account_id", t.AccountID, "meeting", t.ID)
	}
	return moved, err
}

// ownHosts are the interviewers' own Zoom users.
func ownHosts(emails []string, all []domain.VideoHost) []string {
	var out []string
	for _, h := range all {
		for _, e := range emails {
			if strings.EqualFold(strings.TrimSpace(h.Email), strings.TrimSpace(e)) {
				out = append(out, h.ID)
				break
			}
		}
	}
	return out
}

// retire deletes the previous host's meeting once its replacement exists.
func (s *Syncer) retire(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask) error {
	if err := video.DeleteMeeting(ctx, t.AccountID, t.RetiringMeetingID); err != nil && !domain.IsMeetingNotFound(err) {
		return err
	}
	return s.Store.UpdateMeetingRetired(ctx, t)
}

// hostGone handles a host that no longer exists or may no longer host:
// the provider has re-read its users; the host is chosen again by the same
// rule (the interviewer's own user, else the one who connected Zoom), and
// the account's audit log says what happened. When no other host is left,
// the meeting fails with what an admin must do, and is not retried.
func (s *Syncer) hostGone(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask, gone string) error {
	all, err := video.Hosts(ctx, t.AccountID)
	if err != nil {
		return err
	}
	var others []string
	for _, h := range domain.HostPreference(t.InterviewerEmails, all) {
		if h != gone {
			others = append(others, h)
		}
	}
	if len(others) == 0 {
		return errHostGone
	}
	s.Log.Info("meeting host no longer exists in the provider; choosing another", "account_id", t.AccountID, "meeting", t.ID)
	return s.Store.UpdateMeetingHostGone(ctx, t, gone)
}

// allowanceSpent handles Zoom's answer that host has used its daily
// allowance of meeting creates and updates: the meeting goes to the next
// host of its order that has some left (the schedule says so), or, when
// none has or the coordinator picked this host, waits for the reset.
func (s *Syncer) allowanceSpent(ctx context.Context, t *hiringstore.MeetingTask, host string, until time.Time) error {
	s.markSpent(t.AccountID, host, until)
	s.Log.Warn("meeting host used its daily Zoom allowance", "account_id", t.AccountID, "schedule_id", t.ScheduleID, "meeting", t.ID, "host", host, "resets_at", until.UTC())
	if t.HostChoice == "" {
		moved, err := s.Store.UpdateMeetingHostSpent(ctx, t, host, fmt.Sprintf(
			"The Zoom user first chosen to host (%s) had used Zoom's daily allowance of %d meeting creates and updates, so the host was chosen again.", host, dailyAllowance))
		if err != nil || moved {
			return err // chosen again on the next pass
		}
	}
	return s.waitForAllowance(ctx, t, until, "created")
}

// waitForAllowance puts the meeting in the waiting state with when it will
// be done, and asks the queue to come back then.
func (s *Syncer) waitForAllowance(ctx context.Context, t *hiringstore.MeetingTask, until time.Time, what string) error {
	msg := fmt.Sprintf("Every Zoom user who may host this meeting has used Zoom's daily allowance of %d meeting creates and updates; it will be %s when the allowance resets at %s UTC.",
		dailyAllowance, what, until.UTC().Format("2 Jan 15:04"))
	if t.HostChoice != "" {
		msg = fmt.Sprintf("The Zoom user chosen to host has used Zoom's daily allowance of %d meeting creates and updates; the meeting will be %s when it resets at %s UTC, or choose another host.",
			dailyAllowance, what, until.UTC().Format("2 Jan 15:04"))
	}
	if err := s.Store.UpdateMeetingProblem(ctx, t, domain.MeetingWaitingForZoom, msg); err != nil {
		return err
	}
	return &waitError{until: until, msg: msg}
}

// remove deletes the provider's meeting, including one an interrupted
// create may have left.
func (s *Syncer) remove(ctx context.Context, video domain.VideoProvider, t *hiringstore.MeetingTask) error {
	if t.RetiringMeetingID != "" {
		if err := s.retire(ctx, video, t); err != nil {
			return err
		}
	}
	id := t.ProviderMeetingID
	if id == "" && t.HostID != "" {
		found, err := video.FindMeeting(ctx, t.AccountID, t.HostID, t.Marker)
		if err == nil {
			id = found.ID
		} else if !domain.IsMeetingNotFound(err) {
			return err
		}
	}
	if id != "" {
		if err := video.DeleteMeeting(ctx, t.AccountID, id); err != nil && !domain.IsMeetingNotFound(err) {
			return err
		}
	}
	return s.Store.UpdateMeetingDeleted(ctx, t)
}

// errNoHost: retrying will not help until Zoom's users change; the sweep
// looks again now and then.
var errNoHost = domain.Errorf(domain.ECONFLICT, "Zoom has no user who can host this meeting. Check the Zoom connection on the Integrations page.")

// errHostGone: the only possible host (the Zoom user who connected Zoom)
// no longer exists or was deactivated in Zoom.
var errHostGone = domain.Errorf(domain.ECONFLICT, "The Zoom user who would host this meeting no longer exists or was deactivated in Zoom, and no other Zoom user can host it. An admin can reconnect Zoom as an active user on the Integrations page, then press Try again.")

// problem records why the meeting is not there and decides on a retry.
func (s *Syncer) problem(ctx context.Context, t *hiringstore.MeetingTask, err error) error {
	var wait *waitError
	switch {
	case errors.As(err, &wait):
		return err // the waiting state is recorded; the queue comes back at the reset
	case domain.IsVideoNotConnected(err):
		msg := "Zoom is not connected. The meeting will be created as soon as an admin connects Zoom again on the Integrations page."
		if rerr := s.Store.UpdateMeetingProblem(ctx, t, domain.MeetingWaitingForZoom, msg); rerr != nil {
			return rerr
		}
		return nil
	case errors.Is(err, hiringstore.ErrNoFreeHost) || errors.Is(err, errNoHost) || errors.Is(err, errHostGone):
		s.Log.Warn("meeting failed: no Zoom host", s.cause(t, err)...)
		if rerr := s.Store.UpdateMeetingProblem(ctx, t, domain.MeetingFailed, domain.ErrorMessage(err)); rerr != nil {
			return rerr
		}
		return nil
	case ctx.Err() != nil:
		return err
	}
	s.Log.Warn("meeting sync failed; will retry", s.cause(t, err)...)
	if rerr := s.Store.UpdateMeetingProblem(ctx, t, domain.MeetingFailed, reason(err)); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// reason is the failure as the coordinator reads it.
func reason(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return fmt.Sprintf("Zoom did not answer as expected (%s). Retrying.", msg)
}

// cause is what a failed meeting's log line says: whose meeting, which
// schedule and host, and the provider's own code and message when it sent
// one.
func (s *Syncer) cause(t *hiringstore.MeetingTask, err error) []any {
	attrs := []any{"account_id", t.AccountID, "schedule_id", t.ScheduleID, "meeting", t.ID, "host", t.HostID, "err", err}
	if t.ItemID != 0 {
		attrs = append(attrs, "item_id", t.ItemID)
	}
	var coded interface{ ProviderCode() (int, string) }
	if errors.As(err, &coded) {
		code, msg := coded.ProviderCode()
		attrs = append(attrs, "provider_code", code, "provider_message", msg)
	}
	return attrs
}
