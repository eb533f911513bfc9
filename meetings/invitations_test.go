package meetings_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/mail"
	"interviewplanner/meetings"
	"interviewplanner/queue"
)

// flakyMail fails every delivery to one address until it has failed
// failures times, and records what it delivered.
type flakyMail struct {
	mu        sync.Mutex
	failFor   string
	failures  int
	attempts  map[string]int
	delivered map[string]int
}

func (f *flakyMail) Send(_ context.Context, m mail.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	to := m.To[0]
	f.attempts[to]++
	if to == f.failFor && f.attempts[to] <= f.failures {
		return errors.New("451 try again later")
	}
	f.delivered[to]++
	return nil
}

func (f *flakyMail) snapshot() (attempts, delivered map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, d := map[string]int{}, map[string]int{}
	for k, v := range f.attempts {
		a[k] = v
	}
	for k, v := range f.delivered {
		d[k] = v
	}
	return a, d
}

// One job per recipient: when one address keeps failing, the retries go to
// that address alone and nobody else gets the invitation twice.
func TestInvitationsOneJobPerRecipient(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	ctx := t.Context()
	if err := queue.Migrate(ctx, e.db, nil); err != nil {
		t.Fatal(err)
	}
	last := e.users[1].Email // the candidate's email goes first, then interviewers by address
	mailer := &flakyMail{failFor: last, failures: 2, attempts: map[string]int{}, delivered: map[string]int{}}
	inviter := &meetings.Inviter{Store: e.s, Mail: mailer, BaseURL: func() string { return "http://app.test" },
		WaitForLinks: time.Nanosecond} // send at once, without waiting for Zoom links
	workers := river.NewWorkers()
	inviter.Register(workers)
	q, err := queue.New(e.db, nil, workers, queue.Config{PollInterval: 20 * time.Millisecond, RetryBase: 20 * time.Millisecond, RetryMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	inviter.Queue = q
	e.sched.Notify = inviter.Notify
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())

	e.mustSchedule(t, 2) // the candidate and two interviewers
	want := []string{e.cand.Email, e.users[0].Email, last}
	waitFor(t, func() bool {
		_, delivered := mailer.snapshot()
		return len(delivered) == len(want)
	})
	attempts, delivered := mailer.snapshot()
	for _, to := range want {
		if delivered[to] != 1 {
			t.Errorf("%s received %d invitations, want 1", to, delivered[to])
		}
	}
	if attempts[e.cand.Email] != 1 || attempts[e.users[0].Email] != 1 {
		t.Errorf("attempts = %v: a recipient's retry re-sent to the others", attempts)
	}
	if attempts[last] != 3 {
		t.Errorf("attempts for the failing address = %d, want 3 (two failures, then success)", attempts[last])
	}
	var jobs int
	if err := e.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'invitation_email'`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if jobs != len(want) {
		t.Errorf("invitation_email jobs = %d, want one per recipient (%d)", jobs, len(want))
	}
}
