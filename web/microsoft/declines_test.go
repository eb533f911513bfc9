package microsoft_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/store/hiringstore"
)

// An interviewer declines in Outlook: the scheduling mailbox's change
// notification brings the answer, and the schedule page and the
// coordinator's home page show it — well before the periodic read of
// answers, which runs only every two minutes (WaitFor gives up after one).
func TestOutlookDeclineShowsOnScheduleAndHomePage(t *testing.T) {
	a, gloria, emu := connectedGlobex(t)
	if r := gloria.PostForm("/integrations/microsoft/mailbox", url.Values{"mailbox": {"recruiting@globex.example"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("scheduling mailbox: %d %s", r.StatusCode, r.Body)
	}

	ctx := t.Context()
	globex, err := a.Main.DB.GetAccountByName(ctx, "Globex")
	if err != nil {
		t.Fatal(err)
	}
	kai, err := a.Main.DB.GetUserByEmail(ctx, globex.ID, "kai@globex.example")
	if err != nil {
		t.Fatal(err)
	}
	hs := hiringstore.New(a.Main.DB)
	job, err := hs.CreateJob(ctx, globex.ID, domain.Job{Title: "Platform engineer"})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := hs.CreateStage(ctx, globex.ID, domain.Stage{JobID: job.ID, Name: "Onsite", Video: domain.VideoOff, LatestDayOffset: 30,
		Interviews: []domain.Interview{{Name: "System design", DurationMinutes: 60, InterviewersNeeded: 1, Pool: []int64{kai.ID}}}})
	if err != nil {
		t.Fatal(err)
	}
	cand, err := hs.CreateCandidate(ctx, globex.ID, domain.Candidate{Name: "Mira Stone", Email: "mira@candidate.example", TimeZone: "UTC", JobID: job.ID, StageID: stage.ID})
	if err != nil {
		t.Fatal(err)
	}
	hugo := a.SignIn(t, "hiring@globex.example")
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	var sc struct {
		ID int64 `json:"id"`
	}
	r := hugo.JSON("POST", "/api/v1/schedules", fmt.Sprintf(`{"candidate_id":%d,"idempotency_key":"outlook-decline","accept_warnings":true,"items":[{"interview_id":%d,"start":%q,"interviewers":[%d]}]}`,
		cand.ID, stage.Interviews[0].ID, start.Format(time.RFC3339), kai.ID))
	if r.StatusCode != http.StatusCreated || json.Unmarshal([]byte(r.Body), &sc) != nil {
		t.Fatalf("book: %d %s", r.StatusCode, r.Body)
	}
	schedulePage := fmt.Sprintf("/schedules/%d", sc.ID)
	if p := hugo.Get(schedulePage); strings.Contains(p.Body, `id="declines"`) {
		t.Fatal("the schedule page shows a decline before anyone declined")
	}

	// Kai's copy of the invitation, as Outlook delivers it.
	var uid string
	apptest.WaitFor(t, "Kai's Outlook invitation", func() bool {
		uid = invitation(t, emu, "kai@globex.example", "Mira Stone")
		return uid != ""
	})
	answer := fmt.Sprintf(`{"Mailbox":"kai@globex.example","ICalUID":%q,"Response":"declined"}`, uid)
	if r, err := http.Post(emu+"/_emulator/respond", "application/json", strings.NewReader(answer)); err != nil || r.StatusCode != http.StatusNoContent {
		t.Fatalf("decline: %v %v", r, err)
	}
	apptest.WaitFor(t, "Kai's decline on the schedule page", func() bool {
		return strings.Contains(hugo.Get(schedulePage).Body, "<strong>Kai Nakamura declined</strong>")
	})
	if p := hugo.Get(schedulePage); !strings.Contains(p.Body, `id="declines"`) || !strings.Contains(p.Body, `<span class="badge err answer">declined</span>`) {
		t.Fatalf("schedule page without Kai's decline:\n%s", p.Body)
	}
	home := hugo.Get("/")
	if !strings.Contains(home.Body, "Kai Nakamura declined System design") || !strings.Contains(home.Body, fmt.Sprintf(`href="%s"`, schedulePage)) {
		t.Fatalf("the coordinator's home page without the decline:\n%s", home.Body)
	}
	if h := a.SignIn(t, "kai@globex.example").Get("/"); strings.Contains(h.Body, "declined System design") {
		t.Fatal("an interviewer's home page lists declines")
	}
}

// invitation returns the iCalUId of the mailbox's event whose subject
// names who, "" when there is none yet.
func invitation(t *testing.T, emuURL, mailbox, who string) string {
	t.Helper()
	r, err := http.Get(emuURL + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var st struct {
		Users []struct {
			ID   string `json:"id"`
			Mail string `json:"mail"`
		} `json:"users"`
		Events []struct {
			Mailbox string `json:"mailbox"`
			ICalUID string `json:"iCalUId"`
			Subject string `json:"subject"`
			Deleted bool   `json:"deleted"`
		} `json:"events"`
	}
	if err := json.NewDecoder(r.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	id := ""
	for _, u := range st.Users {
		if u.Mail == mailbox {
			id = u.ID
		}
	}
	for _, e := range st.Events {
		if e.Mailbox == id && !e.Deleted && strings.Contains(e.Subject, who) {
			return e.ICalUID
		}
	}
	return ""
}
