package hiring_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/ical"
)

// Swapping the interviewer of a scheduled interview (the API here; the
// form and Find new times save through the same service) leaves the new
// interviewer's Zoom user hosting: Zoom does not hand a meeting to another
// host, so a new meeting replaces the old one. Everyone gets the new link;
// the interviewer taken off gets a cancellation.
func TestSwappedInterviewerHostsTheZoomMeeting(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	first, second := z.d.pool[0], z.d.pool[1]
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, first, "2030-03-05T15:00:00Z", "rehost-1"))
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	old := z.meetings(t)
	if len(old) != 1 || old[0].HostID != z.zoomUserOf(t, first) {
		t.Fatalf("before the swap Zoom holds %+v", old)
	}
	// Hold the replacement's create for a moment: the API says "updating".
	z.control(t, "POST", "/_emulator/faults", `{"method":"POST","path_pattern":"/v2/users/*/meetings","latency_ms":1500,"times":1}`, nil)
	body := fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":"2030-03-05T15:00:00Z","interviewers":[%d]}]}`, sc.Items[0].ID, z.d.phoneInterview, second)
	if res := z.admin.JSON("PUT", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), body); res.StatusCode != 200 {
		t.Fatalf("swap: %d %s", res.StatusCode, res.Body)
	}
	apptest.WaitFor(t, "the API to say the meeting is updating", func() bool {
		m := z.schedule(t, sc.ID).Items[0].Meeting
		return m != nil && m.State == "updating"
	})
	newHost := z.zoomUserOf(t, second)
	apptest.WaitFor(t, "one meeting under the new interviewer", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].HostID == newHost
	})
	got := z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	now := z.meetings(t)
	if now[0].ID == old[0].ID || got.Items[0].Meeting.JoinURL != now[0].JoinURL {
		t.Fatalf("the schedule shows %q; Zoom holds %+v (old %d)", got.Items[0].Meeting.JoinURL, now, old[0].ID)
	}
	// The new link reaches the candidate and the new interviewer.
	var emails []string
	for _, id := range []int64{second} {
		var u struct {
			Email string `json:"email"`
		}
		mustJSON(t, z.admin.Get(fmt.Sprintf("/api/v1/users/%d", id)), 200, &u)
		emails = append(emails, u.Email)
	}
	var removed struct {
		Email string `json:"email"`
	}
	mustJSON(t, z.admin.Get(fmt.Sprintf("/api/v1/users/%d", first)), 200, &removed)
	apptest.WaitFor(t, "invitations with the new link", func() bool {
		var to []string
		for _, m := range z.invitations(t, "REQUEST", now[0].JoinURL) {
			to = append(to, m.To...)
		}
		return len(to) >= 2 && slices.Contains(to, emails[0])
	})
	// The interviewer taken off gets a CANCEL of that interview, and is
	// sent nothing with the new link; the candidate gets no CANCEL.
	apptest.WaitFor(t, "a cancellation to the interviewer taken off", func() bool {
		for _, m := range z.invitations(t, "CANCEL", "") {
			if slices.Contains(m.To, removed.Email) {
				return true
			}
		}
		return false
	})
	for _, m := range z.invitations(t, "CANCEL", "") {
		if !slices.Contains(m.To, removed.Email) {
			t.Fatalf("a cancellation went to %v", m.To)
		}
		for _, at := range m.Attachments {
			if cal, err := ical.Parse(strings.NewReader(string(at.Data))); err == nil && cal.Method == "CANCEL" {
				if len(cal.Events) != 1 || !strings.Contains(cal.Events[0].UID, fmt.Sprintf("-%d@", sc.Items[0].ID)) {
					t.Fatalf("cancellation events = %+v", cal.Events)
				}
			}
		}
	}
	for _, m := range z.invitations(t, "REQUEST", now[0].JoinURL) {
		if slices.Contains(m.To, removed.Email) {
			t.Fatal("the interviewer taken off got the new link")
		}
	}
	// Nobody was sent the old meeting's link after the swap: the
	// invitations waited for the new meeting.
	for _, m := range z.invitations(t, "REQUEST", old[0].JoinURL) {
		if slices.Contains(m.To, emails[0]) {
			t.Fatalf("the new interviewer was sent the old meeting's link: %s", m.Subject)
		}
	}
	// The audit log says why the meeting changed.
	if audit := z.admin.Get("/audit").Body; !strings.Contains(audit, "meeting.host_changed") {
		t.Fatal("the audit log does not say the host changed")
	}
}

// Zoom refuses a PATCH that hands the meeting to another user and the
// delete of the old meeting fails once: still exactly one meeting at the
// end, under the new interviewer.
func TestSwapWithZoomFaultsStillOneMeeting(t *testing.T) {
	t.Parallel()
	// Each fault fails a job run: retried after 0.1 s, 0.2 s… rather than
	// 2 s, 4 s…
	z := startZoomWith(t, apptest.Options{JobRetryBase: 100 * time.Millisecond})
	first, second := z.d.pool[0], z.d.pool[1]
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, first, "2030-03-06T15:00:00Z", "rehost-2"))
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	for _, f := range []string{
		`{"method":"POST","path_pattern":"/v2/users/*/meetings","drop":true,"times":1}`,
		`{"method":"GET","path_pattern":"/v2/users/*/meetings","status":500,"times":1}`,
		`{"method":"DELETE","path_pattern":"/v2/meetings/*","status":500,"times":1}`,
	} {
		z.control(t, "POST", "/_emulator/faults", f, nil)
	}
	body := fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":"2030-03-06T16:00:00Z","interviewers":[%d]}]}`, sc.Items[0].ID, z.d.phoneInterview, second)
	if res := z.admin.JSON("PUT", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), body); res.StatusCode != 200 {
		t.Fatalf("swap: %d %s", res.StatusCode, res.Body)
	}
	newHost := z.zoomUserOf(t, second)
	apptest.WaitFor(t, "one meeting under the new interviewer at the new time", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].HostID == newHost && ms[0].StartTime.Equal(time.Date(2030, 3, 6, 16, 0, 0, 0, time.UTC))
	})
	z.waitMeetings(t, sc.ID, "created", 90*time.Second)
	if ms := z.meetings(t); len(ms) != 1 {
		t.Fatalf("Zoom holds %d meetings, want exactly 1", len(ms))
	}
}

// While Zoom still has a rescheduled meeting's old time, the API says
// "updating" (label "Updating"), as the schedule page does, then
// "created" once Zoom has the new time.
func TestAPIShowsUpdatingUntilZoomHasTheNewTime(t *testing.T) {
	z := startZoom(t)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-08T15:00:00Z", "updating-1"))
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	z.control(t, "POST", "/_emulator/faults", `{"method":"PATCH","path_pattern":"/v2/meetings/*","latency_ms":1500,"times":1}`, nil)
	body := fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":"2030-03-08T16:00:00Z","interviewers":[%d]}]}`, sc.Items[0].ID, z.d.phoneInterview, z.d.pool[0])
	if res := z.admin.JSON("PUT", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), body); res.StatusCode != 200 {
		t.Fatalf("reschedule: %d %s", res.StatusCode, res.Body)
	}
	path := fmt.Sprintf("/api/v1/schedules/%d", sc.ID)
	apptest.WaitFor(t, `the API to say "updating"`, func() bool {
		res := z.admin.Get(path)
		if strings.Contains(res.Body, `"state": "updating"`) {
			if !strings.Contains(res.Body, `"label": "Updating"`) {
				t.Fatalf("updating without its label: %s", res.Body)
			}
			mustMatchOpenAPI(t, z.admin, "GET", path, "", res)
			return true
		}
		return false
	})
	z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	if ms := z.meetings(t); len(ms) != 1 || !ms[0].StartTime.Equal(time.Date(2030, 3, 8, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("Zoom holds %+v", ms)
	}
}
