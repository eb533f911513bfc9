package hiring_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
)

// Availability windows are entered and edited on the candidate page, in
// the candidate's zone; a bad line changes nothing and says which.
func TestCandidateAvailabilityOnThePage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	var cand struct {
		TimeZone     string `json:"time_zone"`
		Availability []struct {
			Start, End time.Time
		} `json:"availability"`
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d", d.candidateID)), 200, &cand)
	loc, _ := time.LoadLocation(cand.TimeZone)
	path := fmt.Sprintf("/candidates/%d/availability", d.candidateID)
	res := c.PostForm(path, url.Values{"availability": {"2030-03-05 09:00-17:00\n\n2030-03-06 13:00-24:00\n"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.Body)
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d", d.candidateID)), 200, &cand)
	want := [][2]time.Time{
		{time.Date(2030, 3, 5, 9, 0, 0, 0, loc), time.Date(2030, 3, 5, 17, 0, 0, 0, loc)},
		{time.Date(2030, 3, 6, 13, 0, 0, 0, loc), time.Date(2030, 3, 7, 0, 0, 0, 0, loc)},
	}
	if len(cand.Availability) != 2 {
		t.Fatalf("availability = %+v", cand.Availability)
	}
	for i, w := range want {
		if !cand.Availability[i].Start.Equal(w[0]) || !cand.Availability[i].End.Equal(w[1]) {
			t.Fatalf("window %d = %v–%v, want %v–%v", i, cand.Availability[i].Start, cand.Availability[i].End, w[0], w[1])
		}
	}
	page := c.Get(fmt.Sprintf("/candidates/%d", d.candidateID))
	named := time.Date(2030, 3, 6, 13, 0, 0, 0, loc).Format("MST")
	if strings.HasPrefix(named, "-") || strings.HasPrefix(named, "+") {
		named = "UTC" + strings.Replace(named, "-", "−", 1) + " " + cand.TimeZone // no abbreviation: offset and zone
	}
	if !strings.Contains(page.Body, "<li>Wed 6 Mar 2030, 13:00–24:00 "+named+"</li>") {
		t.Fatalf("the list does not show the window to midnight in the candidate's zone, named once:\n%s", page.Body)
	}
	if !strings.Contains(page.Body, "2030-03-05 09:00-17:00\n2030-03-06 13:00-24:00") {
		t.Fatalf("the form does not show the windows to edit:\n%s", page.Body)
	}
	for _, bad := range []string{"2030-03-05 17:00-09:00", "tomorrow morning", "2030-02-30 09:00-10:00"} {
		res := c.PostForm(path, url.Values{"availability": {"2030-03-05 09:00-10:00\n" + bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Line 2") {
			t.Fatalf("%q: %d", bad, res.StatusCode)
		}
	}
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d", d.candidateID)), 200, &cand)
	if len(cand.Availability) != 2 {
		t.Fatalf("a refused edit changed the availability: %+v", cand.Availability)
	}
	// An empty box removes every window.
	c.PostForm(path, url.Values{"availability": {""}})
	mustJSON(t, c.Get(fmt.Sprintf("/api/v1/candidates/%d", d.candidateID)), 200, &cand)
	if len(cand.Availability) != 0 {
		t.Fatalf("availability after clearing = %+v", cand.Availability)
	}
}

// The candidate list shows each candidate's scheduling state and next
// interview; a candidate's schedules show their dates.
func TestCandidateListShowsScheduling(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com") // Ada is in New York
	d := mustDemo(t, c)
	var sc struct {
		ID int64 `json:"id"`
	}
	mustJSON(t, c.JSON("POST", "/api/v1/schedules", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "list-1")), 201, &sc)
	list := c.Get(fmt.Sprintf("/candidates?stage=%d", d.phoneStage))
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<a href="/candidates/%d">.*?</tr>`, d.candidateID)).FindString(list.Body)
	if !strings.Contains(row, "Scheduled") || !strings.Contains(row, "Tue 5 Mar 2030, 10:00 EST") {
		t.Fatalf("scheduled candidate's row: %s", row)
	}
	other := regexp.MustCompile(fmt.Sprintf(`(?s)<a href="/candidates/%d">.*?</tr>`, d.candidate2)).FindString(list.Body)
	if !strings.Contains(other, "Not scheduled") {
		t.Fatalf("unscheduled candidate's row: %s", other)
	}
	page := c.Get(fmt.Sprintf("/candidates/%d", d.candidateID))
	if !strings.Contains(page.Body, "Tue 5 Mar 2030, 10:00 EST") {
		t.Fatal("the candidate's schedules do not show their dates")
	}
}

// The candidate's fields are one shared template: the new-candidate form
// adds the time zone hint and the job's first stage as the default, the
// candidate's page shows the same fields without them.
func TestCandidateFieldsOnBothForms(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	fields := []string{`name="name"`, `name="email"`, `name="phone"`, `name="time_zone"`, `name="preferred_start"`, `name="job_id"`, `name="stage_id"`, `name="status"`}
	for _, tt := range []struct {
		path string
		new  bool
	}{
		{"/candidates/new", true},
		{fmt.Sprintf("/candidates/%d", d.candidateID), false},
	} {
		res := c.Get(tt.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", tt.path, res.StatusCode)
		}
		for _, f := range fields {
			if !strings.Contains(res.Body, f) {
				t.Errorf("GET %s: no field %s", tt.path, f)
			}
		}
		for _, extra := range []string{"First stage of the job", `class="tz-hint`, `placeholder="Europe/Berlin"`} {
			if got := strings.Contains(res.Body, extra); got != tt.new {
				t.Errorf("GET %s: shows %q = %v, want %v", tt.path, extra, got, tt.new)
			}
		}
	}
}
