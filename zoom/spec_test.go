package zoom_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"interviewplanner/zoom"
	"interviewplanner/zoomspec"
)

// Every fake in this package checks each /v2 request against Zoom's
// description as it arrives (fakeZoom.apiMiddleware). This test calls every
// endpoint the client has and makes sure the check really ran and can fail.
func TestRequestsMatchZoomSpec(t *testing.T) {
	f, api := mustAPI(t)
	ctx := t.Context()
	steps := []func() error{
		func() error { _, err := api.Me(ctx); return err },
		func() error { _, err := api.User(ctx, "u1@zoom.example"); return err },
		func() error { _, err := api.AllUsers(ctx); return err },
		func() error { _, err := api.ListUsers(ctx, 1, "1"); return err },
		func() error { _, err := api.Permissions(ctx, "me"); return err },
		func() error { _, err := api.AllRooms(ctx); return err },
		func() error { _, err := api.ListRooms(ctx, 1, "1"); return err },
		func() error {
			_, err := api.CreateMeeting(ctx, "zu1", zoom.MeetingRequest{Topic: "Interview", Agenda: "Loop", StartTime: time.Now(),
				Duration: 30 * time.Minute, Timezone: "UTC", Password: "abc123", JoinBeforeHost: true, MuteUponEntry: true,
				AlternativeHosts: []string{"a@x.example"}, AutoRecording: "cloud"})
			return err
		},
		func() error { _, err := api.GetMeeting(ctx, firstMeetingID); return err },
		func() error {
			return api.UpdateMeeting(ctx, firstMeetingID, zoom.MeetingRequest{Topic: "Moved", StartTime: time.Now(), Duration: time.Hour})
		},
		func() error { _, err := api.ListUpcomingMeetings(ctx, "zu1"); return err },
		func() error {
			return api.DeleteMeeting(ctx, firstMeetingID, zoom.DeleteOptions{OccurrenceID: "1648194360000", ScheduleForReminder: true, CancelMeetingReminder: true})
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	reqs := f.recorded()
	f.mu.Lock()
	validated := f.validated
	f.mu.Unlock()
	t.Logf("%d requests validated against ZoomMeetingAPISpec.json", validated)
	if validated != len(reqs) || validated < len(steps) {
		t.Fatalf("validated %d of %d requests", validated, len(reqs))
	}

	// The check is not vacuous: a malformed create is refused.
	v, err := zoomspec.Load()
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte(`{"topic":"x","type":"scheduled","duration":"an hour"}`)
	r := httptest.NewRequest(http.MethodPost, "/v2/users/zu1/meetings", bytes.NewReader(bad))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer x")
	if err := v.ValidateRequest(r, bad); err == nil {
		t.Fatal("validator accepted a malformed create body")
	}
}
