// Package microsoft serves Integrations → Calendars → Microsoft 365: what
// the connection is for and which permissions it asks, "Connect your
// Microsoft 365" (admins), the admin consent callback, Check again, the
// scheduling mailbox, directory refresh and disconnect, and a banner while
// the connection needs reconnecting.
//
// Register BASE_URL/integrations/microsoft/callback as the app's redirect URI.
package microsoft

import (
	"embed"
	"io/fs"
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
}

type handlers struct {
	s *web.Server
	f *Feature
}

// Register adds the routes and the banner.
func (f *Feature) Register(s *web.Server, mux *http.ServeMux) {
	h := &handlers{s: s, f: f}
	sub, _ := fs.Sub(templates, "templates")
	s.AddTemplates(sub)
	mux.HandleFunc("GET /integrations/microsoft", s.RequireScheduler(h.microsoftShow))
	if f.Service == nil {
		return
	}
	mux.HandleFunc("POST /integrations/microsoft/connect", s.RequireAdmin(h.microsoftConnect))
	mux.HandleFunc("GET "+msconnect.CallbackPath, s.RequireAdmin(h.microsoftCallback))
	mux.HandleFunc("POST /integrations/microsoft/check", s.RequireAdmin(h.microsoftCheck))
	mux.HandleFunc("POST /integrations/microsoft/mailbox", s.RequireAdmin(h.microsoftMailbox))
	mux.HandleFunc("POST /integrations/microsoft/refresh", s.RequireAdmin(h.microsoftRefresh))
	mux.HandleFunc("POST /integrations/microsoft/disconnect", s.RequireAdmin(h.microsoftDisconnect))
	s.AddBanner(h.banner)
}

func (h *handlers) banner(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() {
		return nil
	}
	c, err := h.f.Service.Connection(r.Context(), u.AccountID)
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

func (h *handlers) render(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	u := web.UserFrom(r.Context())
	d := pageData{Configured: h.f.Service != nil, Permissions: msconnect.Permissions, RedirectURL: h.f.RedirectURL, EmulatorURL: h.f.EmulatorURL, Message: msg}
	if h.f.Service != nil {
		c, err := h.f.Service.Connection(r.Context(), u.AccountID)
		if err != nil {
			h.s.Error(w, r, err)
			return
		}
		d.Conn = c
		if c != nil {
			if d.Directory, err = h.f.Service.Store.GetDirectory(r.Context(), u.AccountID); err != nil {
				h.s.Error(w, r, err)
				return
			}
			for _, du := range d.Directory.Users {
				if du.UserID != 0 {
					d.Matched++
				}
			}
		}
	}
	h.s.Render(w, r, status, "integrations_microsoft", web.Page{Title: "Microsoft 365", Error: errMsg, Data: d})
}

// microsoftShow: GET /integrations/microsoft.
func (h *handlers) microsoftShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "", "")
}

// microsoftConnect: POST /integrations/microsoft/connect — off to the
// tenant's admin consent.
func (h *handlers) microsoftConnect(w http.ResponseWriter, r *http.Request) {
	target, err := h.f.Service.StartConnect(r.Context(), web.UserFrom(r.Context()), web.SessionHash(r.Context()))
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// microsoftCallback: GET /integrations/microsoft/callback — Microsoft's
// answer to the admin consent.
func (h *handlers) microsoftCallback(w http.ResponseWriter, r *http.Request) {
	c, err := h.f.Service.FinishConnect(r.Context(), web.UserFrom(r.Context()), web.SessionHash(r.Context()), r.URL.Query())
	if err != nil {
		h.render(w, r, http.StatusBadRequest, "", err.Error())
		return
	}
	if c.State == msstore.StateConnected {
		http.Redirect(w, r, "/integrations/microsoft?connected=1", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "", c.Error)
}

func (h *handlers) microsoftCheck(w http.ResponseWriter, r *http.Request) {
	c, err := h.f.Service.Verify(r.Context(), web.UserFrom(r.Context()).AccountID)
	if err != nil {
		h.s.Error(w, r, err)
		return
	}
	if c.State != msstore.StateConnected {
		h.render(w, r, http.StatusOK, "", c.Error)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft?connected=1", http.StatusSeeOther)
}

func (h *handlers) microsoftMailbox(w http.ResponseWriter, r *http.Request) {
	if err := h.f.Service.SetSchedulingMailbox(r.Context(), web.UserFrom(r.Context()), r.FormValue("mailbox")); err != nil {
		h.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}

func (h *handlers) microsoftRefresh(w http.ResponseWriter, r *http.Request) {
	if err := h.f.Service.RefreshDirectory(r.Context(), web.UserFrom(r.Context()).AccountID, false); err != nil {
		h.render(w, r, http.StatusBadGateway, "", "The directory could not be read: "+err.Error())
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}

func (h *handlers) microsoftDisconnect(w http.ResponseWriter, r *http.Request) {
	if err := h.f.Service.Disconnect(r.Context(), web.UserFrom(r.Context())); err != nil {
		h.s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/integrations/microsoft", http.StatusSeeOther)
}
