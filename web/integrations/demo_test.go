package integrations_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// TestDemoModeRunsTheEmulator walks the article in demo mode, where the app
// starts its own Zoom emulator: no Zoom settings at all.
func TestDemoModeRunsTheEmulator(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0"}})
	ada := a.SignIn(t, "admin@example.com")
	edit := ada.Get("/integrations?edit=1")
	m := regexp.MustCompile(`href="(http://[^"]+)/marketplace/installed" id="zoom-marketplace"`).FindStringSubmatch(edit.Body)
	if m == nil {
		t.Fatalf("no link to the emulated Marketplace: %s", edit.Body)
	}
	zoomURL := m[1]
	ada.PostForm("/integrations/zoom/connect", nil)
	res := ada.PostForm("/integrations/zoom/authorize", nil)
	authorize := res.Header.Get("Location")
	if !strings.HasPrefix(authorize, zoomURL+"/oauth/authorize?") {
		t.Fatalf("authorize URL %q is not the built-in emulator's %s", authorize, zoomURL)
	}

	// Sign in to the emulated Zoom as its Owner and press Allow.
	signin, err := ada.HTTP.Get(zoomURL + "/signin?next=/")
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, signin)
	id := regexp.MustCompile(`(?s)admin@example\.com</span>.*?name="user_id" value="([^"]+)"`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no Zoom user admin@example.com on the sign-in page")
	}
	back := apptest.AllowZoom(t, zoomURL, authorize, id[1])
	mustConnected(t, ada.Get(back.RequestURI()))
	s := zoomStatus(t, ada)
	// The demo's Zoom account: 4 Zoom users of its own plus Acme's
	// interviewers, except arjun@ and fatima@ (they fall back to the
	// authorizing user as host).
	if s.State != "connected" || s.AuthorizedBy != "admin@example.com" || s.ZoomUsers != 14 || s.ZoomRooms != 4 {
		t.Fatalf("status = %+v", s)
	}
	hosts, err := a.Main.Video.Hosts(t.Context(), accountOf(t, &env{app: a}, "admin@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hosts {
		if h.Email == "arjun@example.com" || h.Email == "fatima@example.com" {
			t.Fatalf("%s should have no Zoom user in the demo", h.Email)
		}
	}
}

func readAll(t *testing.T, r *http.Response) string {
	t.Helper()
	defer r.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
