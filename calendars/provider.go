package calendars

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"interviewplanner/store/calendarstore"
)

// A Provider reads the calendars that a company-wide connection gives
// access to (Microsoft 365, Google Workspace). Each interviewer matched in
// the company's directory has one source of the provider's kind, so a
// provider's calendars are synced by the same jobs, cached in the same busy
// table, shown on the same pages and turn "unknown" the same way as feeds
// and CalDAV accounts; only the reading differs.
type Provider interface {
	// Kind is the calendar_sources.kind the provider's sources carry.
	Kind() string
	// Read returns the source's whole busy time over [from, to) (the
	// provider may read only what changed and keep the rest itself). An
	// error marks the source failing, its owner unknown.
	Read(ctx context.Context, src *calendarstore.Source, from, to time.Time) (*calendarstore.Result, error)
}

// AddProvider lets the service sync sources of p's kind. Call it before
// the queue starts.
func (s *Service) AddProvider(p Provider) {
	if s.providers == nil {
		s.providers = map[string]Provider{}
	}
	s.providers[p.Kind()] = p
}

// ProviderSource is one person's calendar under a company-wide connection.
type ProviderSource struct {
	UserID, RoomID int64  // exactly one is set
	Name           string // what the pages call the calendar ("Outlook calendar")
}

// SetProviderSources makes the account's sources of kind exactly want:
// missing ones are added and queued for a sync at once (not at the next
// sweep: a company connected a minute ago should not wait for it), those
// of people no longer matched are removed with their busy time.
func (s *Service) SetProviderSources(ctx context.Context, accountID int64, kind string, want []ProviderSource) (added, removed []int64, err error) {
	added, removed, err = s.Store.SetKindSources(ctx, accountID, kind, toStore(want))
	if err != nil || len(added) == 0 || s.Queue == nil {
		return added, removed, err
	}
	jobs := make([]river.JobArgs, len(added))
	for i, id := range added {
		jobs[i] = SyncArgs{AccountID: accountID, SourceID: id}
	}
	// The sweep queues them anyway should this fail.
	if qerr := s.Queue.Insert(ctx, s.db, jobs...); qerr != nil {
		s.log.WarnContext(ctx, "calendar syncs not queued; the sweep will", "account_id", accountID, "kind", kind, "err", qerr)
	}
	return added, removed, nil
}

func toStore(ps []ProviderSource) []calendarstore.KindSource {
	out := make([]calendarstore.KindSource, len(ps))
	for i, p := range ps {
		out[i] = calendarstore.KindSource{UserID: p.UserID, RoomID: p.RoomID, Name: p.Name}
	}
	return out
}

// FailProviderSources marks every source of kind in the account failing
// with msg (the connection stopped working): their owners become unknown
// at once rather than after their cache goes stale.
func (s *Service) FailProviderSources(ctx context.Context, accountID int64, kind, msg string) error {
	return s.Store.FailKind(ctx, accountID, kind, msg, s.now().Add(retryAfter))
}
