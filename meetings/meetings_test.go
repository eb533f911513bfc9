package meetings_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/domain"
	"interviewplanner/meetings"
	"interviewplanner/queue"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/storetest"
)

// fakeVideo is an in-memory provider with the failures tests need.
type fakeVideo struct {
	mu        sync.Mutex
	meetings  map[string]domain.Meeting
	agendas   map[string]string
	next      int
	connected bool
	// loseCreateAnswers: the next creates succeed in the provider but
	// return an error, like a timeout after Zoom created the meeting.
	loseCreateAnswers int
	creates           int
	// i1 gives the second interviewer a Zoom user too.
	i1 bool
	// fault, when set, may fail a call before (after=false) or after
	// (after=true) it took effect, as a crash or a lost answer would.
	fault func(op string, after bool) error
}

func (f *fakeVideo) hook(op string, after bool) error {
	f.mu.Lock()
	h := f.fault
	f.mu.Unlock()
	if h == nil {
		return nil
	}
	return h(op, after)
}

func newFakeVideo() *fakeVideo {
	return &fakeVideo{meetings: map[string]domain.Meeting{}, agendas: map[string]string{}, connected: true}
}

func (f *fakeVideo) Name() string { return "Zoom" }
func (f *fakeVideo) Status(ctx context.Context, accountID int64) (domain.VideoStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.connected {
		return domain.VideoStatus{State: domain.VideoDisconnected}, nil
	}
	return domain.VideoStatus{State: domain.VideoConnected}, nil
}
func (f *fakeVideo) Hosts(ctx context.Context, accountID int64) ([]domain.VideoHost, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	hs := []domain.VideoHost{{ID: "host-admin", Email: "admin@example.com", Default: true}, {ID: "host-i0", Email: "i0@example.com"}}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.i1 {
		hs = append(hs, domain.VideoHost{ID: "host-i1", Email: "i1@example.com"})
	}
	return hs, nil
}
func (f *fakeVideo) Rooms(ctx context.Context, accountID int64) ([]domain.VideoRoom, error) {
	return nil, f.check()
}
func (f *fakeVideo) check() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.connected {
		return domain.ErrVideoNotConnected
	}
	return nil
}
func (f *fakeVideo) CreateMeeting(ctx context.Context, accountID int64, req domain.MeetingRequest) (m domain.Meeting, retErr error) {
	if err := f.check(); err != nil {
		return domain.Meeting{}, err
	}
	if err := f.hook("create", false); err != nil {
		return domain.Meeting{}, err
	}
	defer func() {
		if err := f.hook("create", true); err != nil && retErr == nil {
			m, retErr = domain.Meeting{}, err
		}
	}()
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Start.Location() != time.UTC {
		return domain.Meeting{}, errors.New("start not in UTC")
	}
	f.next++
	f.creates++
	id := fmt.Sprint(8_000_000_000 + f.next)
	m = domain.Meeting{ID: id, HostID: req.HostID, JoinURL: "https://zoom.example/j/" + id, Start: req.Start, Duration: req.Duration}
	f.meetings[id] = m
	f.agendas[id] = req.Agenda
	if f.loseCreateAnswers > 0 {
		f.loseCreateAnswers--
		return domain.Meeting{}, errors.New("context deadline exceeded")
	}
	return m, nil
}
func (f *fakeVideo) FindMeeting(ctx context.Context, accountID int64, hostID, marker string) (domain.Meeting, error) {
	if err := f.check(); err != nil {
		return domain.Meeting{}, err
	}
	if err := f.hook("find", false); err != nil {
		return domain.Meeting{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, m := range f.meetings {
		if m.HostID == hostID && strings.Contains(f.agendas[id], marker) {
			return m, nil
		}
	}
	return domain.Meeting{}, domain.ErrMeetingNotFound
}
func (f *fakeVideo) UpdateMeeting(ctx context.Context, accountID int64, id string, req domain.MeetingRequest) error {
	if err := f.check(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.meetings[id]
	if !ok {
		return domain.ErrMeetingNotFound
	}
	m.Start, m.Duration = req.Start, req.Duration
	f.meetings[id] = m
	return nil
}
func (f *fakeVideo) DeleteMeeting(ctx context.Context, accountID int64, id string) error {
	if err := f.check(); err != nil {
		return err
	}
	if err := f.hook("delete", false); err != nil {
		return err
	}
	f.mu.Lock()
	delete(f.meetings, id)
	f.mu.Unlock()
	return f.hook("delete", true)
}
func (f *fakeVideo) StartURL(ctx context.Context, accountID int64, id string) (string, error) {
	return "https://zoom.example/s/" + id, f.check()
}
func (f *fakeVideo) all() []domain.Meeting {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []domain.Meeting
	for _, m := range f.meetings {
		out = append(out, m)
	}
	return out
}
func (f *fakeVideo) setConnected(v bool) { f.mu.Lock(); f.connected = v; f.mu.Unlock() }

type env struct {
	db      *store.DB
	s       *hiringstore.Store
	sched   *scheduling.Service
	video   *fakeVideo
	syncer  *meetings.Syncer
	account *domain.Account
	users   []*domain.User
	stage   *domain.Stage
	cand    *domain.Candidate
	queued  []int64
}

func mustEnv(tb testing.TB) *env {
	tb.Helper()
	ctx := context.Background()
	e := &env{db: storetest.MustOpen(tb), video: newFakeVideo()}
	e.s = hiringstore.New(e.db)
	e.sched = scheduling.New(e.s)
	e.sched.Enqueue = func(ctx context.Context, tx *store.Tx, accountID int64, ids []int64) error {
		e.queued = append(e.queued, ids...)
		return nil
	}
	e.syncer = &meetings.Syncer{Store: e.s, Video: func() domain.VideoProvider { return e.video }, Log: slog.New(slog.DiscardHandler)}
	var err error
	if e.account, err = e.db.CreateAccount(ctx, "Acme"); err != nil {
		tb.Fatal(err)
	}
	for i := range 2 {
		u, err := e.db.CreateUser(ctx, e.account.ID, store.NewUser{Email: fmt.Sprintf("i%d@example.com", i), Name: fmt.Sprintf("I %d", i), Role: domain.RoleInterviewer, TimeZone: "UTC"})
		if err != nil {
			tb.Fatal(err)
		}
		e.users = append(e.users, u)
	}
	job, err := e.s.CreateJob(ctx, e.account.ID, domain.Job{Title: "Engineer"})
	if err != nil {
		tb.Fatal(err)
	}
	if e.stage, err = e.s.CreateStage(ctx, e.account.ID, domain.Stage{JobID: job.ID, Name: "Phone Screen", Video: domain.VideoZoom, Interviews: []domain.Interview{
		{Name: "Intro call", DurationMinutes: 30, InterviewersNeeded: 1},
		{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1},
	}}); err != nil {
		tb.Fatal(err)
	}
	if e.cand, err = e.s.CreateCandidate(ctx, e.account.ID, domain.Candidate{Name: "Grace Hopper", Email: "grace@c.example", TimeZone: "Europe/Berlin", JobID: job.ID}); err != nil {
		tb.Fatal(err)
	}
	return e
}

var start = time.Date(2030, 3, 4, 14, 0, 0, 0, time.UTC)

func (e *env) mustSchedule(tb testing.TB, items int) *domain.Schedule {
	tb.Helper()
	in := scheduling.Proposal{CandidateID: e.cand.ID, AcceptWarnings: true}
	for i := range items {
		at := start.Add(time.Duration(i) * 2 * time.Hour)
		in.Items = append(in.Items, scheduling.Item{InterviewID: e.stage.Interviews[i].ID, Start: at, End: at.Add(30 * time.Minute), Interviewers: []int64{e.users[i].ID}})
	}
	sc, _, err := e.sched.Save(context.Background(), e.account.ID, in)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

func (e *env) syncAll(tb testing.TB) {
	tb.Helper()
	ids := e.queued
	e.queued = nil
	for _, id := range ids {
		if err := e.syncer.Sync(context.Background(), e.account.ID, id); err != nil {
			tb.Fatalf("sync %d: %v", id, err)
		}
	}
}

func TestCreateRescheduleCancel(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	sc := e.mustSchedule(t, 2)
	e.syncAll(t)
	got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if len(e.video.all()) != 2 {
		t.Fatalf("meetings in provider = %d, want 2", len(e.video.all()))
	}
	for _, it := range got.Items {
		if it.Meeting.State != domain.MeetingCreated || it.Meeting.JoinURL == "" {
			t.Fatalf("item %q meeting = %+v", it.Name, it.Meeting)
		}
	}
	// The interviewer with a Zoom user hosts; the other falls back to the default host.
	if got.Items[0].Meeting.HostID != "host-i0" || got.Items[1].Meeting.HostID != "host-admin" {
		t.Fatalf("hosts = %q, %q", got.Items[0].Meeting.HostID, got.Items[1].Meeting.HostID)
	}
	// Reschedule the first interview: same meeting, new time.
	moved := start.Add(24 * time.Hour)
	in := scheduling.Proposal{ScheduleID: sc.ID, CandidateID: e.cand.ID, AcceptWarnings: true}
	for i, it := range got.Items {
		at := it.Start
		if i == 0 {
			at = moved
		}
		in.Items = append(in.Items, scheduling.Item{ItemID: it.ID, InterviewID: it.InterviewID, Start: at, End: at.Add(30 * time.Minute), Interviewers: it.Interviewers})
	}
	if _, _, err := e.sched.Save(t.Context(), e.account.ID, in); err != nil {
		t.Fatal(err)
	}
	e.syncAll(t)
	again, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	var first domain.ScheduleItem
	for _, it := range again.Items {
		if it.ID == got.Items[0].ID {
			first = it
		}
	}
	if first.Meeting.ProviderMeetingID != got.Items[0].Meeting.ProviderMeetingID {
		t.Fatalf("reschedule made a new meeting: %q -> %q", got.Items[0].Meeting.ProviderMeetingID, first.Meeting.ProviderMeetingID)
	}
	if m := e.video.meetings[first.Meeting.ProviderMeetingID]; !m.Start.Equal(moved) {
		t.Fatalf("provider start = %v, want %v", m.Start, moved)
	}
	if err := e.sched.Cancel(t.Context(), e.account.ID, 0, sc.ID); err != nil {
		t.Fatal(err)
	}
	e.syncAll(t)
	if n := len(e.video.all()); n != 0 {
		t.Fatalf("meetings left after cancel = %d", n)
	}
}

func TestLostCreateAnswerNeverDuplicates(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.video.loseCreateAnswers = 1
	e.mustSchedule(t, 1)
	ids := e.queued
	if err := e.syncer.Sync(t.Context(), e.account.ID, ids[0]); err == nil {
		t.Fatal("first attempt should fail")
	}
	if err := e.syncer.Sync(t.Context(), e.account.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := e.syncer.Sync(t.Context(), e.account.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	if len(e.video.all()) != 1 || e.video.creates != 1 {
		t.Fatalf("meetings = %d, creates = %d; want exactly one", len(e.video.all()), e.video.creates)
	}
}

func TestWaitingForZoomThenResumes(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.video.setConnected(false)
	sc := e.mustSchedule(t, 1)
	e.syncAll(t)
	got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if got.Items[0].Meeting.State != domain.MeetingWaitingForZoom || !strings.Contains(got.Items[0].Meeting.LastError, "not connected") {
		t.Fatalf("meeting = %+v", got.Items[0].Meeting)
	}
	refs, err := e.s.ListUnsyncedMeetings(t.Context(), 10)
	if err != nil || len(refs) != 1 {
		t.Fatalf("unsynced = %v, %v", refs, err)
	}
	e.video.setConnected(true)
	if err := e.syncer.Sync(t.Context(), refs[0].AccountID, refs[0].ID); err != nil {
		t.Fatal(err)
	}
	got, _ = e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if got.Items[0].Meeting.State != domain.MeetingCreated {
		t.Fatalf("after reconnect: %+v", got.Items[0].Meeting)
	}
}

func TestDeletedBehindOurBackIsRecreated(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	sc := e.mustSchedule(t, 1)
	e.syncAll(t)
	got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	old := got.Items[0].Meeting
	e.video.DeleteMeeting(t.Context(), e.account.ID, old.ProviderMeetingID)
	it := got.Items[0]
	at := it.Start.Add(time.Hour)
	if _, _, err := e.sched.Save(t.Context(), e.account.ID, scheduling.Proposal{ScheduleID: sc.ID, CandidateID: e.cand.ID, AcceptWarnings: true,
		Items: []scheduling.Item{{ItemID: it.ID, InterviewID: it.InterviewID, Start: at, End: at.Add(30 * time.Minute), Interviewers: it.Interviewers}}}); err != nil {
		t.Fatal(err)
	}
	e.syncAll(t)
	got, _ = e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	m := got.Items[0].Meeting
	if m.State != domain.MeetingCreated || m.ProviderMeetingID == old.ProviderMeetingID || m.JoinURL == old.JoinURL || len(e.video.all()) != 1 {
		t.Fatalf("re-created meeting = %+v (old %+v), provider holds %d", m, old, len(e.video.all()))
	}
}

func TestRiverQueueCreatesMeetings(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	ctx := t.Context()
	if err := queue.Migrate(ctx, e.db, nil); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	sweep := e.syncer.Register(workers, time.Second)
	q, err := queue.New(e.db, nil, workers, queue.Config{PollInterval: 50 * time.Millisecond, RetryBase: 100 * time.Millisecond, Periodic: []*river.PeriodicJob{sweep}})
	if err != nil {
		t.Fatal(err)
	}
	e.syncer.Queue = q
	e.sched.Enqueue = e.syncer.Enqueue
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	e.video.loseCreateAnswers = 1
	sc := e.mustSchedule(t, 2)
	waitFor(t, func() bool {
		got, _ := e.s.GetSchedule(ctx, e.account.ID, sc.ID)
		for _, it := range got.Items {
			if it.Meeting.State != domain.MeetingCreated {
				return false
			}
		}
		return true
	})
	if n := len(e.video.all()); n != 2 {
		t.Fatalf("provider holds %d meetings, want 2", n)
	}
}

// swap puts interviewer u on the schedule's first interview, at the same
// time, and returns the ids of the meeting rows queued.
func (e *env) swap(tb testing.TB, sc *domain.Schedule, u int64) {
	tb.Helper()
	it := sc.Items[0]
	if _, _, err := e.sched.Save(tb.Context(), e.account.ID, scheduling.Proposal{ScheduleID: sc.ID, CandidateID: e.cand.ID, AcceptWarnings: true,
		Items: []scheduling.Item{{ItemID: it.ID, InterviewID: it.InterviewID, Start: it.Start, End: it.End, Interviewers: []int64{u}}}}); err != nil {
		tb.Fatal(err)
	}
}

// Swapping the interviewer moves the meeting to the new interviewer's Zoom
// user: Zoom cannot change a host in place, so a new meeting is created
// under that host and the old one deleted, with a new join link.
func TestSwappedInterviewerHostsTheMeeting(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.video.i1 = true
	sc := e.mustSchedule(t, 1)
	e.syncAll(t)
	before, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if h := before.Items[0].Meeting.HostID; h != "host-i0" {
		t.Fatalf("host before = %q", h)
	}
	e.swap(t, before, e.users[1].ID)
	if len(e.queued) != 1 {
		t.Fatalf("a swap of interviewers queued %d meeting jobs, want 1", len(e.queued))
	}
	mid, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	if mid.Items[0].Meeting.StateName() != "created" && mid.Items[0].Meeting.StateName() != "updating" {
		t.Fatalf("state right after the swap = %q", mid.Items[0].Meeting.StateName())
	}
	e.syncAll(t)
	after, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	m := after.Items[0].Meeting
	all := e.video.all()
	if len(all) != 1 || all[0].HostID != "host-i1" || m.HostID != "host-i1" || m.State != domain.MeetingCreated || m.Updating {
		t.Fatalf("after the swap: provider %+v, row %+v", all, m)
	}
	if m.ProviderMeetingID == before.Items[0].Meeting.ProviderMeetingID || m.JoinURL == before.Items[0].Meeting.JoinURL || m.JoinURL != all[0].JoinURL {
		t.Fatalf("the meeting was not replaced: %+v (before %+v)", m, before.Items[0].Meeting)
	}
	// Swapping to someone without a Zoom user: the user who connected Zoom
	// hosts, not the interviewer who left.
	e.video.i1 = false
	e.swap(t, after, e.users[1].ID) // same person: nothing to do
	e.syncAll(t)
	if all := e.video.all(); len(all) != 1 || all[0].HostID != "host-i1" {
		t.Fatalf("an unchanged interviewer changed the host: %+v", all)
	}
	e.swap(t, after, e.users[0].ID)
	e.syncAll(t)
	if all := e.video.all(); len(all) != 1 || all[0].HostID != "host-i0" {
		t.Fatalf("back to the first interviewer: %+v", all)
	}
}

// A crash or a lost answer at any step of moving a meeting to a new host
// (the replacement's create, the search for an earlier attempt, the old
// one's delete — before or after Zoom acted) still ends with exactly one
// meeting, under the new host.
func TestSwapSurvivesAFaultAtEveryStep(t *testing.T) {
	t.Parallel()
	for step := 1; step <= 8; step++ {
		t.Run(fmt.Sprint("step ", step), func(t *testing.T) {
			t.Parallel()
			e := mustEnv(t)
			e.video.i1 = true
			sc := e.mustSchedule(t, 1)
			e.syncAll(t)
			got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
			e.swap(t, got, e.users[1].ID)
			calls := 0
			e.video.fault = func(op string, after bool) error {
				calls++
				if calls == step {
					return fmt.Errorf("crash at %s (after=%v)", op, after)
				}
				return nil
			}
			ids := e.queued
			for range 10 {
				for _, id := range ids {
					_ = e.syncer.Sync(t.Context(), e.account.ID, id)
				}
			}
			got, _ = e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
			m := got.Items[0].Meeting
			all := e.video.all()
			if len(all) != 1 || all[0].HostID != "host-i1" || m.ProviderMeetingID != all[0].ID || m.State != domain.MeetingCreated || m.Updating {
				t.Fatalf("provider holds %+v; row %+v", all, m)
			}
			refs, _ := e.s.ListUnsyncedMeetings(t.Context(), 10)
			if len(refs) != 0 {
				t.Fatalf("work left: %v", refs)
			}
		})
	}
}

// Cancelled before the new host's meeting was created: the old meeting is
// deleted by the cancel's own job, not left for the sweep.
func TestCancelRightAfterSwapDeletesTheOldMeeting(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.video.i1 = true
	sc := e.mustSchedule(t, 1)
	e.syncAll(t)
	got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	e.swap(t, got, e.users[1].ID)
	// The process stops right after recording the move, before any call.
	task, err := e.s.GetMeetingTask(t.Context(), e.account.ID, e.queued[0])
	if err != nil {
		t.Fatal(err)
	}
	if moved, err := e.s.BeginReplace(t.Context(), task, []string{"host-i1"}); err != nil || !moved {
		t.Fatalf("BeginReplace: %v %v", moved, err)
	}
	e.queued = nil
	if err := e.sched.Cancel(t.Context(), e.account.ID, 0, sc.ID); err != nil {
		t.Fatal(err)
	}
	if len(e.queued) != 1 {
		t.Fatalf("the cancel queued %d meeting jobs, want the one to delete", len(e.queued))
	}
	e.syncAll(t)
	if n := len(e.video.all()); n != 0 {
		t.Fatalf("after cancel the provider holds %d meetings", n)
	}
}

// Cancelling while a meeting is moving to a new host deletes both the old
// meeting and the new one.
func TestCancelDuringSwapLeavesNoMeeting(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.video.i1 = true
	sc := e.mustSchedule(t, 1)
	e.syncAll(t)
	got, _ := e.s.GetSchedule(t.Context(), e.account.ID, sc.ID)
	e.swap(t, got, e.users[1].ID)
	e.video.fault = func(op string, after bool) error {
		if op == "delete" && !after {
			return errors.New("Zoom is down")
		}
		return nil
	}
	ids := e.queued
	for _, id := range ids {
		_ = e.syncer.Sync(t.Context(), e.account.ID, id)
	}
	if n := len(e.video.all()); n != 2 {
		t.Fatalf("mid-swap the provider holds %d meetings, want the old and the new", n)
	}
	if err := e.sched.Cancel(t.Context(), e.account.ID, 0, sc.ID); err != nil {
		t.Fatal(err)
	}
	e.video.fault = nil
	e.syncAll(t)
	for _, id := range ids {
		_ = e.syncer.Sync(t.Context(), e.account.ID, id)
	}
	if n := len(e.video.all()); n != 0 {
		t.Fatalf("after cancel the provider holds %d meetings", n)
	}
}

func waitFor(tb testing.TB, ok func() bool) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			tb.Fatal("condition not reached in 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
