package hiring_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/ical"
	"interviewplanner/mail"
)

// zoomEnv is the app with its built-in Zoom emulator, connected by the
// Zoom Owner, driven over real HTTP.
type zoomEnv struct {
	a       *apptest.App
	admin   *apptest.Client
	emu     string // emulator base URL
	account string // emulator account id
	owner   string // emulator user id of admin@example.com
	d       demoIDs
}

func startZoom(tb testing.TB) *zoomEnv {
	tb.Helper()
	return startZoomWith(tb, apptest.Options{})
}

// startZoomWith is startZoom with more options for the application.
func startZoomWith(tb testing.TB, opts apptest.Options) *zoomEnv {
	tb.Helper()
	env := map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0"}
	maps.Copy(env, opts.Env)
	opts.Env = env
	a := apptest.Start(tb, opts)
	z := &zoomEnv{a: a, admin: a.SignIn(tb, "admin@example.com"), emu: a.Main.Zoom.AuthURL}
	var accts []struct {
		ID    string `json:"id"`
		Users []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	z.control(tb, "GET", "/_emulator/accounts", "", &accts)
	for _, ac := range accts {
		for _, u := range ac.Users {
			if u.Email == "admin@example.com" {
				z.account, z.owner = ac.ID, u.ID
			}
		}
	}
	if z.owner == "" {
		tb.Fatal("the emulator has no Owner admin@example.com")
	}
	z.connect(tb)
	z.d = mustDemo(tb, z.admin)
	return z
}

// control calls the emulator's control API.
func (z *zoomEnv) control(tb testing.TB, method, path, body string, out any) {
	tb.Helper()
	req, _ := http.NewRequest(method, z.emu+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		tb.Fatalf("emulator %s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("emulator %s: %v: %s", path, err, b)
		}
	}
}

// connect runs the OAuth flow as the Zoom Owner.
func (z *zoomEnv) connect(tb testing.TB) {
	tb.Helper()
	z.a.ConnectZoom(tb, z.admin, "admin@example.com")
}

type emuMeeting struct {
	ID        int64          `json:"id"`
	HostID    string         `json:"host_id"`
	Topic     string         `json:"topic"`
	Type      int            `json:"type"`
	StartTime time.Time      `json:"start_time"`
	Duration  int            `json:"duration"`
	Agenda    string         `json:"agenda"`
	JoinURL   string         `json:"join_url"`
	Settings  map[string]any `json:"settings"`
	Deleted   bool           `json:"deleted"`
}

func (z *zoomEnv) meetings(tb testing.TB) []emuMeeting {
	tb.Helper()
	var out struct {
		Meetings []emuMeeting `json:"meetings"`
	}
	z.control(tb, "GET", "/_emulator/meetings?account_id="+z.account, "", &out)
	var live []emuMeeting
	for _, m := range out.Meetings {
		if !m.Deleted {
			live = append(live, m)
		}
	}
	return live
}

type apiSched struct {
	ID           int64  `json:"id"`
	Status       string `json:"status"`
	Video        bool   `json:"video"`
	ItineraryURL string `json:"itinerary_url"`
	Items        []struct {
		ID           int64     `json:"id"`
		InterviewID  int64     `json:"interview_id"`
		Start        time.Time `json:"start"`
		Interviewers []int64   `json:"interviewers"`
		Meeting      *struct {
			State     string `json:"state"`
			JoinURL   string `json:"join_url"`
			LastError string `json:"last_error"`
		} `json:"meeting"`
	} `json:"items"`
}

func (z *zoomEnv) schedule(tb testing.TB, id int64) apiSched {
	tb.Helper()
	var sc apiSched
	mustJSON(tb, z.admin.Get(fmt.Sprintf("/api/v1/schedules/%d", id)), 200, &sc)
	return sc
}

// waitMeetings waits until every item's meeting is in state.
func (z *zoomEnv) waitMeetings(tb testing.TB, id int64, state string, within time.Duration) apiSched {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		sc := z.schedule(tb, id)
		ok := len(sc.Items) > 0
		for _, it := range sc.Items {
			ok = ok && it.Meeting != nil && it.Meeting.State == state
		}
		if ok {
			return sc
		}
		if time.Now().After(deadline) {
			tb.Fatalf("meetings of schedule %d did not reach %q: %+v", id, state, sc.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (z *zoomEnv) mustCreate(tb testing.TB, body string) apiSched {
	tb.Helper()
	var sc apiSched
	mustJSON(tb, z.admin.JSON("POST", "/api/v1/schedules", body), http.StatusCreated, &sc)
	return sc
}

func TestZoomMeetingLifecycle(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "life-1"))
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	ms := z.meetings(t)
	if len(ms) != 1 {
		t.Fatalf("Zoom holds %d meetings, want 1", len(ms))
	}
	m := ms[0]
	if m.Type != 2 || !m.StartTime.Equal(time.Date(2030, 3, 5, 15, 0, 0, 0, time.UTC)) || m.Duration != 30 || !strings.Contains(m.Topic, "Phone screen") || !strings.Contains(m.Topic, "Acme") {
		t.Fatalf("meeting = %+v", m)
	}
	if wr, _ := m.Settings["waiting_room"].(bool); !wr {
		t.Fatalf("waiting room off: %v", m.Settings)
	}
	if sc.Items[0].Meeting.JoinURL != m.JoinURL {
		t.Fatalf("join URL %q, Zoom has %q", sc.Items[0].Meeting.JoinURL, m.JoinURL)
	}
	u, _ := url.Parse(sc.ItineraryURL)
	if it := z.a.NewClient(t).Get(u.Path); !strings.Contains(it.Body, m.JoinURL) {
		t.Fatal("the itinerary lacks the join URL")
	}
	// The candidate and the interviewer get an iCalendar REQUEST carrying the join URL.
	apptest.WaitFor(t, "invitations with the join link", func() bool { return len(z.invitations(t, "REQUEST", m.JoinURL)) >= 2 })
	// Each email gives the times in its reader's zone, named, not in UTC.
	for _, msg := range z.invitations(t, "REQUEST", m.JoinURL) {
		if strings.Contains(msg.Text, "(UTC)") || !regexp.MustCompile(`\d\d:\d\d \S+ \([A-Za-z_]+/[A-Za-z_/]+\)`).MatchString(msg.Text) {
			t.Fatalf("email to %v does not name the reader's zone:\n%s", msg.To, msg.Text)
		}
	}
	// Reschedule: the same meeting moves.
	move := func(start string) {
		t.Helper()
		body := fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":%q,"interviewers":[%d]}]}`, sc.Items[0].ID, z.d.phoneInterview, start, z.d.pool[0])
		res := z.admin.JSON("PUT", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), body)
		if res.StatusCode != 200 {
			t.Fatalf("reschedule: %d %s", res.StatusCode, res.Body)
		}
	}
	move("2030-03-05T16:00:00Z")
	apptest.WaitFor(t, "the meetings to follow the change", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].StartTime.Equal(time.Date(2030, 3, 5, 16, 0, 0, 0, time.UTC))
	})
	if z.meetings(t)[0].ID != m.ID {
		t.Fatal("reschedule created a new meeting")
	}
	// Deleted behind our back: the next change re-creates it.
	z.control(t, "DELETE", fmt.Sprintf("/_emulator/meetings/%d", m.ID), "", nil)
	move("2030-03-05T17:00:00Z")
	apptest.WaitFor(t, "the meetings to follow the change", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].ID != m.ID
	})
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	if sc.Items[0].Meeting.JoinURL == m.JoinURL || sc.Items[0].Meeting.JoinURL != z.meetings(t)[0].JoinURL {
		t.Fatal("the re-created meeting's link is not shown")
	}
	// Cancel: deleted in Zoom, and CANCELs sent.
	mustJSON(t, z.admin.JSON("POST", fmt.Sprintf("/api/v1/schedules/%d/cancel", sc.ID), ""), 200, nil)
	apptest.WaitFor(t, "the Zoom meetings to be deleted", func() bool { return len(z.meetings(t)) == 0 })
	apptest.WaitFor(t, "cancellations", func() bool { return len(z.invitations(t, "CANCEL", "")) >= 2 })
}

func TestZoomCaseByCase(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	// Zoom stage switched off for this candidate: no meeting.
	off := fmt.Sprintf(`{"candidate_id":%d,"video":false,"accept_warnings":true,"items":[{"interview_id":%d,"start":"2030-03-05T15:00:00Z","interviewers":[%d]}]}`,
		z.d.candidateID, z.d.phoneInterview, z.d.pool[0])
	sc := z.mustCreate(t, off)
	if sc.Video || sc.Items[0].Meeting != nil {
		t.Fatalf("video off schedule = %+v", sc)
	}
	// Onsite (Zoom off) switched on for one candidate: meetings.
	var onsite struct {
		Interviews []struct {
			ID   int64   `json:"id"`
			Pool []int64 `json:"pool"`
		} `json:"interviews"`
	}
	mustJSON(t, z.admin.Get(fmt.Sprintf("/api/v1/stages/%d", z.d.onsiteStage)), 200, &onsite)
	var cand struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, z.admin.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Onsite Person","email":"onsite@example.net","time_zone":"Europe/Paris","job_id":%d,"stage_id":%d}`, z.d.jobID, z.d.onsiteStage)), 201, &cand)
	on := fmt.Sprintf(`{"candidate_id":%d,"video":true,"accept_warnings":true,"items":[{"interview_id":%d,"start":"2030-03-06T14:00:00Z","interviewers":[%d]},{"interview_id":%d,"start":"2030-03-06T16:00:00Z","interviewers":[%d]}]}`,
		cand.ID, onsite.Interviews[0].ID, onsite.Interviews[0].Pool[0], onsite.Interviews[1].ID, onsite.Interviews[1].Pool[0])
	sc2 := z.mustCreate(t, on)
	z.waitMeetings(t, sc2.ID, "created", 30*time.Second)
	if n := len(z.meetings(t)); n != 2 {
		t.Fatalf("Zoom holds %d meetings, want 2", n)
	}
}

func TestZoomFaultsStillOneMeetingPerItem(t *testing.T) {
	t.Parallel()
	// Each fault fails a job run: retried after 0.1 s, 0.2 s… rather than
	// 2 s, 4 s…
	z := startZoomWith(t, apptest.Options{JobRetryBase: 100 * time.Millisecond})
	for _, f := range []string{
		`{"method":"POST","path_pattern":"/v2/users/*/meetings","status":429,"header":{"Retry-After":"1"},"times":1}`,
		`{"method":"POST","path_pattern":"/v2/users/*/meetings","status":500,"times":1}`,
		`{"method":"POST","path_pattern":"/v2/users/*/meetings","drop":true,"times":1}`,
		`{"method":"GET","path_pattern":"/v2/users/*/meetings","status":500,"times":1}`,
	} {
		z.control(t, "POST", "/_emulator/faults", f, nil)
	}
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "faults-1"))
	z.waitMeetings(t, sc.ID, "created", 90*time.Second)
	if n := len(z.meetings(t)); n != 1 {
		t.Fatalf("Zoom holds %d meetings after faults, want exactly 1", n)
	}
}

func TestZoomSlowAnswerStillOneMeeting(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits out a Zoom request that does not answer in time")
	}
	// Zoom answers long after the application stops waiting (4 s here,
	// 15 s by default): the request is abandoned and tried again.
	z := startZoomWith(t, apptest.Options{Env: map[string]string{"IP_ZOOM_ATTEMPT_TIMEOUT": "4s"}})
	z.control(t, "POST", "/_emulator/faults", `{"method":"POST","path_pattern":"/v2/users/*/meetings","latency_ms":30000,"times":1}`, nil)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "slow-1"))
	z.waitMeetings(t, sc.ID, "created", 3*time.Minute)
	if n := len(z.meetings(t)); n != 1 {
		t.Fatalf("Zoom holds %d meetings after a slow answer, want exactly 1", n)
	}
}

func TestZoomUninstalledMidFlightWaitsThenResumes(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	z.control(t, "POST", "/_emulator/accounts/"+z.account+"/uninstall", fmt.Sprintf(`{"by_user_id":%q}`, z.owner), nil)
	apptest.WaitFor(t, "the meetings to follow the change", func() bool {
		return strings.Contains(z.admin.Get(fmt.Sprintf("/stages/%d", z.d.phoneStage)).Body, "Zoom is not connected")
	})
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "uninst-1"))
	z.waitMeetings(t, sc.ID, "waiting_for_zoom", 30*time.Second)
	page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID))
	if !strings.Contains(page.Body, "Waiting for Zoom") || !strings.Contains(page.Body, "waiting for Zoom") {
		t.Fatal("the schedule page does not tell the coordinator the meetings wait for Zoom")
	}
	z.connect(t)
	z.waitMeetings(t, sc.ID, "created", 60*time.Second)
	if n := len(z.meetings(t)); n != 1 {
		t.Fatalf("Zoom holds %d meetings, want 1", n)
	}
}

var _ = bytes.NewReader

// invitations lists sent emails with an iCalendar attachment of method
// that contains want.
func (z *zoomEnv) invitations(tb testing.TB, method, want string) []mail.Message {
	tb.Helper()
	outbox, ok := z.a.Main.Mail.(*mail.Outbox)
	if !ok {
		tb.Fatal("no outbox")
	}
	var out []mail.Message
	for _, m := range outbox.Sent() {
		for _, at := range m.Attachments {
			cal, err := ical.Parse(bytes.NewReader(at.Data))
			if err != nil {
				tb.Fatalf("invitation %q: %v", m.Subject, err)
			}
			if !strings.Contains(at.ContentType, "method="+method) || cal.Method != method {
				continue
			}
			for _, e := range cal.Events {
				if want == "" || e.URL == want {
					out = append(out, m)
					break
				}
			}
		}
	}
	return out
}
