package googleconnect

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"interviewplanner/calendars"
	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/scheduling/interviewevents"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"

	"time"
)

// SourceName is what the pages call an interviewer's Google calendar.
const SourceName = "Google Calendar"

// RoomSourceName names a Workspace room's calendar on the pages.
const RoomSourceName = "Google room calendar"

// Sync reads the Workspace directory: users (matched to interviewers by
// email, each matched one getting a Google calendar source) and room
// resources (which become rooms with their capacity and building).
func (s *Service) Sync(ctx context.Context, accountID int64) error {
	c, err := s.Connection(ctx, accountID)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx, c)
	if err != nil {
		return err
	}
	var entries []googlestore.Entry
	err = dir.Users.List().Customer("my_customer").MaxResults(500).Pages(ctx, func(p *adminUsers) error {
		for _, u := range p.Users {
			name := u.PrimaryEmail
			if u.Name != nil && u.Name.FullName != "" {
				name = u.Name.FullName
			}
			entries = append(entries, googlestore.Entry{Kind: googlestore.EntryUser, GoogleID: u.Id, Email: u.PrimaryEmail, Name: name,
				Admin: u.IsAdmin, Suspended: u.Suspended})
		}
		return nil
	})
	buildings := map[string]string{}
	if err == nil {
		err = dir.Resources.Buildings.List("my_customer").MaxResults(500).Pages(ctx, func(p *adminBuildings) error {
			for _, b := range p.Buildings {
				buildings[b.BuildingId] = b.BuildingName
			}
			return nil
		})
	}
	if err == nil {
		err = dir.Resources.Calendars.List("my_customer").MaxResults(500).Pages(ctx, func(p *adminRooms) error {
			for _, r := range p.Items {
				if r.ResourceCategory != "" && r.ResourceCategory != "CONFERENCE_ROOM" {
					continue
				}
				entries = append(entries, googlestore.Entry{Kind: googlestore.EntryRoom, GoogleID: r.ResourceId, Email: r.ResourceEmail,
					Name: r.ResourceName, Capacity: int(r.Capacity), Building: cmpOr(buildings[r.BuildingId], r.BuildingId), Floor: r.FloorName})
			}
			return nil
		})
	}
	if err != nil {
		msg := fmt.Sprintf("Google's directory could not be read: %v", err)
		if !errors.Is(err, errNeedsReconnecting) {
			_ = s.store.UpdateSyncError(context.WithoutCancel(ctx), accountID, clip(msg, 300))
		}
		return domain.Wrap(err, domain.EUNAVAILABLE, "%s", clip(msg, 300))
	}
	if _, err := s.store.ReplaceDirectory(ctx, accountID, entries); err != nil {
		return err
	}
	list, err := s.store.ListDirectory(ctx, accountID)
	if err != nil {
		return err
	}
	var want []calendars.ProviderSource
	for _, e := range list {
		if e.Kind == googlestore.EntryUser && e.UserID != 0 && e.RemovedAt == nil && !e.Suspended {
			want = append(want, calendars.ProviderSource{UserID: e.UserID, Name: SourceName})
		}
		// Rooms' busy time too, so Find times and the check see a room
		// booked in Google Calendar.
		if e.Kind == googlestore.EntryRoom && e.RoomID != 0 && e.RemovedAt == nil {
			want = append(want, calendars.ProviderSource{RoomID: e.RoomID, Name: RoomSourceName})
		}
	}
	if _, _, err := s.cals.SetProviderSources(ctx, accountID, calendarstore.KindGoogle, want); err != nil {
		return err
	}
	// A reconnect makes sources that failed while the grant was dead due now.
	srcs, err := s.cals.Store.ListSources(ctx, accountID, calendarstore.SourceFilter{})
	if err != nil {
		return err
	}
	for _, src := range srcs {
		if src.Kind == calendarstore.KindGoogle && src.State == calendarstore.StateFailing {
			if err := s.cals.SyncNow(ctx, accountID, src.ID); err != nil {
				s.log.WarnContext(ctx, "google: sync after reconnect not queued", "source_id", src.ID, "err", err)
			}
		}
	}
	return nil
}

// RefreshDirectories re-reads every connected account's directory; one
// account's failure does not stop the others.
func (s *Service) RefreshDirectories(ctx context.Context) error {
	ids, err := s.store.ListLiveAccounts(ctx)
	if err != nil {
		return err
	}
	if err := queue.EachAccount(ctx, s.log, "google directory refresh failed", ids, s.Sync); ctx.Err() != nil {
		return err
	}
	return nil // a failed account is logged and read again at the next refresh
}

// DirectoryRefreshArgs asks to re-read every connected Workspace directory.
type DirectoryRefreshArgs struct{}

// Kind names the job.
func (DirectoryRefreshArgs) Kind() string { return "google_directory_refresh" }

// Register adds the workers (directory refresh, interview events,
// attendees' answers) and returns the directory refresh's periodic job
// (inserted by the elected leader only, so once across instances).
func (s *Service) Register(w *river.Workers, every time.Duration) *river.PeriodicJob {
	river.AddWorker(w, &interviewevents.Worker[EventsArgs]{Syncer: s})
	river.AddWorker(w, &queue.Sweep[ResponsesArgs]{Run: s.SyncAllResponses})
	return queue.AddPeriodic[DirectoryRefreshArgs](w, every, s.RefreshDirectories)
}

// ResponsesJob reads attendees' answers on the scheduling calendars every
// so often (inserted by the elected leader only).
func (s *Service) ResponsesJob(every time.Duration) *river.PeriodicJob {
	return queue.Periodic[ResponsesArgs](every, nil)
}
