package scheduling

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// desiredMeetings is what a schedule needs from the video provider, by
// item id (0: one meeting for the whole schedule): one meeting per live
// interview, or one spanning them all; none when video is off or the
// schedule is cancelled.
func desiredMeetings(sc *domain.Schedule, company, stage, zone string, choices map[int64]string) map[int64]hiringstore.DesiredMeeting {
	want := map[int64]hiringstore.DesiredMeeting{}
	if !sc.Video || !sc.Status.Live() || len(sc.Items) == 0 {
		return want
	}
	if sc.MeetingMode == domain.MeetingPerSchedule {
		d := hiringstore.DesiredMeeting{Start: sc.Items[0].Start, End: sc.Items[0].End, Topic: domain.MeetingTopic(stage, company), TimeZone: zone,
			HostChoice: choices[sc.Items[0].ID]}
		var all []int64
		for _, it := range sc.Items {
			if it.Start.Before(d.Start) {
				d.Start = it.Start
			}
			if it.End.After(d.End) {
				d.End = it.End
			}
			all = append(all, it.Interviewers...)
		}
		d.People = people(all)
		want[0] = d
		return want
	}
	for _, it := range sc.Items {
		want[it.ID] = hiringstore.DesiredMeeting{Start: it.Start, End: it.End, Topic: domain.MeetingTopic(it.Name, company), TimeZone: zone,
			People: people(it.Interviewers), HostChoice: choices[it.ID]}
	}
	return want
}

// people is the interviewers as stored with a meeting ("3,7"), in order.
func people(ids []int64) string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// meetingChange is what to do with one stored meeting row.
type meetingChange int

const (
	keepMeeting meetingChange = iota // already as wanted
	wantMeeting                      // present, with the wanted times and topic
	dropMeeting                      // absent
)

// planRow decides a stored row's fate: a row still wanted is kept or
// changed; one no longer wanted is dropped. The state says what the
// worker has left to do: a row that never reached the provider (no id,
// no create attempt in flight) starts over as pending; a dropped one the
// provider may hold is deleting, else simply deleted.
func planRow(r hiringstore.MeetingRow, d hiringstore.DesiredMeeting, wanted bool) (meetingChange, domain.MeetingState) {
	if wanted {
		if r.Present && r.Start.Equal(d.Start) && r.End.Equal(d.End) && r.Topic == d.Topic && r.People == d.People && r.HostChoice == d.HostChoice {
			return keepMeeting, r.State
		}
		state := r.State
		if r.ProviderMeetingID == "" && state != domain.MeetingCreating {
			state = domain.MeetingPending
		}
		return wantMeeting, state
	}
	if !r.Present {
		return keepMeeting, r.State
	}
	if r.ProviderMeetingID != "" || r.Retiring || r.State == domain.MeetingCreating || r.State == domain.MeetingFailed {
		return dropMeeting, domain.MeetingDeleting
	}
	return dropMeeting, domain.MeetingDeleted
}

// syncMeetings brings a schedule's meeting rows to what it now needs and
// queues the rows the worker must act on, inside the transaction that
// changed the schedule.
func (s *Service) syncMeetings(ctx context.Context, tx *store.Tx, accountID, scheduleID int64, choices map[int64]string) error {
	sc, err := s.Store.GetScheduleTx(ctx, tx, accountID, scheduleID, false)
	if err != nil {
		return err
	}
	company, stage, zone, err := s.Store.GetMeetingNames(ctx, tx, accountID, scheduleID)
	if err != nil {
		return err
	}
	rows, err := s.Store.ListMeetingRows(ctx, tx, accountID, scheduleID)
	if err != nil {
		return err
	}
	if choices == nil {
		// Keep the hosts picked before.
		choices = map[int64]string{}
		for _, r := range rows {
			if r.Present {
				choices[r.ItemID] = r.HostChoice
			}
		}
		if sc.MeetingMode == domain.MeetingPerSchedule && len(sc.Items) > 0 {
			choices[sc.Items[0].ID] = choices[0]
		}
	}
	want := desiredMeetings(sc, company, stage, zone, choices)
	var changed []int64
	have := map[int64]bool{}
	for _, r := range rows {
		d, wanted := want[r.ItemID]
		wanted = wanted && !have[r.ItemID] // a second row for the same item goes
		if wanted {
			have[r.ItemID] = true
		}
		switch change, state := planRow(r, d, wanted); change {
		case wantMeeting:
			if err := s.Store.UpdateMeetingWanted(ctx, tx, accountID, r.ID, state, d); err != nil {
				return err
			}
			changed = append(changed, r.ID)
		case dropMeeting:
			if err := s.Store.UpdateMeetingDropped(ctx, tx, accountID, r.ID, state); err != nil {
				return err
			}
			if state == domain.MeetingDeleting {
				changed = append(changed, r.ID)
			}
		}
	}
	for _, key := range sortedKeys(want) {
		if have[key] {
			continue
		}
		id, err := s.Store.CreateMeeting(ctx, tx, accountID, scheduleID, key, want[key])
		if err != nil {
			return err
		}
		changed = append(changed, id)
	}
	if len(changed) == 0 || s.Enqueue == nil {
		return nil
	}
	return s.Enqueue(ctx, tx, accountID, changed)
}
