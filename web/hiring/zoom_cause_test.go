package hiring_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestFailedMeetingPageShowsZoomsCodeAndMessage: when Zoom refuses a
// meeting create with an error of its own, the schedule page shows the
// coordinator Zoom's code and message beside the failed meeting.
func TestFailedMeetingPageShowsZoomsCodeAndMessage(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	const msg = "Invalid field: settings.alternative_hosts."
	z.control(t, "POST", "/_emulator/faults", fmt.Sprintf(`{"method":"POST","path_pattern":"/v2/users/*/meetings","status":400,"body":%q}`,
		fmt.Sprintf(`{"code":300,"message":%q}`, msg)), nil)
	sc := z.mustCreate(t, scheduleBody(z.d.candidateID, z.d.phoneInterview, z.d.pool[0], "2030-03-05T15:00:00Z", "refused-1"))
	got := z.waitMeetings(t, sc.ID, "failed", 60*time.Second)
	if last := got.Items[0].Meeting.LastError; !strings.Contains(last, "Zoom code 300") || !strings.Contains(last, msg) {
		t.Errorf("the API says %q: want Zoom's code and message", last)
	}
	page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID)).Body
	shown := regexp.MustCompile(`<span class="small meeting-error">([^<]*)</span>`).FindStringSubmatch(page)
	if shown == nil {
		t.Fatalf("the schedule page shows no error beside the failed meeting:\n%s", page)
	}
	if text := html.UnescapeString(shown[1]); !strings.Contains(text, "Zoom code 300") || !strings.Contains(text, msg) {
		t.Errorf("the schedule page says %q: want Zoom's code 300 and its message", text)
	}
}
