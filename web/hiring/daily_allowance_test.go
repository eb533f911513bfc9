package hiring_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// When the interviewer's own Zoom user has used Zoom's daily allowance of
// 100 meeting creates and updates (the emulator answers 429 as Zoom does),
// the meeting goes to the next host of the order — the user who connected
// Zoom — and the schedule says why; when every host has used it, the
// meeting waits for the reset and the schedule says until when, never a
// bare "failed".
func TestDailyAllowanceMovesOrWaits(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	who := z.d.pool[0]
	own := z.zoomUserOf(t, who)
	if own == "" || own == z.owner {
		t.Fatalf("the interviewer's Zoom user %q", own)
	}
	z.control(t, "POST", "/_emulator/daily", fmt.Sprintf(`{"user_id":%q,"used":100}`, own), nil)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, who, "2030-03-05T15:00:00Z", "allowance-1"))
	sc = z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	ms := z.meetings(t)
	if len(ms) != 1 || ms[0].HostID != z.owner {
		t.Fatalf("Zoom holds %+v; want one meeting hosted by the connecting user %s", ms, z.owner)
	}
	var show struct {
		Items []struct {
			Meeting struct {
				State     string `json:"state"`
				HostID    string `json:"host_id"`
				HostNote  string `json:"host_note"`
				LastError string `json:"last_error"`
			} `json:"meeting"`
		} `json:"items"`
	}
	res := z.admin.Get(fmt.Sprintf("/api/v1/schedules/%d", sc.ID))
	if err := json.Unmarshal([]byte(res.Body), &show); err != nil || len(show.Items) != 1 {
		t.Fatalf("schedule: %v %s", err, res.Body)
	}
	if m := show.Items[0].Meeting; m.HostID != z.owner || !strings.Contains(m.HostNote, "daily allowance") {
		t.Errorf("the schedule says host %q, note %q: want the connecting user and why", m.HostID, m.HostNote)
	}
	if page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID)); !strings.Contains(page.Body, "daily allowance") {
		t.Errorf("the schedule page does not say why the host changed")
	}

	// Now the connecting user has used it too: the next meeting waits.
	z.control(t, "POST", "/_emulator/daily", fmt.Sprintf(`{"user_id":%q,"used":100}`, z.owner), nil)
	sc2 := z.mustCreate(t, scheduleBody(z.d.candidate2, z.d.phoneInterview, who, "2030-03-06T15:00:00Z", "allowance-2"))
	var m struct{ State, LastError string }
	apptest.WaitFor(t, "the meeting to wait for Zoom's reset", func() bool {
		it := z.schedule(t, sc2.ID).Items[0].Meeting
		if it == nil {
			return false
		}
		m.State, m.LastError = it.State, it.LastError
		return strings.Contains(it.LastError, "daily allowance")
	})
	if m.State == "failed" || m.State == "created" || !strings.Contains(m.LastError, "resets at") {
		t.Errorf("state %q, %q: want waiting, with when", m.State, m.LastError)
	}
	if n := len(z.meetings(t)); n != 1 {
		t.Errorf("Zoom holds %d meetings, want the first only", n)
	}
}
