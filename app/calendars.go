package app

import (
	"context"
	"fmt"
	"time"

	"interviewplanner/calendars"
	"interviewplanner/demo"
	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// calendarSweepEvery is how often sources due for a sync are queued.
const calendarSweepEvery = time.Minute

// openCalendars builds the calendar layer. Without IP_SECRET_KEY (outside
// the demo) sources that need a secret cannot be added; uploads still work.
func (m *Main) openCalendars() error {
	keys, err := m.secretKeys()
	if err != nil {
		m.Log.Warn("calendar feeds and CalDAV accounts cannot be added until IP_SECRET_KEY is set", "err", err)
		keys = nil
	}
	m.Calendars = calendars.New(calendars.Config{DB: m.DB, Keys: keys, Log: m.Log.With("component", "calendars"),
		// The demo serves its own calendars on loopback.
		AllowPrivate: m.Config.Demo})
	m.closers = append(m.closers, func() error { m.Calendars.Close(); return nil })
	if m.Config.DemoCalendars {
		m.seeders = append(m.seeders, m.seedDemoCalendars)
	}
	return nil
}

// seedDemoCalendars gives each demo interviewer their own calendar, as an
// uploaded .ics (demo.CalendarICS), and the company its conflict
// keywords, so Find times visibly avoids their meetings from the start.
func (m *Main) seedDemoCalendars(ctx context.Context, db *store.DB, acct *domain.Account, users map[string]*domain.User) error {
	people := demo.Acme
	if acct.Name != demo.AcmeName {
		people = demo.Globex
	}
	st, err := m.Calendars.Store.GetSettings(ctx, acct.ID)
	if err != nil {
		return err
	}
	st.Keywords = demo.DemoKeywords
	if err := m.Calendars.Store.UpdateSettings(ctx, acct.ID, st); err != nil {
		return err
	}
	now := db.Now()
	for _, p := range people {
		u := users[p.Email]
		if u == nil || p.Role != domain.RoleInterviewer {
			continue
		}
		// Read by the background reader's first sweep, right after start.
		if _, err := m.Calendars.AddUploadUnread(ctx, acct.ID, calendars.Owner{UserID: u.ID}, "Work calendar", demo.CalendarICS(p, people, now)); err != nil {
			return fmt.Errorf("demo calendar of %s: %w", p.Email, err)
		}
	}
	return nil
}

// seedDemoRoomCalendar gives one demo room its own calendar
// (demo.RoomCalendarICS), so Find times visibly avoids the room while it
// is taken outside InterviewPlanner.
func (m *Main) seedDemoRoomCalendar(ctx context.Context, db *store.DB, acct *domain.Account, _ map[string]*domain.User) error {
	rooms, err := hiringstore.New(db).ListRooms(ctx, acct.ID)
	if err != nil {
		return err
	}
	for _, r := range rooms {
		if r.Name == demo.DemoRoomWithCalendar {
			// Read, like the interviewers', by the sweep that runs at start.
			if _, err := m.Calendars.AddUploadUnread(ctx, acct.ID, calendars.Owner{RoomID: r.ID}, "Room bookings", demo.RoomCalendarICS(db.Now())); err != nil {
				return fmt.Errorf("demo calendar of room %s: %w", r.Name, err)
			}
		}
	}
	return nil
}
