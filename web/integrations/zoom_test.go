package integrations_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	service "interviewplanner/zoomconnect"
	"interviewplanner/zoomconnect/zoomconnecttest"
	"interviewplanner/zoomemu"
)

// env is the app with its Zoom emulator.
type env struct {
	app  *apptest.App
	zoom *zoomconnecttest.Zoom
}

func start(t *testing.T) *env {
	t.Helper()
	z := zoomconnecttest.Start(t)
	a := apptest.Start(t, apptest.Options{Env: z.Env()})
	z.Attach(a.Zoom.RedirectURL, a.URL+service.DeauthorizePath,
		zoomemu.UserSpec{Email: "priya@example.com", FirstName: "Priya", LastName: "Patel"})
	// Every REST request the app sent must match Zoom's official description.
	t.Cleanup(func() { z.AssertRequestsValid() })
	return &env{app: a, zoom: z}
}

// goToZoom presses "Connect your account" and "Continue to Zoom" and
// returns Zoom's authorize URL.
func (e *env) goToZoom(t *testing.T, c *apptest.Client) string {
	t.Helper()
	res := c.PostForm("/integrations/zoom/connect", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Continue to Zoom") || !strings.Contains(res.Body, "a Zoom admin") ||
		!strings.Contains(res.Body, "pre-approved") {
		t.Fatalf("pre-flight page: %d %s", res.StatusCode, res.Body)
	}
	res = c.PostForm("/integrations/zoom/authorize", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("authorize: %d %s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("state") == "" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Has("scope") ||
		q.Get("redirect_uri") != e.app.Zoom.RedirectURL {
		t.Fatalf("authorize URL %s", loc)
	}
	return loc
}

// back follows Zoom's redirect to the app's callback.
func (e *env) back(t *testing.T, c *apptest.Client, d zoomconnecttest.Decision) apptest.Response {
	t.Helper()
	if !strings.HasPrefix(d.Location, e.app.Zoom.RedirectURL) {
		t.Fatalf("Zoom did not send the browser back: %d %s %s", d.Status, d.Location, d.Body)
	}
	u, _ := url.Parse(d.Location)
	return c.Get(u.RequestURI())
}

// connect walks the whole flow as the InterviewPlanner user c and the Zoom user email.
func (e *env) connect(t *testing.T, c *apptest.Client, email string) apptest.Response {
	t.Helper()
	return e.back(t, c, e.zoom.Authorize(c.HTTP, e.goToZoom(t, c), email, true))
}

func mustConnected(t *testing.T, res apptest.Response) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/integrations?edit=1" {
		t.Fatalf("callback: %d %s", res.StatusCode, res.Body)
	}
}

type status struct {
	State            string `json:"state"`
	Reason           string `json:"reason"`
	ZoomAccountID    string `json:"zoom_account_id"`
	AuthorizedBy     string `json:"authorized_by_zoom_user"`
	AuthorizedByRole string `json:"authorized_by_zoom_role"`
	ConnectedBy      string `json:"connected_by"`
	DisconnectReason string `json:"disconnect_reason"`
	ZoomUsers        int    `json:"zoom_users"`
	ZoomRooms        int    `json:"zoom_rooms"`
}

func zoomStatus(t *testing.T, c *apptest.Client) status {
	t.Helper()
	res := c.JSON(http.MethodGet, "/api/v1/integrations/zoom", "")
	var s status
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.Body), &s) != nil {
		t.Fatalf("status API: %d %s", res.StatusCode, res.Body)
	}
	return s
}

func TestZoomAdminConnects(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")

	// The article's path: Integrations → Edit → Connect your account.
	page := ada.Get("/integrations")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Video conferencing") || !strings.Contains(page.Body, `href="/integrations?edit=1"`) ||
		!strings.Contains(page.Body, ">Integrations</a>") {
		t.Fatalf("integrations page: %d %s", page.StatusCode, page.Body)
	}
	for _, p := range []string{"/integrations?edit=1", "/integrations/video/edit"} {
		if edit := ada.Get(p); !strings.Contains(edit.Body, "Connect your account") {
			t.Fatalf("%s has no Connect button: %s", p, edit.Body)
		}
	}
	if res := ada.Get("/integrations/zoom/install"); !strings.Contains(res.Body, "Continue to Zoom") {
		t.Fatalf("install landing page: %d", res.StatusCode)
	}
	mustConnected(t, e.connect(t, ada, "admin@example.com"))

	edit := ada.Get("/integrations?edit=1")
	for _, want := range []string{"Zoom is connected", e.zoom.AccountID, "admin@example.com (Owner)", "Ada Lovelace", "Test connection",
		"Refresh users and rooms", "Disconnect", `id="zoom-rooms-count">4<`} {
		if !strings.Contains(edit.Body, want) {
			t.Errorf("connected page lacks %q", want)
		}
	}
	st := zoomStatus(t, ada)
	zoomUsers := len(e.zoom.Users(e.zoom.AccountID))
	if st.State != "connected" || st.ZoomAccountID != e.zoom.AccountID || st.AuthorizedBy != "admin@example.com" || st.AuthorizedByRole != "Owner" ||
		st.ZoomUsers != zoomUsers || st.ZoomRooms != 4 || st.ConnectedBy != "Ada Lovelace" {
		t.Fatalf("status = %+v (Zoom has %d users)", st, zoomUsers)
	}

	// Account-wide: a scheduler sees it connected, without the buttons.
	sam := e.app.SignIn(t, "sam@example.com")
	if s := zoomStatus(t, sam); s.State != "connected" {
		t.Fatalf("scheduler sees %+v", s)
	}
	for _, p := range []string{"/integrations", "/integrations?edit=1"} {
		body := sam.Get(p).Body
		if !strings.Contains(body, "Connected") || strings.Contains(body, "Disconnect</button>") || strings.Contains(body, "Test connection") {
			t.Fatalf("scheduler's %s: %s", p, body)
		}
	}
	if res := sam.PostForm("/integrations/zoom/disconnect", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("scheduler disconnect: %d", res.StatusCode)
	}

	// Test connection and Refresh work.
	if res := ada.PostForm("/integrations/zoom/test", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("test connection: %d %s", res.StatusCode, res.Body)
	}
	if res := ada.Get("/integrations?edit=1"); !strings.Contains(res.Body, "Zoom answered as admin@example.com (Owner)") {
		t.Fatalf("test result not shown: %s", res.Body)
	}
	e.zoom.AddRoom(e.zoom.AccountID, "Paris")
	if res := ada.PostForm("/integrations/zoom/refresh", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refresh: %d %s", res.StatusCode, res.Body)
	}
	if s := zoomStatus(t, ada); s.ZoomRooms != 5 {
		t.Fatalf("rooms after refresh = %d, want 5", s.ZoomRooms)
	}

	// The provider sees it: hosts are the Zoom users, the authorizing user is the default.
	hosts, err := e.app.Main.Video.Hosts(t.Context(), accountOf(t, e, "admin@example.com"))
	if err != nil || len(hosts) != zoomUsers {
		t.Fatalf("hosts = %v, %v", hosts, err)
	}
	for _, h := range hosts {
		if h.Default != (h.Email == "admin@example.com") {
			t.Fatalf("default host wrong: %+v", h)
		}
	}
	mustAudit(t, e, "admin@example.com", service.AuditConnected)
}

func accountOf(t *testing.T, e *env, email string) int64 {
	t.Helper()
	var id int64
	if err := e.app.Main.DB.Reader().QueryRowContext(t.Context(), `SELECT account_id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func mustAudit(t *testing.T, e *env, email, action string) {
	t.Helper()
	events, err := e.app.Main.DB.ListAuditEvents(t.Context(), accountOf(t, e, email), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if ev.Action == action {
			return
		}
	}
	t.Fatalf("no %s in the audit log: %+v", action, events)
}

func TestMemberWithPreApprovalAndRoleConnects(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.zoom.SetPreApproved(e.zoom.AccountID, true)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "riley@example.com"))
	if s := zoomStatus(t, ada); s.State != "connected" || s.AuthorizedBy != "riley@example.com" || s.AuthorizedByRole != "InterviewPlanner" {
		t.Fatalf("status = %+v", s)
	}
}

func TestZoomBlocksNonAdmins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, email string
		preApproved bool
	}{
		{"member with the role, no pre-approval", "riley@example.com", false},
		{"member without the role, pre-approved", "sam@example.com", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t)
			e.zoom.SetPreApproved(e.zoom.AccountID, tt.preApproved)
			ada := e.app.SignIn(t, "admin@example.com")
			d := e.zoom.Authorize(ada.HTTP, e.goToZoom(t, ada), tt.email, true)
			if d.Status != http.StatusForbidden || !strings.Contains(d.Body, "You cannot authorize") || d.Location != "" {
				t.Fatalf("Zoom let %s through: %d %s", tt.email, d.Status, d.Location)
			}
			if s := zoomStatus(t, ada); s.State != "disconnected" {
				t.Fatalf("status = %+v", s)
			}
		})
	}
}

func TestCheckAfterExchangeFails(t *testing.T) {
	t.Parallel()
	e := start(t)
	// As when an admin takes Zoom Rooms away between consent and check.
	e.zoom.InjectFault(zoomemu.Fault{Method: http.MethodGet, PathPattern: "/v2/rooms", Status: http.StatusBadRequest, Times: 1,
		Body: `{"code":4711,"message":"Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin]."}`})
	ada := e.app.SignIn(t, "admin@example.com")
	res := e.connect(t, ada, "admin@example.com")
	for _, want := range []string{"You cannot authorize the app", "Zoom Rooms: View", "InterviewPlanner",
		"Role with the necessary permissions for InterviewPlanner to schedule interviews", "Users: View and Edit",
		"pre-approve", "Have a Zoom admin connect", "Invite as InterviewPlanner admin"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("cannot-authorize page lacks %q", want)
		}
	}
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d", res.StatusCode)
	}
	// Said once: the heading, not again in the message under it.
	main := res.Body[strings.Index(res.Body, "<main>"):]
	if n := strings.Count(main, "You cannot authorize the app"); n != 1 {
		t.Errorf("page says \"You cannot authorize the app\" %d times", n)
	}
	missing := res.Body[strings.Index(res.Body, `id="zoom-missing"`):]
	missing = missing[:strings.Index(missing, "</ul>")]
	if !strings.Contains(missing, "Zoom Rooms: View") || strings.Contains(missing, "Users: View and Edit") {
		t.Fatalf("missing list should name exactly Zoom Rooms: View: %s", missing)
	}
	if s := zoomStatus(t, ada); s.State != "disconnected" {
		t.Fatalf("something was stored: %+v", s)
	}
	var rows int
	if err := e.app.Main.DB.Reader().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM zoom_connections`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("zoom_connections rows = %d, %v", rows, err)
	}
	if st := e.zoom.TokenStats(); st.Revocations != 1 || st.LiveAccessTokens != 0 {
		t.Fatalf("token not revoked: %+v", st)
	}
	mustAudit(t, e, "admin@example.com", service.AuditConnectFailed)

	// Way forward 2: invite the Zoom admin as an InterviewPlanner admin.
	inv := ada.PostForm("/integrations/zoom/invite-admin", url.Values{"email": {"it@example.com"}})
	if inv.StatusCode != http.StatusOK || !strings.Contains(inv.Body, "/invitations/") {
		t.Fatalf("invite: %d %s", inv.StatusCode, inv.Body)
	}
}

func TestDecline(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	res := e.back(t, ada, e.zoom.Authorize(ada.HTTP, e.goToZoom(t, ada), "admin@example.com", false))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "declined") {
		t.Fatalf("decline: %d %s", res.StatusCode, res.Body)
	}
	if s := zoomStatus(t, ada); s.State != "disconnected" {
		t.Fatalf("status = %+v", s)
	}
}

func TestBadState(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	d := e.zoom.Authorize(ada.HTTP, e.goToZoom(t, ada), "admin@example.com", true)
	cb, _ := url.Parse(d.Location)
	code, state := cb.Query().Get("code"), cb.Query().Get("state")

	// Another session of the same admin cannot use this state.
	other := e.app.SignIn(t, "admin@example.com")
	if res := other.Get("/integrations/zoom/callback?" + url.Values{"code": {code}, "state": {state}}.Encode()); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(res.Body, "does not belong") {
		t.Fatalf("foreign session: %d %s", res.StatusCode, res.Body)
	}
	tests := []struct {
		name  string
		query url.Values
		want  string
	}{
		{"missing state", url.Values{"code": {code}}, "without the state"},
		{"forged state", url.Values{"code": {code}, "state": {"forged-" + state}}, "does not belong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ada.Get("/integrations/zoom/callback?" + tt.query.Encode())
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, tt.want) {
				t.Fatalf("%d %s", res.StatusCode, res.Body)
			}
			if s := zoomStatus(t, ada); s.State != "disconnected" {
				t.Fatalf("status = %+v", s)
			}
		})
	}
	// The real answer still works once, then the state is spent.
	mustConnected(t, ada.Get(cb.RequestURI()))
	if res := ada.Get(cb.RequestURI()); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "already used") {
		t.Fatalf("reused state: %d %s", res.StatusCode, res.Body)
	}

	// A used code with a fresh state: Zoom refuses it and nothing changes.
	fresh, _ := url.Parse(e.goToZoom(t, ada))
	res := ada.Get("/integrations/zoom/callback?" + url.Values{"code": {code}, "state": {fresh.Query().Get("state")}}.Encode())
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "already used or has expired") {
		t.Fatalf("reused code: %d %s", res.StatusCode, res.Body)
	}
	if s := zoomStatus(t, ada); s.State != "connected" {
		t.Fatalf("status after refused code = %+v", s)
	}
}

func TestUninstallInZoomMarketplace(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))

	// The Zoom admin presses Uninstall on "Installed Apps" (the browser is signed in to Zoom).
	page, err := ada.HTTP.Get(e.zoom.URL + "/marketplace/installed")
	if err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("installed apps page: %v %v", page, err)
	}
	page.Body.Close()
	res, err := ada.HTTP.PostForm(e.zoom.URL+"/marketplace/apps/"+zoomconnecttest.ClientID+"/uninstall", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	apptest.WaitFor(t, "the deauthorization webhook", func() bool { return zoomStatus(t, ada).State == "disconnected" })
	if s := zoomStatus(t, ada); s.DisconnectReason != "uninstalled" {
		t.Fatalf("status = %+v", s)
	}
	body := ada.Get("/integrations").Body
	if !strings.Contains(body, "uninstalled in Zoom on") {
		t.Fatalf("page does not say it was uninstalled: %s", body)
	}
	mustAudit(t, e, "admin@example.com", service.AuditUninstalled)
	// Scheduling sees "not connected", never a made-up link.
	_, err = e.app.Main.Video.CreateMeeting(t.Context(), accountOf(t, e, "admin@example.com"),
		domain.MeetingRequest{Topic: "x", Start: time.Now().Add(time.Hour), Duration: 30 * time.Minute})
	if !domain.IsVideoNotConnected(err) {
		t.Fatalf("create after uninstall: %v", err)
	}
}

func TestDisconnectInApp(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	if res := ada.PostForm("/integrations/zoom/disconnect", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disconnect: %d %s", res.StatusCode, res.Body)
	}
	if s := zoomStatus(t, ada); s.State != "disconnected" || s.DisconnectReason != "disconnected" {
		t.Fatalf("status = %+v", s)
	}
	if st := e.zoom.TokenStats(); st.Revocations != 1 || st.LiveAccessTokens != 0 || st.LiveRefreshTokens != 0 {
		t.Fatalf("not revoked at Zoom: %+v", st)
	}
	// Zoom answers a revoke with app_deauthorized; it must be harmless.
	apptest.WaitFor(t, "the webhook after revoke", func() bool {
		for _, d := range e.zoom.Deliveries() {
			if d.Done {
				return true
			}
		}
		return false
	})
	for _, d := range e.zoom.Deliveries() {
		if !d.Delivered {
			t.Fatalf("webhook delivery refused: %+v", d)
		}
	}
	if s := zoomStatus(t, ada); s.DisconnectReason != "disconnected" {
		t.Fatalf("webhook changed the state: %+v", s)
	}
	if !strings.Contains(ada.Get("/integrations").Body, "Disconnected in InterviewPlanner on") {
		t.Fatal("page does not say it was disconnected")
	}
	mustAudit(t, e, "admin@example.com", service.AuditDisconnected)
}

func TestDeadRefreshToken(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	// Zoom stops honouring the refresh token (as after a lost rotation).
	e.zoom.InjectFault(zoomemu.Fault{Method: http.MethodPost, PathPattern: "/oauth/token", Status: http.StatusBadRequest,
		Body: `{"reason":"Invalid Token!","error":"invalid_grant"}`})
	e.zoom.ExpireAccessTokens()
	res := ada.PostForm("/integrations/zoom/test", nil)
	if !strings.Contains(res.Body, "Zoom is not connected") && !strings.Contains(res.Body, "Test failed") {
		t.Fatalf("test connection with a dead token: %d %s", res.StatusCode, res.Body)
	}
	if s := zoomStatus(t, ada); s.State != "needs_reconnecting" {
		t.Fatalf("status = %+v", s)
	}
	// Admins see the banner on every page; others do not.
	for _, p := range []string{"/", "/settings", "/integrations"} {
		if body := ada.Get(p).Body; !strings.Contains(body, "Zoom needs reconnecting") {
			t.Fatalf("%s has no banner", p)
		}
	}
	if body := e.app.SignIn(t, "sam@example.com").Get("/").Body; strings.Contains(body, "Zoom needs reconnecting") {
		t.Fatal("a scheduler sees the admin banner")
	}
	mustAudit(t, e, "admin@example.com", service.AuditTokenDead)

	// Reconnecting clears it.
	e.zoom.ClearFaults()
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	if body := ada.Get("/").Body; strings.Contains(body, "Zoom needs reconnecting") {
		t.Fatal("banner stays after reconnecting")
	}
	mustAudit(t, e, "admin@example.com", service.AuditReconnected)
}

func TestWebhookOverHTTPChangesNothingWhenInvalid(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	body := `{"event":"app_deauthorized","event_ts":1,"payload":{"account_id":"` + e.zoom.AccountID + `","user_id":"x","client_id":"` + zoomconnecttest.ClientID + `"}}`
	ts := time.Now().Unix()
	post := func(sig string, at int64, b string) int {
		req, _ := http.NewRequest(http.MethodPost, e.app.URL+service.DeauthorizePath, strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-zm-request-timestamp", itoa(at))
		req.Header.Set("x-zm-signature", sig)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	old := ts - 6*60
	tests := []struct {
		name string
		sig  string
		at   int64
		body string
		want int
	}{
		{"bad signature", "v0=00", ts, body, http.StatusUnauthorized},
		{"old timestamp", zoomemu.Sign(zoomconnecttest.WebhookSecret, itoa(old), []byte(body)), old, body, http.StatusUnauthorized},
		{"malformed JSON", zoomemu.Sign(zoomconnecttest.WebhookSecret, itoa(ts), []byte(`{"event":`)), ts, `{"event":`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(tt.sig, tt.at, tt.body); got != tt.want {
				t.Fatalf("status %d, want %d", got, tt.want)
			}
			if s := zoomStatus(t, ada); s.State != "connected" {
				t.Fatalf("changed: %+v", s)
			}
		})
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestTenancy(t *testing.T) {
	t.Parallel()
	e := start(t)
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	gloria := e.app.SignIn(t, "admin@globex.example")
	if s := zoomStatus(t, gloria); s.State != "disconnected" || s.ZoomAccountID != "" {
		t.Fatalf("Globex sees %+v", s)
	}
	if body := gloria.Get("/integrations?edit=1").Body; strings.Contains(body, e.zoom.AccountID) || strings.Contains(body, "admin@example.com") {
		t.Fatal("Globex's page shows Acme's connection")
	}
	// Globex's admin pressing Disconnect changes only Globex (which has nothing).
	if res := gloria.PostForm("/integrations/zoom/disconnect", nil); res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusNotFound {
		if s := zoomStatus(t, ada); s.State != "connected" {
			t.Fatalf("Globex disconnected Acme: %+v", s)
		}
	} else {
		t.Fatalf("Globex disconnect: %d %s", res.StatusCode, res.Body)
	}
	// Acme's state cannot finish a Globex connect.
	d := e.zoom.Authorize(ada.HTTP, e.goToZoom(t, ada), "admin@example.com", true)
	cb, _ := url.Parse(d.Location)
	if res := gloria.Get(cb.RequestURI()); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("Globex used Acme's state: %d", res.StatusCode)
	}
	if s := zoomStatus(t, gloria); s.State != "disconnected" {
		t.Fatalf("Globex got connected: %+v", s)
	}
	if _, err := e.app.Main.Video.Hosts(t.Context(), accountOf(t, e, "admin@globex.example")); !domain.IsVideoNotConnected(err) {
		t.Fatalf("Globex hosts: %v", err)
	}
}

func TestAccountWithoutZoomRoomsConnects(t *testing.T) {
	t.Parallel()
	e := start(t)
	// Zoom's answer for an account without a Zoom Rooms subscription: no rooms, not "no permission".
	e.zoom.InjectFault(zoomemu.Fault{Method: http.MethodGet, PathPattern: "/v2/rooms", Status: http.StatusBadRequest,
		Body: `{"code":200,"message":"Zoom Room subscription not found. Please subscribe to Zoom Rooms."}`})
	ada := e.app.SignIn(t, "admin@example.com")
	mustConnected(t, e.connect(t, ada, "admin@example.com"))
	if s := zoomStatus(t, ada); s.State != "connected" || s.ZoomRooms != 0 || s.ZoomUsers == 0 {
		t.Fatalf("status = %+v", s)
	}
}
