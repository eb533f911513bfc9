package zoomemu_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"interviewplanner/zoomemu"
	"interviewplanner/zoomemu/zoomemutest"
)

// A restarted emulator with the same state file still knows the account,
// the app's install, its tokens, its meetings and the Zoom sign-in.
func TestStateFileSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "zoom.json")
	first := MustStart(t, func(c *zoomemu.Config) { c.StateFile = file })
	tok := first.MustConnect(t)
	first.SetPreApproved(first.account, true)
	r := first.call(t, tok.Access, http.MethodPost, "/v2/users/me/meetings",
		map[string]any{"topic": "Onsite", "type": 2, "start_time": "2026-12-01T15:00:00Z", "duration": 45})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := num(t, r.json(t), "id")
	first.Close()
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("no state file after Close: %v", err)
	}

	cfg := zoomemu.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURLs: []string{redirectURL}, StateFile: file, Now: first.clock.Now}
	second := zoomemutest.Start(t, cfg)
	if !second.HasState() {
		t.Fatal("restarted emulator has no accounts")
	}
	again := &env{Server: second, clock: first.clock, account: first.account, users: first.users, spec: first.spec}
	r = again.call(t, tok.Access, http.MethodGet, fmt.Sprintf("/v2/meetings/%d", id), nil)
	if r.status != http.StatusOK {
		t.Fatalf("meeting after restart: %d %s", r.status, r.body)
	}
	if in, _ := second.InstallState(first.account); !in.Installed || !in.PreApproved {
		t.Fatalf("install after restart = %+v, want installed and pre-approved", in)
	}
	// The refresh token still rotates: the chain survived.
	res := again.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.Refresh}}, true)
	if res.status != http.StatusOK {
		t.Fatalf("refresh after restart: %d %s", res.status, res.body)
	}
	// Changes made after the restart are saved too.
	again.call(t, tok.Access, http.MethodDelete, fmt.Sprintf("/v2/meetings/%d", id), nil)
	second.Close()
	third := zoomemutest.Start(t, cfg)
	if n := len(third.Meetings(first.account)); n != 0 {
		t.Fatalf("meetings after delete and restart = %d, want 0", n)
	}
}

func TestStateFileFromAnotherVersionIsRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "zoom.json")
	if err := os.WriteFile(file, []byte(`{"version":99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := zoomemu.New(zoomemu.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURLs: []string{redirectURL}, StateFile: file})
	if err == nil {
		t.Fatal("New accepted a state file of another version")
	}
}
