// Package calendars is the calendar layer: it adds and removes calendar
// sources (iCalendar feed URLs, uploaded .ics files, CalDAV accounts),
// syncs them in the background into cached busy time, and answers whose
// calendar says busy when — or that it cannot say (a failing or stale
// source makes availability unknown, never free).
package calendars

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"

	"interviewplanner/calendar"
	"interviewplanner/domain"
	"interviewplanner/queue"
	"interviewplanner/secretbox"
	"interviewplanner/store"
	"interviewplanner/store/calendarstore"
)

// Config builds a Service.
type Config struct {
	DB   *store.DB
	Keys *secretbox.Keyring
	Log  *slog.Logger
	// Timeout bounds one call to a calendar server (default 30s).
	Timeout time.Duration
	// AllowPrivate lets sources live on loopback and private addresses:
	// the demo's own calendars and tests' servers. Off in production.
	AllowPrivate bool
}

// Service manages calendar sources and their busy time.
type Service struct {
	Store *calendarstore.Store
	db    *store.DB
	keys  *secretbox.Keyring
	log   *slog.Logger
	http  *http.Client
	// Queue runs syncs in the background; nil syncs inline.
	Queue *queue.Queue

	cache     busyCache
	states    statesCache
	providers map[string]Provider
}

// Horizon is how far ahead busy time is read; Back is how far back.
const (
	Horizon = 90 * 24 * time.Hour
	Back    = 24 * time.Hour
)

// retryAfter is when a failing source is tried again.
const retryAfter = 5 * time.Minute

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Store: calendarstore.New(cfg.DB), db: cfg.DB, keys: cfg.Keys, log: cfg.Log,
		http: newHTTPClient(cfg.Timeout, cfg.AllowPrivate)}
}

// Close drops idle connections to calendar servers.
func (s *Service) Close() { s.http.CloseIdleConnections() }

func (s *Service) now() time.Time { return s.db.Now().UTC() }

// secret is what is sealed for a source.
type secret struct {
	URL      string `json:"url"`
	Password string `json:"password,omitempty"`
}

func secretAD(accountID int64) []byte {
	return fmt.Appendf(nil, "interviewplanner/calendar/%d", accountID)
}

func (s *Service) seal(accountID int64, sec secret) ([]byte, string, error) {
	if s.keys == nil {
		return nil, "", domain.Errorf(domain.EINVALID, "Calendar sources need IP_SECRET_KEY to store their addresses encrypted.")
	}
	b, _ := json.Marshal(sec)
	sealed, err := s.keys.Seal(b, secretAD(accountID))
	return []byte(sealed), s.keys.CurrentKeyID(), err
}

func (s *Service) open(accountID int64, sealed []byte) (secret, error) {
	var sec secret
	if s.keys == nil {
		return sec, errors.New("no secret key is configured")
	}
	b, err := s.keys.Open(string(sealed), secretAD(accountID))
	if err != nil {
		return sec, fmt.Errorf("the stored address could not be decrypted (was the secret key changed?)")
	}
	return sec, json.Unmarshal(b, &sec)
}

// Owner is whose calendar a source is: one interviewer or one room.
type Owner struct{ UserID, RoomID int64 }

// AddFeed adds an iCalendar feed URL (a calendar's "secret address") and
// reads it once, so a wrong address is reported at once.
func (s *Service) AddFeed(ctx context.Context, accountID int64, owner Owner, name, rawURL string) (*calendarstore.Source, error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "The feed address is not valid: %v.", err)
	}
	sealed, keyID, err := s.seal(accountID, secret{URL: u.String()})
	if err != nil {
		return nil, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = u.Host
	}
	id, err := s.Store.CreateSource(ctx, calendarstore.NewSource{AccountID: accountID, UserID: owner.UserID, RoomID: owner.RoomID,
		Kind: calendarstore.KindFeed, Name: name, DisplayURL: displayURL(u), KeyID: keyID, Sealed: sealed})
	if err != nil {
		return nil, err
	}
	return s.syncAndFind(ctx, accountID, id)
}

// AddUpload adds an uploaded .ics file; it must parse.
func (s *Service) AddUpload(ctx context.Context, accountID int64, owner Owner, name string, data []byte) (*calendarstore.Source, error) {
	if len(data) > calendar.MaxFeedBytes {
		return nil, domain.Errorf(domain.EINVALID, "The file is larger than %d MB.", calendar.MaxFeedBytes>>20)
	}
	if _, err := calendar.Decode(strings.NewReader(string(data))); err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "The file could not be read: %v.", err)
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "Uploaded calendar"
	}
	id, err := s.Store.CreateSource(ctx, calendarstore.NewSource{AccountID: accountID, UserID: owner.UserID, RoomID: owner.RoomID,
		Kind: calendarstore.KindUpload, Name: name, Upload: data, RefreshMinutes: 60})
	if err != nil {
		return nil, err
	}
	return s.syncAndFind(ctx, accountID, id)
}

// AddUploadUnread stores an uploaded calendar without reading it: the
// background reader reads it on its next sweep (one runs at start). Until
// then its owner's availability is unknown, never free. The demo seeds
// its calendars so, keeping their reading off the way to the first page.
func (s *Service) AddUploadUnread(ctx context.Context, accountID int64, owner Owner, name string, data []byte) (int64, error) {
	if len(data) > calendar.MaxFeedBytes {
		return 0, domain.Errorf(domain.EINVALID, "The file is larger than %d MB.", calendar.MaxFeedBytes>>20)
	}
	return s.Store.CreateSource(ctx, calendarstore.NewSource{AccountID: accountID, UserID: owner.UserID, RoomID: owner.RoomID,
		Kind: calendarstore.KindUpload, Name: cmp.Or(strings.TrimSpace(name), "Uploaded calendar"), Upload: data, RefreshMinutes: 60})
}

// AddCalDAV connects a CalDAV account: it discovers the calendars (all
// selected; the owner may untick some) before storing anything, so bad
// credentials are refused at once.
func (s *Service) AddCalDAV(ctx context.Context, accountID int64, owner Owner, name, serverURL, username, password string) (*calendarstore.Source, error) {
	u, err := checkURL(serverURL)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "The server address is not valid: %v.", err)
	}
	cals, err := s.discover(ctx, u.String(), username, password)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "The CalDAV account could not be read: %v.", err)
	}
	sealed, keyID, err := s.seal(accountID, secret{URL: u.String(), Password: password})
	if err != nil {
		return nil, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = u.Host
	}
	id, err := s.Store.CreateSource(ctx, calendarstore.NewSource{AccountID: accountID, UserID: owner.UserID, RoomID: owner.RoomID,
		Kind: calendarstore.KindCalDAV, Name: name, DisplayURL: u.String(), Username: username, KeyID: keyID, Sealed: sealed, Calendars: cals})
	if err != nil {
		return nil, err
	}
	return s.syncAndFind(ctx, accountID, id)
}

// SelectCalendars chooses which of a CalDAV account's calendars count as
// busy (by path) and syncs again.
func (s *Service) SelectCalendars(ctx context.Context, accountID, sourceID int64, paths []string) (*calendarstore.Source, error) {
	src, err := s.Store.GetSource(ctx, accountID, sourceID)
	if err != nil {
		return nil, err
	}
	if src.Kind != calendarstore.KindCalDAV {
		return nil, domain.Invalid(map[string]string{"selected": "Only a CalDAV account has calendars to choose from."})
	}
	want := map[string]bool{}
	for _, p := range paths {
		if !slices.ContainsFunc(src.Calendars, func(c calendarstore.CalDAVCalendar) bool { return c.Path == p }) {
			return nil, domain.Invalid(map[string]string{"selected": fmt.Sprintf("%q is not one of this account's calendars.", p)})
		}
		want[p] = true
	}
	cals := src.Calendars
	for i := range cals {
		// A new choice is read whole: tokens go, so the rows of calendars
		// no longer chosen go too.
		cals[i].Selected, cals[i].SyncToken = want[cals[i].Path], ""
	}
	if err := s.Store.UpdateSelectedCalendars(ctx, accountID, sourceID, cals); err != nil {
		return nil, err
	}
	return s.syncAndFind(ctx, accountID, sourceID)
}

// Delete removes a source and its busy time.
func (s *Service) Delete(ctx context.Context, accountID, sourceID int64) error {
	return s.Store.DeleteSource(ctx, accountID, sourceID)
}

// SyncNow queues a sync of the source (or runs it, without a queue).
func (s *Service) SyncNow(ctx context.Context, accountID, sourceID int64) error {
	if _, err := s.Store.GetSource(ctx, accountID, sourceID); err != nil {
		return err
	}
	if s.Queue != nil {
		return s.Queue.Insert(ctx, s.db, syncNowArgs{SyncArgs{AccountID: accountID, SourceID: sourceID}})
	}
	return s.Sync(ctx, accountID, sourceID)
}

func (s *Service) syncAndFind(ctx context.Context, accountID, id int64) (*calendarstore.Source, error) {
	if err := s.Sync(ctx, accountID, id); err != nil {
		return nil, err
	}
	return s.Store.GetSource(ctx, accountID, id)
}

// Sync reads one source and replaces its cached busy time, or records why
// it could not. The error is only for the database: a calendar that
// cannot be read is a state of the source, shown on the pages.
func (s *Service) Sync(ctx context.Context, accountID, sourceID int64) error {
	src, err := s.Store.GetSource(ctx, accountID, sourceID)
	if err != nil {
		return err
	}
	res, readErr := s.read(ctx, src)
	if readErr != nil {
		msg := readErr.Error()
		s.log.Warn("calendar source failed", "account_id", accountID, "source_id", sourceID, "kind", src.Kind, "error", msg)
		return s.Store.UpdateSyncFailure(ctx, accountID, sourceID, msg, s.now().Add(retryAfter))
	}
	return s.Store.UpdateSyncSuccess(ctx, accountID, sourceID, *res)
}

// read fetches and expands a source over [now-Back, now+Horizon).
func (s *Service) read(ctx context.Context, src *calendarstore.Source) (*calendarstore.Result, error) {
	now := s.now()
	from, to := now.Add(-Back).Truncate(time.Hour), now.Add(Horizon).Truncate(time.Hour)
	if p, ok := s.providers[src.Kind]; ok {
		// A provider reads its owner itself, when it needs to.
		return p.Read(ctx, src, from, to)
	}
	opt := calendar.Options{Zone: time.UTC, From: from, To: to}
	if src.UserID != 0 {
		u, err := s.db.GetUser(ctx, src.AccountID, src.UserID)
		if err != nil {
			return nil, err
		}
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			opt.Zone = loc
		}
		opt.Emails = []string{u.Email}
	}
	sec, err := s.Store.GetSecret(ctx, src.AccountID, src.ID)
	if err != nil {
		return nil, err
	}
	// Busy time is expanded over a window that moves with the clock: once
	// the cached window runs short, the source is read whole again.
	whole := src.SyncedTo == nil || src.SyncedTo.Before(to.Add(-7*24*time.Hour))
	var objs []calObject
	switch src.Kind {
	case calendarstore.KindUpload:
		cal, err := calendar.Decode(strings.NewReader(string(sec.Upload)))
		if err != nil {
			return nil, err
		}
		objs = []calObject{{cal: cal}}
	case calendarstore.KindFeed:
		plain, err := s.open(src.AccountID, sec.Sealed)
		if err != nil {
			return nil, err
		}
		etag, lm := src.ETag, src.LastModified
		if whole {
			etag, lm = "", ""
		}
		resp, err := fetchFeed(ctx, s.http, plain.URL, etag, lm)
		if err != nil {
			return nil, err
		}
		if resp.notModified {
			return &calendarstore.Result{NotModified: true}, nil
		}
		cal, err := calendar.Decode(strings.NewReader(string(resp.body)))
		if err != nil {
			return nil, err
		}
		res, err := expand([]calObject{{cal: cal}}, roomZone(src, opt, cal))
		if err != nil {
			return nil, err
		}
		res.From, res.To, res.ETag, res.LastModified = from, to, resp.etag, resp.lastModified
		return res, nil
	case calendarstore.KindCalDAV:
		plain, err := s.open(src.AccountID, sec.Sealed)
		if err != nil {
			return nil, err
		}
		rd, err := s.readCalDAV(ctx, plain.URL, src.Username, plain.Password, src.Calendars, from, to, whole)
		if err != nil {
			return nil, err
		}
		res, err := expand(rd.objects, opt)
		if err != nil {
			return nil, err
		}
		res.From, res.To, res.Calendars = from, to, rd.calendars
		if rd.delta {
			res.Delta = true
			for _, o := range rd.objects {
				res.Replace = append(res.Replace, o.href)
			}
			res.Replace = append(res.Replace, rd.removed...)
			if len(rd.reread) > 0 {
				// What was stored from a calendar read whole again goes,
				// including objects deleted while its token was refused.
				hrefs, err := s.Store.ListSourceHrefs(ctx, src.AccountID, src.ID)
				if err != nil {
					return nil, err
				}
				for _, h := range hrefs {
					if slices.ContainsFunc(rd.reread, func(p string) bool { return strings.HasPrefix(h, p) }) {
						res.Replace = append(res.Replace, h)
					}
				}
			}
		}
		return res, nil
	default:
		return nil, fmt.Errorf("unknown source kind %q", src.Kind)
	}
	res, err := expand(objs, roomZone(src, opt, objs[0].cal))
	if err != nil {
		return nil, err
	}
	res.From, res.To = from, to
	return res, nil
}

// expand turns calendar objects into busy rows over opt's window, each
// marked with the object it came from.
func expand(objs []calObject, opt calendar.Options) (*calendarstore.Result, error) {
	res := &calendarstore.Result{}
	uids := map[string]bool{}
	for _, o := range objs {
		blocks, err := calendar.BusyBlocks([]*ical.Calendar{o.cal}, opt)
		if err != nil {
			return nil, fmt.Errorf("the calendar could not be read: %w", err)
		}
		for _, b := range blocks {
			uids[b.UID] = true
			res.Busy = append(res.Busy, calendarstore.Busy{Start: b.Start, End: b.End, Kind: string(b.Kind), Title: b.Title, Private: b.Private, AllDay: b.AllDay, Href: o.href})
		}
	}
	res.EventCount = len(uids)
	return res, nil
}

// roomZone: a room has no zone of its own, so its all-day and floating
// events are placed in the zone its calendar names (X-WR-TIMEZONE), else
// in UTC. People's calendars keep their owner's zone.
func roomZone(src *calendarstore.Source, opt calendar.Options, cal *ical.Calendar) calendar.Options {
	if src.RoomID == 0 || cal == nil {
		return opt
	}
	if p := cal.Props.Get("X-WR-TIMEZONE"); p != nil {
		if loc, err := time.LoadLocation(strings.TrimSpace(p.Value)); err == nil {
			opt.Zone = loc
		}
	}
	return opt
}
