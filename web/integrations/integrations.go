// Package integrations serves the Integrations page: the "Video
// conferencing" section with Zoom (connect, status, test, refresh,
// disconnect), the Zoom callback and deauthorization endpoints, the Zoom
// FAQ, the "Zoom needs reconnecting" banner and the JSON status API.
//
// Zoom app settings: Redirect URL BASE_URL/integrations/zoom/callback;
// Deauthorization Notification Endpoint URL BASE_URL/integrations/zoom/deauthorize;
// install (Marketplace) URL BASE_URL/integrations/zoom/install.
package integrations

import (
	"embed"
	"errors"
	"io"
	"net/http"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store/zoomstore"
	"interviewplanner/web"
	"interviewplanner/zoom"
	service "interviewplanner/zoomconnect"
)

//go:embed templates/*.html
var templates embed.FS

// Feature is the Integrations part of the web app.
type Feature struct {
	// Service is nil on a server without Zoom settings: the page then
	// explains how to configure Zoom.
	Service *service.Service
	// MarketplaceURL, when set (demo mode), links to the emulated Zoom
	// Marketplace so visitors can pre-approve or uninstall the app.
	MarketplaceURL string
	// RedirectURL is the OAuth redirect URL registered with Zoom.
	RedirectURL string

	s *web.Server
}

// Setup adds the templates, the navigation entry and the banner;
// web/routes mounts the handlers.
func (f *Feature) Setup(s *web.Server) {
	f.s = s
	s.AddTemplates(templates)
	s.AddNav(web.NavItem{Label: "Integrations", Path: "/integrations", Order: 70})
	if f.Service != nil {
		s.AddBanner(f.banner)
	}
}

// Configured reports whether the server has Zoom settings; without them
// only the page that explains how to configure Zoom is served.
func (f *Feature) Configured() bool { return f.Service != nil }

// banner tells admins on every page that Zoom needs reconnecting.
func (f *Feature) banner(r *http.Request, u *domain.User) []web.Banner {
	if !u.IsAdmin() || !f.Service.NeedsReconnecting(r.Context(), u.AccountID) {
		return nil
	}
	return []web.Banner{{Kind: "error", Message: "Zoom needs reconnecting: Zoom stopped accepting InterviewPlanner's access, so meetings cannot be created.",
		Link: "/integrations?edit=1", LinkText: "Reconnect Zoom"}}
}

type pageData struct {
	Edit           bool
	State          string
	Conn           *zoomstore.Connection
	Directory      service.Directory
	Admins         []string // who can connect, for non-admins
	Unconfigured   bool
	Scopes         []zoom.Scope
	MarketplaceURL string
	DeauthURL      string
	RedirectURL    string
	InstallURL     string
}

func (f *Feature) render(w http.ResponseWriter, r *http.Request, edit bool, errMsg string) {
	u := web.UserFrom(r.Context())
	c, err := f.Service.Connection(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	d := pageData{Edit: edit && u.IsAdmin(), State: zoomstore.StateDisconnected, Conn: c, MarketplaceURL: f.MarketplaceURL,
		DeauthURL: f.s.BaseURL + service.DeauthorizePath, RedirectURL: f.RedirectURL,
		InstallURL: f.s.BaseURL + "/integrations/zoom/install"}
	if c != nil {
		d.State = c.State
	}
	if d.State == zoomstore.StateConnected {
		if d.Directory, err = f.Service.Directory(r.Context(), u.AccountID); err != nil {
			f.s.Error(w, r, err)
			return
		}
	}
	if d.Admins, err = f.adminNames(r, u); err != nil {
		f.s.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusBadGateway
	}
	f.s.Render(w, r, status, "integrations", web.Page{Title: "Integrations", Error: errMsg, Data: d})
}

// adminNames names the account's admins for a user who is not one, so
// they know whom to ask.
func (f *Feature) adminNames(r *http.Request, u *domain.User) ([]string, error) {
	if u.IsAdmin() {
		return nil, nil
	}
	return f.s.DB.ListAdminNames(r.Context(), u.AccountID)
}

// ZoomUnconfiguredShow is the page on a server without Zoom settings: how to
// configure Zoom (admins) or whom to ask (everyone else).
func (f *Feature) ZoomUnconfiguredShow(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	admins, err := f.adminNames(r, u)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	d := pageData{Unconfigured: true, State: zoomstore.StateDisconnected, Admins: admins, Scopes: zoom.RequiredScopes,
		DeauthURL: f.s.BaseURL + service.DeauthorizePath, RedirectURL: f.s.BaseURL + service.CallbackPath,
		InstallURL: f.s.BaseURL + "/integrations/zoom/install"}
	f.s.Render(w, r, http.StatusOK, "integrations", web.Page{Title: "Integrations", Data: d})
}

// IntegrationsShow is GET /integrations (?edit=1 opens the edit mode for admins).
func (f *Feature) IntegrationsShow(w http.ResponseWriter, r *http.Request) {
	f.render(w, r, r.URL.Query().Get("edit") == "1", "")
}

// VideoEdit is GET /integrations/video/edit.
func (f *Feature) VideoEdit(w http.ResponseWriter, r *http.Request) { f.render(w, r, true, "") }

func (f *Feature) ZoomFAQ(w http.ResponseWriter, r *http.Request) {
	f.s.Render(w, r, http.StatusOK, "integrations_zoom_faq", web.Page{Title: "Zoom FAQ", Data: map[string]any{
		"Permissions": service.RequiredPermissions, "RoleName": service.SuggestedRoleName, "RoleDescription": service.SuggestedRoleDescription}})
}

// ZoomConnect shows, before anything leaves for Zoom, what Zoom will ask and
// who may approve it.
func (f *Feature) ZoomConnect(w http.ResponseWriter, r *http.Request) {
	f.s.Render(w, r, http.StatusOK, "integrations_zoom_connect", web.Page{Title: "Connect Zoom", Data: map[string]any{
		"Permissions": service.RequiredPermissions}})
}

// ZoomAuthorize creates the state and sends the browser to Zoom.
func (f *Feature) ZoomAuthorize(w http.ResponseWriter, r *http.Request) {
	f.s.RedirectToConsent(w, r, f.Service)
}

type resultData struct {
	Kind            string
	Message         string
	Hint            string
	Missing         []service.Permission
	AllPermissions  []service.Permission
	RoleName        string
	RoleDescription string
	ZoomEmail       string
	ZoomRole        string
	InviteEmail     string
	InviteLink      string
}

func newResult(kind string) resultData {
	return resultData{Kind: kind, AllPermissions: service.RequiredPermissions, RoleName: service.SuggestedRoleName,
		RoleDescription: service.SuggestedRoleDescription}
}

// ZoomCallback is where Zoom sends the browser back.
func (f *Feature) ZoomCallback(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	c, err := f.Service.FinishConnect(r.Context(), u, web.SessionHash(r.Context()), r.URL.Query())
	var ce *service.ConnectError
	if errors.As(err, &ce) {
		d := newResult(ce.Kind)
		d.Message, d.Missing, d.ZoomEmail, d.ZoomRole = ce.Message, ce.Missing, ce.ZoomEmail, ce.ZoomRole
		title, status := "Zoom was not connected", http.StatusBadRequest
		switch ce.Kind {
		case service.KindMissingPermissions:
			title, status = "You cannot authorize the app", http.StatusForbidden
		case service.KindDeclined:
			title, status = "Zoom was not connected", http.StatusOK
		case service.KindZoomUnavailable:
			status = http.StatusBadGateway
		case service.KindZoomAccountTaken:
			status = http.StatusConflict
		}
		if len(ce.Scopes) > 0 && ce.Kind == service.KindMissingPermissions && len(ce.Missing) == 0 {
			d.Kind, d.Message = "scopes", "Zoom did not grant the app every scope it needs. A Zoom admin must check the app's scopes and authorize again."
		}
		f.s.Render(w, r, status, "integrations_zoom_result", web.Page{Title: title, Data: d})
		return
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, "/integrations?edit=1", "Zoom is connected: Zoom account "+c.ZoomAccountID+", authorized by "+c.ZoomUserEmail+".")
}

func (f *Feature) ZoomConnectionTest(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	res, err := f.Service.TestConnection(r.Context(), u.AccountID)
	if err != nil {
		f.render(w, r, true, "Test failed: "+domain.ErrorMessage(err))
		return
	}
	f.s.RedirectWithFlash(w, r, "/integrations?edit=1", "The connection works: Zoom answered as "+res.Email+" ("+res.Role+").")
}

func (f *Feature) ZoomDirectoryRefresh(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	if err := f.Service.Sync(r.Context(), u.AccountID); err != nil {
		f.render(w, r, true, "Refreshing users and rooms failed: "+domain.ErrorMessage(err))
		return
	}
	f.s.RedirectWithFlash(w, r, "/integrations?edit=1", "Zoom users and Zoom Rooms refreshed.")
}

func (f *Feature) ZoomDisconnect(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	revoked, err := f.Service.Disconnect(r.Context(), u)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	msg := "Zoom is disconnected and InterviewPlanner's access was revoked at Zoom."
	if !revoked {
		msg = "Zoom is disconnected: the stored access is deleted."
	}
	f.s.RedirectWithFlash(w, r, "/integrations?edit=1", msg)
}

// ZoomAdminInvite invites the Zoom admin (way forward 2) as an InterviewPlanner admin.
func (f *Feature) ZoomAdminInvite(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	email := r.PostForm.Get("email")
	link, emailed, err := f.s.Invite(r.Context(), u, email, domain.RoleAdmin)
	d := newResult(service.KindMissingPermissions)
	d.InviteEmail = email
	if err != nil {
		f.s.Render(w, r, http.StatusUnprocessableEntity, "integrations_zoom_result", web.Page{Title: "You cannot authorize the app", Error: domain.ErrorMessage(err), Fields: domain.ErrorFields(err), Data: d})
		return
	}
	if emailed {
		f.s.RedirectWithFlash(w, r, "/integrations", "Invitation sent to "+email+". Once they sign in as an admin, they can connect Zoom.")
		return
	}
	d.InviteLink = link
	f.s.Render(w, r, http.StatusOK, "integrations_zoom_result", web.Page{Title: "You cannot authorize the app",
		Flash: "Invitation created for " + email + ". Send them the link below; once they sign in as an admin, they can connect Zoom.", Data: d})
}

// maxWebhookBody bounds Zoom's webhook bodies (they are a few hundred bytes).
const maxWebhookBody = 64 << 10

// ZoomDeauthorize is Zoom's deauthorization notification endpoint. It reads
// the raw body: the signature covers the exact bytes.
func (f *Feature) ZoomDeauthorize(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	res := f.Service.HandleDeauthorization(r.Context(), r.Header, body)
	if res.Body != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(res.Status)
		_, _ = w.Write(res.Body)
		return
	}
	w.WriteHeader(res.Status)
}

// ZoomStatus is the JSON form of the account's Zoom connection.
type ZoomStatus struct {
	State            string     `json:"state"`
	Reason           string     `json:"reason,omitempty"`
	ZoomAccountID    string     `json:"zoom_account_id,omitempty"`
	AuthorizedBy     string     `json:"authorized_by_zoom_user,omitempty"`
	AuthorizedByRole string     `json:"authorized_by_zoom_role,omitempty"`
	ConnectedAt      *time.Time `json:"connected_at,omitempty"`
	ConnectedBy      string     `json:"connected_by,omitempty"`
	DisconnectedAt   *time.Time `json:"disconnected_at,omitempty"`
	DisconnectReason string     `json:"disconnect_reason,omitempty"`
	ZoomUsers        int        `json:"zoom_users"`
	ZoomRooms        int        `json:"zoom_rooms"`
	SyncedAt         *time.Time `json:"synced_at,omitempty"`
}

// ZoomUnconfiguredJSON is the status API on a server without Zoom settings.
func (f *Feature) ZoomUnconfiguredJSON(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	st, err := service.Unconfigured{}.Status(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusOK, ZoomStatus{State: string(st.State), Reason: st.Reason})
}

func (f *Feature) ZoomStatusJSON(w http.ResponseWriter, r *http.Request) {
	u := web.UserFrom(r.Context())
	st, err := f.Service.Provider().Status(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	out := ZoomStatus{State: string(st.State), Reason: st.Reason}
	c, err := f.Service.Connection(r.Context(), u.AccountID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	if c != nil {
		out.DisconnectedAt, out.DisconnectReason = c.DisconnectedAt, c.DisconnectReason
		if c.State == zoomstore.StateConnected {
			out.ZoomAccountID, out.AuthorizedBy, out.AuthorizedByRole = c.ZoomAccountID, c.ZoomUserEmail, c.ZoomUserRole
			out.ConnectedAt, out.ConnectedBy, out.ZoomUsers, out.ZoomRooms, out.SyncedAt = c.ConnectedAt, c.ConnectedByName, c.UsersCount, c.RoomsCount, c.SyncedAt
		}
	}
	f.s.JSON(w, http.StatusOK, out)
}
