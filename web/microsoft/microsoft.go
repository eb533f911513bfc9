// Package microsoft serves Integrations → Calendars → Microsoft 365: what
// the connection is for and which permissions it asks, "Connect your
// Microsoft 365" (admins), the admin consent callback, Check again, the
// scheduling mailbox, directory refresh and disconnect, and a banner while
// the connection needs reconnecting.
//
// Register BASE_URL/integrations/microsoft/callback as the app's redirect URI.
package microsoft

import (
	"context"
	"embed"
	"io"
	"net/http"

	"interviewplanner/domain"
	"interviewplanner/msconnect"
	"interviewplanner/store/msstore"
	"interviewplanner/web"
)

//go:embed templates/*.html
var templates embed.FS

// Feature is the Microsoft 365 part of the web app.
type Feature struct {
	// Service is nil when no Microsoft app is configured.
	Service *msconnect.Service
	// EmulatorURL (demo) links to the built-in Microsoft 365 emulator.
	EmulatorURL string
	RedirectURL string

	s *web.Server
}

// Setup adds the templates and the banner; web/routes mounts the handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templates)
	if f.Service != nil {
		s.AddBanner(f.banner)
	}
}

// Configured reports whether a Microsoft app is configured; without one
// only the page explaining how is served.
func (f *Feature) Configured() bool { return f.Service != nil }

func (f *Feature) banner(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() {
		return nil
	}
	c, err := f.Service.Connection(r.Context(), u.AccountID)
	if err != nil || c == nil || c.State != msstore.StateNeedsReconnecting {
		return nil
	}
	return []web.Banner{{Kind: "error", Message: "Microsoft 365 needs reconnecting: " + c.Error + " Meanwhile its interviewers' calendars are unknown.",
		Link: "/integrations/microsoft", LinkText: "Reconnect Microsoft 365"}}
}

type pageData struct {
	Configured  bool
	Conn        *msstore.Connection
	Directory   *msstore.Directory
	Matched     int
	Permissions []msconnect.Permission
	RedirectURL string
	EmulatorURL string
	Message     string
}

func (f *Feature) render(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	u := web.UserFrom(r.Context())
	d := pageData{Configured: f.Service != nil, Permissions: msconnect.Permissions, RedirectURL: f.RedirectURL, EmulatorURL: f.EmulatorURL, Message: msg}
	if f.Service != nil {
		c, err := f.Service.Connection(r.Context(), u.AccountID)
		if err != nil {
			f.s.Error(w, r, err)
			return
		}
		d.Conn = c
		if c != nil {
			if d.Directory, err = f.Service.Store.GetDirectory(r.Context(), u.AccountID); err != nil {
				f.s.Error(w, r, err)
				return
			}
			for _, du := range d.Directory.Users {
				if du.UserID != 0 {
					d.Matched++
				}
			}
		}
	}
	f.s.Render(w, r, status, "integrations_microsoft", web.Page{Title: "Microsoft 365", Error: errMsg, Data: d})
}

// MicrosoftShow: GET /integrations/microsoft.
func (f *Feature) MicrosoftShow(w http.ResponseWriter, r *http.Request) {
	f.render(w, r, http.StatusOK, "", "")
}

// MicrosoftConnect: POST /integrations/microsoft/connect — off to the
// tenant's admin consent.
func (f *Feature) MicrosoftConnect(w http.ResponseWriter, r *http.Request) {
	f.s.RedirectToConsent(w, r, f.Service)
}

// MicrosoftCallback: GET /integrations/microsoft/callback — Microsoft's
// answer to the admin consent.
func (f *Feature) MicrosoftCallback(w http.ResponseWriter, r *http.Request) {
	c, err := f.Service.FinishConnect(r.Context(), web.UserFrom(r.Context()), web.SessionHash(r.Context()), r.URL.Query())
	if err != nil {
		f.render(w, r, http.StatusBadRequest, "", err.Error())
		return
	}
	if c.State == msstore.StateConnected {
		http.Redirect(w, r, "/integrations/microsoft?connected=1", http.StatusSeeOther)
		return
	}
	f.render(w, r, http.StatusOK, "", c.Error)
}

func (f *Feature) MicrosoftCheck(w http.ResponseWriter, r *http.Request) {
	c, err := f.Service.Verify(r.Context(), web.UserFrom(r.Context()).AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	if c.State != msstore.StateConnected {
		f.render(w, r, http.StatusOK, "", c.Error)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft?connected=1", http.StatusSeeOther)
}

func (f *Feature) MicrosoftMailboxUpdate(w http.ResponseWriter, r *http.Request) {
	if err := f.Service.SetSchedulingMailbox(r.Context(), web.UserFrom(r.Context()), r.FormValue("mailbox")); err != nil {
		f.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}

func (f *Feature) MicrosoftDirectoryRefresh(w http.ResponseWriter, r *http.Request) {
	if err := f.Service.RefreshDirectory(r.Context(), web.UserFrom(r.Context()).AccountID, false); err != nil {
		f.render(w, r, http.StatusBadGateway, "", "The directory could not be read: "+err.Error())
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}

func (f *Feature) MicrosoftDisconnect(w http.ResponseWriter, r *http.Request) {
	if err := f.Service.Disconnect(r.Context(), web.UserFrom(r.Context())); err != nil {
		f.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}

// maxValidationToken bounds the token echoed back (Graph's are short).
const maxValidationToken = 4096

// MicrosoftNotify: POST /integrations/microsoft/notify and /lifecycle —
// Graph's change and lifecycle notifications. With ?validationToken=… it is
// Graph's handshake: the decoded token comes back as text/plain, nothing
// else, escaped nowhere. Otherwise the items are checked (subscription,
// clientState) and their work queued: 202 at once.
func (f *Feature) MicrosoftNotify(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Has("validationToken") {
		tok := q.Get("validationToken")
		if tok == "" || len(tok) > maxValidationToken {
			http.Error(w, "bad validation token", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, tok)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil || len(body) > 1<<20 {
		http.Error(w, "notification too large", http.StatusRequestEntityTooLarge)
		return
	}
	if _, err := f.Service.HandleNotifications(r.Context(), body); err != nil {
		if domain.IsCode(err, domain.EINVALID) {
			f.s.Error(w, r, err)
			return
		}
		// Graph retries on 5xx.
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// Name, Link and Status make the page one of the company-wide calendar
// connections listed on Integrations → Calendars.
func (f *Feature) Name() string { return "Microsoft 365" }

// Link is the page's address.
func (f *Feature) Link() string { return "/integrations/microsoft" }

// Status says in a few words where the connection stands.
func (f *Feature) Status(ctx context.Context, accountID int64) string {
	if f.Service == nil {
		return "Not configured on this server"
	}
	c, err := f.Service.Connection(ctx, accountID)
	switch {
	case err != nil:
		return "Status unavailable"
	case c == nil:
		return "Not connected"
	case c.State == msstore.StateNeedsReconnecting:
		return "Needs reconnecting"
	case c.State == msstore.StatePending:
		return "Waiting for Microsoft to apply the consent"
	}
	return "Connected"
}
