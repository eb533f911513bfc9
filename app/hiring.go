package app

import (
	"context"
	"time"

	"interviewplanner/availability"
	"interviewplanner/calendars"
	"interviewplanner/demo"
	"interviewplanner/domain"
	"interviewplanner/meetings"
	"interviewplanner/queue"
	"interviewplanner/scheduling"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/web"
	"interviewplanner/web/calendarpages"
	"interviewplanner/web/findtimes"
	"interviewplanner/web/hiring"
)

// meetingSweepEvery is how often meetings with work left are queued
// again: those waiting for Zoom to be reconnected, and a change whose job
// was folded into one that was just finishing (a meeting has at most one
// job queued or running, so two never race to create it).
const meetingSweepEvery = time.Second

// openHiring wires jobs, stages, interviewers, candidates and schedules:
// their pages and API, the job queue and the meeting worker.
func (m *Main) openHiring(ctx context.Context) error {
	if err := queue.Migrate(ctx, m.DB, m.Log); err != nil {
		return err
	}
	hs := hiringstore.New(m.DB)
	video := func() domain.VideoProvider { return m.videoProvider() }
	syncer := &meetings.Syncer{Store: hs, Video: video, Log: m.Log}
	inviter := &meetings.Inviter{Store: hs, Mail: m.Mail, From: m.Config.MailFrom, BaseURL: func() string { return m.BaseURL }, Log: m.Log}
	workers := m.jobs
	sweep := syncer.Register(workers, meetingSweepEvery)
	inviter.Register(workers)
	stats := registerStatistics(workers, m.DB)
	calendarSweep := m.Calendars.Register(workers, calendarSweepEvery)
	q, err := queue.New(m.DB, m.Log, workers, queue.Config{Periodic: append(m.periodic, sweep, stats, calendarSweep), JobTimeout: m.Config.JobTimeout, RescueAfter: m.Config.JobRescue,
		RetryBase: m.JobRetryBase, BackgroundWorkers: m.Config.CalendarSyncWorkers})
	if err != nil {
		return err
	}
	m.Calendars.Queue = q
	syncer.Queue, inviter.Queue = q, q
	sched := scheduling.New(hs)
	sched.Video, sched.Enqueue, sched.Notify = video, syncer.Enqueue, inviter.Notify
	if m.microsoft != nil {
		sched.Calendars = append(sched.Calendars, outlookEvents{m.microsoft})
	}
	if m.google != nil {
		sched.Calendars = append(sched.Calendars, m.google)
	}
	sched.NotifyRemoved = func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, removed []scheduling.Removal) error {
		rs := make([]meetings.Removed, len(removed))
		for i, r := range removed {
			rs[i] = meetings.Removed{ItemID: r.ItemID, UserID: r.UserID}
		}
		return inviter.NotifyRemoved(ctx, tx, accountID, scheduleID, rs)
	}
	// A meeting re-created under a new host has a new link: everyone gets
	// the schedule's events and invitations again.
	syncer.Notify = func(ctx context.Context, tx *store.Tx, accountID, scheduleID int64) error {
		_, err := sched.Announce(ctx, tx, accountID, scheduleID, domain.ScheduleNotice{})
		return err
	}
	// The manual check and Find times read the same busy time: our
	// bookings and the interviewers' calendars.
	sched.Availability = availability.New(availability.Bookings{Store: hs}, calendars.Source{Service: m.Calendars})
	sched.Fresh = m.fresh
	m.workers = append(m.workers, func(ctx context.Context) error {
		// River stops on Stop, after running jobs finish; the start
		// context must outlive ctx so shutdown is graceful.
		if err := q.Start(context.WithoutCancel(ctx)); err != nil {
			return err
		}
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return q.Stop(sctx)
	})
	m.features.Hiring = &hiring.Feature{Store: hs, Scheduling: sched, Video: video,
		TokenUser: func(ctx context.Context, token string) (*domain.User, error) {
			return hs.GetAPITokenUser(ctx, web.HashToken(token))
		}}
	m.features.FindTimes = &findtimes.Feature{Store: hs, Scheduling: sched}
	m.features.Calendars = &calendarpages.Feature{Service: m.Calendars, Bookings: availability.Bookings{Store: hs}, Rooms: hs, Connections: m.companyCalendars}
	m.seeders = append(m.seeders, demo.SeedHiring)
	if m.Config.DemoCalendars && m.Calendars != nil {
		// After the rooms exist.
		m.seeders = append(m.seeders, m.seedDemoRoomCalendar)
	}
	return nil
}

// videoProvider is the account-wide video provider the Zoom wiring set
// up, or nil.
func (m *Main) videoProvider() domain.VideoProvider { return m.Video }
