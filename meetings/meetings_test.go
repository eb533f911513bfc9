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
	return []domain.VideoHost{{ID: "host-admin", Email: "admin@example.com", Default: true}, {ID: "host-i0", Email: "i0@example.com"}}, nil
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
func (f *fakeVideo) CreateMeeting(ctx context.Context, accountID int64, req domain.MeetingRequest) (domain.Meeting, error) {
	if err := f.check(); err != nil {
		return domain.Meeting{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Start.Location() != time.UTC {
		return domain.Meeting{}, errors.New("start not in UTC")
	}
	f.next++
	f.creates++
	id := fmt.Sprint(8_000_000_000 + f.next)
	m := domain.Meeting{ID: id, HostID: req.HostID, JoinURL: "https://zoom.example/j/" + id, Start: req.Start, Duration: req.Duration}
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
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.meetings, id)
	return nil
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
