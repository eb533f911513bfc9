package app

import (
	"time"

	"interviewplanner/calendars"
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
	return nil
}
