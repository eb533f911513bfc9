package hiring_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"interviewplanner/store"
)

// TestProposedZoomScheduleGetsItsHost runs what a coordinator does at a
// large customer whose user who connected Zoom is busy hosting: Find times
// on a Zoom stage whose pool holds two interviewers without a Zoom user of
// their own (their meetings would fall back to that busy user) and one
// with. Every option it proposes names the one whose Zoom user is free, and
// confirming it ends with the meeting created under that user — not
// failed with "every possible Zoom host is already hosting another
// meeting".
func TestProposedZoomScheduleGetsItsHost(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	ctx := t.Context()
	userID := func(email string) int64 {
		var id int64
		if err := z.a.DB.Reader().QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		return id
	}
	// Arjun and Fatima have no Zoom user in the demo; Priya has.
	arjun, fatima, priya := userID("arjun@example.com"), userID("fatima@example.com"), userID("priya@example.com")
	var accts []struct {
		Users []struct {
			Email string `json:"email"`
		} `json:"users"`
	}
	z.control(t, "GET", "/_emulator/accounts", "", &accts)
	for _, a := range accts {
		for _, u := range a.Users {
			if u.Email == "arjun@example.com" || u.Email == "fatima@example.com" {
				t.Fatalf("the demo gives %s a Zoom user", u.Email)
			}
		}
	}
	priyaZoom := z.zoomUserOf(t, priya)
	if priyaZoom == "" || priyaZoom == z.owner {
		t.Fatalf("Priya's Zoom user %q", priyaZoom)
	}

	var job struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, z.admin.JSON("POST", "/api/v1/jobs", `{"title":"Hosts"}`), 201, &job)
	var stage struct {
		ID         int64 `json:"id"`
		Interviews []struct {
			ID int64 `json:"id"`
		} `json:"interviews"`
	}
	mustJSON(t, z.admin.JSON("POST", fmt.Sprintf("/api/v1/jobs/%d/stages", job.ID), fmt.Sprintf(`{"name":"Screen","position":1,"video":"zoom","meeting_mode":"per_interview",`+
		`"buffer_minutes":0,"allowed_start":"00:00","allowed_end":"24:00","earliest_day_offset":1,"latest_day_offset":14,`+
		`"interviews":[{"name":"Screen","duration_minutes":30,"interviewers_needed":1,"pool":[%d,%d,%d],"room_required":false,"position":1}]}`,
		arjun, fatima, priya)), 201, &stage)
	cand := func(i int) int64 {
		var c struct {
			ID int64 `json:"id"`
		}
		mustJSON(t, z.admin.JSON("POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Host %d","email":"host%d@example.net","time_zone":"America/New_York","job_id":%d,"stage_id":%d}`,
			i, i, job.ID, stage.ID)), 201, &c)
		return c.ID
	}
	first, second := cand(1), cand(2)

	// Arjun's meeting goes to the user who connected Zoom; stretched over
	// the whole search window, it keeps that user busy throughout.
	busy := z.mustCreate(t, scheduleBody(first, stage.Interviews[0].ID, arjun, time.Now().AddDate(0, 0, 30).Format("2006-01-02")+"T15:00:00Z", "hosts-busy"))
	z.waitMeetings(t, busy.ID, "created", 30*time.Second)
	if ms := z.meetings(t); len(ms) != 1 || ms[0].HostID != z.owner {
		t.Fatalf("Zoom holds %+v; want Arjun's meeting hosted by the connecting user %s", ms, z.owner)
	}
	if _, err := z.a.DB.Writer().ExecContext(ctx, `UPDATE meetings SET start_at = $1, end_at = $2 WHERE schedule_id = $3`,
		store.MS(time.Now().AddDate(0, 0, -1)), store.MS(time.Now().AddDate(0, 0, 60)), busy.ID); err != nil {
		t.Fatal(err)
	}

	var found struct {
		Options []struct {
			Items []struct {
				InterviewID  int64     `json:"interview_id"`
				Start        time.Time `json:"start"`
				Interviewers []int64   `json:"interviewer_ids"`
			} `json:"items"`
		} `json:"options"`
	}
	mustJSON(t, z.admin.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", second)), 200, &found)
	if len(found.Options) == 0 {
		t.Fatalf("no options although Priya hosts her own meetings: %s", z.admin.Get(fmt.Sprintf("/api/v1/candidates/%d/find-times", second)).Body)
	}
	for _, o := range found.Options {
		if len(o.Items) != 1 || len(o.Items[0].Interviewers) != 1 || o.Items[0].Interviewers[0] != priya {
			t.Fatalf("option %+v: want Priya alone — Arjun's or Fatima's meeting would go to the busy connecting user", o)
		}
	}
	it := found.Options[0].Items[0]
	sc := z.mustCreate(t, scheduleBody(second, it.InterviewID, priya, it.Start.UTC().Format(time.RFC3339), "hosts-proposed"))
	deadline := time.Now().Add(30 * time.Second)
	for {
		m := z.schedule(t, sc.ID).Items[0].Meeting
		if m != nil && m.State == "created" {
			break
		}
		if m != nil && (m.State == "failed" || strings.Contains(m.LastError, "hosting another meeting")) || time.Now().After(deadline) {
			t.Fatalf("the proposed schedule's meeting: %+v", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	hosts := map[string]int{}
	for _, m := range z.meetings(t) {
		hosts[m.HostID]++
	}
	if hosts[priyaZoom] != 1 || hosts[z.owner] != 1 {
		t.Errorf("Zoom meetings by host %v: want one for Priya's Zoom user %s beside the connecting user's", hosts, priyaZoom)
	}
}
