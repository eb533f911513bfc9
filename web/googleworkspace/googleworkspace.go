// Package googleworkspace serves Integrations → Calendars → Google
// Workspace: connect the company's Workspace (OAuth as an admin, or a
// service account key with domain-wide delegation, with the client id and
// scopes to paste), its status and directory (users matched to
// interviewers, rooms, who was removed), refresh and disconnect, and the
// admins' banner while it needs reconnecting.
package googleworkspace

import (
	"context"
	"embed"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"interviewplanner/domain"
	"interviewplanner/googleconnect"
	"interviewplanner/store/googlestore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templates embed.FS

// Path is the page's address.
const Path = "/integrations/google"

// Feature is the Google Workspace part of the web app.
type Feature struct {
	Service *googleconnect.Service
	// EmulatorURL, in the demo, links to the built-in Google emulator.
	EmulatorURL string

	s *web.Server
}

// Setup adds the templates and the banner; web/routes mounts the handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templates)
	s.AddBanner(f.banner)
	s.AddHomeNotice(f.pausedNotice)
}

// Name, Link and Status make the page one of the company-wide calendar
// connections listed on Integrations → Calendars.
func (f *Feature) Name() string { return "Google Workspace" }

// Link is the page's address.
func (f *Feature) Link() string { return Path }

// Status says in a few words where the connection stands.
func (f *Feature) Status(ctx context.Context, accountID int64) string {
	c, err := f.Service.Connection(ctx, accountID)
	switch {
	case err != nil:
		return "Status unavailable"
	case c == nil || c.State == googlestore.StateDisconnected:
		return "Not connected"
	case c.State == googlestore.StateNeedsReconnecting:
		return "Needs reconnecting"
	case c.Delegated():
		return "Connected (" + c.Domain + ", domain-wide delegation)"
	default:
		return "Connected (" + c.Domain + ", free/busy)"
	}
}

func (f *Feature) banner(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() || !f.Service.NeedsReconnecting(r.Context(), u.AccountID) {
		return nil
	}
	return []web.Banner{{Kind: "error", Message: "Google Workspace needs reconnecting: Google stopped accepting InterviewPlanner's access, so interviewers' Google calendars cannot be read (they show as unknown).",
		Link: Path, LinkText: "Reconnect Google Workspace"}}
}

type pageData struct {
	Conn        *googlestore.Connection
	Users       []googlestore.Entry
	Rooms       []googlestore.Entry
	Removed     []googlestore.Entry
	Scopes      []string
	ScopesCSV   string
	CanEdit     bool
	OAuth       bool
	Failure     *googleconnect.ConnectError
	AdminEmail  string
	EmulatorURL string
	// The scheduling calendar picker (admins, when connected).
	Calendars      []googleconnect.CalendarChoice
	CalendarsError string
	// Scheduling names the chosen scheduling calendar.
	Scheduling string
	// PausedUntil: Google refused writes (quotaExceeded) until then.
	PausedUntil *time.Time
}

func (f *Feature) render(w http.ResponseWriter, r *http.Request, status int, failure error, adminEmail string) {
	me := web.UserFrom(r.Context())
	c, err := f.Service.Connection(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	d := pageData{Conn: c, Scopes: googleconnect.Scopes, ScopesCSV: strings.Join(googleconnect.Scopes, ","), CanEdit: me.IsAdmin(),
		OAuth: f.Service.OAuthConfigured(), AdminEmail: adminEmail, EmulatorURL: f.EmulatorURL}
	if adminEmail == "" {
		d.AdminEmail = me.Email
	}
	if c != nil && c.State == googlestore.StateConnected {
		d.Scheduling = c.SchedulingCalendar
		if p := c.WritesPausedUntil; p != nil && p.After(time.Now()) {
			d.PausedUntil = p
		}
		if me.IsAdmin() {
			cals, err := f.Service.WritableCalendars(r.Context(), me.AccountID)
			if err != nil {
				d.CalendarsError = "Google did not list the calendars just now: " + domain.ErrorMessage(err)
			}
			d.Calendars = cals
			for _, cal := range cals {
				if cal.ID == c.SchedulingCalendar {
					d.Scheduling = cal.Summary + " (" + cal.ID + ")"
				}
			}
		}
	}
	if c != nil {
		dir, err := f.Service.Store().ListDirectory(r.Context(), me.AccountID)
		if err != nil {
			f.s.Error(w, r, err)
			return
		}
		for _, e := range dir {
			switch {
			case e.RemovedAt != nil:
				d.Removed = append(d.Removed, e)
			case e.Kind == googlestore.EntryRoom:
				d.Rooms = append(d.Rooms, e)
			default:
				d.Users = append(d.Users, e)
			}
		}
	}
	page := web.Page{Title: "Google Workspace", Active: "/integrations", Data: &d}
	var ce *googleconnect.ConnectError
	if errors.As(failure, &ce) {
		d.Failure = ce
	} else if failure != nil {
		f.s.Error(w, r, failure)
		return
	}
	f.s.Render(w, r, status, "google_workspace", page)
}

// GoogleShow: GET /integrations/google.
func (f *Feature) GoogleShow(w http.ResponseWriter, r *http.Request) {
	f.render(w, r, http.StatusOK, nil, "")
}

// GoogleConnect: POST /integrations/google/connect — off to Google's consent.
func (f *Feature) GoogleConnect(w http.ResponseWriter, r *http.Request) {
	f.s.RedirectToConsent(w, r, f.Service)
}

// GoogleCallback: GET /integrations/google/callback — back from Google.
func (f *Feature) GoogleCallback(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	c, err := f.Service.FinishConnect(r.Context(), me, web.SessionHash(r.Context()), r.URL.Query())
	if err != nil {
		f.render(w, r, http.StatusBadRequest, err, "")
		return
	}
	f.s.RedirectWithFlash(w, r, Path, "Google Workspace connected as "+c.AdminEmail+": "+plural(c.MatchedCount, "interviewer")+" matched.")
}

// GoogleServiceAccountUpload: POST /integrations/google/service-account — a key
// file upload.
func (f *Feature) GoogleServiceAccountUpload(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseMultipartForm(64 << 10); err != nil {
		f.render(w, r, http.StatusBadRequest, &googleconnect.ConnectError{Kind: googleconnect.KindKeyFile,
			Message: "The key file could not be read (larger than 64 KB, or not sent as a file). Nothing was stored."}, "")
		return
	}
	defer r.MultipartForm.RemoveAll()
	admin := r.FormValue("admin_email")
	var key []byte
	if file, _, err := r.FormFile("key"); err == nil {
		key, _ = io.ReadAll(io.LimitReader(file, 64<<10))
		file.Close()
	}
	c, err := f.Service.ConnectServiceAccount(r.Context(), me, key, admin)
	if err != nil {
		f.render(w, r, http.StatusBadRequest, err, admin)
		return
	}
	f.s.RedirectWithFlash(w, r, Path, "Google Workspace connected with domain-wide delegation: "+plural(c.MatchedCount, "interviewer")+" matched.")
}

// GoogleSchedulingCalendar: POST /integrations/google/scheduling-calendar —
// choose the calendar that organizes every interview ("" stops writing
// events).
func (f *Feature) GoogleSchedulingCalendar(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	id := strings.TrimSpace(r.PostFormValue("calendar"))
	if err := f.Service.SetSchedulingCalendar(r.Context(), me, id); err != nil {
		f.s.Error(w, r, err)
		return
	}
	if id == "" {
		f.s.Flash(w, "No scheduling calendar: interviews are no longer written to Google Calendar; InterviewPlanner emails the invitations.")
	} else {
		f.s.Flash(w, "Scheduling calendar saved: new and changed interviews are written to "+id+", and Google sends the invitations.")
	}
	http.Redirect(w, r, Path, http.StatusSeeOther)
}

// GoogleInvite: POST /integrations/google/invite — invite a Workspace user
// who is not in InterviewPlanner yet as an interviewer. Only addresses of
// the directory (listed, not suspended, not yet users) are accepted.
func (f *Feature) GoogleInvite(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	dir, err := f.Service.Store().ListDirectory(r.Context(), me.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	found := false
	for _, e := range dir {
		found = found || (e.Kind == googlestore.EntryUser && strings.EqualFold(e.Email, email) && e.UserID == 0 && e.RemovedAt == nil && !e.Suspended)
	}
	if !found {
		f.s.Error(w, r, domain.Errorf(domain.EINVALID, "%s is not a Workspace user waiting to be invited (not in the directory, suspended, removed, or already in InterviewPlanner). Nothing was sent.", email))
		return
	}
	link, emailed, err := f.s.Invite(r.Context(), me, email, domain.RoleInterviewer)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	msg := "Invitation emailed to " + email + " (as an interviewer)."
	if !emailed {
		msg = "Invitation created. Email is not set up, so send this link to " + email + " yourself: " + link
	}
	f.s.RedirectWithFlash(w, r, Path, msg)
}

// pausedNotice tells admins, on their home page, that Google paused the
// interview events.
func (f *Feature) pausedNotice(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() {
		return nil
	}
	c, err := f.Service.Connection(r.Context(), u.AccountID)
	if err != nil || c == nil || c.WritesPausedUntil == nil || !c.WritesPausedUntil.After(time.Now()) {
		return nil
	}
	return []web.Banner{{Kind: "warning", Message: "Google paused writes to the scheduling calendar (its usage limits were reached): interview events wait and are written from " +
		web.DateIn(*c.WritesPausedUntil, u.TimeZone) + ". Nothing is lost.", Link: Path, LinkText: "Google Workspace"}}
}

// GoogleDirectoryRefresh: POST /integrations/google/refresh — read the directory now.
func (f *Feature) GoogleDirectoryRefresh(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	if err := f.Service.Sync(r.Context(), me.AccountID); err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, Path, "Google Workspace directory read again.")
}

// GoogleDisconnect: POST /integrations/google/disconnect.
func (f *Feature) GoogleDisconnect(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	revoked, err := f.Service.Disconnect(r.Context(), me)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	msg := "Google Workspace disconnected; interviewers' Google calendars are no longer read."
	if revoked {
		msg += " Google confirmed the access was revoked."
	} else {
		msg += " For a service account, also remove its client ID from Domain-wide delegation in the Google Admin console."
	}
	f.s.RedirectWithFlash(w, r, Path, msg)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// GooglePush: POST /integrations/google/push — Google's push notifications
// (no session: the channel's token authenticates). 200 when taken, 404 for
// an unknown or expired channel and 403 for a forged one (Google drops
// both), 500 when the sync could not be queued (Google retries).
func (f *Feature) GooglePush(w http.ResponseWriter, r *http.Request) {
	err := f.Service.HandlePush(r.Context(), r.Header)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusOK)
	case domain.IsCode(err, domain.ENOTFOUND):
		http.Error(w, "unknown channel", http.StatusNotFound)
	case domain.IsCode(err, domain.EFORBIDDEN), domain.IsCode(err, domain.EINVALID):
		http.Error(w, "refused", http.StatusForbidden)
	default:
		f.s.Log.Error("google push not handled", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
	}
}
