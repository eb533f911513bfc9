package hiring_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"interviewplanner/app"
	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
	"interviewplanner/config"
	"interviewplanner/store/storetest"
	"interviewplanner/zoomconnect"
)

// crashChildEnv marks the test binary re-run as the application process
// that TestKilledRightAfterZoomCreatedAMeeting kills.
const crashChildEnv = "IP_HIRING_CRASH_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		os.Exit(runChildApp())
	}
	os.Exit(browsertest.Run(m))
}

// runChildApp serves the application configured by the environment until
// killed.
func runChildApp() int {
	cfg, _, err := config.Parse(flagSetForChild(), nil, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	defer m.Close()
	ctx := context.Background()
	if err := m.Listen(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := m.Open(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// httpClient is a browser-like client for the child process.
type httpClient struct {
	tb   testing.TB
	base string
	c    *http.Client
}

func newHTTPClient(tb testing.TB, base string) *httpClient {
	jar, _ := cookiejar.New(nil)
	return &httpClient{tb: tb, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (h *httpClient) do(method, target, contentType, body string) (*http.Response, string) {
	h.tb.Helper()
	if !strings.HasPrefix(target, "http") {
		target = h.base + target
	}
	req, _ := http.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != "GET" {
		u, _ := url.Parse(target)
		req.Header.Set("Origin", u.Scheme+"://"+u.Host)
	}
	res, err := h.c.Do(req)
	if err != nil {
		h.tb.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (h *httpClient) json(method, path, body string, want int, out any) {
	h.tb.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	res, b := h.do(method, path, ct, body)
	if res.StatusCode != want {
		h.tb.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			h.tb.Fatal(err)
		}
	}
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestKilledRightAfterZoomCreatedAMeeting(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the application as a subprocess")
	}
	addr := freeAddr(t)
	base := "http://" + addr
	// The emulator keeps its state in the data folder: a fresh one per run.
	ecfg := app.DemoZoomSettings(app.ZoomSettings{RedirectURL: base + zoomconnect.CallbackPath, DeauthorizeURL: base + zoomconnect.DeauthorizePath})
	emu, err := app.NewDemoZoomEmulator(ecfg, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	esrv := httptest.NewServer(emu)
	t.Cleanup(func() { esrv.Close(); emu.Close() })
	// The killed process's job is rescued once it is older than
	// IP_JOB_RESCUE_AFTER, at the restarted process's first rescue round:
	// its queue leads only once the killed one's leadership lapses (10 to
	// 20 s), so a rescue delay shorter than that is never waited for.
	env := append(os.Environ(), crashChildEnv+"=1", "IP_ADDR="+addr, "IP_DATA_DIR="+storetest.DataDir(t), "IP_DEMO_PASSWORD="+"demo-password-123",
		"IP_LOG_LEVEL=warn", "IP_JOB_TIMEOUT=5s", "IP_JOB_RESCUE_AFTER=6s", "IP_ZOOM_ATTEMPT_TIMEOUT=4s", "DATABASE_URL="+storetest.MigratedURL(t), "IP_ZOOM_CLIENT_ID="+ecfg.ClientID, "IP_ZOOM_CLIENT_SECRET="+ecfg.ClientSecret,
		"IP_ZOOM_WEBHOOK_SECRET="+ecfg.WebhookSecret, "IP_ZOOM_AUTH_URL="+esrv.URL, "IP_ZOOM_API_URL="+esrv.URL+"/v2")
	start := func() *exec.Cmd {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = env
		cmd.Stderr = io.Discard
		if testing.Verbose() {
			cmd.Stderr = os.Stderr
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		deadline := time.Now().Add(60 * time.Second)
		for {
			if res, err := http.Get(base + "/readyz"); err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				t.Fatal("the application did not start")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	child := start()
	admin := newHTTPClient(t, base)
	if res, _ := admin.do("POST", "/signin", "application/x-www-form-urlencoded", url.Values{"email": {"admin@example.com"}, "password": {"demo-password-123"}}.Encode()); res.StatusCode != 303 {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	// Connect Zoom as the emulator's Owner.
	owner, ok := emu.UserByEmail("admin@example.com")
	if !ok {
		t.Fatal("no Zoom Owner")
	}
	res, _ := admin.do("POST", "/integrations/zoom/authorize", "application/x-www-form-urlencoded", "")
	loc := apptest.AllowZoom(t, esrv.URL, res.Header.Get("Location"), owner.ID)
	if res, b := admin.do("GET", loc.RequestURI(), "", ""); res.StatusCode >= 400 {
		t.Fatalf("callback: %d %s", res.StatusCode, b)
	}
	// A Zoom stage with three interviews and a candidate.
	var job struct {
		ID int64 `json:"id"`
	}
	admin.json("POST", "/api/v1/jobs", `{"title":"Crash test"}`, 201, &job)
	var stage struct {
		ID         int64 `json:"id"`
		Interviews []struct {
			ID int64 `json:"id"`
		} `json:"interviews"`
	}
	admin.json("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", job.ID), `{"name":"Loop","position":1,"video":"zoom","meeting_mode":"per_interview","buffer_minutes":0,"allowed_start":"00:00","allowed_end":"24:00","earliest_day_offset":0,"latest_day_offset":30,"interviews":[`+
		`{"name":"One","duration_minutes":30,"interviewers_needed":1,"pool":[],"room_required":false,"position":1},{"name":"Two","duration_minutes":30,"interviewers_needed":1,"pool":[],"room_required":false,"position":2},{"name":"Three","duration_minutes":30,"interviewers_needed":1,"pool":[],"room_required":false,"position":3}]}`, 201, &stage)
	var cand struct {
		ID int64 `json:"id"`
	}
	admin.json("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Kim Crash","email":"kim@example.net","time_zone":"UTC","job_id":%d,"stage_id":%d}`, job.ID, stage.ID), 201, &cand)
	var people struct {
		Interviewers []struct {
			ID   int64  `json:"id"`
			Role string `json:"role"`
		} `json:"interviewers"`
	}
	admin.json("GET", "/api/v1/interviewers", "", 200, &people)
	var ivs []int64
	for _, p := range people.Interviewers {
		if p.Role == "interviewer" {
			ivs = append(ivs, p.ID)
		}
	}
	var items []string
	for i, iv := range stage.Interviews {
		items = append(items, fmt.Sprintf(`{"interview_id":%d,"start":"2030-04-0%dT14:00:00Z","interviewers":[%d]}`, iv.ID, i+1, ivs[i]))
	}
	var sc struct {
		ID int64 `json:"id"`
	}
	zoomAccount := owner.AccountID
	admin.json("POST", "/api/v1/schedules", fmt.Sprintf(`{"candidate_id":%d,"accept_warnings":true,"items":[%s]}`, cand.ID, strings.Join(items, ",")), 201, &sc)
	// Kill the process the moment Zoom holds the first meeting.
	deadline := time.Now().Add(60 * time.Second)
	for len(emu.Meetings(zoomAccount)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no meeting was created")
		}
		time.Sleep(200 * time.Microsecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	atKill := len(emu.Meetings(zoomAccount))
	start()
	// After the restart every interview has exactly one meeting.
	deadline = time.Now().Add(5 * time.Minute)
	for {
		var got struct {
			Items []struct {
				Meeting struct {
					State   string `json:"state"`
					JoinURL string `json:"join_url"`
				} `json:"meeting"`
			} `json:"items"`
		}
		admin.json("GET", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), "", 200, &got)
		done := len(got.Items) == 3
		for _, it := range got.Items {
			done = done && it.Meeting.State == "created"
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("meetings not created after restart: %+v", got.Items)
		}
		time.Sleep(100 * time.Millisecond)
	}
	live := 0
	for _, m := range emu.Meetings(zoomAccount) {
		if !m.Deleted {
			live++
		}
	}
	if live != 3 || len(emu.Meetings(zoomAccount)) != 3 {
		t.Fatalf("Zoom holds %d live meetings (%d in all; %d when killed), want exactly 3", live, len(emu.Meetings(zoomAccount)), atKill)
	}
}

func flagSetForChild() *flag.FlagSet {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
