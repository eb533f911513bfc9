package msconnect

import (
	"context"
	"errors"
	"fmt"
	"time"

	"interviewplanner/msgraph"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/msstore"
)

// Provider reads interviewers' Outlook calendars for the calendar layer:
// one calendarView delta round per sync, every nextLink followed, @removed
// applied, a dropped delta token answered by a full resync.
type Provider struct{ s *Service }

// Kind implements calendars.Provider.
func (Provider) Kind() string { return calendarstore.KindMicrosoft }

// slack is how much further than asked a delta window reaches, so the
// window (fixed for a delta token's life) keeps covering the horizon for
// two weeks before a full round moves it.
const slack = 14 * 24 * time.Hour

// Read implements calendars.Provider.
func (p Provider) Read(ctx context.Context, src *calendarstore.Source, from, to time.Time) (*calendarstore.Result, error) {
	s := p.s
	conn, err := s.Store.GetConnection(ctx, src.AccountID)
	if err != nil {
		return nil, errors.New("Microsoft 365 is not connected")
	}
	switch conn.State {
	case msstore.StateConnected:
	case msstore.StateNeedsReconnecting:
		return nil, errors.New("Microsoft 365 needs reconnecting: " + conn.Error)
	default:
		return nil, errors.New("Microsoft 365 is not connected yet: " + conn.Error)
	}
	mailbox, err := s.Store.GetMailbox(ctx, src.AccountID, src.UserID)
	if err != nil {
		return nil, err
	}
	if mailbox == "" {
		return nil, errors.New("this person is not in the Microsoft 365 directory any more")
	}
	cal, err := s.Store.GetCalendar(ctx, src.AccountID, src.ID)
	if err != nil {
		return nil, err
	}
	full := cal.DeltaLink == "" || cal.Mailbox != mailbox || cal.From.After(from) || cal.To.Before(to)
	if full {
		cal.DeltaLink, cal.From, cal.To = "", from, to.Add(slack)
	}
	cal.Mailbox = mailbox
	api := s.api(src.AccountID, conn.TenantID)
	// The subscription first: a change made while the calendar is read is
	// then notified, not left to the next poll.
	if err := s.subscribe(ctx, api, src.AccountID, src.ID, mailbox); err != nil {
		// Polling still keeps the calendar fresh; say why it is slower.
		s.log.WarnContext(ctx, "microsoft subscription not created; polling only", "account_id", src.AccountID, "source_id", src.ID, "err", clip(err.Error(), 300))
	}
	items, next, err := api.DeltaRound(ctx, mailbox, cal.DeltaLink, cal.From, cal.To, s.cfg.DeltaPageSize)
	if msgraph.IsSyncStateGone(err) && !full {
		full, cal.DeltaLink = true, ""
		items, next, err = api.DeltaRound(ctx, mailbox, "", cal.From, cal.To, s.cfg.DeltaPageSize)
	}
	if err != nil {
		if msgraph.IsPolicyDenied(err) {
			return nil, errors.New("an Exchange application access policy denies InterviewPlanner this mailbox; an Exchange admin can add it to the policy's group")
		}
		return nil, s.failed(ctx, src.AccountID, err)
	}
	var upsert []msstore.Event
	var removed []string
	for _, it := range items {
		if it.Removed != nil {
			removed = append(removed, it.ID)
			continue
		}
		ev, err := toEvent(it)
		if err != nil {
			return nil, fmt.Errorf("Microsoft Graph sent an event that cannot be read: %w", err)
		}
		upsert = append(upsert, ev)
	}
	cal.DeltaLink = next
	res := &calendarstore.Result{From: cal.From, To: cal.To}
	// The events are kept (by id, for the next delta round) in the
	// transaction that stores the busy time, with their delta link.
	res.Keep = func(ctx context.Context, tx *store.Tx, r *calendarstore.Result) error {
		stored, err := msstore.ApplyDeltaTx(ctx, tx, *cal, full, upsert, removed)
		if err != nil {
			return err
		}
		setBusy(r, stored)
		return nil
	}
	return res, nil
}

// setBusy makes res's busy time the blocking events of stored within its
// window, and its event count all of them.
func setBusy(res *calendarstore.Result, stored []msstore.Event) {
	res.Busy, res.EventCount = nil, len(stored)
	for _, e := range stored {
		if e.Own {
			// Our own interview: busy already as a booking, which moves
			// with a reschedule; counted here too it would clash with itself.
			continue
		}
		kind, blocks := Blocks(e)
		if !blocks || !e.Start.Before(res.To) || !e.End.After(res.From) {
			continue
		}
		b := calendarstore.Busy{Start: e.Start, End: e.End, Kind: kind, Title: e.Subject, Private: e.Private, AllDay: e.AllDay}
		if e.Private {
			b.Title = ""
		}
		res.Busy = append(res.Busy, b)
	}
}

// Blocks applies the showAs rules: free and workingElsewhere never block,
// tentative is "tentative" (the account decides), busy, oof and unknown
// block; cancelled and self-declined events never do.
func Blocks(e msstore.Event) (kind string, blocks bool) {
	if e.Cancelled || e.Declined {
		return "", false
	}
	switch e.ShowAs {
	case msgraph.ShowFree, msgraph.ShowWorkingElsewhere:
		return "", false
	case msgraph.ShowTentative:
		return "tentative", true
	}
	return "busy", true
}

func toEvent(it msgraph.Event) (msstore.Event, error) {
	if it.ID == "" || it.Start == nil || it.End == nil {
		return msstore.Event{}, errors.New("an event without id, start or end")
	}
	start, err := msgraph.ParseDateTime(*it.Start)
	if err != nil {
		return msstore.Event{}, err
	}
	end, err := msgraph.ParseDateTime(*it.End)
	if err != nil {
		return msstore.Event{}, err
	}
	if end.Before(start) {
		return msstore.Event{}, errors.New("an event that ends before it starts")
	}
	e := msstore.Event{ID: it.ID, Start: start.UTC(), End: end.UTC(), ShowAs: it.ShowAs,
		Private:   it.Sensitivity == "private" || it.Sensitivity == "confidential",
		Cancelled: it.IsCancelled != nil && *it.IsCancelled, AllDay: it.IsAllDay != nil && *it.IsAllDay,
		Declined: it.ResponseStatus != nil && it.ResponseStatus.Response == msgraph.ResponseDeclined}
	if it.Subject != nil {
		e.Subject = *it.Subject
	}
	e.ICalUID, e.TransactionID = it.ICalUID, it.TransactionID
	return e, nil
}
