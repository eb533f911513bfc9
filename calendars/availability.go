package calendars

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"interviewplanner/calendar"
	"interviewplanner/store/calendarstore"
)

// Event is one busy interval from a person's (or a room's) calendars, as
// schedulers see it.
type Event struct {
	UserID     int64 // 0 for a room's
	RoomID     int64
	Start, End time.Time
	Title      string // "Busy" for private events
	// Soft events are shown but do not block: a conflict keyword matched
	// (Keyword says which), or a tentative event when the account counts
	// tentative as free.
	Soft      bool
	Keyword   string
	Tentative bool
	AllDay    bool
}

// Blocks reports whether the event makes its owner busy.
func (e Event) Blocks() bool { return !e.Soft }

// Unknown says why a person's (or a room's) calendar cannot tell whether
// they are free.
type Unknown struct {
	UserID    int64
	RoomID    int64
	Owner     string // the person's or room's name
	OwnerZone string // their time zone ("" for a room)
	Source    string // the source's name
	Since     time.Time
	Reason    string
}

// Message is the sentence schedulers read, with times in loc:
// "Priya's calendar could not be read since 10:02: the server answered 401".
// The date is said when it is not now's.
func (u Unknown) Message(loc *time.Location, now time.Time) string {
	if loc == nil {
		loc = time.UTC
	}
	since := u.Since.In(loc)
	when := since.Format("15:04 MST")
	if since.Format("2006-01-02") != now.In(loc).Format("2006-01-02") {
		when = since.Format("Mon 2 Jan 15:04 MST")
	}
	if u.Since.IsZero() {
		return fmt.Sprintf("%s's calendar %q %s.", u.Owner, u.Source, u.Reason)
	}
	return fmt.Sprintf("%s's calendar %q could not be read since %s: %s.", u.Owner, u.Source, when, u.Reason)
}

// Availability is what the calendars say about some people (or rooms)
// over a range.
type Availability struct {
	Events  map[int64][]Event   // by user (or room) id, sorted by start
	Unknown map[int64][]Unknown // by user (or room) id: their busy time cannot be trusted
}

// Busy lists the interviewers' calendar events overlapping [from, to)
// from the cache (no calendar server is called), with the account's
// policy applied, and which of them cannot be known: a source that is
// failing, has never been read, is stale (not read for twice its refresh
// period) or does not cover the range.
func (s *Service) Busy(ctx context.Context, accountID int64, userIDs []int64, from, to time.Time) (*Availability, error) {
	people, _, err := s.BusyOf(ctx, accountID, userIDs, nil, from, to)
	return people, err
}

// RoomBusy is Busy for rooms, keyed by room id: the same cache, policy
// (the account's keywords) and rules for what is unknown.
func (s *Service) RoomBusy(ctx context.Context, accountID int64, roomIDs []int64, from, to time.Time) (*Availability, error) {
	_, rooms, err := s.BusyOf(ctx, accountID, nil, roomIDs, from, to)
	return rooms, err
}

// BusyOf is Busy for interviewers and RoomBusy for rooms in one go, as
// Find times and the check ask: one read of the sources' states and of
// the policy.
func (s *Service) BusyOf(ctx context.Context, accountID int64, userIDs, roomIDs []int64, from, to time.Time) (people, rooms *Availability, err error) {
	people, rooms = newAvailability(), newAvailability()
	st, err := s.ownerStates(ctx, accountID, userIDs, roomIDs)
	if err != nil || len(st.sources) == 0 {
		return people, rooms, err
	}
	for _, src := range st.sources {
		out := people
		if src.RoomID != 0 {
			out = rooms
		}
		if err := s.addBusy(ctx, out, src, st.settings, st.own, from, to); err != nil {
			return nil, nil, err
		}
	}
	return people, rooms, nil
}

// ownerStates is what a busy lookup reads besides the busy rows: the
// owners' sources (state, times, busy version), the account's policy and
// the interviewers' own keywords.
type ownerStates struct {
	sources  []*calendarstore.Source
	settings calendarstore.Settings
	own      map[int64][]string
}

// ownerStates returns the states of the owners' sources, from memory
// while the account's calendar version holds: one short read per question
// instead of three, whichever instance wrote last.
func (s *Service) ownerStates(ctx context.Context, accountID int64, userIDs, roomIDs []int64) (*ownerStates, error) {
	if len(userIDs)+len(roomIDs) == 0 {
		return &ownerStates{}, nil
	}
	version, err := s.Store.GetVersion(ctx, accountID)
	if err != nil {
		return nil, err
	}
	key := ownersKey(userIDs, roomIDs)
	if st := s.states.get(accountID, version, key); st != nil {
		return st, nil
	}
	// Read after the version: what is read is at least that new, so it
	// may be kept under it.
	st := &ownerStates{}
	if st.sources, err = s.Store.ListOwnerSourceStates(ctx, accountID, userIDs, roomIDs); err != nil {
		return nil, err
	}
	if len(st.sources) > 0 {
		if slices.ContainsFunc(st.sources, func(src *calendarstore.Source) bool { return src.UserID != 0 }) {
			if st.own, err = s.Store.ListUserKeywords(ctx, accountID, userIDs); err != nil {
				return nil, err
			}
		}
		if st.settings, err = s.Store.GetSettings(ctx, accountID); err != nil {
			return nil, err
		}
	}
	s.states.put(accountID, version, key, st)
	return st, nil
}

// ownersKey names a set of interviewers and rooms, whatever their order.
func ownersKey(userIDs, roomIDs []int64) string {
	b := make([]byte, 0, 8*(len(userIDs)+len(roomIDs))+2)
	for i, ids := range [][]int64{userIDs, roomIDs} {
		if i > 0 {
			b = append(b, '|')
		}
		if !slices.IsSorted(ids) {
			ids = slices.Sorted(slices.Values(ids))
		}
		for _, id := range ids {
			b = strconv.AppendInt(b, id, 10)
			b = append(b, ',')
		}
	}
	return string(b)
}

// statesCache keeps each account's owner states read at its current
// calendar version, for the few sets of owners asked about (a stage's
// pools); a new version drops them all.
type statesCache struct {
	mu sync.Mutex
	m  map[int64]*accountStates
}

type accountStates struct {
	version int64
	owners  map[string]*ownerStates
}

// Bounds on the memory the states cache holds; past them it starts again.
const (
	maxCachedAccounts  = 1000
	maxCachedOwnerSets = 32
)

func (c *statesCache) get(accountID, version int64, key string) *ownerStates {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.m[accountID]; a != nil && a.version == version {
		return a.owners[key]
	}
	return nil
}

func (c *statesCache) put(accountID, version int64, key string, st *ownerStates) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedAccounts {
		c.m = map[int64]*accountStates{}
	}
	a := c.m[accountID]
	switch {
	case a == nil || a.version < version:
		a = &accountStates{version: version, owners: map[string]*ownerStates{}}
		c.m[accountID] = a
	case a.version > version:
		return // a newer read is already kept
	case len(a.owners) >= maxCachedOwnerSets:
		clear(a.owners)
	}
	a.owners[key] = st
}

func newAvailability() *Availability {
	return &Availability{Events: map[int64][]Event{}, Unknown: map[int64][]Unknown{}}
}

// ownerID is the user or room a source belongs to.
func ownerID(src *calendarstore.Source) int64 {
	if src.RoomID != 0 {
		return src.RoomID
	}
	return src.UserID
}

// addBusy adds src's events over [from, to) to out under the account's
// settings (with the owner's own keywords, own), and says when its owner
// cannot be known.
func (s *Service) addBusy(ctx context.Context, out *Availability, src *calendarstore.Source, settings calendarstore.Settings, own map[int64][]string, from, to time.Time) error {
	id := ownerID(src)
	if u, ok := unknown(src, s.now(), from, to); ok {
		out.Unknown[id] = append(out.Unknown[id], u)
	}
	// Keywords are matched lower-cased.
	var keywords []string
	for _, k := range append(slices.Clip(settings.Keywords), own[src.UserID]...) {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			keywords = append(keywords, k)
		}
	}
	es, err := s.cachedEvents(ctx, src.AccountID, src, keywords, settings.TentativeBusy, from, to)
	if err != nil || len(es) == 0 {
		return err
	}
	if prev := out.Events[id]; prev != nil {
		// A second source of the same owner: merge into a new slice (the
		// cached ones are shared and must not change).
		merged := make([]Event, 0, len(prev)+len(es))
		merged = append(append(merged, prev...), es...)
		slices.SortStableFunc(merged, func(a, b Event) int { return a.Start.Compare(b.Start) })
		out.Events[id] = merged
		return nil
	}
	out.Events[id] = es
	return nil
}

// cachedEvents returns src's events overlapping [from, to) as schedulers
// see them, from the in-memory copy: the events are built once per busy
// version and policy (keywords, tentative), not per question, and the
// window is found by binary search. The slice is shared: callers read it
// only (its capacity ends at its length, so an append copies).
func (s *Service) cachedEvents(ctx context.Context, accountID int64, src *calendarstore.Source, keywords []string, tentativeBusy bool, from, to time.Time) ([]Event, error) {
	policy := fmt.Sprint(tentativeBusy, "\x00", strings.Join(keywords, "\x00"))
	s.cache.mu.Lock()
	c, ok := s.cache.m[src.ID]
	s.cache.mu.Unlock()
	if !ok || c.version != src.BusyVersion {
		bs, err := s.Store.ListSourceBusy(ctx, accountID, src.ID)
		if err != nil {
			return nil, err
		}
		c = cachedSource{version: src.BusyVersion, busy: bs}
		for _, b := range bs {
			c.longest = max(c.longest, b.End.Sub(b.Start))
		}
	}
	if c.events == nil || c.policy != policy {
		c.events = make([]Event, len(c.busy))
		for i := range c.busy {
			c.events[i] = event(&c.busy[i], keywords, tentativeBusy)
			c.events[i].UserID, c.events[i].RoomID = src.UserID, src.RoomID
		}
		c.policy = policy
	}
	s.cache.mu.Lock()
	if s.cache.m == nil || len(s.cache.m) >= maxCachedSources {
		s.cache.m = map[int64]cachedSource{}
	}
	s.cache.m[src.ID] = c
	s.cache.mu.Unlock()
	// No block starting before from-longest can reach into the window.
	earliest := from.Add(-c.longest)
	lo, _ := slices.BinarySearchFunc(c.events, earliest, func(e Event, t time.Time) int { return e.Start.Compare(t) })
	hi, _ := slices.BinarySearchFunc(c.events[lo:], to, func(e Event, t time.Time) int { return e.Start.Compare(t) })
	es := c.events[lo : lo+hi : lo+hi]
	// Those starting before from (at the front) may end before it too:
	// they are not in the window. Rare, so only then is a copy made.
	for i := 0; i < len(es) && es[i].Start.Before(from); i++ {
		if !es[i].End.After(from) {
			return slices.Clip(slices.DeleteFunc(slices.Clone(es), func(e Event) bool { return !e.End.After(from) })), nil
		}
	}
	return es, nil
}

// event is how a cached block shows to schedulers: private ones as "Busy",
// keyword matches and (per the account) tentative ones as soft.
func event(b *calendarstore.Busy, keywords []string, tentativeBusy bool) Event {
	e := Event{UserID: b.UserID, Start: b.Start, End: b.End, Title: b.Title, AllDay: b.AllDay, Tentative: b.Kind == string(calendar.KindTentative)}
	if b.Private || e.Title == "" {
		e.Title = "Busy"
	} else if len(keywords) > 0 {
		t := strings.ToLower(b.Title)
		for _, k := range keywords {
			if strings.Contains(t, k) {
				e.Soft, e.Keyword = true, k
				break
			}
		}
	}
	if e.Tentative && !tentativeBusy {
		e.Soft = true
	}
	return e
}

// unknown says whether src leaves its owner's busy time over [from, to)
// unknown, and why.
func unknown(src *calendarstore.Source, now, from, to time.Time) (Unknown, bool) {
	u := Unknown{UserID: src.UserID, RoomID: src.RoomID, Owner: src.OwnerName, OwnerZone: src.OwnerZone, Source: src.Name}
	switch {
	case src.State == calendarstore.StateFailing:
		u.Reason = src.Error
		if src.FailingSince != nil {
			u.Since = *src.FailingSince
		}
		return u, true
	case src.State == calendarstore.StatePending || src.LastSuccessAt == nil:
		u.Reason = "has not been read yet"
		return u, true
	case now.Sub(*src.LastSuccessAt) > 2*time.Duration(src.RefreshMinutes)*time.Minute:
		u.Since = *src.LastSuccessAt
		u.Reason = fmt.Sprintf("it has not been refreshed for %s (it should be every %d minutes)", now.Sub(*src.LastSuccessAt).Round(time.Minute), src.RefreshMinutes)
		return u, true
	case src.SyncedTo != nil && to.After(*src.SyncedTo):
		u.Reason = fmt.Sprintf("covers only %s to %s", src.SyncedFrom.Format("2 Jan"), src.SyncedTo.Format("2 Jan 2006"))
		return u, true
	}
	return u, false
}

// busyCache keeps each source's cached busy time in memory, keyed by the
// source's busy version: every instance reads the same rows, so a sync on
// another instance shows up as a new version. It spares Find times and
// the conflict check thousands of row reads per question.
type busyCache struct {
	mu sync.Mutex
	m  map[int64]cachedSource
}

type cachedSource struct {
	version int64
	busy    []calendarstore.Busy // sorted by start
	longest time.Duration        // the longest block, to bound the search back
	// events are busy as schedulers see it under policy (the account's
	// tentative rule and the owner's keywords), built once.
	events []Event
	policy string
}

// maxCachedSources bounds the memory the cache holds; past it, it starts
// again empty.
const maxCachedSources = 5000
