package calendars

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"

	"interviewplanner/calendar"
	"interviewplanner/store/calendarstore"
)

// CalDAV is read with go-webdav: discovery (current-user-principal →
// calendar-home-set → calendars) and calendar-query REPORTs with a
// time-range filter. Recurrence is expanded here, never by the server
// (servers differ: Radicale ignores <expand>, Xandikos fails on it).

// httpStatusError is an HTTP answer that is not a success, caught below
// go-webdav so the page can say which status the server gave.
type httpStatusError struct{ code int }

func (e *httpStatusError) Error() string { return statusError(e.code).Error() }

// guarded wraps the calendar client for go-webdav: basic auth, failing
// statuses as errors, and answers cut at calendar.MaxFeedBytes.
type guarded struct {
	client         *http.Client
	username, pass string
}

func (g *guarded) Do(req *http.Request) (*http.Response, error) {
	if g.username != "" || g.pass != "" {
		req.SetBasicAuth(g.username, g.pass)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, describeNetError(err)
	}
	if resp.StatusCode >= 400 {
		resp.Body.Close()
		return nil, &httpStatusError{resp.StatusCode}
	}
	resp.Body = &capped{r: resp.Body, left: calendar.MaxFeedBytes}
	return resp, nil
}

// capped fails a read past its limit, so a server streaming without end
// cannot fill memory.
type capped struct {
	r    io.ReadCloser
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, sentencef("the answer is larger than %d MB", calendar.MaxFeedBytes>>20)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *capped) Close() error { return c.r.Close() }

func (s *Service) caldavClient(serverURL, username, password string) (*caldav.Client, error) {
	u, err := checkURL(serverURL)
	if err != nil {
		return nil, err
	}
	var hc webdav.HTTPClient = &guarded{client: s.http, username: username, pass: password}
	return caldav.NewClient(hc, u.String())
}

// explainCalDAV turns a go-webdav error into a sentence for the page.
func explainCalDAV(err error) error {
	var se *httpStatusError
	if errors.As(err, &se) {
		return se
	}
	if errors.Is(err, errPrivateAddress) {
		return errPrivateAddress
	}
	if isTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return errors.New("the server did not answer in time")
	}
	var said pageError
	if errors.As(err, &said) {
		return err
	}
	return sentencef("the CalDAV server's answer could not be read: %w", err)
}

// discover lists the account's calendars that hold events.
func (s *Service) discover(ctx context.Context, serverURL, username, password string) ([]calendarstore.CalDAVCalendar, error) {
	c, err := s.caldavClient(serverURL, username, password)
	if err != nil {
		return nil, err
	}
	principal, err := c.FindCurrentUserPrincipal(ctx)
	if err != nil {
		return nil, explainCalDAV(err)
	}
	home, err := c.FindCalendarHomeSet(ctx, principal)
	if err != nil {
		return nil, explainCalDAV(err)
	}
	cals, err := c.FindCalendars(ctx, home)
	if err != nil {
		return nil, explainCalDAV(err)
	}
	var out []calendarstore.CalDAVCalendar
	for _, cal := range cals {
		if len(cal.SupportedComponentSet) > 0 && !contains(cal.SupportedComponentSet, ical.CompEvent) {
			continue
		}
		name := cal.Name
		if name == "" {
			name = path.Base(strings.TrimSuffix(cal.Path, "/"))
		}
		out = append(out, calendarstore.CalDAVCalendar{Path: cal.Path, Name: name, Selected: true})
	}
	if len(out) == 0 {
		return nil, errors.New("the account has no calendars with events")
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// calObject is one calendar object read from a CalDAV server.
type calObject struct {
	href string
	cal  *ical.Calendar
}

// caldavRead is what one read of a CalDAV account brought: every object
// of the selected calendars over the window (a whole read), or only those
// that changed and the hrefs of those removed (an incremental read).
type caldavRead struct {
	delta     bool
	objects   []calObject
	removed   []string
	calendars []calendarstore.CalDAVCalendar // with their new sync tokens
	// reread are the paths of the calendars of an incremental read that
	// were read whole (the server refused their token): every block
	// stored from them is replaced.
	reread []string
}

// readCalDAV reads the selected calendars. When every one of them has a
// sync token and whole is not asked, it asks each only for what changed
// since (RFC 6578 sync-collection); a calendar whose token the server no
// longer accepts is read whole, the others still incrementally. A server
// without sync-collection makes it a whole read: a calendar-query of
// [from, to) per calendar, with a fresh token taken first (a change racing
// the query is then reported again next time). One failing calendar fails
// the source: partial busy time would read as free.
func (s *Service) readCalDAV(ctx context.Context, serverURL, username, password string, cals []calendarstore.CalDAVCalendar, from, to time.Time, whole bool) (*caldavRead, error) {
	c, err := s.caldavClient(serverURL, username, password)
	if err != nil {
		return nil, err
	}
	dav := &davSync{http: &guarded{client: s.http, username: username, pass: password}, base: serverURL}
	cals = slices.Clone(cals)
	if !whole {
		for _, cal := range cals {
			if cal.Selected && cal.SyncToken == "" {
				whole = true
			}
		}
	}
	if !whole {
		out := &caldavRead{delta: true, calendars: cals}
		for i, cal := range cals {
			if !cal.Selected {
				continue
			}
			ch, err := dav.changes(ctx, c, cal.Path, cal.SyncToken)
			if errors.Is(err, errSyncUnavailable) {
				// Only this calendar starts again; the others' changes
				// still come incrementally.
				objs, token, err := queryCalendar(ctx, c, dav, cal, from, to)
				if err != nil {
					return nil, err
				}
				out.objects = append(out.objects, objs...)
				out.reread = append(out.reread, cal.Path)
				cals[i].SyncToken = token
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("calendar %q: %w", cal.Name, explainCalDAV(err))
			}
			out.objects = append(out.objects, ch.changed...)
			out.removed = append(out.removed, ch.removed...)
			cals[i].SyncToken = ch.token
		}
		if len(out.reread) > 0 && len(out.reread) == len(selected(cals)) {
			// Every token refused, so every calendar was read whole: the
			// read replaces everything and moves the window covered.
			out.delta, out.reread = false, nil
		}
		return out, nil
	}
	out := &caldavRead{calendars: cals}
	for i, cal := range cals {
		if !cal.Selected {
			continue
		}
		objs, token, err := queryCalendar(ctx, c, dav, cal, from, to)
		if err != nil {
			return nil, err
		}
		out.objects = append(out.objects, objs...)
		cals[i].SyncToken = token
	}
	return out, nil
}

// queryCalendar reads one calendar whole over [from, to) with a
// calendar-query, and the sync token to continue from (taken first).
func queryCalendar(ctx context.Context, c *caldav.Client, dav *davSync, cal calendarstore.CalDAVCalendar, from, to time.Time) ([]calObject, string, error) {
	token, err := dav.token(ctx, cal.Path)
	if err != nil {
		return nil, "", fmt.Errorf("calendar %q: %w", cal.Name, explainCalDAV(err))
	}
	objs, err := c.QueryCalendar(ctx, cal.Path, &caldav.CalendarQuery{
		CompRequest: caldav.CalendarCompRequest{Name: ical.CompCalendar, AllProps: true, AllComps: true},
		CompFilter: caldav.CompFilter{Name: ical.CompCalendar, Comps: []caldav.CompFilter{
			{Name: ical.CompEvent, Start: from, End: to},
		}},
	})
	if err != nil {
		return nil, "", fmt.Errorf("calendar %q: %w", cal.Name, explainCalDAV(err))
	}
	var out []calObject
	for _, o := range objs {
		if o.Data != nil {
			out = append(out, calObject{href: o.Path, cal: o.Data})
		}
	}
	return out, token, nil
}

// selected are the calendars that count as busy.
func selected(cals []calendarstore.CalDAVCalendar) []calendarstore.CalDAVCalendar {
	var out []calendarstore.CalDAVCalendar
	for _, c := range cals {
		if c.Selected {
			out = append(out, c)
		}
	}
	return out
}
