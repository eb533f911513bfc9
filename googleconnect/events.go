package googleconnect

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"net/http"
	"strings"
	"time"

	calendar "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"

	"interviewplanner/domain"
	"interviewplanner/store/googlestore"
)

// InterviewEvent is one interview as it stands on the scheduling calendar.
type InterviewEvent struct {
	// Key names the interview for good ("schedule/12/item/3"): its event id
	// is derived from it, so a retry after a lost answer finds the event
	// instead of making a second one.
	Key                            string
	Summary, Location, Description string
	Start, End                     time.Time
	TimeZone                       string
	Attendees                      []string // interviewers' and rooms' addresses
}

// ownIDPrefix starts every event id we choose.
const ownIDPrefix = "ip"

// EventID is the Google event id of a key: base32hex (Google's alphabet
// for client-chosen ids), from a hash, so it never repeats across keys.
func EventID(key string) string {
	sum := sha256.Sum256([]byte("interviewplanner/" + key))
	return ownIDPrefix + strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20]))
}

// ErrWritesPaused: Google made the scheduling calendar read-only for a
// while (quotaExceeded); writes must wait, not retry now.
var ErrWritesPaused = errors.New("Google paused writes to the scheduling calendar (its usage limits were reached); they resume on their own within hours")

func (s *Service) schedulingCalendar(ctx context.Context, accountID int64) (*calendar.Service, string, error) {
	c, err := s.Connection(ctx, accountID)
	if err != nil {
		return nil, "", err
	}
	if c == nil || c.State == googlestore.StateDisconnected {
		return nil, "", ErrNotConnected
	}
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		return nil, "", err
	}
	return cal, cmpOr(c.SchedulingCalendar, "primary"), nil
}

// CalendarChoice is a calendar the connection's admin can write to: a
// candidate for the scheduling calendar.
type CalendarChoice struct {
	ID, Summary string
	Primary     bool
}

// WritableCalendars lists the calendars the connected administrator owns
// or can edit, for the scheduling calendar picker.
func (s *Service) WritableCalendars(ctx context.Context, accountID int64) ([]CalendarChoice, error) {
	cal, _, err := s.schedulingCalendar(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var out []CalendarChoice
	err = cal.CalendarList.List().MinAccessRole("writer").Context(ctx).Pages(ctx, func(l *calendar.CalendarList) error {
		for _, e := range l.Items {
			if e.AccessRole == "owner" || e.AccessRole == "writer" {
				out = append(out, CalendarChoice{ID: e.Id, Summary: cmpOr(e.SummaryOverride, cmpOr(e.Summary, e.Id)), Primary: e.Primary})
			}
		}
		return nil
	})
	if err != nil {
		return nil, readError(err)
	}
	return out, nil
}

// SetSchedulingCalendar chooses the calendar (one the connection's admin
// can write to) that organizes every interview; "" stops writing events
// (our own email invitations go out again).
func (s *Service) SetSchedulingCalendar(ctx context.Context, u *domain.User, calendarID string) error {
	if !u.IsAdmin() {
		return domain.Errorf(domain.EFORBIDDEN, "Only admins can choose the scheduling calendar.")
	}
	if calendarID == "" {
		return s.store.UpdateSchedulingCalendar(ctx, u.AccountID, "")
	}
	list, err := s.WritableCalendars(ctx, u.AccountID)
	if err != nil {
		return err
	}
	for _, e := range list {
		if e.ID == calendarID {
			return s.store.UpdateSchedulingCalendar(ctx, u.AccountID, calendarID)
		}
	}
	return domain.Errorf(domain.EINVALID, "That calendar is not one the connected administrator can write to. Pick one from the list.")
}

// PutEvent makes the scheduling calendar hold ev exactly once: inserted
// with its own id, or — when Google already has that id (a retry after a
// lost answer, a reschedule, a swap, or an event deleted earlier) —
// patched to ev, attendees replaced whole. notify chooses whether Google
// emails the attendees (sendUpdates all) or InterviewPlanner's own
// invitations do (none), never both.
func (s *Service) PutEvent(ctx context.Context, accountID int64, ev InterviewEvent, notify bool) (*calendar.Event, error) {
	cal, calID, err := s.schedulingCalendar(ctx, accountID)
	if err != nil {
		return nil, err
	}
	send := "none"
	if notify {
		send = "all"
	}
	body := &calendar.Event{Id: EventID(ev.Key), Summary: ev.Summary, Location: ev.Location, Description: ev.Description,
		Start: &calendar.EventDateTime{DateTime: ev.Start.UTC().Format(time.RFC3339), TimeZone: ev.TimeZone},
		End:   &calendar.EventDateTime{DateTime: ev.End.UTC().Format(time.RFC3339), TimeZone: ev.TimeZone},
		// Private marks the organizer's copy; shared marks the attendees'
		// copies too, so their busy-time sync skips our own interviews.
		ExtendedProperties: &calendar.EventExtendedProperties{Private: map[string]string{"interviewplanner": ev.Key}, Shared: map[string]string{"interviewplanner": "interview"}},
		Attendees:          []*calendar.EventAttendee{}}
	for _, a := range ev.Attendees {
		body.Attendees = append(body.Attendees, &calendar.EventAttendee{Email: a})
	}
	got, err := cal.Events.Insert(calID, body).SendUpdates(send).Context(ctx).Do()
	if isReason(err, http.StatusConflict, "duplicate") {
		patch := *body
		patch.Id = ""
		patch.Status = "confirmed"
		patch.ForceSendFields = []string{"Attendees"}
		got, err = cal.Events.Patch(calID, body.Id, &patch).SendUpdates(send).Context(ctx).Do()
	}
	return got, writeError(err)
}

// DeleteEvent removes an interview's event; one already gone is fine.
func (s *Service) DeleteEvent(ctx context.Context, accountID int64, key string, notify bool) error {
	cal, calID, err := s.schedulingCalendar(ctx, accountID)
	if err != nil {
		return err
	}
	send := "none"
	if notify {
		send = "all"
	}
	err = cal.Events.Delete(calID, EventID(key)).SendUpdates(send).Context(ctx).Do()
	if isCode(err, http.StatusNotFound) || isCode(err, http.StatusGone) {
		return nil
	}
	return writeError(err)
}

// Responses returns each attendee's answer to an interview's event
// ("declined", "accepted", "tentative", "needsAction").
func (s *Service) Responses(ctx context.Context, accountID int64, key string) (map[string]string, error) {
	cal, calID, err := s.schedulingCalendar(ctx, accountID)
	if err != nil {
		return nil, err
	}
	ev, err := cal.Events.Get(calID, EventID(key)).Context(ctx).Do()
	if err != nil {
		return nil, readError(err)
	}
	out := map[string]string{}
	for _, a := range ev.Attendees {
		out[strings.ToLower(a.Email)] = a.ResponseStatus
	}
	return out, nil
}

func isReason(err error, code int, reason string) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != code {
		return false
	}
	for _, e := range ge.Errors {
		if e.Reason == reason {
			return true
		}
	}
	return false
}

func writeError(err error) error {
	if err == nil {
		return nil
	}
	if isReason(err, http.StatusForbidden, "quotaExceeded") {
		return domain.Wrap(err, domain.ETOOMANY, "%s", ErrWritesPaused.Error())
	}
	return readError(err)
}
