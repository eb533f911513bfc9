package googleconnect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	admin "google.golang.org/api/admin/directory/v1"
	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
)

type (
	adminUsers     = admin.Users
	adminRooms     = admin.CalendarResources
	adminBuildings = admin.Buildings
)

// Google's limits on one free/busy query.
const (
	FreeBusyBatch    = 50
	FreeBusyMaxRange = 90 * 24 * time.Hour
)

// fbMemoTTL is how long a batch's answer for the other sources in it is
// kept for their own sync jobs (queued by the same sweep).
const fbMemoTTL = 2 * time.Minute

// Provider reads interviewers' Google calendars for the calendar layer.
type Provider struct{ s *Service }

// Kind implements calendars.Provider.
func (Provider) Kind() string { return calendarstore.KindGoogle }

// Read implements calendars.Provider: with delegation every event in full
// (events.list with sync tokens), without it free/busy only.
func (p Provider) Read(ctx context.Context, src *calendarstore.Source, from, to time.Time) (*calendarstore.Result, error) {
	s := p.s
	c, err := s.Connection(ctx, src.AccountID)
	if err != nil {
		return nil, err
	}
	if c == nil || c.State == googlestore.StateDisconnected {
		return nil, ErrNotConnected
	}
	if c.State == googlestore.StateNeedsReconnecting {
		return nil, errNeedsReconnecting
	}
	if src.RoomID != 0 {
		// A room resource cannot be impersonated: its free/busy is read.
		return s.readFreeBusy(ctx, c, src, from, to)
	}
	u, err := s.db.GetUser(ctx, src.AccountID, src.UserID)
	if err != nil {
		return nil, err
	}
	if c.Delegated() {
		return s.readEvents(ctx, c, src, u.Email, from, to)
	}
	return s.readFreeBusy(ctx, c, src, from, to)
}

// readEvents syncs one interviewer's primary calendar: incrementally with
// the stored sync token (kept in the source's etag), in full when there is
// none, when the cached window runs short, or when Google answers 410.
func (s *Service) readEvents(ctx context.Context, c *googlestore.Connection, src *calendarstore.Source, email string, from, to time.Time) (*calendarstore.Result, error) {
	cal, err := s.calendarAs(ctx, c, email)
	if err != nil {
		return nil, err
	}
	token := src.ETag
	if src.SyncedTo == nil || src.SyncedTo.Before(to.Add(-7*24*time.Hour)) {
		token = ""
	}
	// The channel first: a change made while the calendar is read is
	// then notified, not left to the next poll.
	s.ensureChannel(ctx, cal, src)
	ch, next, err := listChanges(ctx, cal, token, from, to)
	if token != "" && isCode(err, http.StatusGone) {
		s.log.InfoContext(ctx, "google sync token expired; full sync", "account_id", src.AccountID, "source_id", src.ID)
		ch, next, err = listChanges(ctx, cal, "", from, to)
	}
	if err != nil {
		return nil, readError(err)
	}
	if err := s.dropOwnEvents(ctx, src.AccountID, &ch); err != nil {
		return nil, err
	}
	ch.Upserts = ch.Latest()
	if !ch.Full {
		// The first full sync's window is kept: an incremental one does not move it.
		if src.SyncedFrom != nil {
			from = *src.SyncedFrom
		}
		if src.SyncedTo != nil {
			to = *src.SyncedTo
		}
	}
	res := &calendarstore.Result{From: from, To: to, ETag: next}
	if ch.Full {
		// What was read is the whole calendar: its busy time is known
		// without reading the copy back.
		setBusy(res, ch.Upserts)
	}
	// The events are kept (by id, for the next incremental read) in the
	// transaction that stores the busy time and the sync token.
	res.Keep = func(ctx context.Context, tx *store.Tx, r *calendarstore.Result) error {
		if err := googlestore.ApplyEventsTx(ctx, tx, src.AccountID, src.ID, ch); err != nil || ch.Full {
			return err
		}
		events, err := googlestore.ListEventsTx(ctx, tx, src.AccountID, src.ID, from, to)
		if err != nil {
			return err
		}
		setBusy(r, events)
		return nil
	}
	return res, nil
}

// setBusy makes res's busy time the events' overlapping its window, and
// its event count theirs (a series counts once).
func setBusy(res *calendarstore.Result, events []googlestore.Event) {
	res.Busy, res.EventCount = nil, 0
	seen := map[string]bool{}
	for _, e := range events {
		if !e.End.After(res.From) || !e.Start.Before(res.To) {
			continue
		}
		seen[cmpOr(e.SeriesID, e.ID)] = true
		if e.Kind == "free" {
			continue
		}
		res.Busy = append(res.Busy, calendarstore.Busy{Start: e.Start, End: e.End, Kind: e.Kind, Title: e.Title, Private: e.Private, AllDay: e.AllDay})
	}
	res.EventCount = len(seen)
}

// dropOwnEvents moves the interview events we wrote (their ids are
// recorded) from the changes' upserts to their deletions, whatever
// properties an attendee's copy kept.
func (s *Service) dropOwnEvents(ctx context.Context, accountID int64, ch *googlestore.Changes) error {
	ids := make([]string, 0, len(ch.Upserts))
	for _, e := range ch.Upserts {
		if strings.HasPrefix(e.ID, ownIDPrefix) {
			ids = append(ids, e.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	own, err := s.store.ListOwnEventIDs(ctx, accountID, ids)
	if err != nil || len(own) == 0 {
		return err
	}
	kept := ch.Upserts[:0]
	for _, e := range ch.Upserts {
		if own[e.ID] {
			ch.Deleted = append(ch.Deleted, e.ID)
		} else {
			kept = append(kept, e)
		}
	}
	ch.Upserts = kept
	return nil
}

func listChanges(ctx context.Context, cal *calendar.Service, token string, from, to time.Time) (googlestore.Changes, string, error) {
	ch := googlestore.Changes{Full: token == ""}
	call := cal.Events.List("primary").SingleEvents(true).MaxResults(2500).Context(ctx)
	if token != "" {
		call = call.SyncToken(token)
	} else {
		call = call.TimeMin(from.UTC().Format(time.RFC3339)).TimeMax(to.UTC().Format(time.RFC3339))
	}
	var next string
	series := map[string]bool{}
	err := call.Pages(ctx, func(p *calendar.Events) error {
		loc, err := domain.LoadLocation(p.TimeZone)
		if err != nil || p.TimeZone == "" {
			loc = time.UTC
		}
		for _, it := range p.Items {
			if it.Status == "cancelled" || ownEvent(it) {
				// Our own interviews are busy time from our bookings
				// already: read back, they would count twice.
				ch.Deleted = append(ch.Deleted, it.Id)
				continue
			}
			e, ok := classify(it, loc)
			if !ok {
				continue
			}
			// A plain instance (not moved) arriving means the series itself
			// changed: its old instances go, the new ones come.
			if it.RecurringEventId != "" && it.OriginalStartTime != nil && sameStart(it.Start, it.OriginalStartTime) && !series[it.RecurringEventId] {
				series[it.RecurringEventId] = true
				ch.Series = append(ch.Series, it.RecurringEventId)
			}
			ch.Upserts = append(ch.Upserts, e)
		}
		if p.NextSyncToken != "" {
			next = p.NextSyncToken
		}
		return nil
	})
	return ch, next, err
}

// ownEvent reports whether InterviewPlanner wrote the event: the organizer's
// copy carries our private property, attendees' copies the shared one.
func ownEvent(it *calendar.Event) bool {
	p := it.ExtendedProperties
	return p != nil && (p.Private["interviewplanner"] != "" || p.Shared["interviewplanner"] != "")
}

func sameStart(a, b *calendar.EventDateTime) bool {
	if a == nil || b == nil {
		return false
	}
	if a.Date != "" || b.Date != "" {
		return a.Date == b.Date
	}
	ta, err1 := time.Parse(time.RFC3339, a.DateTime)
	tb, err2 := time.Parse(time.RFC3339, b.DateTime)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

// classify turns an event into what blocks: the interviewer's own answer
// (declined is free, unanswered or tentative is tentative), transparency,
// and the event type — out of office blocks, focus time blocks unless a
// conflict keyword matches its title (as any event), working location
// never blocks.
func classify(it *calendar.Event, loc *time.Location) (googlestore.Event, bool) {
	e := googlestore.Event{ID: it.Id, SeriesID: it.RecurringEventId, Title: it.Summary, Kind: "busy"}
	start, end, allDay, err := eventTimes(it, loc)
	if err != nil {
		return e, false
	}
	e.Start, e.End, e.AllDay = start, end, allDay
	switch it.EventType {
	case "workingLocation":
		e.Kind = "free"
	case "outOfOffice":
		e.Title = cmpOr(it.Summary, "Out of office")
	case "focusTime":
		e.Title = cmpOr(it.Summary, "Focus time")
	}
	if it.Transparency == "transparent" {
		e.Kind = "free"
	}
	for _, a := range it.Attendees {
		if !a.Self {
			continue
		}
		switch a.ResponseStatus {
		case "declined":
			e.Kind = "free"
		case "tentative", "needsAction":
			if e.Kind == "busy" {
				e.Kind = "tentative"
			}
		}
	}
	if it.Visibility == "private" || it.Visibility == "confidential" {
		e.Private, e.Title = true, ""
	}
	return e, true
}

func eventTimes(it *calendar.Event, loc *time.Location) (time.Time, time.Time, bool, error) {
	if it.Start == nil || it.End == nil {
		return time.Time{}, time.Time{}, false, errors.New("event without times")
	}
	if it.Start.Date != "" {
		s, err1 := time.ParseInLocation("2006-01-02", it.Start.Date, loc)
		e, err2 := time.ParseInLocation("2006-01-02", it.End.Date, loc)
		return s.UTC(), e.UTC(), true, errors.Join(err1, err2)
	}
	s, err1 := time.Parse(time.RFC3339, it.Start.DateTime)
	e, err2 := time.Parse(time.RFC3339, it.End.DateTime)
	return s.UTC(), e.UTC(), false, errors.Join(err1, err2)
}

type fbResult struct {
	at       time.Time
	from, to time.Time
	busy     []calendarstore.Busy
	err      error
}

// readFreeBusy answers one source from a free/busy query that asks, in
// the same call, for up to 49 more of the account's Google sources (their
// own jobs then use the answer), in windows within Google's range limit.
// A calendar Google reports an error for is an error (unknown), never free.
func (s *Service) readFreeBusy(ctx context.Context, c *googlestore.Connection, src *calendarstore.Source, from, to time.Time) (*calendarstore.Result, error) {
	s.mu.Lock()
	if r, ok := s.fbMemo[src.ID]; ok {
		delete(s.fbMemo, src.ID)
		if time.Since(r.at) < fbMemoTTL && r.from.Equal(from) && r.to.Equal(to) {
			s.mu.Unlock()
			return fbAnswer(r)
		}
	}
	s.mu.Unlock()
	all, err := s.cals.Store.ListSources(ctx, src.AccountID, calendarstore.SourceFilter{})
	if err != nil {
		return nil, err
	}
	batch := []*calendarstore.Source{src}
	others := slices.DeleteFunc(all, func(o *calendarstore.Source) bool {
		// With delegation people's events are read in full: only rooms
		// share a free/busy query.
		return o.Kind != calendarstore.KindGoogle || o.ID == src.ID || (c.Delegated() && o.RoomID == 0)
	})
	slices.SortFunc(others, func(a, b *calendarstore.Source) int { return a.NextSyncAt.Compare(b.NextSyncAt) })
	batch = append(batch, others[:min(len(others), FreeBusyBatch-1)]...)
	emails := map[string]int64{}
	items := make([]*calendar.FreeBusyRequestItem, 0, len(batch))
	var roomIDs []int64
	for _, b := range batch {
		if b.RoomID != 0 {
			roomIDs = append(roomIDs, b.RoomID)
		}
	}
	_, roomAddrs, err := s.store.ListAddresses(ctx, src.AccountID, nil, roomIDs)
	if err != nil {
		return nil, err
	}
	for _, b := range batch {
		addr := roomAddrs[b.RoomID]
		if b.RoomID == 0 {
			u, err := s.db.GetUser(ctx, b.AccountID, b.UserID)
			if err != nil {
				return nil, err
			}
			addr = u.Email
		}
		if addr == "" {
			if b.ID == src.ID {
				return nil, errors.New("the room is no longer in the Google Workspace directory")
			}
			continue
		}
		emails[strings.ToLower(addr)] = b.ID
		items = append(items, &calendar.FreeBusyRequestItem{Id: addr})
	}
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return nil, err
	}
	results := map[int64]*fbResult{}
	for _, id := range emails {
		results[id] = &fbResult{at: time.Now(), from: from, to: to}
	}
	for ws := from; ws.Before(to); ws = ws.Add(FreeBusyMaxRange) {
		we := ws.Add(FreeBusyMaxRange)
		if we.After(to) {
			we = to
		}
		resp, err := cal.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: ws.UTC().Format(time.RFC3339), TimeMax: we.UTC().Format(time.RFC3339),
			Items: items}).Context(ctx).Do()
		if err != nil {
			return nil, readError(err)
		}
		for id, fc := range resp.Calendars {
			r := results[emails[strings.ToLower(id)]]
			if r == nil {
				continue
			}
			if len(fc.Errors) > 0 {
				r.err = fmt.Errorf("Google could not give this calendar's free/busy time (%s)", fc.Errors[0].Reason)
				continue
			}
			for _, b := range fc.Busy {
				bs, err1 := time.Parse(time.RFC3339, b.Start)
				be, err2 := time.Parse(time.RFC3339, b.End)
				if err1 != nil || err2 != nil {
					r.err = errors.New("Google answered a free/busy time that could not be read")
					continue
				}
				r.busy = append(r.busy, calendarstore.Busy{Start: bs.UTC(), End: be.UTC(), Kind: "busy", Private: true})
			}
		}
		named := map[int64]bool{}
		for id := range resp.Calendars {
			named[emails[strings.ToLower(id)]] = true
		}
		for id, r := range results {
			if r.err == nil && !named[id] {
				r.err = errors.New("Google's free/busy answer did not name this calendar")
			}
		}
	}
	for email, id := range emails {
		if _, ok := results[id]; ok && id != src.ID {
			_ = email
			s.mu.Lock()
			s.fbMemo[id] = *results[id]
			s.mu.Unlock()
		}
	}
	return fbAnswer(*results[src.ID])
}

func fbAnswer(r fbResult) (*calendarstore.Result, error) {
	if r.err != nil {
		return nil, r.err
	}
	return &calendarstore.Result{From: r.from, To: r.to, Busy: r.busy, EventCount: len(r.busy)}, nil
}

func isCode(err error, code int) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == code
}

// readError says in a sentence why a calendar could not be read.
func readError(err error) error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		reason := ""
		if len(ge.Errors) > 0 {
			reason = ge.Errors[0].Reason
		}
		switch {
		case ge.Code == 404:
			return errors.New("Google says this calendar does not exist or is not shared with InterviewPlanner")
		case reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" || ge.Code == 429:
			return errors.New("Google asked InterviewPlanner to slow down (rate limit); it will try again")
		case ge.Code >= 500:
			return fmt.Errorf("Google answered %d; it will try again", ge.Code)
		}
		return fmt.Errorf("Google refused to read the calendar: %s", clip(ge.Message, 200))
	}
	return err
}
