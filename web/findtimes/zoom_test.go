package findtimes_test

import (
	"fmt"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// mustConnectZoom connects Acme's Zoom as the emulator's Owner,
// admin@example.com.
func mustConnectZoom(tb testing.TB, a *apptest.App, admin *apptest.Client) {
	tb.Helper()
	a.ConnectZoom(tb, admin, "admin@example.com")
}

// TestZoomStageOptionBooksWithMeetings: with Zoom connected, Find times
// plans the video stage with its hosts, and confirming the chosen option
// through the existing flow creates the Zoom meetings.
func TestZoomStageOptionBooksWithMeetings(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{Env: map[string]string{"IP_ZOOM_EMULATOR_ADDR": "127.0.0.1:0"}})
	admin := a.SignIn(t, "admin@example.com")
	mustConnectZoom(t, a, admin)
	st := mustStage(t, admin, "Senior Backend Engineer", "Phone Screen")
	id := mustCandidates(t, admin, st.ID, "America/New_York")[0]
	r := findTimes(t, admin, id)
	if len(r.Options) == 0 {
		t.Fatalf("no options with Zoom connected: %+v", r.Explanation)
	}
	scID := mustConfirmFirstOption(t, admin, id, r)
	var sc struct {
		Video bool `json:"video"`
		Items []struct {
			Meeting *struct {
				State   string `json:"state"`
				JoinURL string `json:"join_url"`
			} `json:"meeting"`
		} `json:"items"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mustJSON(t, admin.Get(fmt.Sprintf("/api/v1/schedules/%d", scID)), 200, &sc)
		created := len(sc.Items) > 0
		for _, it := range sc.Items {
			created = created && it.Meeting != nil && it.Meeting.State == "created" && it.Meeting.JoinURL != ""
		}
		if created {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the option's Zoom meetings were not created: %+v", sc.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !sc.Video {
		t.Error("the schedule has video off; the stage has Zoom on")
	}
}
