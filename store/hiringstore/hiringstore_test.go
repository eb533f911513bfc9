package hiringstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/hiringstore/hiringstoretest"
)

// fixture is a company with interviewers, a job with a Zoom stage and a
// candidate.
type fixture struct {
	s         *hiringstore.Store
	account   *domain.Account
	other     *domain.Account
	users     []*domain.User
	outsider  *domain.User
	job       *domain.Job
	stage     *domain.Stage
	candidate *domain.Candidate
}

func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	c := hiringstoretest.MustCompany(tb)
	f := &fixture{s: c.Store, account: c.Account, other: c.Other, users: c.Users, outsider: c.Outsider,
		job: c.Job, stage: c.Stage, candidate: c.Candidate}
	return f
}

func TestCandidateListFiltersAndPages(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	for i := range 7 {
		if _, err := f.s.CreateCandidate(ctx, f.account.ID, domain.Candidate{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@x.example", i), TimeZone: "UTC", JobID: f.job.ID}); err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	var cursor int64
	for {
		page, err := f.s.ListCandidates(ctx, f.account.ID, hiringstore.CandidateFilter{Limit: 3, Before: cursor, JobID: f.job.ID})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(page.Candidates)
		if page.Next == 0 {
			break
		}
		cursor = page.Next
	}
	if seen != 8 {
		t.Fatalf("paged through %d, want 8", seen)
	}
	page, err := f.s.ListCandidates(ctx, f.account.ID, hiringstore.CandidateFilter{Search: "hopper"})
	if err != nil || len(page.Candidates) != 1 || page.Candidates[0].ID != f.candidate.ID {
		t.Fatalf("search: %v %v", page, err)
	}
	other, err := f.s.ListCandidates(ctx, f.other.ID, hiringstore.CandidateFilter{})
	if err != nil || len(other.Candidates) != 0 {
		t.Fatalf("other account sees %v", other)
	}
}

func TestLoopRulesAndPreferencesRoundTrip(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	// A lunch length without a window gets 11:30–13:30.
	st := *f.stage
	st.BufferMinutes, st.MaxGapMinutes, st.LunchMinutes = 10, 60, 45
	if _, err := f.s.UpdateStage(ctx, f.account.ID, st); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetStage(ctx, f.account.ID, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.MaxGapMinutes != 60 || got.LunchMinutes != 45 || got.LunchStartMinute != 11*60+30 || got.LunchEndMinute != 13*60+30 {
		t.Fatalf("stage loop rules = gap %d, lunch %d in %d–%d", got.MaxGapMinutes, got.LunchMinutes, got.LunchStartMinute, got.LunchEndMinute)
	}
	st.LunchMinutes, st.LunchStartMinute, st.LunchEndMinute = 30, 12*60, 14*60
	if _, err := f.s.UpdateStage(ctx, f.account.ID, st); err != nil {
		t.Fatal(err)
	}
	jobs, err := f.s.ListJobs(ctx, f.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	listed := jobs[0].Stages[0]
	if listed.LunchMinutes != 30 || listed.LunchStartMinute != 12*60 || listed.LunchEndMinute != 14*60 || listed.MaxGapMinutes != 60 {
		t.Fatalf("listed stage = %+v", listed)
	}

	prof := domain.InterviewerProfile{AccountID: f.account.ID, UserID: f.users[0].ID, TimeZone: "Europe/London", Hours: domain.DefaultWorkingHours(),
		PreferredStartMinute: 9 * 60, PreferredEndMinute: 12 * 60}
	if err := f.s.UpdateProfile(ctx, prof); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.GetProfile(ctx, f.account.ID, f.users[0].ID)
	if err != nil || p.PreferredStartMinute != 9*60 || p.PreferredEndMinute != 12*60 {
		t.Fatalf("profile = %+v, %v", p, err)
	}
	// Another company cannot read the profile.
	if ps, err := f.s.ListProfiles(ctx, f.other.ID, []int64{f.users[0].ID}); err != nil || len(ps) != 0 {
		t.Fatalf("Globex reads Acme's profile: %v %v", ps, err)
	}

	c := *f.candidate
	c.PreferredStartMinute, c.PreferredEndMinute = 14*60, 17*60
	if _, err := f.s.UpdateCandidate(ctx, f.account.ID, c); err != nil {
		t.Fatal(err)
	}
	back, err := f.s.GetCandidate(ctx, f.account.ID, c.ID)
	if err != nil || back.PreferredStartMinute != 14*60 || back.PreferredEndMinute != 17*60 {
		t.Fatalf("candidate = %+v, %v", back, err)
	}
	page, err := f.s.ListCandidates(ctx, f.account.ID, hiringstore.CandidateFilter{})
	if err != nil || len(page.Candidates) != 1 || page.Candidates[0].PreferredEndMinute != 17*60 {
		t.Fatalf("listed candidates = %+v, %v", page, err)
	}
	created, err := f.s.CreateCandidate(ctx, f.account.ID, domain.Candidate{Name: "Ada", Email: "ada@candidate.example", TimeZone: "UTC", JobID: f.job.ID,
		PreferredStartMinute: 0, PreferredEndMinute: 10 * 60})
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := f.s.GetCandidate(ctx, f.account.ID, created.ID); back.PreferredStartMinute != 0 || back.PreferredEndMinute != 10*60 {
		t.Fatalf("created candidate preference = %d–%d", back.PreferredStartMinute, back.PreferredEndMinute)
	}
}

func TestInvalidLoopRulesChangeNothing(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	base := *f.stage
	base.BufferMinutes, base.MaxGapMinutes, base.LunchMinutes = 15, 90, 30
	if _, err := f.s.UpdateStage(ctx, f.account.ID, base); err != nil {
		t.Fatal(err)
	}
	stages := []struct {
		name                   string
		gap, lunch, start, end int
		field                  string
	}{
		{"gap beyond a working day", 481, 0, 0, 0, "max_gap_minutes"},
		{"negative gap", -5, 0, 0, 0, "max_gap_minutes"},
		{"gap shorter than the buffer", 10, 0, 0, 0, "max_gap_minutes"},
		{"gap shorter than the lunch", 30, 45, 0, 0, "max_gap_minutes"},
		{"lunch too long", 0, 121, 0, 0, "lunch_minutes"},
		{"negative lunch", 0, -15, 0, 0, "lunch_minutes"},
		{"window shorter than the lunch", 0, 60, 12 * 60, 12*60 + 30, "lunch_window"},
		{"window ends before it starts", 0, 30, 13 * 60, 12 * 60, "lunch_window"},
		{"window past midnight", 0, 30, 23 * 60, 25 * 60, "lunch_window"},
	}
	for _, tt := range stages {
		t.Run(tt.name, func(t *testing.T) {
			st := base
			st.MaxGapMinutes, st.LunchMinutes, st.LunchStartMinute, st.LunchEndMinute = tt.gap, tt.lunch, tt.start, tt.end
			_, err := f.s.UpdateStage(ctx, f.account.ID, st)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.EINVALID || de.Fields[tt.field] == "" {
				t.Fatalf("err = %v, want a %s field error", err, tt.field)
			}
			got, err := f.s.GetStage(ctx, f.account.ID, st.ID)
			if err != nil || got.MaxGapMinutes != 90 || got.LunchMinutes != 30 || got.LunchStartMinute != 11*60+30 {
				t.Fatalf("stage changed: %+v, %v", got, err)
			}
		})
	}
	for _, r := range [][2]int{{12 * 60, 9 * 60}, {-60, 60}, {20 * 60, 25 * 60}, {600, 600}} {
		prof := domain.InterviewerProfile{AccountID: f.account.ID, UserID: f.users[1].ID, TimeZone: "UTC", PreferredStartMinute: r[0], PreferredEndMinute: r[1]}
		var de *domain.Error
		if err := f.s.UpdateProfile(ctx, prof); !errors.As(err, &de) || de.Fields["preferred_hours"] == "" {
			t.Errorf("profile preferred %v: err = %v, want a preferred_hours field error", r, err)
		}
		c := *f.candidate
		c.PreferredStartMinute, c.PreferredEndMinute = r[0], r[1]
		if _, err := f.s.UpdateCandidate(ctx, f.account.ID, c); !errors.As(err, &de) || de.Fields["preferred_hours"] == "" {
			t.Errorf("candidate preferred %v: err = %v, want a preferred_hours field error", r, err)
		}
	}
	if p, _ := f.s.GetProfile(ctx, f.account.ID, f.users[1].ID); p.TimeZone != "America/New_York" || p.PreferredEndMinute != 0 {
		t.Errorf("profile changed: %+v", p)
	}
	if c, _ := f.s.GetCandidate(ctx, f.account.ID, f.candidate.ID); c.PreferredEndMinute != 0 {
		t.Errorf("candidate changed: %+v", c)
	}
}

// TestInterviewerItemsShowTheirMeetings: an interviewer's list reads each
// live interview with its candidate and meeting — the interview's own, or
// the one of the whole schedule — and leaves out removed and past ones.
func TestInterviewerItemsShowTheirMeetings(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	db := f.s.DB
	me, other := f.users[0].ID, f.users[2].ID
	now := time.Now().UTC().Truncate(time.Minute)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	coding, design := f.stage.Interviews[0].ID, f.stage.Interviews[1].ID
	var perItem, removed, past, perSchedule int64
	var perItemMeeting int64
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		sc1, err := f.s.CreateSchedule(ctx, tx, f.account.ID, hiringstore.NewSchedule{CandidateID: f.candidate.ID, StageID: f.stage.ID, Video: true, MeetingMode: domain.MeetingPerInterview})
		if err != nil {
			return err
		}
		if perItem, err = f.s.CreateItem(ctx, tx, f.account.ID, sc1, domain.ScheduleItem{InterviewID: coding, Name: "Coding", Start: at(48), End: at(49), Interviewers: []int64{me}}); err != nil {
			return err
		}
		designItem, err := f.s.CreateItem(ctx, tx, f.account.ID, sc1, domain.ScheduleItem{InterviewID: design, Name: "System design", Start: at(50), End: at(51), Interviewers: []int64{other}})
		if err != nil {
			return err
		}
		if removed, err = f.s.CreateItem(ctx, tx, f.account.ID, sc1, domain.ScheduleItem{InterviewID: coding, Name: "Coding", Start: at(52), End: at(53), Interviewers: []int64{me}}); err != nil {
			return err
		}
		if err := f.s.DeleteItem(ctx, tx, f.account.ID, removed); err != nil {
			return err
		}
		if past, err = f.s.CreateItem(ctx, tx, f.account.ID, sc1, domain.ScheduleItem{InterviewID: coding, Name: "Coding", Start: at(-30), End: at(-29), Interviewers: []int64{me}}); err != nil {
			return err
		}
		if perItemMeeting, err = f.s.CreateMeeting(ctx, tx, f.account.ID, sc1, perItem, hiringstore.DesiredMeeting{Start: at(48), End: at(49), Topic: "Coding"}); err != nil {
			return err
		}
		// The other interview's meeting is not mine.
		if _, err = f.s.CreateMeeting(ctx, tx, f.account.ID, sc1, designItem, hiringstore.DesiredMeeting{Start: at(50), End: at(51), Topic: "System design"}); err != nil {
			return err
		}
		sc2, err := f.s.CreateSchedule(ctx, tx, f.account.ID, hiringstore.NewSchedule{CandidateID: f.candidate.ID, StageID: f.stage.ID, Video: true, MeetingMode: domain.MeetingPerSchedule})
		if err != nil {
			return err
		}
		if perSchedule, err = f.s.CreateItem(ctx, tx, f.account.ID, sc2, domain.ScheduleItem{InterviewID: coding, Name: "Coding", Start: at(24), End: at(25), Interviewers: []int64{me, other}}); err != nil {
			return err
		}
		if _, err = f.s.CreateMeeting(ctx, tx, f.account.ID, sc2, 0, hiringstore.DesiredMeeting{Start: at(24), End: at(25), Topic: "Onsite"}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE meetings SET join_url = 'https://zoom.example/j/' || id, host_id = 'host-' || id, provider_meeting_id = '9' || id, state = 'created'
			WHERE account_id = $1`, f.account.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	items, err := f.s.ListInterviewerItems(ctx, f.account.ID, me, now.Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, it := range items {
		got = append(got, it.Item.ID)
		if it.CandidateName != "Grace Hopper" || it.CandidateID != f.candidate.ID || it.Item.Name != "Coding" || it.ScheduleID == 0 {
			t.Errorf("item %d: %+v", it.Item.ID, it)
		}
		if it.Item.Meeting.JoinURL != fmt.Sprintf("https://zoom.example/j/%d", it.Item.Meeting.ID) || it.Item.Meeting.State != domain.MeetingCreated {
			t.Errorf("item %d: meeting %+v", it.Item.ID, it.Item.Meeting)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{perSchedule, perItem}) {
		t.Fatalf("items %v, want %v (soonest first; not the removed %d nor the past %d)", got, []int64{perSchedule, perItem}, removed, past)
	}
	if items[1].Item.Meeting.ID != perItemMeeting || !items[1].Item.Start.Equal(at(48)) {
		t.Errorf("the interview's own meeting: got %+v", items[1].Item)
	}
	if none, err := f.s.ListInterviewerItems(ctx, f.other.ID, me, now.Add(-2*time.Hour)); err != nil || len(none) != 0 {
		t.Errorf("another account sees %v (%v)", none, err)
	}
}

func TestInterviewerItemsPageSoonestFirst(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	me := f.users[0].ID
	now := time.Now().UTC().Truncate(time.Minute)
	coding := f.stage.Interviews[0].ID
	// Eleven interviews; two pairs start at the same instant (a page may
	// end between them), one is in the past.
	hours := []int{30, 5, 7, 7, 9, 11, 11, 13, 2, 20, -40}
	var want []int64
	err := f.s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		for _, h := range hours {
			sc, err := f.s.CreateSchedule(ctx, tx, f.account.ID, hiringstore.NewSchedule{CandidateID: f.candidate.ID, StageID: f.stage.ID, MeetingMode: domain.MeetingPerInterview})
			if err != nil {
				return err
			}
			at := now.Add(time.Duration(h) * time.Hour)
			if _, err := f.s.CreateItem(ctx, tx, f.account.ID, sc, domain.ScheduleItem{InterviewID: coding, Name: "Coding", Start: at, End: at.Add(time.Hour), Interviewers: []int64{me}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := f.s.ListInterviewerItems(ctx, f.account.ID, me, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		want = append(want, it.Item.ID)
	}
	if len(want) != 10 {
		t.Fatalf("%d upcoming interviews, want 10", len(want))
	}
	var got []int64
	after, pages := "", 0
	for {
		page, err := f.s.ListInterviewerItemsPage(ctx, f.account.ID, me, now, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.Items) > 3 {
			t.Fatalf("page %d holds %d interviews, limit 3", pages, len(page.Items))
		}
		for _, it := range page.Items {
			got = append(got, it.Item.ID)
		}
		if page.Next == "" {
			break
		}
		if pages > 10 {
			t.Fatal("pages do not end")
		}
		after = page.Next
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 4 {
		t.Errorf("paged %v in %d pages, want %v in 4", got, pages, want)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Item.Start.Before(all[i-1].Item.Start) {
			t.Errorf("interview %d starts before the one listed above it", all[i].Item.ID)
		}
	}
	for _, bad := range []string{"x", "bm9wZQ", "MTIzLjA"} { // not base64; "nope"; "123.0"
		_, err := f.s.ListInterviewerItemsPage(ctx, f.account.ID, me, now, bad, 3)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("cursor %q: error %v, want invalid", bad, err)
		}
	}
	if page, err := f.s.ListInterviewerItemsPage(ctx, f.other.ID, me, now, "", 3); err != nil || len(page.Items) != 0 {
		t.Errorf("another account sees %v (%v)", page, err)
	}
}

func TestProposalStageOfCandidateAndSchedule(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	want := map[int64]int{}
	for _, iv := range f.stage.Interviews {
		want[iv.ID] = iv.DurationMinutes
	}
	got, err := f.s.GetProposalStage(ctx, f.account.ID, f.candidate.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.CandidateID != f.candidate.ID || got.StageID != f.candidate.StageID || fmt.Sprint(got.Minutes) != fmt.Sprint(want) {
		t.Errorf("candidate's stage: got %+v, want candidate %d stage %d minutes %v", got, f.candidate.ID, f.candidate.StageID, want)
	}
	var sc int64
	if err := f.s.DB.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		sc, err = f.s.CreateSchedule(ctx, tx, f.account.ID, hiringstore.NewSchedule{CandidateID: f.candidate.ID, StageID: f.stage.ID, MeetingMode: domain.MeetingPerInterview})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The schedule's candidate wins over the one given.
	if got, err := f.s.GetProposalStage(ctx, f.account.ID, 0, sc); err != nil || got.CandidateID != f.candidate.ID || got.StageID != f.stage.ID || len(got.Minutes) != len(want) {
		t.Errorf("schedule's stage: got %+v (%v)", got, err)
	}
	for _, c := range []struct {
		name                 string
		account, cand, sched int64
	}{
		{"unknown candidate", f.account.ID, f.candidate.ID + 1000, 0},
		{"another company's candidate", f.other.ID, f.candidate.ID, 0},
		{"another company's schedule", f.other.ID, 0, sc},
	} {
		if _, err := f.s.GetProposalStage(ctx, c.account, c.cand, c.sched); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("%s: error %v, want not found", c.name, err)
		}
	}
}
