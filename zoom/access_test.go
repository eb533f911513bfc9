package zoom_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"interviewplanner/zoom"
)

func allGranular() []string {
	var s []string
	for _, r := range zoom.RequiredScopes {
		s = append(s, r.Granular)
	}
	return s
}

func names(ms []zoom.Missing) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Kind+":"+m.Name)
	}
	return out
}

func TestMissingAccess(t *testing.T) {
	missingScope := &zoom.APIError{Status: 400, Code: 4711, Message: "Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin]."}
	tests := []struct {
		name  string
		probe zoom.Probe
		want  []string
	}{
		{"admin with granular scopes", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "Admin"},
			Permissions: []string{"User:Read", "User:Edit", "ZoomRooms:Read"}}, nil},
		{"classic scopes accepted", zoom.Probe{Granted: []string{"user:read:admin", "meeting:write:admin", "meeting:read:admin", "room:read:admin"},
			Me: zoom.User{RoleName: "Admin"}, Permissions: []string{"User:Read", "User:Edit", "ZoomRooms:Edit"}}, nil},
		{"mixed classic and granular", zoom.Probe{Granted: []string{"user:read:admin", "meeting:write:admin", "meeting:read:meeting:admin", "meeting:read:list_meetings:admin", "zoom_rooms:read:list_rooms:admin"},
			Me: zoom.User{RoleName: "Owner"}}, nil},
		{"owner with incomplete permission list", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "Owner"}, Permissions: []string{"Branding:Edit"}}, nil},
		{"member with view-only users role", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "InterviewPlanner"},
			Permissions: []string{"User:Read", "ZoomRooms:Read"}}, []string{"permission:Users: View and Edit"}},
		{"member without rooms permission", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "Member"},
			Permissions: []string{"User:Read", "User:Edit"}}, []string{"permission:Zoom Rooms: View"}},
		{"rooms probe refused with missing scope", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "Admin"},
			Permissions: []string{"User:Read", "User:Edit", "ZoomRooms:Read"}, ListRoomsErr: missingScope}, []string{"permission:Zoom Rooms: View"}},
		{"users probe forbidden", zoom.Probe{Me: zoom.User{RoleName: "Member"}, PermissionsErr: &zoom.APIError{Status: 403},
			ListUsersErr: &zoom.APIError{Status: 403, Code: 200, Message: "No permission."}}, []string{"permission:Users: View and Edit"}},
		{"no rooms subscription is not a permission problem", zoom.Probe{Granted: allGranular(), Me: zoom.User{RoleName: "Owner"},
			ListRoomsErr: &zoom.APIError{Status: 400, Code: 200, Message: "Zoom Room subscription not found, please subscribe first."}}, nil},
		{"network error is not reported as missing permission", zoom.Probe{Me: zoom.User{RoleName: "Owner"}, ListUsersErr: errors.New("dial tcp: refused")}, nil},
		{"scopes missing", zoom.Probe{Granted: []string{"user:read:admin", "meeting:write:meeting:admin"}, Me: zoom.User{RoleName: "Owner"}},
			[]string{
				"scope:meeting:update:meeting:admin (or meeting:write:admin)",
				"scope:meeting:delete:meeting:admin (or meeting:write:admin)",
				"scope:meeting:read:meeting:admin (or meeting:read:admin)",
				"scope:meeting:read:list_meetings:admin (or meeting:read:admin)",
				"scope:zoom_rooms:read:list_rooms:admin (or room:read:admin)",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(zoom.MissingAccess(tt.probe))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("missing = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestMissingAccessExplainsWhy(t *testing.T) {
	for _, m := range zoom.MissingAccess(zoom.Probe{Granted: []string{"x"}, Me: zoom.User{RoleName: "Member"}, Permissions: []string{"Branding:Edit"}}) {
		if strings.TrimSpace(m.Why) == "" {
			t.Fatalf("%+v has no explanation", m)
		}
	}
}

func TestConnectAndProbe(t *testing.T) {
	tests := []struct {
		name   string
		scopes string
		setup  func(f *fakeZoom)
		want   []string
	}{
		{"admin with everything", "", nil, nil},
		{"role lost Zoom Rooms between consent and check", "", func(f *fakeZoom) {
			f.failNext("GET /v2/rooms", cannedResponse{status: 400, header: jsonHeader(),
				body: `{"code":4711,"message":"Invalid access token, does not contain scopes:[zoom_rooms:read:list_rooms:admin]."}`})
		}, []string{"permission:Zoom Rooms: View"}},
		{"app configured without delete scope", "user:read:admin meeting:read:admin meeting:write:meeting:admin meeting:update:meeting:admin room:read:admin", nil,
			[]string{"scope:meeting:delete:meeting:admin (or meeting:write:admin)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeZoom(t)
			f.scopes = strings.Join(allGranular(), " ")
			if tt.scopes != "" {
				f.scopes = tt.scopes
			}
			c := mustClient(t, f, f.mustLoopback(t))
			verifier := zoom.NewVerifier()
			u, _ := url.Parse(c.AuthCodeURL("st", verifier))
			tok, err := c.Exchange(t.Context(), f.authorize(u.Query().Get("code_challenge")), verifier)
			if err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(f)
			}
			// Nothing is stored until the checks pass: the probe runs on a memory store.
			probe, err := c.API(zoom.NewMemoryTokenStore(tok)).ProbeAccess(t.Context(), zoom.GrantedScopes(tok))
			if err != nil {
				t.Fatal(err)
			}
			if probe.Me.RoleName != "Owner" || probe.Me.AccountID != "ZA1" {
				t.Fatalf("probe.Me = %+v", probe.Me)
			}
			if got := names(zoom.MissingAccess(probe)); !slices.Equal(got, tt.want) {
				t.Fatalf("missing = %q, want %q", got, tt.want)
			}
		})
	}
}
