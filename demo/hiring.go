package demo

import (
	"context"
	"fmt"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// SeedHiring gives Acme two jobs whose stages have Zoom on and off,
// interviewers' working hours (two with preferred hours), rooms and
// candidates at every stage; one onsite keeps a lunch break and a longest
// gap between interviews.
func SeedHiring(ctx context.Context, db *store.DB, account *domain.Account, users map[string]*domain.User) error {
	if account.Name != AcmeName {
		return nil
	}
	hs := hiringstore.New(db)
	id := func(emails ...string) []int64 {
		var out []int64
		for _, e := range emails {
			if u, ok := users[e]; ok {
				out = append(out, u.ID)
			}
		}
		return out
	}
	for _, p := range Acme {
		if p.Role != domain.RoleInterviewer {
			continue
		}
		prof := domain.InterviewerProfile{AccountID: account.ID, UserID: users[p.Email].ID, TimeZone: p.TimeZone, Hours: domain.DefaultWorkingHours(), MaxPerDay: 3, MaxPerWeek: 10}
		prof.PreferredStartMinute, prof.PreferredEndMinute = preferredHours[p.Email][0], preferredHours[p.Email][1]
		if err := hs.UpdateProfile(ctx, prof); err != nil {
			return err
		}
	}
	for _, name := range []string{"Ada (4th floor)", "Turing (4th floor)", "Hopper (2nd floor)"} {
		if _, err := hs.CreateRoom(ctx, account.ID, name, ""); err != nil {
			return err
		}
	}
	type stageSeed struct {
		name  string
		video domain.VideoMode
		ivs   []domain.Interview
		// loop rules: longest gap and lunch break, in minutes
		maxGap, lunch int
	}
	jobs := []struct {
		title  string
		stages []stageSeed
	}{
		{"Senior Backend Engineer", []stageSeed{
			{"Phone Screen", domain.VideoZoom, []domain.Interview{{Name: "Phone screen", DurationMinutes: 30, InterviewersNeeded: 1, Pool: id("priya@example.com", "marcus@example.com", "elena@example.com", "aiko@example.com")}}, 0, 0},
			{"Onsite", domain.VideoOff, []domain.Interview{
				{Name: "Coding", DurationMinutes: 60, InterviewersNeeded: 1, Pool: id("marcus@example.com", "jordan@example.com", "tomas@example.com"), Position: 1},
				{Name: "System design", DurationMinutes: 60, InterviewersNeeded: 1, Pool: id("priya@example.com", "elena@example.com", "arjun@example.com"), Position: 2},
				{Name: "Team fit", DurationMinutes: 45, InterviewersNeeded: 1, Pool: id("hannah@example.com", "noah@example.com")},
				{Name: "Hiring manager", DurationMinutes: 30, InterviewersNeeded: 1, Pool: id("noah@example.com", "grace@example.com"), RoomRequired: true},
			}, 60, 45},
		}},
		{"Product Designer", []stageSeed{
			{"Phone Screen", domain.VideoZoom, []domain.Interview{{Name: "Phone screen", DurationMinutes: 30, InterviewersNeeded: 1, Pool: id("grace@example.com", "diego@example.com", "hannah@example.com")}}, 0, 0},
			{"Onsite", domain.VideoOff, []domain.Interview{
				{Name: "Portfolio review", DurationMinutes: 60, InterviewersNeeded: 2, Pool: id("grace@example.com", "diego@example.com", "aiko@example.com"), Position: 1},
				{Name: "Design exercise", DurationMinutes: 90, InterviewersNeeded: 1, Pool: id("diego@example.com", "fatima@example.com")},
				{Name: "Product partner", DurationMinutes: 45, InterviewersNeeded: 1, Pool: id("jordan@example.com", "fatima@example.com")},
				{Name: "Hiring manager", DurationMinutes: 30, InterviewersNeeded: 1, Pool: id("noah@example.com", "grace@example.com"), RoomRequired: true},
			}, 0, 0},
		}},
	}
	zones := []string{"America/New_York", "Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin", "Australia/Sydney", "America/Sao_Paulo"}
	first := []string{"Alex", "Sam", "Jamie", "Robin", "Casey", "Morgan", "Taylor", "Jordan", "Avery", "Quinn", "Riley", "Dana", "Kim"}
	last := []string{"Nguyen", "Okafor", "Silva", "Novak", "Haddad", "Larsen", "Ito", "Moreau", "Kowalski", "Mensah", "Rossi", "Park"}
	n := 0
	for _, js := range jobs {
		job, err := hs.CreateJob(ctx, account.ID, domain.Job{Title: js.title})
		if err != nil {
			return err
		}
		for _, ss := range js.stages {
			st, err := hs.CreateStage(ctx, account.ID, domain.Stage{JobID: job.ID, Name: ss.name, Video: ss.video, BufferMinutes: 10,
				AllowedStartMinute: 8 * 60, AllowedEndMinute: 19 * 60, LatestDayOffset: 21, Interviews: ss.ivs, MaxGapMinutes: ss.maxGap, LunchMinutes: ss.lunch})
			if err != nil {
				return err
			}
			count := 7
			if ss.name == "Onsite" {
				count = 6
			}
			for range count {
				name := first[n%len(first)] + " " + last[(n*7)%len(last)]
				c := domain.Candidate{Name: name, Email: fmt.Sprintf("candidate%02d@example.net", n+1), Phone: fmt.Sprintf("+1 555 01%02d", n),
					TimeZone: zones[n%len(zones)], JobID: job.ID, StageID: st.ID}
				if _, err := hs.CreateCandidate(ctx, account.ID, c); err != nil {
					return err
				}
				n++
			}
		}
	}
	return nil
}

// preferredHours are the demo interviewers who like mornings or
// afternoons (minutes after midnight in their own zone).
var preferredHours = map[string][2]int{
	"priya@example.com": {9 * 60, 12 * 60},
	"elena@example.com": {13 * 60, 17 * 60},
}
