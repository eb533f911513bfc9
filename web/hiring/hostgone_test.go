package hiring_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// zoomUserOf returns the emulator's id of the Zoom user with the email of
// InterviewPlanner user id.
func (z *zoomEnv) zoomUserOf(t *testing.T, id int64) string {
	t.Helper()
	var u struct {
		Email string `json:"email"`
	}
	mustJSON(t, z.admin.Get(fmt.Sprintf("/api/v1/users/%d", id)), 200, &u)
	var accts []struct {
		Users []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"users"`
	}
	z.control(t, "GET", "/_emulator/accounts", "", &accts)
	for _, a := range accts {
		for _, zu := range a.Users {
			if strings.EqualFold(zu.Email, u.Email) {
				return zu.ID
			}
		}
	}
	t.Fatalf("no Zoom user for %s", u.Email)
	return ""
}

// A host deleted in Zoom: the directory is read again, the host chosen
// again (the user who connected Zoom), the audit log says so; never an
// endless "User does not exist".
func TestVanishedHostIsChosenAgain(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	host := z.zoomUserOf(t, z.d.pool[0])
	z.control(t, "DELETE", "/_emulator/users/"+host, "", nil)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "gone-1"))
	z.waitMeetings(t, sc.ID, "created", 60*time.Second)
	ms := z.meetings(t)
	if len(ms) != 1 || ms[0].HostID != z.owner {
		t.Fatalf("Zoom holds %+v, want one meeting hosted by the Owner %s", ms, z.owner)
	}
	if audit := z.admin.Get("/audit").Body; !strings.Contains(audit, "meeting.host_replaced") {
		t.Fatal("the audit log does not say the host was chosen again")
	}
	// The schedule page says so too, beside the meeting, and names the host.
	page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID)).Body
	if !strings.Contains(page, "no longer exists or was deactivated in Zoom, so the host was chosen again") || !strings.Contains(page, "Host: Ada Lovelace") {
		t.Fatalf("the schedule page does not say the host was chosen again:\n%s", page)
	}
}

// When no host is left (the interviewer's Zoom user and the user who
// connected Zoom are both deactivated), the meeting fails with what to do,
// is not retried forever, and "Try again" creates it once Zoom allows.
func TestNoHostLeftFailsThenTryAgain(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	host := z.zoomUserOf(t, z.d.pool[0])
	for _, id := range []string{host, z.owner} {
		z.control(t, "PATCH", "/_emulator/users/"+id, `{"status":"inactive"}`, nil)
	}
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "gone-2"))
	got := z.waitMeetings(t, sc.ID, "failed", 60*time.Second)
	if msg := got.Items[0].Meeting.LastError; !strings.Contains(msg, "no longer exists or was deactivated") || strings.Contains(msg, "Retrying") {
		t.Fatalf("last error = %q", msg)
	}
	page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID))
	m := regexp.MustCompile(`action="(/schedules/\d+/meetings/\d+/retry)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no Try again on a failed meeting:\n%s", page.Body)
	}
	// Nothing to retry on a meeting that has not failed; another account's
	// schedule is not found.
	z.control(t, "PATCH", "/_emulator/users/"+z.owner, `{"status":"active"}`, nil)
	if res := z.admin.PostForm(m[1], url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Try again: %d %s", res.StatusCode, res.Body)
	}
	z.waitMeetings(t, sc.ID, "created", 60*time.Second)
	if res := z.admin.PostForm(m[1], url.Values{}); res.StatusCode != http.StatusConflict {
		t.Fatalf("Try again on a created meeting: %d", res.StatusCode)
	}
	globex := z.a.SignIn(t, "admin@globex.example")
	if res := globex.PostForm(m[1], url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another company's Try again: %d", res.StatusCode)
	}
}
